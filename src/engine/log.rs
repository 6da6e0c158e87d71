//! A partition's log: records addressed by offset, kept in segments (the last one is the
//! active segment), trimmed from the front by retention and thinned by compaction.
//!
//! Invariant: offsets are increasing and lie in `log_start_offset..log_end_offset`; they are
//! dense unless compaction removed records (gaps, never reordering); segments' base offsets are
//! increasing and the first one is at most `log_start_offset`.

use super::producer_batch::{BatchHeader, ControlRecordType, ProducerBatch, end_txn_marker_value};
use super::record::{Header, Record};
use super::record_batch::{Batches, RecordRef, Records};

/// A segment: the records from `base_offset` up to the next segment's base.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Segment {
    pub base_offset: i64,
    /// Timestamp of the segment's first record (when `segment.ms` starts counting).
    pub first_timestamp: i64,
    /// The largest record timestamp in it (what time-based retention looks at).
    pub max_timestamp: i64,
    pub size_bytes: u64,
    /// When the cleaner first cleaned it (tombstones live `delete.retention.ms` from then).
    #[serde(default)]
    pub cleaned_at_ms: Option<i64>,
}

/// When to roll a new segment (`segment.bytes`, `segment.ms`).
#[derive(Debug, Clone, Copy)]
pub struct RollPolicy {
    pub segment_bytes: u64,
    pub segment_ms: i64,
}

#[derive(Debug, Clone, Default)]
pub struct Log {
    log_start_offset: i64,
    log_end_offset: i64,
    /// The records, in batches (see [`super::record_batch`]); saved as a list of records.
    records: Batches,
    segments: Vec<Segment>,
    /// The cleaner's checkpoint: everything below has been compacted.
    cleaner_checkpoint: i64,
    /// The headers of the producer batches appended whole (see [`super::producer_batch`]).
    batch_headers: Vec<BatchHeader>,
    /// The key and value bytes of the records held, kept up to date by every change (append,
    /// retention, compaction, truncation, delete-records) so the playground's memory limit is
    /// checked without reading the records. Not saved: counted once when a snapshot is read.
    data_bytes: u64,
}

/// Equal when they hold the same records, however they are batched.
impl PartialEq for Log {
    fn eq(&self, other: &Log) -> bool {
        self.log_start_offset == other.log_start_offset
            && self.log_end_offset == other.log_end_offset
            && self.segments == other.segments
            && self.cleaner_checkpoint == other.cleaner_checkpoint
            && self.data_bytes == other.data_bytes
            && self.batch_headers == other.batch_headers
            // The same batches (a copy kept for `undo`) need no reading.
            && (self.records == other.records || self.records() == other.records())
    }
}

impl Eq for Log {}

/// A saved log, before its record data is counted (read by `log_json`).
pub(super) struct LogFields {
    pub log_start_offset: i64,
    pub log_end_offset: i64,
    pub records: Batches,
    pub segments: Vec<Segment>,
    pub cleaner_checkpoint: i64,
    pub batch_headers: Vec<BatchHeader>,
}

impl From<LogFields> for Log {
    fn from(f: LogFields) -> Log {
        // Batches read back may straddle segments (the segments come after the records in a
        // snapshot): retention then cuts a batch instead of dropping it whole.
        let data_bytes = f.records.data_bytes();
        Log {
            log_start_offset: f.log_start_offset,
            log_end_offset: f.log_end_offset,
            records: f.records,
            segments: f.segments,
            cleaner_checkpoint: f.cleaner_checkpoint,
            batch_headers: f.batch_headers,
            data_bytes,
        }
    }
}

/// A record's data as the memory limit counts it: its key and value bytes.
pub fn data_size(r: &Record) -> u64 {
    (r.key.as_ref().map_or(0, Vec::len) + r.value.as_ref().map_or(0, Vec::len)) as u64
}

impl Log {
    pub fn log_start_offset(&self) -> i64 {
        self.log_start_offset
    }

    /// The offset the next appended record will get.
    pub fn log_end_offset(&self) -> i64 {
        self.log_end_offset
    }

