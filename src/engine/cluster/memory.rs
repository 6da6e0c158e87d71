//! The playground's memory limit: how much record data the brokers hold before produces are
//! refused.

use super::{Cluster, DataBound};
use crate::engine::error::{ErrorCode, KafkaError};
use crate::engine::record::Record;

impl Cluster {
    /// The key and value bytes of every record the partitions hold. Each log keeps its own
    /// count up to date as records come and go, so this adds one number per partition.
    pub fn record_data_bytes(&self) -> u64 {
        self.topics
            .values()
            .flat_map(|t| t.partitions.iter())
            .map(|p| p.log.data_bytes())
            .sum()
    }

    /// How much record data the playground holds before it refuses produces.
    pub fn record_data_limit(&self) -> u64 {
        self.record_data_limit
    }

    /// Sets the limit; the next refusal is explained again.
    pub fn set_record_data_limit(&mut self, bytes: u64) {
        self.record_data_limit = bytes;
        self.record_data_bound.told = false;
    }

    /// Checks that `record` fits under the memory limit before it is appended. Appends raise a
    /// cached upper bound of the data held; only when that bound would pass the limit are the
    /// partitions' counts added up again (records may have gone since: retention, compaction,
    /// deleted topics). A record that does not fit is refused as a broker whose log directory
    /// is full refuses it (`KAFKA_STORAGE_ERROR`), and the playground says why.
    pub(super) fn admit_record_data(&mut self, record: &Record) -> Result<(), KafkaError> {
        self.admit_data(crate::engine::log::data_size(record))
    }

    /// [`Cluster::admit_record_data`] for a whole batch: all of it, or none.
    pub(super) fn admit_batch_data(&mut self, records: &[Record]) -> Result<(), KafkaError> {
        self.admit_data(records.iter().map(crate::engine::log::data_size).sum())
    }

    fn admit_data(&mut self, size: u64) -> Result<(), KafkaError> {
        let limit = self.record_data_limit;
        let mut bound = match self.record_data_bound.bytes {
            Some(b) => b,
            None => self.record_data_bytes(),
        };
        if bound.saturating_add(size) > limit {
            bound = self.record_data_bytes();
        }
        if bound.saturating_add(size) > limit {
            let told = self.record_data_bound.told;
            self.record_data_bound = DataBound {
                bytes: Some(bound),
                told: true,
            };
            if !told {
                self.notices.push(format!(
                    "Produce refused: the cluster holds {} of record data (keys and values) and the playground's memory limit is {}, so the brokers answer KAFKA_STORAGE_ERROR, as brokers whose disks are full do. Free space (retention.ms or retention.bytes, kafka-delete-records.sh, deleting topics) or raise the limit, e.g. playground memory {}",
                    format_size(bound),
                    format_size(limit),
                    format_size(limit.saturating_mul(2).max(1024 * 1024)).replace(' ', "")
                ));
            }
            return Err(KafkaError::bare(ErrorCode::KafkaStorageError));
        }
        self.record_data_bound = DataBound {
            bytes: Some(bound + size),
            told: false,
        };
        Ok(())
    }
}

/// A size as the playground shows it: `512 bytes`, `64 KB`, `1.5 MB`, `2 GB` (powers of 1024).
pub fn format_size(bytes: u64) -> String {
    const UNITS: [(&str, u64); 3] = [("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)];
    for (unit, size) in UNITS {
        if bytes >= size {
            let value = bytes as f64 / size as f64;
            let text = format!("{value:.1}");
            let text = text.strip_suffix(".0").unwrap_or(&text);
            return format!("{text} {unit}");
        }
    }
    format!("{bytes} bytes")
}

#[cfg(test)]
mod memory_tests {
    use super::*;
    use crate::engine::cluster::{
        ClusterConfig, DEFAULT_RECORD_DATA_LIMIT, NewTopic, ProducerRecord, RecordMetadata,
    };
    use crate::engine::partitioner::StickyPartitioner;
    use crate::engine::topic::TopicPartition;

    fn produce(c: &mut Cluster, topic: &str, value: usize) -> Result<RecordMetadata, KafkaError> {
        let record = ProducerRecord {
            key: Some(b"k".to_vec()),
            value: Some(vec![b'v'; value]),
            ..Default::default()
        };
        c.produce(topic, record, &mut StickyPartitioner::new())
    }

    #[test]
    fn produces_are_refused_at_the_memory_limit_until_space_is_freed() {
        let mut c = Cluster::new(ClusterConfig::default());
        assert_eq!(c.record_data_limit(), 256 * 1024 * 1024);
        c.create_topic("t", NewTopic::default()).unwrap();
        c.set_record_data_limit(1_000);
        for _ in 0..9 {
            produce(&mut c, "t", 99).unwrap();
        }
        assert_eq!(c.record_data_bytes(), 900);
        // 900 + 1 + 100 would pass 1000 bytes: refused, and explained once.
        let err = produce(&mut c, "t", 100).unwrap_err();
        assert_eq!(err.code, ErrorCode::KafkaStorageError);
        assert_eq!(
            err.to_string(),
            "org.apache.kafka.common.errors.KafkaStorageException: Disk error when trying to access log file on the disk."
        );
        assert!(produce(&mut c, "t", 100).is_err());
        let notices = c.take_notices();
        assert_eq!(notices.len(), 1, "{notices:?}");
        assert!(
            notices[0].starts_with("Produce refused: the cluster holds 900 bytes of record data")
                && notices[0].ends_with("playground memory 1MB"),
            "{}",
            notices[0]
        );
        // A smaller record still fits; deleting records makes room for more.
        produce(&mut c, "t", 99).unwrap();
        c.delete_records(&TopicPartition::new("t", 0), 5).unwrap();
        assert_eq!(c.record_data_bytes(), 500);
        produce(&mut c, "t", 400).unwrap();
        // Deleting the topic frees everything; a raised limit takes effect at once.
        c.delete_topic("t").unwrap();
        assert_eq!(c.record_data_bytes(), 0);
        c.create_topic("u", NewTopic::default()).unwrap();
        c.set_record_data_limit(3_000);
        produce(&mut c, "u", 2_000).unwrap();
        assert!(c.take_notices().is_empty());
    }

    #[test]
    fn the_limit_is_saved_and_the_cache_is_not_state() {
        let mut c = Cluster::new(ClusterConfig::default());
        c.create_topic("t", NewTopic::default()).unwrap();
        c.set_record_data_limit(5_000);
        produce(&mut c, "t", 10).unwrap();
        let json = serde_json::to_string(&c).unwrap();
        let read: Cluster = serde_json::from_str(&json).unwrap();
        assert_eq!(read, c);
        assert_eq!(
            (read.record_data_limit(), read.record_data_bytes()),
            (5_000, 11)
        );
        // Snapshots from before the limit existed get the default.
        let mut value: serde_json::Value = serde_json::from_str(&json).unwrap();
        if let serde_json::Value::Object(fields) = &mut value {
            fields.remove("record_data_limit").unwrap();
        }
        let old: Cluster = serde_json::from_str(&value.to_string()).unwrap();
        assert_eq!(old.record_data_limit(), DEFAULT_RECORD_DATA_LIMIT);
    }

    #[test]
    fn sizes_read_as_the_playground_shows_them() {
        assert_eq!(format_size(900), "900 bytes");
        assert_eq!(format_size(64 * 1024), "64 KB");
        assert_eq!(format_size(1536 * 1024), "1.5 MB");
        assert_eq!(format_size(DEFAULT_RECORD_DATA_LIMIT), "256 MB");
        assert_eq!(format_size(3 << 30), "3 GB");
    }
}
