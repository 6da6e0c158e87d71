//! What a log keeps of the producer batches appended to it: the v2 batch header fields a
//! `kafka-dump-log.sh` prints (`producerId`, `producerEpoch`, `baseSequence`, the codec), and
//! what the broker's `ProducerStateManager` reads them for: recognising a retried batch it
//! already has (duplicate detection of the idempotent producer).
//!
//! Invariant: a log's headers are sorted by `base_offset` and do not overlap; records outside
//! every header were appended one a batch by a producer without idempotence.

use super::record::Record;

/// `RecordBatch.NO_PRODUCER_ID`, `NO_PRODUCER_EPOCH`, `NO_SEQUENCE`.
pub const NO_PRODUCER_ID: i64 = -1;
pub const NO_PRODUCER_EPOCH: i16 = -1;
pub const NO_SEQUENCE: i32 = -1;

/// How many of a producer's latest batches the broker remembers for duplicate detection
/// (`ProducerStateEntry.NUM_BATCHES_TO_RETAIN`).
pub const NUM_BATCHES_TO_RETAIN: usize = 5;

/// `CompressionType`: the codec a batch's records are compressed with (attributes bits 0–2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Compression {
    #[default]
    None,
    Gzip,
    Snappy,
    Lz4,
    Zstd,
}

impl Compression {
    /// `CompressionType.forName`: the `compression.type` names.
    pub fn parse(name: &str) -> Option<Compression> {
        Some(match name {
            "none" => Compression::None,
            "gzip" => Compression::Gzip,
            "snappy" => Compression::Snappy,
            "lz4" => Compression::Lz4,
            "zstd" => Compression::Zstd,
            _ => return None,
        })
    }

    /// Its `name`, as `compression.type` spells it and `kafka-dump-log.sh` prints it.
    pub fn name(self) -> &'static str {
        match self {
            Compression::None => "none",
            Compression::Gzip => "gzip",
            Compression::Snappy => "snappy",
            Compression::Lz4 => "lz4",
            Compression::Zstd => "zstd",
        }
    }

    /// `CompressionType.id`, the batch attributes' low three bits.
    pub fn id(self) -> i16 {
        match self {
            Compression::None => 0,
            Compression::Gzip => 1,
            Compression::Snappy => 2,
            Compression::Lz4 => 3,
            Compression::Zstd => 4,
        }
    }
}

/// A batch as the producer's `Sender` sends it: records of one partition, with the producer's
/// id, epoch and the sequence number of its first record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProducerBatch {
    pub producer_id: i64,
    pub producer_epoch: i16,
    pub base_sequence: i32,
    pub compression: Compression,
    /// Written inside a transaction (attributes bit 4): invisible to `read_committed`
    /// consumers until its transaction's COMMIT marker.
    pub is_transactional: bool,
    /// The records, offsets not yet given (the leader assigns them).
    pub records: Vec<Record>,
}

/// The header of a batch in a log (the fields the engine does not derive from its records).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BatchHeader {
    pub base_offset: i64,
    pub last_offset: i64,
    pub producer_id: i64,
    pub producer_epoch: i16,
    pub base_sequence: i32,
    #[serde(default)]
    pub compression: Compression,
    #[serde(default)]
    pub is_transactional: bool,
    /// A control batch (attributes bit 5): one transaction marker, never given to consumers.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub is_control: bool,
}

/// `ControlRecordType`: what a transaction marker says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ControlRecordType {
    Abort,
    Commit,
}

impl ControlRecordType {
    /// Its name, as `EndTransactionMarker.controlType` prints in `kafka-dump-log.sh`.
    pub fn name(self) -> &'static str {
        match self {
            ControlRecordType::Abort => "ABORT",
            ControlRecordType::Commit => "COMMIT",
        }
    }

    /// The control record's key: version 0 and the type id (`ControlRecordType.recordKey`).
    pub fn record_key(self) -> Vec<u8> {
        let id: i16 = match self {
            ControlRecordType::Abort => 0,
            ControlRecordType::Commit => 1,
        };
        let mut key = 0i16.to_be_bytes().to_vec();
        key.extend_from_slice(&id.to_be_bytes());
        key
    }

    /// Reads a control record's key back (`ControlRecordType.parse`).
    pub fn parse_key(key: &[u8]) -> Option<ControlRecordType> {
        match key.get(2..4)? {
            [0, 0] => Some(ControlRecordType::Abort),
            [0, 1] => Some(ControlRecordType::Commit),
            _ => None,
        }
    }
}