    /// The cleaner's checkpoint: everything below has been compacted.
    pub fn cleaner_checkpoint(&self) -> i64 {
        self.cleaner_checkpoint
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// The key and value bytes of the records the log holds (see [`data_size`]).
    pub fn data_bytes(&self) -> u64 {
        self.data_bytes
    }

    /// Forgets `bytes` of record data (dropped from the log).
    fn release(&mut self, bytes: u64) {
        self.data_bytes = self.data_bytes.saturating_sub(bytes);
    }

    pub fn append(
        &mut self,
        timestamp: i64,
        key: Option<&[u8]>,
        value: Option<&[u8]>,
        headers: Vec<Header>,
    ) -> i64 {
        self.append_rolling(timestamp, key, value, headers, None)
    }

    /// Appends a record, first rolling a new active segment if the current one is full
    /// (`segment.bytes`) or old enough (`segment.ms` since its first record).
    pub fn append_rolling(
        &mut self,
        timestamp: i64,
        key: Option<&[u8]>,
        value: Option<&[u8]>,
        headers: Vec<Header>,
        roll: Option<RollPolicy>,
    ) -> i64 {
        let offset = self.log_end_offset;
        let size = super::record::estimated_size(key, value, &headers) as u64;
        self.data_bytes += (key.map_or(0, <[u8]>::len) + value.map_or(0, <[u8]>::len)) as u64;
        let needs_new = match (self.segments.last(), roll) {
            (None, _) => true,
            (Some(active), Some(r)) => {
                let has_records = self.log_end_offset > active.base_offset;
                has_records
                    && (active.size_bytes + size > r.segment_bytes
                        || timestamp - active.first_timestamp >= r.segment_ms)
            }
            (Some(_), None) => false,
        };
        if needs_new {
            self.segments.push(Segment {
                base_offset: offset,
                first_timestamp: timestamp,
                max_timestamp: timestamp,
                size_bytes: 0,
                cleaned_at_ms: None,
            });
        }
        if let Some(active) = self.segments.last_mut() {
            if active.size_bytes == 0 && offset == active.base_offset {
                active.first_timestamp = timestamp;
            }
            active.size_bytes += size;
            active.max_timestamp = active.max_timestamp.max(timestamp);
        }
        self.records
            .push(offset, timestamp, key, value, headers, needs_new);
        self.log_end_offset += 1;
        offset
    }

    /// Appends a producer batch whole: one segment holds all of it (a new one is rolled first
    /// if the batch does not fit or the active one is old enough), and its header is kept.
    /// Returns the header.
    pub fn append_batch(&mut self, batch: &ProducerBatch, roll: RollPolicy) -> BatchHeader {
        let base_offset = self.log_end_offset;
        let size: u64 = batch.records.iter().map(|r| r.size_in_bytes() as u64).sum();
        let first_ts = batch.records.first().map_or(0, |r| r.timestamp);
        let roll_now = self.segments.last().is_some_and(|active| {
            self.log_end_offset > active.base_offset
                && (active.size_bytes + size > roll.segment_bytes
                    || first_ts - active.first_timestamp >= roll.segment_ms)
        });
        let mut first = true;
        for r in &batch.records {
            let policy = (first && roll_now).then_some(RollPolicy {
                segment_bytes: 0,
                segment_ms: roll.segment_ms,
            });
            first = false;
            self.append_rolling(
                r.timestamp,
                r.key.as_deref(),
                r.value.as_deref(),
                r.headers.clone(),
                policy,
            );
        }
        let header = BatchHeader {
            base_offset,
            last_offset: self.log_end_offset - 1,
            producer_id: batch.producer_id,
            producer_epoch: batch.producer_epoch,
            base_sequence: batch.base_sequence,
            compression: batch.compression,
            is_transactional: batch.is_transactional,
            is_control: false,
        };
        if header.last_offset >= header.base_offset {
            self.batch_headers.push(header);
        }
        header
    }

    /// Appends a transaction marker: a control batch of one record (`ControlRecordType`'s key,
    /// `EndTransactionMarker`'s value) for the producer's transaction. Returns its offset.
    pub fn append_control(
        &mut self,
        producer_id: i64,
        producer_epoch: i16,
        kind: ControlRecordType,
        coordinator_epoch: i32,
        timestamp: i64,
    ) -> i64 {
        let key = kind.record_key();
        let value = end_txn_marker_value(coordinator_epoch);
        let offset = self.append(timestamp, Some(&key), Some(&value), Vec::new());
        self.batch_headers.push(BatchHeader {
            base_offset: offset,
            last_offset: offset,
            producer_id,
            producer_epoch,
            base_sequence: super::producer_batch::NO_SEQUENCE,
            compression: super::producer_batch::Compression::None,
            is_transactional: true,
            is_control: true,
        });
        offset
    }

    /// The header of the batch holding `offset`, if a producer batch or a marker holds it.
    pub fn batch_header_at(&self, offset: i64) -> Option<&BatchHeader> {
        let i = self
            .batch_headers
            .partition_point(|h| h.last_offset < offset);
        self.batch_headers
            .get(i)
            .filter(|h| h.base_offset <= offset)
    }

    /// The headers of the producer batches it holds, by offset.
    pub fn batch_headers(&self) -> &[BatchHeader] {
        &self.batch_headers
    }

    /// Forgets the headers of batches wholly outside `log_start_offset..log_end_offset`, and
    /// cuts one the log end falls inside.
    fn trim_batch_headers(&mut self) {
        let (start, end) = (self.log_start_offset, self.log_end_offset);
        self.batch_headers
            .retain(|h| h.last_offset >= start && h.base_offset < end);
        if let Some(last) = self.batch_headers.last_mut() {
            last.last_offset = last.last_offset.min(end - 1);
        }
    }

    /// The segments, oldest first; the last is the active one.
    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// Where segment `i` ends (the next one's base, or the log end for the active one).
    pub fn segment_end(&self, i: usize) -> i64 {
        self.segments
            .get(i + 1)
            .map_or(self.log_end_offset, |s| s.base_offset)
    }

    fn total_size(&self) -> u64 {
        self.segments.iter().map(|s| s.size_bytes).sum()
    }

    /// Recomputes segment sizes and timestamps from the records (after compaction or truncation).
    fn recompute_segments(&mut self) {
        let ends: Vec<i64> = (0..self.segments.len())
            .map(|i| self.segment_end(i))
            .collect();
        for (seg, end) in self.segments.iter_mut().zip(ends) {
            let records = self.records.read(seg.base_offset, usize::MAX);
            let in_segment = || records.iter().take_while(|r| r.offset < end);
            seg.size_bytes = in_segment().map(|r| r.size_in_bytes() as u64).sum();
            if let Some(max) = in_segment().map(|r| r.timestamp).max() {
                seg.max_timestamp = max;
            }
        }
    }

    /// Time and size retention (`cleanup.policy=delete`): deletes whole segments from the
    /// oldest while they are past `retention_ms` or the log stays over `retention_bytes`
    /// without them, never beyond `high_watermark`. The active segment goes too when it
    /// qualifies; the log then continues with an empty segment at the same end offset.
    /// Returns how many segments were deleted.
    pub fn apply_retention(
        &mut self,
        now: i64,
        retention_ms: i64,
        retention_bytes: i64,
        high_watermark: i64,
    ) -> usize {
        let mut deleted = 0;
        while let Some(first) = self.segments.first() {
            let end = self.segment_end(0);
            if end > high_watermark || end == first.base_offset {
                break;
            }
            let too_old = retention_ms >= 0 && now - first.max_timestamp > retention_ms;
            let too_big = retention_bytes >= 0
                && self.total_size().saturating_sub(first.size_bytes) >= retention_bytes as u64;
            if !(too_old || too_big) {
                break;
            }
            let released = self.records.remove_below(end);
            self.release(released);
            self.segments.remove(0);
            self.log_start_offset = end;
            deleted += 1;
        }
        self.trim_batch_headers();
        if self.segments.is_empty() {
            self.segments.push(Segment {
                base_offset: self.log_end_offset,
                first_timestamp: now,
                max_timestamp: now,
                size_bytes: 0,
                cleaned_at_ms: None,
            });
        }
        self.cleaner_checkpoint = self.cleaner_checkpoint.max(self.log_start_offset);
        deleted
    }

    /// Log compaction (`LogCleaner`): in the cleanable part (inactive segments older than
    /// `min_compaction_lag_ms`, below the high watermark) keep only the latest record of each
    /// key; drop tombstones whose segment was cleaned more than `delete_retention_ms` ago.
    /// Runs only when the dirty share reaches `min_cleanable_ratio` (or a dirty record is
    /// older than `max_compaction_lag_ms`), or when every tombstone left in the cleaned part is
    /// past its delete horizon. Returns the number of records removed.
    pub fn compact(
        &mut self,
        now: i64,
        min_cleanable_ratio: f64,
        min_compaction_lag_ms: i64,
        max_compaction_lag_ms: i64,
        delete_retention_ms: i64,
        high_watermark: i64,
    ) -> Option<usize> {
        // The cleanable range ends at the active segment, or earlier at the first segment that
        // is too young or not yet fully committed.
        let mut cleanable_end = self.log_start_offset;
        for i in 0..self.segments.len().saturating_sub(1) {
            let seg = &self.segments[i];
            let end = self.segment_end(i);
            if end > high_watermark || now - seg.max_timestamp < min_compaction_lag_ms {
                break;
            }
            cleanable_end = end;
        }
        if cleanable_end <= self.log_start_offset {
            return None;
        }
        let in_range = |r: &RecordRef<'_>| r.offset < cleanable_end;
        let total: u64 = self
            .records()
            .iter()
            .filter(in_range)
            .map(|r| r.size_in_bytes() as u64)
            .sum();
        let dirty: Vec<RecordRef<'_>> = self
            .records()
            .iter()
            .filter(in_range)
            .filter(|r| r.offset >= self.cleaner_checkpoint)
            .collect();
        let dirty_bytes: u64 = dirty.iter().map(|r| r.size_in_bytes() as u64).sum();
        let overdue = dirty
            .iter()
            .any(|r| now - r.timestamp > max_compaction_lag_ms);
        let ratio_due = !dirty.is_empty()
            && (total == 0
                || (dirty_bytes as f64 / total as f64) >= min_cleanable_ratio
                || overdue);
        // With nothing dirty enough, a log whose tombstones are all past their delete horizon
        // (`delete.retention.ms` after their segment was first cleaned) is cleaned anyway to
        // drop them, as Kafka's `LogCleanerManager` picks logs whose latest delete horizon has
        // passed when no log is dirty enough.
        let latest_delete_horizon = self
            .records()
            .iter()
            .filter(in_range)
            .filter(|r| r.key.is_some() && r.value.is_none())
            .filter_map(|r| self.first_cleaned_at(r.offset))
            .max()
            .map(|cleaned| cleaned.saturating_add(delete_retention_ms));
        let tombstones_expired = latest_delete_horizon.is_some_and(|h| now > h);
        if !ratio_due && !tombstones_expired {
            return None;
        }
        let mut latest: std::collections::HashMap<&[u8], i64> = std::collections::HashMap::new();
        for r in self.records().iter().filter(in_range) {
            if let Some(k) = r.key {
                latest.insert(k, r.offset);
            }
        }
        let latest: std::collections::HashMap<Vec<u8>, i64> =
            latest.into_iter().map(|(k, v)| (k.to_vec(), v)).collect();
        // When each record's segment was first cleaned (now, for segments cleaned this pass).
        let cleaned_at: Vec<(i64, i64)> = self
            .segments
            .iter()
            .enumerate()
            .map(|(i, s)| (self.segment_end(i), s.cleaned_at_ms.unwrap_or(now)))
            .collect();
        let before = self.records.len();
        let keeps = |r: RecordRef<'_>| {
            if r.offset >= cleanable_end {
                return true;
            }
            let Some(k) = r.key else { return true };
            if latest.get(k).is_some_and(|&o| o > r.offset) {
                return false;
            }
            if r.value.is_none() {
                let first_cleaned = cleaned_at
                    .iter()
                    .find(|(end, _)| r.offset < *end)
                    .map_or(now, |(_, t)| *t);
                return now - first_cleaned <= delete_retention_ms;
            }
            true
        };
        let removed_bytes = self.records.retain(keeps);
        self.release(removed_bytes);
        let removed = before - self.records.len();
        let ends: Vec<i64> = (0..self.segments.len())
            .map(|i| self.segment_end(i))
            .collect();
        for (seg, end) in self.segments.iter_mut().zip(ends) {
            if end <= cleanable_end && seg.cleaned_at_ms.is_none() {
                seg.cleaned_at_ms = Some(now);
            }
        }
        self.cleaner_checkpoint = cleanable_end;
        self.recompute_segments();
        Some(removed)
    }

