//! How a log keeps its records: in batches, each holding its records' keys and values back to
//! back in one buffer plus a 16-byte entry a record (offset and timestamp as deltas from the
//! batch's base, where the record's bytes end, its key's length). A `Record` of its own a
//! message cost 88 bytes natively (56 in wasm) and two allocations; an entry costs 16 in both.
//! Readers see runs of records as [`Records`] and each record as a [`RecordRef`].
//!
//! Invariant: a batch's entries have increasing offsets and non-decreasing `end`s, the last one
//! equal to `data.len()`; `headers` is sorted by entry index and holds exactly the entries
//! flagged `HAS_HEADERS`; a log holds no empty batch.

use std::sync::Arc;

use super::record::{Header, Record};

/// Flags kept in the top bits of an entry's offset delta.
const KEY_NULL: u32 = 1 << 31;
const VALUE_NULL: u32 = 1 << 30;
const HAS_HEADERS: u32 = 1 << 29;
/// The largest offset delta an entry holds (compaction gaps larger start a new batch).
const DELTA_MASK: u32 = HAS_HEADERS - 1;

/// A batch takes records until it holds this many…
const BATCH_RECORDS: usize = 1024;
/// …or this many bytes of keys and values; the next record starts a new batch. Small enough
/// that the active batch's spare capacity stays small next to the log, large enough that the
/// batch headers (88 bytes each natively) cost a fraction of a byte a record.
const BATCH_BYTES: usize = 256 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    /// Offset minus the batch's base offset (low bits), and the `KEY_NULL`, `VALUE_NULL` and
    /// `HAS_HEADERS` flags.
    offset_delta: u32,
    timestamp_delta: i32,
    /// Where the record's key and value end in `data` (they start where the previous record's
    /// end, or at 0).
    end: u32,
    key_len: u32,
}

impl Entry {
    fn delta(&self) -> i64 {
        i64::from(self.offset_delta & DELTA_MASK)
    }
}

/// Records stored together (what Kafka calls a record batch): consecutive records of one log,
/// never across a segment boundary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordBatch {
    base_offset: i64,
    base_timestamp: i64,
    entries: Vec<Entry>,
    data: Vec<u8>,
    /// The headers of the records that have some, by index in `entries`.
    headers: Vec<(u32, Box<[Header]>)>,
}

