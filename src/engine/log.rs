//! A partition's log: an append-only sequence of records addressed by offset.
//!
//! Invariant: offsets are dense and increasing from `log_start_offset` to `log_end_offset - 1`
//! (compaction, when it comes, may leave gaps but never reorders).

use serde::{Deserialize, Serialize};

use super::record::{Header, Record};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Log {
    log_start_offset: i64,
    log_end_offset: i64,
    records: Vec<Record>,
}

impl Log {
    pub fn log_start_offset(&self) -> i64 {
        self.log_start_offset
    }

    /// The offset the next appended record will get.
    pub fn log_end_offset(&self) -> i64 {
        self.log_end_offset
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    pub fn append(
        &mut self,
        timestamp: i64,
        key: Option<Vec<u8>>,
        value: Option<Vec<u8>>,
        headers: Vec<Header>,
    ) -> i64 {
        let offset = self.log_end_offset;
        self.records.push(Record {
            offset,
            timestamp,
            key,
            value,
            headers,
        });
        self.log_end_offset += 1;
        offset
    }

    /// Records with offset ≥ `from`, at most `max` of them.
    pub fn read(&self, from: i64, max: usize) -> &[Record] {
        let start = self.records.partition_point(|r| r.offset < from);
        let end = start.saturating_add(max).min(self.records.len());
        &self.records[start..end]
    }

    /// Drops every record at or above `offset` (a new leader's log end): what an unclean
    /// election or a diverged follower loses.
    pub fn truncate_to(&mut self, offset: i64) {
        if offset >= self.log_end_offset {
            return;
        }
        let keep = self.records.partition_point(|r| r.offset < offset);
        self.records.truncate(keep);
        self.log_end_offset = offset.max(self.log_start_offset);
    }

    /// Moves the log start forward to `offset` (`DeleteRecords`): records below it are gone.
    pub fn advance_start(&mut self, offset: i64) {
        if offset <= self.log_start_offset {
            return;
        }
        let drop = self.records.partition_point(|r| r.offset < offset);
        self.records.drain(..drop);
        self.log_start_offset = offset.min(self.log_end_offset);
    }

    /// The last `n` records (for the live picture).
    pub fn tail(&self, n: usize) -> &[Record] {
        &self.records[self.records.len().saturating_sub(n)..]
    }

    pub fn records(&self) -> &[Record] {
        &self.records
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_are_dense_from_zero() {
        let mut log = Log::default();
        for i in 0..5 {
            assert_eq!(log.append(0, None, Some(vec![i]), vec![]), i as i64);
        }
        assert_eq!((log.log_start_offset(), log.log_end_offset()), (0, 5));
        let read: Vec<i64> = log.read(2, 10).iter().map(|r| r.offset).collect();
        assert_eq!(read, vec![2, 3, 4]);
        assert_eq!(log.read(1, 2).len(), 2);
        assert!(log.read(5, 10).is_empty());
        assert_eq!(log.tail(2)[0].offset, 3);
        log.truncate_to(3);
        assert_eq!((log.len(), log.log_end_offset()), (3, 3));
        assert_eq!(log.append(0, None, None, vec![]), 3);
    }
}
