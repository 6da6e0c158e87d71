//! `RecordAccumulator`: records wait here, per partition, in batches of up to `batch.size`
//! bytes; a batch is sent once it is full, once `linger.ms` has passed since it was created,
//! or when the producer flushes or closes.
//!
//! Invariant: a partition's batches are in the order their records were sent; only its last
//! batch takes new records.

use std::collections::VecDeque;

use crate::engine::TopicPartition;
use crate::engine::producer_batch::Compression;
use crate::engine::record::{Record, size_in_batch};
use crate::vec_map::VecMap;

/// `DefaultRecordBatch.RECORD_BATCH_OVERHEAD`.
const BATCH_OVERHEAD: usize = 61;
/// `CompressionRatioEstimator`'s starting ratio times `COMPRESSION_RATE_ESTIMATION_FACTOR`:
/// how a compressed batch estimates the bytes its records will take.
const COMPRESSED_ESTIMATE: f64 = 1.0 * 1.05;

/// A batch being filled (`ProducerBatch`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenBatch {
    pub tp: TopicPartition,
    pub created_ms: i64,
    pub records: Vec<Record>,
    /// The uncompressed bytes of its records.
    records_bytes: usize,
    /// `MemoryRecordsBuilder.writeLimit`: `batch.size`, or the first record's size if larger.
    write_limit: usize,
    compression: Compression,
    /// Set once it takes no more records.
    full: bool,
}

impl OpenBatch {
    /// `MemoryRecordsBuilder.estimatedBytesWritten`.
    fn estimated_bytes(&self) -> usize {
        match self.compression {
            Compression::None => BATCH_OVERHEAD + self.records_bytes,
            _ => BATCH_OVERHEAD + (self.records_bytes as f64 * COMPRESSED_ESTIMATE) as usize,
        }
    }

    /// `MemoryRecordsBuilder.hasRoomFor`: an empty batch takes any record.
    fn has_room_for(&self, size: usize) -> bool {
        !self.full && (self.records.is_empty() || self.write_limit >= self.estimated_bytes() + size)
    }

    fn size_of(&self, r: &Record) -> usize {
        let base = self.records.first().map_or(r.timestamp, |f| f.timestamp);
        size_in_batch(
            self.records.len() as i64,
            r.timestamp.wrapping_sub(base),
            r.key.as_deref(),
            r.value.as_deref(),
            &r.headers,
        )
    }
}

#[derive(Debug, Clone, Default)]
pub struct RecordAccumulator {
    batch_size: usize,
    linger_ms: i64,
    compression: Compression,
    batches: VecMap<TopicPartition, VecDeque<OpenBatch>>,
}

impl RecordAccumulator {
    pub fn new(batch_size: usize, linger_ms: i64, compression: Compression) -> RecordAccumulator {
        RecordAccumulator {
            batch_size,
            linger_ms,
            compression,
            batches: VecMap::new(),
        }
    }

    /// Adds a record to its partition's last batch, or to a new one when that has no room;
    /// true when a batch is full (ready to send).
    pub fn append(&mut self, tp: &TopicPartition, record: Record, now: i64) -> bool {
        if !self.batches.contains_key(tp) {
            self.batches.insert(tp.clone(), VecDeque::new());
        }
        let Some(queue) = self.batches.get_mut(tp) else {
            return false;
        };
        if let Some(last) = queue.back_mut() {
            let size = last.size_of(&record);
            if last.has_room_for(size) {
                last.records_bytes += size;
                last.records.push(record);
                return false;
            }
            last.full = true;
        }
        // Room for as many records as fill `batch.size` at this one's size: a steady
        // producer's batches then never grow by doubling.
        let size = record.size_in_bytes().max(1);
        let expected = (self.batch_size / size).clamp(1, 4096);
        let mut batch = OpenBatch {
            tp: tp.clone(),
            created_ms: now,
            records: Vec::with_capacity(expected),
            records_bytes: 0,
            write_limit: 0,
            compression: self.compression,
            full: false,
        };
        let size = batch.size_of(&record);
        batch.write_limit = self.batch_size.max(BATCH_OVERHEAD + size);
        batch.records_bytes = size;
        batch.records.push(record);
        queue.push_back(batch);
        queue.len() > 1
    }

    /// The batches ready to send, taken out in partition order: full ones, those that have
    /// lingered `linger.ms`, and all of them when `flush`.
    pub fn drain(&mut self, now: i64, flush: bool) -> Vec<OpenBatch> {
        let linger = self.linger_ms;
        let mut ready = Vec::new();
        for queue in self.batches.values_mut() {
            while let Some(b) = queue.front() {
                let lingered = now.saturating_sub(b.created_ms) >= linger;
                if !(flush || b.full || lingered || queue.len() > 1) {
                    break;
                }
                if let Some(b) = queue.pop_front() {
                    ready.push(b);
                }
            }
        }
        ready
    }

    /// When the oldest open batch's `linger.ms` runs out, if any batch waits.
    pub fn next_ready_ms(&self) -> Option<i64> {
        self.batches
            .values()
            .filter_map(|q| q.front())
            .map(|b| b.created_ms.saturating_add(self.linger_ms))
            .min()
    }

    pub fn is_empty(&self) -> bool {
        self.batches.values().all(VecDeque::is_empty)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(value: &str, ts: i64) -> Record {
        Record {
            offset: -1,
            timestamp: ts,
            value: Some(value.as_bytes().to_vec()),
            ..Default::default()
        }
    }

    #[test]
    fn batches_fill_to_batch_size_then_linger() {
        let tp = TopicPartition::new("t", 0);
        // DefaultRecord.sizeInBytes of a 100-byte value without key: a body of attributes 1,
        // timestamp delta 1, offset delta 1 (2 from delta 64 on), key -1 1, value 2 + 100,
        // headers 1, so 107 (108) bytes and a 2-byte length: 109 bytes each for the first 64,
        // then 110. 61 + 64 × 109 = 7037 bytes, and (16384 - 7037) / 110 = 84 more: 148.
        let mut acc = RecordAccumulator::new(16_384, 1_000, Compression::None);
        let value = "x".repeat(100);
        for _ in 0..200 {
            let _ = acc.append(&tp, record(&value, 0), 0);
        }
        let first = acc.drain(0, false);
        assert_eq!(
            first.iter().map(|b| b.records.len()).collect::<Vec<_>>(),
            [148]
        );
        assert!(acc.drain(999, false).is_empty());
        assert_eq!(acc.next_ready_ms(), Some(1_000));
        let rest = acc.drain(1_000, false);
        assert_eq!(
            rest.iter().map(|b| b.records.len()).collect::<Vec<_>>(),
            [52]
        );
        assert!(acc.is_empty());
        // A record larger than batch.size has a batch of its own.
        let mut small = RecordAccumulator::new(10, 0, Compression::Gzip);
        assert!(!small.append(&tp, record("ab", 0), 0));
        assert!(
            small.append(&tp, record("cd", 0), 0),
            "the first batch is full"
        );
        assert_eq!(small.drain(0, true).len(), 2);
    }
}