impl RecordBatch {
    /// An empty batch for records from `offset` on, with room reserved for `records` records
    /// of `bytes` bytes in all.
    fn new(offset: i64, timestamp: i64, records: usize, bytes: usize) -> RecordBatch {
        RecordBatch {
            base_offset: offset,
            base_timestamp: timestamp,
            entries: Vec::with_capacity(records),
            data: Vec::with_capacity(bytes),
            headers: Vec::new(),
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The key and value bytes it holds.
    pub fn data_bytes(&self) -> u64 {
        self.data.len() as u64
    }

    fn first_offset(&self) -> i64 {
        self.entries
            .first()
            .map_or(self.base_offset, |e| self.base_offset + e.delta())
    }

    fn last_offset(&self) -> i64 {
        self.entries
            .last()
            .map_or(self.base_offset, |e| self.base_offset + e.delta())
    }

    /// How many of its records have an offset below `offset`.
    fn count_below(&self, offset: i64) -> usize {
        let delta = offset - self.base_offset;
        self.entries.partition_point(|e| e.delta() < delta)
    }

    fn full(&self) -> bool {
        self.entries.len() >= BATCH_RECORDS || self.data.len() >= BATCH_BYTES
    }

    /// Whether a record at `offset` and `timestamp` with `bytes` of key and value can be
    /// encoded in this batch.
    fn fits(&self, offset: i64, timestamp: i64, bytes: usize) -> bool {
        let delta = offset - self.base_offset;
        (0..=i64::from(DELTA_MASK)).contains(&delta)
            && i32::try_from(timestamp - self.base_timestamp).is_ok()
            && self
                .data
                .len()
                .checked_add(bytes)
                .is_some_and(|end| u32::try_from(end).is_ok())
    }

    /// Appends a record that [`RecordBatch::fits`].
    fn push(
        &mut self,
        offset: i64,
        timestamp: i64,
        key: Option<&[u8]>,
        value: Option<&[u8]>,
        headers: Vec<Header>,
    ) {
        let mut flags = 0;
        if key.is_none() {
            flags |= KEY_NULL;
        }
        if value.is_none() {
            flags |= VALUE_NULL;
        }
        if !headers.is_empty() {
            flags |= HAS_HEADERS;
            self.headers
                .push((self.entries.len() as u32, headers.into_boxed_slice()));
        }
        let key = key.unwrap_or_default();
        self.data.extend_from_slice(key);
        self.data.extend_from_slice(value.unwrap_or_default());
        self.entries.push(Entry {
            offset_delta: (offset - self.base_offset) as u32 | flags,
            timestamp_delta: (timestamp - self.base_timestamp) as i32,
            end: self.data.len() as u32,
            key_len: key.len() as u32,
        });
    }

    fn start(&self, i: usize) -> usize {
        i.checked_sub(1)
            .and_then(|p| self.entries.get(p))
            .map_or(0, |e| e.end as usize)
    }

    /// Record `i` (< `len()`).
    fn get(&self, i: usize) -> RecordRef<'_> {
        self.record(&self.entries[i], i, self.start(i))
    }

    /// Record `i`, whose entry is `e` and whose bytes start at `start`. Inlined into the
    /// readers' loops: in wasm (`opt-level = "z"`) a call a record made consuming 3× slower.
    #[inline(always)]
    fn record(&self, e: &Entry, i: usize, start: usize) -> RecordRef<'_> {
        let split = start + e.key_len as usize;
        let headers: &[Header] = if e.offset_delta & HAS_HEADERS == 0 {
            &[]
        } else {
            let h = self.headers.partition_point(|(at, _)| (*at as usize) < i);
            self.headers.get(h).map_or(&[], |(_, h)| h)
        };
        let key = if e.offset_delta & KEY_NULL == 0 {
            bytes(&self.data, start, split)
        } else {
            None
        };
        let value = if e.offset_delta & VALUE_NULL == 0 {
            bytes(&self.data, split, e.end as usize)
        } else {
            None
        };
        RecordRef {
            offset: self.base_offset + i64::from(e.offset_delta & DELTA_MASK),
            timestamp: self.base_timestamp + i64::from(e.timestamp_delta),
            key,
            value,
            headers,
        }
    }

    /// Keeps the records whose `keep` flag is set (one flag a record), moving their bytes down
    /// in place; returns the key and value bytes dropped.
    fn retain(&mut self, keep: &[bool]) -> u64 {
        let before = self.data.len();
        let mut kept = 0;
        let mut written = 0;
        let mut start = 0;
        let mut headers = std::mem::take(&mut self.headers).into_iter().peekable();
        for i in 0..self.entries.len() {
            let e = self.entries[i];
            let end = e.end as usize;
            let own_headers = match headers.peek() {
                Some((at, _)) if *at as usize == i => headers.next(),
                _ => None,
            };
            if keep.get(i).copied().unwrap_or(true) {
                self.data.copy_within(start..end, written);
                written += end - start;
                if let Some((_, h)) = own_headers {
                    self.headers.push((kept as u32, h));
                }
                self.entries[kept] = Entry {
                    end: written as u32,
                    ..e
                };
                kept += 1;
            }
            start = end;
        }
        self.entries.truncate(kept);
        self.data.truncate(written);
        self.shrink();
        (before - written) as u64
    }

    /// Keeps the first `n` records; returns the key and value bytes dropped.
    fn truncate(&mut self, n: usize) -> u64 {
        let before = self.data.len();
        self.entries.truncate(n);
        self.data.truncate(self.start(self.entries.len()));
        self.headers.retain(|(at, _)| (*at as usize) < n);
        (before - self.data.len()) as u64
    }