/// The marker's value: version 0 and the coordinator epoch (`EndTransactionMarker.serializeValue`).
pub fn end_txn_marker_value(coordinator_epoch: i32) -> Vec<u8> {
    let mut value = 0i16.to_be_bytes().to_vec();
    value.extend_from_slice(&coordinator_epoch.to_be_bytes());
    value
}

/// The coordinator epoch a marker's value holds.
pub fn end_txn_marker_epoch(value: &[u8]) -> Option<i32> {
    Some(i32::from_be_bytes(value.get(2..6)?.try_into().ok()?))
}

impl BatchHeader {
    /// `lastSequence`: the base sequence plus the offset span, wrapping as Kafka's does.
    pub fn last_sequence(&self) -> i32 {
        if self.base_sequence == NO_SEQUENCE {
            return NO_SEQUENCE;
        }
        let span = (self.last_offset - self.base_offset) as i32;
        self.base_sequence.wrapping_add(span) & i32::MAX
    }

    /// Whether `batch` is a retry of this one (`ProducerStateEntry.findDuplicateBatch`: same
    /// producer, epoch and sequence range).
    pub fn is_duplicate_of(&self, batch: &ProducerBatch) -> bool {
        batch.producer_id != NO_PRODUCER_ID
            && self.producer_id == batch.producer_id
            && self.producer_epoch == batch.producer_epoch
            && self.base_sequence == batch.base_sequence
            && self.last_offset - self.base_offset + 1 == batch.records.len() as i64
    }
}

/// The header, among the log's, of an earlier copy of `batch` (one of its producer's latest
/// [`NUM_BATCHES_TO_RETAIN`]), if the broker already has it.
pub fn find_duplicate<'a>(
    headers: &'a [BatchHeader],
    batch: &ProducerBatch,
) -> Option<&'a BatchHeader> {
    if batch.producer_id == NO_PRODUCER_ID {
        return None;
    }
    headers
        .iter()
        .rev()
        .filter(|h| h.producer_id == batch.producer_id)
        .take(NUM_BATCHES_TO_RETAIN)
        .find(|h| h.is_duplicate_of(batch))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(base: i64, last: i64, seq: i32) -> BatchHeader {
        BatchHeader {
            base_offset: base,
            last_offset: last,
            producer_id: 7,
            producer_epoch: 0,
            base_sequence: seq,
            compression: Compression::None,
            is_transactional: false,
            is_control: false,
        }
    }

    fn batch(seq: i32, n: usize) -> ProducerBatch {
        ProducerBatch {
            producer_id: 7,
            producer_epoch: 0,
            base_sequence: seq,
            compression: Compression::None,
            is_transactional: false,
            records: vec![Record::default(); n],
        }
    }

    #[test]
    fn sequences_and_duplicates() {
        // DefaultRecordBatch.lastSequence: baseSequence + lastOffsetDelta.
        assert_eq!(header(10, 14, 3).last_sequence(), 7);
        assert_eq!(header(0, 1, i32::MAX).last_sequence(), 0);
        let headers = [header(0, 4, 0), header(5, 6, 5)];
        assert_eq!(find_duplicate(&headers, &batch(5, 2)), Some(&headers[1]));
        assert_eq!(find_duplicate(&headers, &batch(7, 2)), None);
        let mut other_epoch = batch(0, 5);
        other_epoch.producer_epoch = 1;
        assert_eq!(find_duplicate(&headers, &other_epoch), None);
    }

    #[test]
    fn codecs_by_name() {
        for c in ["none", "gzip", "snappy", "lz4", "zstd"] {
            assert_eq!(Compression::parse(c).map(Compression::name), Some(c));
        }
        assert_eq!(Compression::parse("brotli"), None);
        assert_eq!(Compression::Zstd.id(), 4);
    }
}
