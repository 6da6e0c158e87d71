//! A counting global allocator for the benchmark binaries (see [`CountingAlloc`]).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Bytes allocated and not yet freed, for a face that installs [`CountingAlloc`].
static LIVE: AtomicUsize = AtomicUsize::new(0);

/// The system allocator, counting live bytes: how the benchmark measures what a record costs
/// beyond its key and value (its `Record`, the log's spare capacity, allocation rounding is
/// not seen). Installed by the `count-alloc` feature.
pub struct CountingAlloc;

/// Installed in every binary of a build with `--features count-alloc`: only the benchmark's
/// memory pass builds so (`scripts/bench.sh`); counting costs time on every allocation, so the
/// timed runs, like the app, are built without it.
#[cfg(feature = "count-alloc")]
#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

/// Bytes allocated and not yet freed, in a build that counts them (`--features count-alloc`).
pub fn live_bytes() -> Option<usize> {
    cfg!(feature = "count-alloc").then(|| LIVE.load(Ordering::Relaxed))
}

// SAFETY: every call is forwarded to `System` with the same arguments; the counter is only
// bookkeeping.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(new_size, Ordering::Relaxed);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}