    /// Gives back the spare capacity of a batch that takes no more records.
    fn shrink(&mut self) {
        self.entries.shrink_to_fit();
        self.data.shrink_to_fit();
        self.headers.shrink_to_fit();
    }
}

/// `data[from..to]`, `None` if out of bounds (never, by the batch's invariant). Written out
/// rather than `data.get(from..to)`: with the app's `opt-level = "z"` that was a call a key and
/// a value, and reading records in wasm was 3× slower than when each was a `Record`.
#[inline(always)]
fn bytes(data: &[u8], from: usize, to: usize) -> Option<&[u8]> {
    if from <= to && to <= data.len() {
        // SAFETY: `from..to` lies within `data`, checked just above.
        Some(unsafe { std::slice::from_raw_parts(data.as_ptr().add(from), to - from) })
    } else {
        None
    }
}

/// The records of a log, in batches, with what it takes to append and cut them.
///
/// Batches are shared between copies (the playground is copied before each command for `undo`):
/// a copy costs a pointer a batch, and a change copies only the batches it touches (usually
/// the last). Copies that share a batch compare equal without reading it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Batches {
    batches: Vec<Arc<RecordBatch>>,
}

impl Batches {
    pub fn len(&self) -> usize {
        self.batches.iter().map(|b| b.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.batches.is_empty()
    }

    /// The key and value bytes of the records held.
    pub fn data_bytes(&self) -> u64 {
        self.batches.iter().map(|b| b.data_bytes()).sum()
    }

    /// Appends a record whose offset is above every record held, in a new batch when `new_batch`
    /// (a segment begins with it) or when the last one is full or cannot encode it.
    pub fn push(
        &mut self,
        offset: i64,
        timestamp: i64,
        key: Option<&[u8]>,
        value: Option<&[u8]>,
        headers: Vec<Header>,
        new_batch: bool,
    ) {
        let bytes = key.map_or(0, <[u8]>::len) + value.map_or(0, <[u8]>::len);
        let last = match self.batches.last_mut() {
            Some(b) if !new_batch && !b.full() && b.fits(offset, timestamp, bytes) => b,
            previous => {
                // Room for as many records as the batch before took (all alike, as a steady
                // producer's are, the new one never grows: no copy, no spare capacity).
                let (records, reserve) = match previous {
                    Some(b) => {
                        // A batch a copy shares is left as it is (its spare room is the
                        // copy's too).
                        if let Some(b) = Arc::get_mut(b) {
                            b.shrink();
                        }
                        (b.len(), b.data.len().clamp(bytes, BATCH_BYTES.max(bytes)))
                    }
                    None => (0, bytes),
                };
                self.batches.push(Arc::new(RecordBatch::new(
                    offset, timestamp, records, reserve,
                )));
                let Some(b) = self.batches.last_mut() else {
                    return;
                };
                b
            }
        };
        Arc::make_mut(last).push(offset, timestamp, key, value, headers);
    }

    /// Records with offset ≥ `from`, at most `max` of them.
    pub fn read(&self, from: i64, max: usize) -> Records<'_> {
        let b = self.batches.partition_point(|b| b.last_offset() < from);
        let batches = &self.batches[b..];
        let skip = batches.first().map_or(0, |b| b.count_below(from));
        Records::new(batches, skip, max)
    }

