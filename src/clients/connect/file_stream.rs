//! The file connectors of `libs/connect-file-*.jar`: `FileStreamSourceTask` reads whole lines
//! from a file past its stored position and sends each to a topic; `FileStreamSinkTask` is a
//! consumer in the group `connect-<connector>` that prints each record's value as a line of
//! its file (opened for appending).
//!
//! Invariant: only lines ending in `\n` (or `\r\n`) leave the source, and its position counts
//! the bytes of the lines sent, so a restarted worker resumes after the last flushed line.

// Kafka: connect/file/src/main/java/org/apache/kafka/connect/file/FileStreamSourceTask.java,
// FileStreamSinkTask.java, connect/runtime/.../WorkerSinkTask.java (group "connect-" + name).

use super::Live;
use super::json_converter;
use crate::clients::config::Properties;
use crate::clients::consumer::coordinator::ConsumerCoordinator;
use crate::clients::producer::KafkaProducer;
use crate::clients::producer::config::ProducerConfig;
use crate::console::Files;
use crate::engine::assignor::Strategy;
use crate::engine::group::DEFAULT_SESSION_TIMEOUT_MS;
use crate::engine::{Cluster, ProducerRecord, TopicPartition};
use crate::vec_map::VecSet;

#[derive(Debug, Clone, PartialEq)]
pub struct FileSource {
    /// The file as configured (the offset's key) and where it lies.
    pub filename: String,
    pub path: String,
    pub topic: String,
    /// Bytes of the file already sent as lines.
    pub position: u64,
    /// Whether the missing file was reported (the task warns once, then waits).
    pub missing_reported: bool,
    producer: Live<KafkaProducer>,
}

impl FileSource {
    pub fn new(filename: String, path: String, topic: String, position: u64) -> Self {
        FileSource {
            filename,
            path,
            topic,
            position,
            missing_reported: false,
            producer: Live::default(),
        }
    }

    /// One `poll()`: the whole lines written since the last, sent as the converter writes
    /// them. Returns how many were sent, or `None` while the file does not exist.
    pub fn poll(&mut self, cluster: &mut Cluster, files: &Files, schemas: bool) -> Option<usize> {
        let text = files.read(&self.path)?;
        self.missing_reported = false;
        let start = (self.position as usize).min(text.len());
        let unread = text.get(start..).unwrap_or("");
        let mut lines = Vec::new();
        let mut consumed = 0usize;
        let mut rest = unread;
        while let Some(end) = rest.find('\n') {
            let line = rest[..end].strip_suffix('\r').unwrap_or(&rest[..end]);
            lines.push(line.to_string());
            consumed += end + 1;
            rest = &rest[end + 1..];
        }
        if lines.is_empty() {
            return Some(0);
        }
        if self.producer.0.is_none() {
            let mut props = Properties::default();
            props.put("acks", "all");
            props.put("linger.ms", "0");
            let config = ProducerConfig::new(&props).ok()?;
            self.producer.0 = Some(KafkaProducer::new(config));
        }
        let producer = self.producer.0.as_mut()?;
        for line in &lines {
            let record = ProducerRecord {
                partition: None,
                key: None,
                value: json_converter::from_string(Some(line), schemas),
                headers: Vec::new(),
                timestamp: Some(cluster.now_ms()),
            };
            let _ = producer.send(cluster, &self.topic, record);
        }
        let _ = producer.flush(cluster);
        let _ = producer.take_logs();
        self.position += consumed as u64;
        Some(lines.len())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct FileSink {
    pub path: String,
    pub topics: Vec<String>,
    pub group: String,
    pub member_id: String,
    pub client_id: String,
    /// Next offset to read, per partition it owns.
    pub positions: Vec<(TopicPartition, i64)>,
    pub joined: bool,
}

/// Why a sink task stopped for good: the converter's exception.
pub type SinkFailure = String;

impl FileSink {
    fn coordinator(&self, now: i64) -> ConsumerCoordinator {
        ConsumerCoordinator::new(
            self.group.clone(),
            self.member_id.clone(),
            self.client_id.clone(),
            vec![Strategy::Range, Strategy::CooperativeSticky],
            None,
            DEFAULT_SESSION_TIMEOUT_MS,
            now,
        )
    }

    fn wanted(&self) -> VecSet<String> {
        self.topics.iter().cloned().collect()
    }

    /// One `poll()` of the task's consumer and `put()` of what it returned: joins the group,
    /// reads its partitions from the committed offsets (else the earliest), appends the values.
    pub fn poll(
        &mut self,
        cluster: &mut Cluster,
        files: &mut Files,
        schemas: bool,
    ) -> Result<usize, SinkFailure> {
        let now = cluster.now_ms();
        let mut coordinator = self.coordinator(now);
        if !self.joined {
            for t in &self.topics {
                let _ = cluster.auto_create_topic(t);
            }
            if coordinator.join(cluster, self.wanted()).is_err() {
                return Ok(0);
            }
            self.joined = true;
        }
        let Some(assignment) = coordinator.poll(cluster, &self.wanted()) else {
            let _ = coordinator.join(cluster, self.wanted());
            return Ok(0);
        };
        self.positions.retain(|(tp, _)| assignment.contains(tp));
        let mut written = 0;
        for tp in assignment {
            let position = match self.positions.iter().find(|(p, _)| *p == tp) {
                Some((_, p)) => *p,
                None => {
                    let start = cluster
                        .committed_offset(&self.group, &tp)
                        .or_else(|| cluster.offsets_of(&tp).ok().map(|(s, _)| s));
                    let Some(start) = start else { continue };
                    self.positions.push((tp.clone(), start));
                    start
                }
            };
            let records: Vec<(i64, Option<Vec<u8>>)> = cluster
                .fetch(&tp, position, 500)
                .map(|rs| {
                    rs.into_iter()
                        .map(|r| (r.offset, r.value.map(<[u8]>::to_vec)))
                        .collect()
                })
                .unwrap_or_default();
            for (offset, value) in records {
                let line = json_converter::to_text(value.as_deref(), schemas)?;
                files.append(&self.path, &format!("{line}\n"));
                written += 1;
                if let Some(p) = self.positions.iter_mut().find(|(p, _)| *p == tp) {
                    p.1 = offset + 1;
                }
            }
        }
        Ok(written)
    }

    /// `commitOffsets` (every `offset.flush.interval.ms`, and when the task stops).
    pub fn commit(&self, cluster: &mut Cluster) {
        for (tp, offset) in &self.positions {
            if cluster.committed_offset(&self.group, tp) != Some(*offset) {
                cluster.commit_offset(&self.group, tp.clone(), *offset);
            }
        }
    }

    /// The task stops: its consumer commits and leaves the group.
    pub fn close(&mut self, cluster: &mut Cluster) {
        self.commit(cluster);
        if self.joined {
            self.coordinator(cluster.now_ms()).close(cluster);
            self.joined = false;
        }
        self.positions.clear();
    }

    /// When a pending rebalance of its group completes.
    pub fn rebalance_deadline(&self, cluster: &Cluster) -> Option<i64> {
        self.coordinator(cluster.now_ms())
            .rebalance_deadline(cluster)
    }
}
