//! A distributed worker's state in Kafka (`connect-distributed.sh`): connector configs and
//! target states in the config topic, source offsets in the offsets topic, connector and
//! task states in the status topic, all compacted. A restarted worker reads them back, so
//! its connectors come back with it.
//!
//! Invariant: each record is keyed as Connect keys it, its value the internal
//! `JsonConverter`'s (schemas off); a deleted connector leaves a tombstone.

// Kafka: connect/runtime/src/main/java/org/apache/kafka/connect/storage/KafkaConfigBackingStore.java
// ("connector-", "target-state-" with state and state.v2, {"properties":{…}}),
// KafkaOffsetBackingStore.java, KafkaStatusBackingStore.java ("status-connector-",
// "status-task-"), runtime/distributed/DistributedConfig.java (25 offsets partitions, 5 status
// partitions), util/TopicAdmin.java ("Created topic {} on brokers at {}").

use super::Live;
use crate::clients::LogLine;
use crate::clients::config::Properties;
use crate::clients::producer::KafkaProducer;
use crate::clients::producer::config::ProducerConfig;
use crate::engine::{Cluster, NewTopic, ProducerRecord, TopicPartition};

#[derive(Debug, Clone, PartialEq)]
pub struct DistributedTopics {
    pub group_id: String,
    pub configs: String,
    pub offsets: String,
    pub status: String,
    pub offsets_partitions: i32,
    pub status_partitions: i32,
    pub replication_factor: i16,
    producer: Live<KafkaProducer>,
}

impl DistributedTopics {
    pub fn new(
        group_id: String,
        configs: String,
        offsets: String,
        status: String,
        offsets_partitions: i32,
        status_partitions: i32,
        replication_factor: i16,
    ) -> Self {
        DistributedTopics {
            group_id,
            configs,
            offsets,
            status,
            offsets_partitions,
            status_partitions,
            replication_factor,
            producer: Live::default(),
        }
    }

    /// The three topics, created if missing (offsets, status, configs: the order the worker
    /// starts their stores in). Returns `TopicAdmin`'s lines, or the creation error.
    pub fn create_topics(&self, cluster: &mut Cluster) -> Result<Vec<LogLine>, String> {
        let mut logs = Vec::new();
        for (name, partitions) in [
            (&self.offsets, self.offsets_partitions),
            (&self.status, self.status_partitions),
            (&self.configs, 1),
        ] {
            if cluster.topic(name).is_some() {
                continue;
            }
            let new = NewTopic {
                partitions: Some(partitions),
                replication_factor: Some(self.replication_factor),
                configs: vec![("cleanup.policy".into(), "compact".into())],
            };
            cluster.create_topic(name, new).map_err(|e| e.to_string())?;
            logs.push(LogLine {
                time_ms: cluster.now_ms(),
                level: "INFO",
                message: format!(
                    "Created topic (name={name}, numPartitions={partitions}, replicationFactor={}, replicasAssignments=null, configs={{cleanup.policy=compact}}) on brokers at localhost:9092",
                    self.replication_factor
                ),
                logger: "org.apache.kafka.connect.util.TopicAdmin:416",
            });
        }
        Ok(logs)
    }

    /// Writes one keyed record (a `None` value is a tombstone).
    pub fn write(&mut self, cluster: &mut Cluster, topic: &str, key: &str, value: Option<String>) {
        if self.producer.0.is_none() {
            let mut props = Properties::default();
            props.put("acks", "all");
            props.put("linger.ms", "0");
            let Ok(config) = ProducerConfig::new(&props) else {
                return;
            };
            self.producer.0 = Some(KafkaProducer::new(config));
        }
        if let Some(p) = self.producer.0.as_mut() {
            let record = ProducerRecord {
                partition: None,
                key: Some(key.as_bytes().to_vec()),
                value: value.map(String::into_bytes),
                headers: Vec::new(),
                timestamp: Some(cluster.now_ms()),
            };
            let _ = p.send(cluster, topic, record);
            let _ = p.flush(cluster);
            let _ = p.take_logs();
        }
    }

    /// The latest value of each key in `topic`, in the order keys first appeared.
    pub fn read(cluster: &Cluster, topic: &str) -> Vec<(String, Option<String>)> {
        let mut latest: Vec<(String, Option<String>)> = Vec::new();
        let partitions = cluster
            .topic(topic)
            .map_or(0, |t| t.partitions().len() as i32);
        for p in 0..partitions {
            let tp = TopicPartition::new(topic, p);
            let Ok((start, end)) = cluster.offsets_of(&tp) else {
                continue;
            };
            let Ok(records) = cluster.fetch(&tp, start, (end - start).max(0) as usize) else {
                continue;
            };
            for r in records {
                let Some(key) = r.key else { continue };
                let key = String::from_utf8_lossy(key).into_owned();
                let value = r.value.map(|v| String::from_utf8_lossy(v).into_owned());
                match latest.iter_mut().find(|(k, _)| *k == key) {
                    Some(entry) => entry.1 = value,
                    None => latest.push((key, value)),
                }
            }
        }
        latest
    }
}