    pub fn all(&self) -> Records<'_> {
        Records::new(&self.batches, 0, usize::MAX)
    }

    /// Drops the records below `offset`; returns their key and value bytes.
    pub fn remove_below(&mut self, offset: i64) -> u64 {
        let whole = self.batches.partition_point(|b| b.last_offset() < offset);
        let mut released: u64 = self.batches[..whole].iter().map(|b| b.data_bytes()).sum();
        self.batches.drain(..whole);
        if let Some(b) = self.batches.first_mut() {
            let n = b.count_below(offset);
            if n > 0 {
                let keep: Vec<bool> = (0..b.len()).map(|i| i >= n).collect();
                released += Arc::make_mut(b).retain(&keep);
            }
        }
        released
    }

    /// Drops the records at or above `offset`; returns their key and value bytes.
    pub fn remove_from(&mut self, offset: i64) -> u64 {
        let keep = self.batches.partition_point(|b| b.first_offset() < offset);
        let mut released: u64 = self.batches[keep..].iter().map(|b| b.data_bytes()).sum();
        self.batches.truncate(keep);
        if let Some(b) = self.batches.last_mut() {
            let n = b.count_below(offset);
            if n < b.len() {
                released += Arc::make_mut(b).truncate(n);
            }
        }
        released
    }

    /// Keeps the records `keep` says yes to; returns the key and value bytes dropped.
    pub fn retain(&mut self, mut keep: impl FnMut(RecordRef<'_>) -> bool) -> u64 {
        let mut released = 0;
        let mut flags = Vec::new();
        for b in &mut self.batches {
            flags.clear();
            flags.extend((0..b.len()).map(|i| keep(b.get(i))));
            if flags.iter().any(|k| !k) {
                released += Arc::make_mut(b).retain(&flags);
            }
        }
        self.batches.retain(|b| !b.is_empty());
        released
    }
}

/// A record as a reader of the log sees it, borrowed from its batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordRef<'a> {
    pub offset: i64,
    pub timestamp: i64,
    pub key: Option<&'a [u8]>,
    /// `None` is a tombstone.
    pub value: Option<&'a [u8]>,
    pub headers: &'a [Header],
}

impl RecordRef<'_> {
    /// Approximate size on the wire/disk (batch accounting, segment sizes).
    pub fn size_in_bytes(&self) -> usize {
        super::record::estimated_size(self.key, self.value, self.headers)
    }

    /// Its key and value bytes, as the memory limit counts them.
    pub fn data_size(&self) -> u64 {
        (self.key.map_or(0, <[u8]>::len) + self.value.map_or(0, <[u8]>::len)) as u64
    }

    pub fn to_record(&self) -> Record {
        Record {
            offset: self.offset,
            timestamp: self.timestamp,
            key: self.key.map(<[u8]>::to_vec),
            value: self.value.map(<[u8]>::to_vec),
            headers: self.headers.to_vec(),
        }
    }
}

impl PartialEq<Record> for RecordRef<'_> {
    fn eq(&self, r: &Record) -> bool {
        self.offset == r.offset
            && self.timestamp == r.timestamp
            && self.key == r.key.as_deref()
            && self.value == r.value.as_deref()
            && self.headers == r.headers.as_slice()
    }
}

/// A run of consecutive records of a log (what a fetch returns), in order.
#[derive(Debug, Clone, Copy, Default)]
pub struct Records<'a> {
    /// Starts with the batch holding the first record.
    batches: &'a [Arc<RecordBatch>],
    /// Records of the first batch before the run.
    skip: usize,
    len: usize,
}

impl<'a> Records<'a> {
    /// At most `max` records from record `skip` of `batches` on.
    fn new(mut batches: &'a [Arc<RecordBatch>], mut skip: usize, max: usize) -> Records<'a> {
        while let Some(b) = batches.first() {
            if skip < b.len() {
                break;
            }
            skip -= b.len();
            batches = &batches[1..];
        }
        let mut len = 0;
        let mut from = skip;
        for b in batches {
            if len >= max {
                break;
            }
            len += b.len() - from;
            from = 0;
        }
        Records {
            batches,
            skip,
            len: len.min(max),
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn iter(&self) -> Iter<'a> {
        let Some((batch, rest)) = self.batches.split_first() else {
            return Iter {
                rest: &[],
                batch: &EMPTY,
                entries: &[],
                index: 0,
                start: 0,
                remaining: 0,
            };
        };
        Iter {
            rest,
            batch,
            entries: batch.entries.get(self.skip..).unwrap_or_default(),
            index: self.skip,
            start: batch.start(self.skip),
            remaining: self.len,
        }
    }

    /// Record `i` of the run.
    pub fn get(&self, i: usize) -> Option<RecordRef<'a>> {
        if i >= self.len {
            return None;
        }
        let mut i = i + self.skip;
        for b in self.batches {
            if i < b.len() {
                return Some(b.get(i));
            }
            i -= b.len();
        }
        None
    }

    pub fn first(&self) -> Option<RecordRef<'a>> {
        self.get(0)
    }

