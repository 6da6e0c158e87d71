//! A counting global allocator for the benchmark binaries (see [`CountingAlloc`]).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Bytes allocated and not yet freed, for a face that installs [`CountingAlloc`].
static LIVE: AtomicUsize = AtomicUsize::new(0);

/// The system allocator, counting live bytes: how the benchmark measures what a record costs
/// beyond its key and value (its `Record`, the log's spare capacity, allocation rounding is
/// not seen). Install it with `#[global_allocator]` in a benchmark binary.
pub struct CountingAlloc;

impl CountingAlloc {
    pub fn live_bytes() -> Option<usize> {
        Some(LIVE.load(Ordering::Relaxed))
    }
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