    /// When the cleaner first cleaned the segment holding `offset`, if it has.
    /// When the cleaner may next drop tombstones on their own: the latest delete horizon of
    /// the tombstones in cleaned segments (`compact` drops them once the clock is past it).
    pub fn latest_delete_horizon(&self, delete_retention_ms: i64) -> Option<i64> {
        self.records()
            .iter()
            .filter(|r| r.key.is_some() && r.value.is_none())
            .filter_map(|r| self.first_cleaned_at(r.offset))
            .max()
            .map(|cleaned| cleaned.saturating_add(delete_retention_ms))
    }

    fn first_cleaned_at(&self, offset: i64) -> Option<i64> {
        let i = self
            .segments
            .partition_point(|s| s.base_offset <= offset)
            .checked_sub(1)?;
        self.segments.get(i)?.cleaned_at_ms
    }

    /// Records with offset ≥ `from`, at most `max` of them.
    pub fn read(&self, from: i64, max: usize) -> Records<'_> {
        self.records.read(from, max)
    }

    /// Drops every record at or above `offset` (a new leader's log end): what an unclean
    /// election or a diverged follower loses.
    pub fn truncate_to(&mut self, offset: i64) {
        if offset >= self.log_end_offset {
            return;
        }
        let released = self.records.remove_from(offset);
        self.release(released);
        self.log_end_offset = offset.max(self.log_start_offset);
        self.segments
            .retain(|s| s.base_offset < self.log_end_offset || s.base_offset == 0);
        self.cleaner_checkpoint = self.cleaner_checkpoint.min(self.log_end_offset);
        self.trim_batch_headers();
        self.recompute_segments();
    }

    /// Moves the log start forward to `offset` (`DeleteRecords`): records below it are gone.
    pub fn advance_start(&mut self, offset: i64) {
        if offset <= self.log_start_offset {
            return;
        }
        let released = self.records.remove_below(offset);
        self.release(released);
        self.log_start_offset = offset.min(self.log_end_offset);
        // Segments wholly below the new start are deleted.
        while self.segments.len() > 1 && self.segment_end(0) <= self.log_start_offset {
            self.segments.remove(0);
        }
        self.trim_batch_headers();
        self.recompute_segments();
    }

    /// The last `n` records (for the live picture).
    pub fn tail(&self, n: usize) -> Records<'_> {
        self.records().tail(n)
    }

    pub fn records(&self) -> Records<'_> {
        self.records.all()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_are_dense_from_zero() {
        let mut log = Log::default();
        for i in 0..5 {
            assert_eq!(log.append(0, None, Some(&[i]), vec![]), i as i64);
        }
        assert_eq!((log.log_start_offset(), log.log_end_offset()), (0, 5));
        let read: Vec<i64> = log.read(2, 10).iter().map(|r| r.offset).collect();
        assert_eq!(read, vec![2, 3, 4]);
        assert_eq!(log.read(1, 2).len(), 2);
        assert!(log.read(5, 10).is_empty());
        assert_eq!(log.tail(2).first().map(|r| r.offset), Some(3));
        log.truncate_to(3);
        assert_eq!((log.len(), log.log_end_offset()), (3, 3));
        assert_eq!(log.append(0, None, None, vec![]), 3);
    }

    fn keyed(log: &mut Log, ts: i64, key: &str, value: Option<&str>, roll: RollPolicy) -> i64 {
        log.append_rolling(
            ts,
            Some(key.as_bytes()),
            value.map(str::as_bytes),
            vec![],
            Some(roll),
        )
    }

    const ROLL_EVERY_10MS: RollPolicy = RollPolicy {
        segment_bytes: 1 << 30,
        segment_ms: 10,
    };

    #[test]
    fn segments_roll_by_time_and_retention_deletes_old_ones() {
        let mut log = Log::default();
        for (i, ts) in [0, 5, 10, 15, 20].iter().enumerate() {
            keyed(&mut log, *ts, &format!("k{i}"), Some("v"), ROLL_EVERY_10MS);
        }
        let bases: Vec<i64> = log.segments().iter().map(|s| s.base_offset).collect();
        assert_eq!(bases, vec![0, 2, 4]);
        // At t=30 with retention 12 ms, the segments whose newest record is older go.
        assert_eq!(log.apply_retention(30, 12, -1, 5), 2);
        assert_eq!((log.log_start_offset(), log.log_end_offset()), (4, 5));
        // Not past the high watermark.
        assert_eq!(log.apply_retention(1_000, 12, -1, 4), 0);
        // The active segment goes too once old enough; the log end stays.
        assert_eq!(log.apply_retention(1_000, 12, -1, 5), 1);
        assert_eq!(
            (log.log_start_offset(), log.log_end_offset(), log.len()),
            (5, 5, 0)
        );
        assert_eq!(log.segments().len(), 1);
    }

    #[test]
    fn compaction_keeps_the_latest_value_per_key_and_leaves_gaps() {
        let mut log = Log::default();
        let writes = [
            ("a", Some("1")),
            ("b", Some("2")),
            ("a", Some("3")),
            ("c", None),
            ("b", Some("4")),
        ];
        for (i, (k, v)) in writes.iter().enumerate() {
            keyed(&mut log, i as i64 * 10, k, *v, ROLL_EVERY_10MS);
        }
        // Each record is its own segment; the last (b=4) is active and never cleaned.
        let removed = log.compact(100, 0.5, 0, i64::MAX, 1_000, 5).unwrap();
        assert_eq!(
            removed, 1,
            "a=1 is superseded by a=3; b=2 stays until b=4 leaves the active segment"
        );
        let left: Vec<i64> = log.records().iter().map(|r| r.offset).collect();
        assert_eq!(left, vec![1, 2, 3, 4]);
        // Tombstones stay for delete.retention.ms after their segment was first cleaned.
        keyed(&mut log, 200, "d", Some("5"), ROLL_EVERY_10MS);
        log.compact(300, 0.0, 0, i64::MAX, 1_000, 6);
        assert!(
            log.records().iter().any(|r| r.offset == 3),
            "tombstone kept"
        );
        let left: Vec<i64> = log.records().iter().map(|r| r.offset).collect();
        assert_eq!(
            left,
            vec![2, 3, 4, 5],
            "b=2 is superseded once b=4 is cleanable"
        );
        // A later cleaning (it needs new dirty data) drops the tombstone once it is 1 s old.
        keyed(&mut log, 1_100, "e", Some("6"), ROLL_EVERY_10MS);
        log.compact(1_200, 0.0, 0, i64::MAX, 1_000, 7);
        let left: Vec<i64> = log.records().iter().map(|r| r.offset).collect();
        assert_eq!(left, vec![2, 4, 5, 6], "c's tombstone is gone");
    }

    #[test]
    fn expired_tombstones_are_dropped_without_new_dirty_data() {
        let mut log = Log::default();
        keyed(&mut log, 0, "a", Some("1"), ROLL_EVERY_10MS);
        keyed(&mut log, 10, "a", None, ROLL_EVERY_10MS);
        keyed(&mut log, 20, "b", Some("2"), ROLL_EVERY_10MS);
        // The first pass removes a=1 and starts the tombstone's delete horizon.
        assert_eq!(log.compact(100, 0.5, 0, i64::MAX, 1_000, 3), Some(1));
        // Nothing is dirty now, and the horizon has not passed: no pass.
        assert_eq!(log.compact(1_100, 0.5, 0, i64::MAX, 1_000, 3), None);
        // Once it has, the cleaner runs anyway to drop the tombstone.
        assert_eq!(log.compact(1_101, 0.5, 0, i64::MAX, 1_000, 3), Some(1));
        let left: Vec<i64> = log.records().iter().map(|r| r.offset).collect();
        assert_eq!(left, vec![2]);
    }

    /// The record data the memory limit counts, recounted from the records.
    fn counted(log: &Log) -> u64 {
        log.records().iter().map(|r| r.data_size()).sum()
    }

    #[test]
    fn record_data_is_tracked_through_every_change() {
        let mut log = Log::default();
        for (i, (k, v)) in [
            ("a", Some("11")),
            ("b", Some("222")),
            ("a", Some("3")),
            ("c", None),
            ("b", Some("4444")),
            ("d", Some("55555")),
        ]
        .iter()
        .enumerate()
        {
            keyed(&mut log, i as i64 * 10, k, *v, ROLL_EVERY_10MS);
        }
        assert_eq!(log.data_bytes(), 6 + 2 + 3 + 1 + 4 + 5);
        assert_eq!(log.data_bytes(), counted(&log));
        log.compact(100, 0.0, 0, i64::MAX, 1_000, 6).unwrap();
        assert_eq!(log.data_bytes(), counted(&log));
        log.advance_start(2);
        assert_eq!(log.data_bytes(), counted(&log));
        log.truncate_to(5);
        assert_eq!(log.data_bytes(), counted(&log));
        log.apply_retention(1_000, 10, -1, 5);
        assert_eq!((log.data_bytes(), counted(&log)), (0, 0));
        keyed(&mut log, 2_000, "e", Some("xyz"), ROLL_EVERY_10MS);
        // A saved log counts its data again when it is read back.
        let json = serde_json::to_string(&log).unwrap();
        assert!(!json.contains("data_bytes"));
        let read: Log = serde_json::from_str(&json).unwrap();
        assert_eq!((read.data_bytes(), &read), (4, &log));
    }

    #[test]
    fn snapshots_list_the_records_as_before_batches() {
        let mut log = Log::default();
        let header = Header {
            key: "h".into(),
            value: Some(b"v".to_vec()),
        };
        log.append(5, Some(b"k"), Some("été".as_bytes()), vec![header]);
        log.append(6, None, Some(&[0xff, 0]), vec![]);
        log.append(7, Some(b"k"), None, vec![]);
        // What the log wrote when it held a list of `Record`s.
        let records = r#"[{"offset":0,"timestamp":5,"key":"k","value":"été","headers":[{"key":"h","value":[118]}]},{"offset":1,"timestamp":6,"key":null,"value":[255,0]},{"offset":2,"timestamp":7,"key":"k","value":null}]"#;
        assert_eq!(
            serde_json::to_string(&log).unwrap(),
            format!(
                r#"{{"log_start_offset":0,"log_end_offset":3,"records":{records},"segments":[{{"base_offset":0,"first_timestamp":5,"max_timestamp":7,"size_bytes":53,"cleaned_at_ms":null}}],"cleaner_checkpoint":0}}"#
            )
        );
        // Read back: borrowed text, escaped text (copied), arrays and headers alike.
        let back: Log = serde_json::from_str(&serde_json::to_string(&log).unwrap()).unwrap();
        assert_eq!((back.data_bytes(), &back), (log.data_bytes(), &log));
        let escaped = r#"{"log_start_offset":0,"log_end_offset":1,"records":[{"offset":0,"timestamp":1,"key":"a\"b","value":[104,105]}]}"#;
        let back: Log = serde_json::from_str(escaped).unwrap();
        let r = back.records().first().map(|r| r.to_record());
        assert_eq!(
            r.as_ref().and_then(|r| r.key.as_deref()),
            Some(&b"a\"b"[..])
        );
        assert_eq!(r.and_then(|r| r.value), Some(b"hi".to_vec()));
    }
}