    pub fn last(&self) -> Option<RecordRef<'a>> {
        self.len.checked_sub(1).and_then(|i| self.get(i))
    }

    /// Records `range` of the run (clamped to it).
    pub fn slice(&self, range: std::ops::Range<usize>) -> Records<'a> {
        let start = range.start.min(self.len);
        let end = range.end.clamp(start, self.len);
        Records::new(self.batches, self.skip + start, end - start)
    }

    /// The last `n` records of the run.
    pub fn tail(&self, n: usize) -> Records<'a> {
        self.slice(self.len.saturating_sub(n)..self.len)
    }

    /// The index of the first record for which `pred` is false, `pred` being true for a prefix
    /// of the run (as `slice::partition_point`).
    pub fn partition_point(&self, mut pred: impl FnMut(RecordRef<'a>) -> bool) -> usize {
        let mut before = 0;
        let mut from = self.skip;
        for b in self.batches {
            let to = b.len().min(from + (self.len - before));
            if to <= from {
                break;
            }
            if pred(b.get(to - 1)) {
                before += to - from;
                from = 0;
                continue;
            }
            let (mut lo, mut hi) = (from, to - 1);
            while lo < hi {
                let mid = lo + (hi - lo) / 2;
                if pred(b.get(mid)) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return before + lo - from;
        }
        before
    }
}

impl<'a> IntoIterator for Records<'a> {
    type Item = RecordRef<'a>;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl<'a> IntoIterator for &Records<'a> {
    type Item = RecordRef<'a>;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl PartialEq for Records<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}

impl Eq for Records<'_> {}

/// What an iterator over no records points at.
static EMPTY: RecordBatch = RecordBatch {
    base_offset: 0,
    base_timestamp: 0,
    entries: Vec::new(),
    data: Vec::new(),
    headers: Vec::new(),
};

/// The records of a [`Records`] run, in order.
#[derive(Debug, Clone)]
pub struct Iter<'a> {
    /// The batches after the current one.
    rest: &'a [Arc<RecordBatch>],
    batch: &'a RecordBatch,
    /// The current batch's entries from the next record's on.
    entries: &'a [Entry],
    /// The next record's index in its batch, and where its bytes start.
    index: usize,
    start: usize,
    remaining: usize,
}

impl<'a> Iterator for Iter<'a> {
    type Item = RecordRef<'a>;

    #[inline]
    fn next(&mut self) -> Option<RecordRef<'a>> {
        if self.remaining == 0 {
            return None;
        }
        while self.entries.is_empty() {
            let (batch, rest) = self.rest.split_first()?;
            self.batch = batch;
            self.entries = &batch.entries;
            self.rest = rest;
            self.index = 0;
            self.start = 0;
        }
        let (e, entries) = self.entries.split_first()?;
        let r = self.batch.record(e, self.index, self.start);
        self.entries = entries;
        self.index += 1;
        self.start = e.end as usize;
        self.remaining -= 1;
        Some(r)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }

    /// One loop over the entries, batch by batch (`sum`, `for_each`, `count`… use it): in wasm
    /// a call to `next` a record cost as much as reading the record.
    #[inline]
    fn fold<B, F: FnMut(B, RecordRef<'a>) -> B>(self, init: B, mut f: F) -> B {
        let mut acc = init;
        let mut remaining = self.remaining;
        let (mut batch, mut entries, mut index, mut start) =
            (self.batch, self.entries, self.index, self.start);
        let mut rest = self.rest;
        while remaining > 0 {
            for e in entries.iter().take(remaining) {
                acc = f(acc, batch.record(e, index, start));
                index += 1;
                start = e.end as usize;
            }
            remaining = remaining.saturating_sub(entries.len());
            let Some((next, after)) = rest.split_first() else {
                break;
            };
            (batch, entries, index, start, rest) = (next, &next.entries, 0, 0, after);
        }
        acc
    }
}

impl ExactSizeIterator for Iter<'_> {}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(k: &str) -> Vec<Header> {
        vec![Header {
            key: k.into(),
            value: Some(b"v".to_vec()),
        }]
    }

    /// 3000 records at offsets 0, 2, 4… with every third one carrying a header, every fifth a
    /// null key, every seventh a tombstone.
    fn filled() -> Batches {
        let mut b = Batches::default();
        for i in 0..3000i64 {
            let key = format!("k{i}");
            let value = format!("value {i}");
            b.push(
                i * 2,
                1_000 - i,
                (i % 5 != 0).then_some(key.as_bytes()),
                (i % 7 != 0).then_some(value.as_bytes()),
                if i % 3 == 0 { header(&key) } else { vec![] },
                i == 1500,
            );
        }
        b
    }

    fn check(r: RecordRef<'_>) {
        let i = r.offset / 2;
        assert_eq!(r.timestamp, 1_000 - i);
        let key = format!("k{i}");
        assert_eq!(r.key, (i % 5 != 0).then_some(key.as_bytes()));
        let value = format!("value {i}");
        assert_eq!(r.value, (i % 7 != 0).then_some(value.as_bytes()));
        assert_eq!(r.headers.len(), usize::from(i % 3 == 0), "{i}");
    }

    #[test]
    fn records_read_back_as_written_across_batches() {
        let b = filled();
        assert!(b.batches.len() >= 4, "{}", b.batches.len());
        assert_eq!(b.len(), 3000);
        let all = b.all();
        assert_eq!(all.len(), 3000);
        let offsets: Vec<i64> = all.iter().map(|r| r.offset).collect();
        assert_eq!(offsets, (0..3000).map(|i| i * 2).collect::<Vec<_>>());
        all.iter().for_each(check);
        let read = b.read(2047, 600);
        assert_eq!(read.len(), 600);
        assert_eq!(read.first().map(|r| r.offset), Some(2048));
        assert_eq!(read.last().map(|r| r.offset), Some(2048 + 599 * 2));
        assert_eq!(b.read(5998, 10).len(), 1);
        assert!(b.read(5999, 10).is_empty());
        assert_eq!(all.partition_point(|r| r.offset < 3001), 1501);
        assert_eq!(read.partition_point(|r| r.offset < 3001), 1501 - 1024);
        assert_eq!(all.tail(3).first().map(|r| r.offset), Some(5994));
        assert_eq!(all.slice(1023..1026).len(), 3);
        assert_eq!(all.get(1024).map(|r| r.offset), Some(2048));
    }

    #[test]
    fn cuts_and_compaction_keep_the_rest_intact() {
        let mut b = filled();
        let total = b.all().iter().map(|r| r.data_size()).sum::<u64>();
        let released = b.remove_below(1001) + b.remove_from(4001);
        let dropped = b.retain(|r| r.offset % 4 == 0);
        let left = b.all().iter().map(|r| r.data_size()).sum::<u64>();
        assert_eq!(left + released + dropped, total);
        let offsets: Vec<i64> = b.all().iter().map(|r| r.offset).collect();
        assert_eq!(offsets, (1004..4001).step_by(4).collect::<Vec<_>>());
        b.all().iter().for_each(check);
        b.push(6000, 0, None, None, vec![], false);
        assert_eq!(b.all().last().map(|r| r.offset), Some(6000));
        assert_eq!(b.remove_from(0) + b.remove_below(i64::MAX), left);
        assert!(b.is_empty());
    }
}
