//! Produce and fetch: appending records on a partition's leader, acknowledging them, and
//! reading them back (`Produce`, `Fetch`, `ListOffsets`, `DeleteRecords`).

use super::{
    AckStatus, Acks, Cluster, InFlight, MAX_BROKERS, ProduceConfig, ProduceConfigCache,
    ProducerRecord, RecordMetadata,
};
use crate::engine::BrokerId;
use crate::engine::broker::{Broker, Brokers};
use crate::engine::error::{ErrorCode, KafkaError};
use crate::engine::partition::Partition;
use crate::engine::partitioner::StickyPartitioner;
use crate::engine::record::Record;
use crate::engine::record_batch::{RecordRef, Records};
use crate::engine::replication::{self, ReplicationConfig};
use crate::engine::topic::TopicPartition;

impl Cluster {
    /// Appends one record on the partition's leader, picking the partition as the Java producer
    /// would. The cluster clock stamps `CreateTime` unless the record has a timestamp.
    pub fn produce(
        &mut self,
        topic_name: &str,
        record: ProducerRecord,
        partitioner: &mut StickyPartitioner,
    ) -> Result<RecordMetadata, KafkaError> {
        self.produce_with_acks(topic_name, record, partitioner, Acks::All)
    }

    /// Produces with the given `acks` and answers at once: `Ok` only if the request is
    /// acknowledged without waiting (for `acks=all`: every in-sync replica already has the
    /// record), `REQUEST_TIMED_OUT` if it would have to wait.
    pub fn produce_with_acks(
        &mut self,
        topic_name: &str,
        record: ProducerRecord,
        partitioner: &mut StickyPartitioner,
        acks: Acks,
    ) -> Result<RecordMetadata, KafkaError> {
        if acks == Acks::All {
            let sent = self.send(topic_name, record, partitioner, acks)?;
            return self.await_acks(&sent, 0);
        }
        // Answered as soon as the leader has it: nothing stays in flight, so the log takes the
        // record itself rather than a copy.
        let (partition, timestamp) = self.place(topic_name, &record, partitioner)?;
        let appended = unplaced(record, timestamp);
        let a = self.append_record(topic_name, partition, appended, acks)?;
        Ok(RecordMetadata {
            partition,
            offset: a.offset,
            timestamp,
        })
    }

    /// A produce request: picks the partition as the Java producer would and appends the
    /// record on its leader, which must be available; `acks=all` also needs at least the
    /// effective min ISR in sync before anything is appended. The request is then in flight
    /// until [`Cluster::await_acks`] answers it. The cluster clock stamps `CreateTime` unless
    /// the record has a timestamp.
    pub fn send(
        &mut self,
        topic_name: &str,
        record: ProducerRecord,
        partitioner: &mut StickyPartitioner,
        acks: Acks,
    ) -> Result<InFlight, KafkaError> {
        let (partition, timestamp) = self.place(topic_name, &record, partitioner)?;
        let appended = unplaced(record, timestamp);
        self.append(TopicPartition::new(topic_name, partition), appended, acks)
    }

    /// Where a record goes and its `CreateTime`: the partition the Java producer picks (or the
    /// record's own, which must exist), refused on a compacted topic without a key.
    fn place(
        &mut self,
        topic_name: &str,
        record: &ProducerRecord,
        partitioner: &mut StickyPartitioner,
    ) -> Result<(i32, i64), KafkaError> {
        let (config, count) = self.produce_config(topic_name)?;
        let size = crate::engine::record::estimated_size(
            record.key.as_deref(),
            record.value.as_deref(),
            &record.headers,
        );
        let partition = match record.partition {
            Some(p) if (0..count).contains(&p) => p,
            Some(_) => return Err(KafkaError::bare(ErrorCode::UnknownTopicOrPartition)),
            None => partitioner.partition(
                topic_name,
                record.key.as_deref(),
                size,
                count,
                &mut self.rng,
            ),
        };
        if config.compact && record.key.is_none() {
            return Err(KafkaError::new(
                ErrorCode::InvalidRecord,
                format!(
                    "Compacted topic cannot accept message without key in topic partition {topic_name}-{partition}"
                ),
            ));
        }
        Ok((partition, record.timestamp.unwrap_or(self.now_ms())))
    }

    /// A retry of an in-flight request: the idempotent producer sends the same batch again. A
    /// leader that already has the record only waits for it once more; one that lost it (cut
    /// off by an election) appends it again.
    pub fn resend(&mut self, sent: &InFlight) -> Result<InFlight, KafkaError> {
        if !self.still_in_log(sent) {
            return self.append(sent.tp.clone(), sent.record.clone(), sent.acks);
        }
        let cfg = self.topic_replication_config(&sent.tp.topic)?;
        let p = self.served_partition(&sent.tp)?;
        if sent.acks == Acks::All && p.isr.len() < cfg.effective_min_isr {
            return Err(not_enough_replicas(p, cfg.effective_min_isr, &sent.tp));
        }
        Ok(InFlight {
            leader: p.leader.unwrap_or(sent.leader),
            leader_epoch: p.leader_epoch,
            ..sent.clone()
        })
    }

    fn topic_replication_config(&self, topic: &str) -> Result<ReplicationConfig, KafkaError> {
        self.topics
            .get(topic)
            .map(|t| self.replication_config(t))
            .ok_or_else(|| KafkaError::bare(ErrorCode::UnknownTopicOrPartition))
    }

    /// Appends one record on the partition's leader; followers that can fetch do so at once.
    /// The request stays in flight with a copy of the record: a retry may append it again.
    pub(super) fn append(
        &mut self,
        tp: TopicPartition,
        record: Record,
        acks: Acks,
    ) -> Result<InFlight, KafkaError> {
        let kept = record.clone();
        let appended = self.append_record(&tp.topic, tp.partition, record, acks)?;
        Ok(InFlight {
            metadata: RecordMetadata {
                partition: tp.partition,
                offset: appended.offset,
                timestamp: kept.timestamp,
            },
            tp,
            acks,
            leader: appended.leader,
            leader_epoch: appended.leader_epoch,
            record: Record {
                offset: appended.offset,
                ..kept
            },
        })
    }

    /// Appends `record` to the log of the partition's leader, which keeps it (see
    /// [`Cluster::append`]).
    fn append_record(
        &mut self,
        topic: &str,
        partition: i32,
        record: Record,
        acks: Acks,
    ) -> Result<Appended, KafkaError> {
        self.admit_record_data(&record)?;
        let now = self.now_ms();
        let (config, _) = self.produce_config(topic)?;
        let controller = self.has_controller();
        let brokers = Brokers(&self.brokers);
        let Some(t) = self.topics.get_mut(topic) else {
            return Err(KafkaError::bare(ErrorCode::UnknownTopicOrPartition));
        };
        let cfg = ReplicationConfig::new(
            config.min_isr,
            t.replication_factor(),
            config.unclean_leader_election,
            controller,
        );
        let Some(p) = t.partition_mut(partition) else {
            return Err(KafkaError::bare(ErrorCode::UnknownTopicOrPartition));
        };
        leader_serves(p, &brokers)?;
        if acks == Acks::All && p.isr.len() < cfg.effective_min_isr {
            let tp = TopicPartition::new(topic, partition);
            return Err(not_enough_replicas(p, cfg.effective_min_isr, &tp));
        }
        // A batch larger than max.message.bytes is refused (UnifiedLog's "The record batch
        // size in the append to t-0 is N bytes which exceeds the maximum configured value of
        // M."); ReplicaManager sends MESSAGE_TOO_LARGE without that text, so the client shows
        // the error's default message. A record travels in a batch of its own here.
        let batch_size = crate::engine::record::single_record_batch_size(
            record.key.as_deref(),
            record.value.as_deref(),
            &record.headers,
        );
        if batch_size as i64 > config.max_message_bytes {
            return Err(KafkaError::bare(ErrorCode::MessageTooLarge));
        }
        let (leader, leader_epoch) = (p.leader.unwrap_or_default(), p.leader_epoch);
        // The ISR before replication (at most one entry per broker: no allocation).
        let isr_before = IsrCopy::of(&p.isr);
        let offset = p.log.append_rolling(
            record.timestamp,
            record.key.as_deref(),
            record.value.as_deref(),
            record.headers,
            Some(config.roll),
        );
        replication::step(p, &brokers, now, cfg);
        if !isr_before.is(&p.isr) {
            self.sync_metadata();
        }
        Ok(Appended {
            offset,
            leader,
            leader_epoch,
        })
    }

    /// The configs a produce request reads of its topic, resolved once and reused until a
    /// topic or broker config changes (or the topic is another one, or was deleted and made
    /// again): each record asked for six of them, each a search through Kafka's config tables.
    /// With them, the topic's partition count, from the same lookup (a search by name, paid
    /// once per record here rather than by every step).
    pub(super) fn produce_config(
        &mut self,
        topic: &str,
    ) -> Result<(ProduceConfig, i32), KafkaError> {
        let Some(t) = self.topics.get(topic) else {
            return Err(KafkaError::bare(ErrorCode::UnknownTopicOrPartition));
        };
        let count = t.partitions.len() as i32;
        if let Some((name, id, config)) = &self.produce_config.0 {
            if name == topic && *id == t.id {
                return Ok((*config, count));
            }
        }
        let (min_isr, unclean_leader_election) = self.replication_settings(t);
        let config = ProduceConfig {
            min_isr,
            unclean_leader_election,
            compact: self.has_policy(t, "compact"),
            roll: crate::engine::log::RollPolicy {
                segment_bytes: self.long_config(t, "segment.bytes", 1 << 30) as u64,
                segment_ms: self.long_config(t, "segment.ms", 604_800_000),
            },
            // The topic's max.message.bytes, else the broker's message.max.bytes.
            max_message_bytes: self.long_config(t, "max.message.bytes", 1_048_588),
        };
        self.produce_config = ProduceConfigCache(Some((topic.to_string(), t.id, config)));
        Ok((config, count))
    }

    /// Waits, moving the clock, until an in-flight request is answered or `timeout_ms` has
    /// passed (`REQUEST_TIMED_OUT`). `acks=0`/`1` are answered at once; `acks=all` waits in the
    /// leader's purgatory until every in-sync replica has the record — which may take until
    /// a lagging follower drops out of the ISR (`replica.lag.time.max.ms`). A leader that
    /// loses its leadership meanwhile answers `NOT_LEADER_OR_FOLLOWER`, one that dies drops
    /// the connection (`NETWORK_EXCEPTION`), and one cut off from the cluster never answers.
    pub fn await_acks(
        &mut self,
        sent: &InFlight,
        timeout_ms: i64,
    ) -> Result<RecordMetadata, KafkaError> {
        let deadline = self.now_ms().saturating_add(timeout_ms.max(0));
        loop {
            match self.ack_status(sent) {
                AckStatus::Acknowledged => return Ok(sent.metadata),
                AckStatus::Failed(code) => return Err(KafkaError::bare(code)),
                AckStatus::Waiting if self.now_ms() >= deadline => {
                    return Err(KafkaError::bare(ErrorCode::RequestTimedOut));
                }
                AckStatus::Waiting => {}
            }
            let now = self.now_ms();
            let next = self
                .next_deadline()
                .filter(|t| *t > now && *t < deadline)
                .unwrap_or(deadline);
            self.advance_to(next);
        }
    }

    fn ack_status(&self, sent: &InFlight) -> AckStatus {
        if sent.acks != Acks::All {
            return AckStatus::Acknowledged;
        }
        let Some(p) = self
            .topics
            .get(&sent.tp.topic)
            .and_then(|t| t.partition(sent.tp.partition))
        else {
            return AckStatus::Failed(ErrorCode::UnknownTopicOrPartition);
        };
        if committed(p, sent) {
            return AckStatus::Acknowledged;
        }
        let still_leading = p.leader == Some(sent.leader) && p.leader_epoch == sent.leader_epoch;
        match self.broker(sent.leader) {
            Some(b) if !b.running => AckStatus::Failed(ErrorCode::NetworkException),
            // Cut off, it learns nothing and never answers: the client times out.
            Some(b) if b.isolated => AckStatus::Waiting,
            _ if still_leading => AckStatus::Waiting,
            _ => AckStatus::Failed(ErrorCode::NotLeaderOrFollower),
        }
    }

    /// The record of an in-flight request is still in its partition's log where it was
    /// appended (no election cut it off).
    pub fn still_in_log(&self, sent: &InFlight) -> bool {
        self.topics
            .get(&sent.tp.topic)
            .and_then(|t| t.partition(sent.tp.partition))
            .is_some_and(|p| {
                p.log
                    .read(sent.record.offset, 1)
                    .first()
                    .is_some_and(|r| r == sent.record)
            })
    }

    /// Records of one partition from `offset`, at most `max`, up to the high watermark. Only
    /// the leader serves them: an offline partition (`Leader: none`) or a dead leader answers
    /// with an error and no records.
    pub fn fetch(
        &self,
        tp: &TopicPartition,
        offset: i64,
        max: usize,
    ) -> Result<Records<'_>, KafkaError> {
        let partition = self.served_partition(tp)?;
        let visible = (partition.high_watermark() - offset).max(0) as usize;
        Ok(partition.log.read(offset, max.min(visible)))
    }

    /// A partition whose leader can answer client requests (`Fetch`, `ListOffsets`).
    fn served_partition(&self, tp: &TopicPartition) -> Result<&Partition, KafkaError> {
        let partition = self
            .topics
            .get(&tp.topic)
            .and_then(|t| t.partition(tp.partition))
            .ok_or_else(|| KafkaError::bare(ErrorCode::UnknownTopicOrPartition))?;
        leader_serves(partition, &Brokers(&self.brokers))?;
        Ok(partition)
    }

    /// `DeleteRecords`: moves the log start of a partition up to `offset` (-1 = the high
    /// watermark); returns the new low watermark.
    pub fn delete_records(&mut self, tp: &TopicPartition, offset: i64) -> Result<i64, KafkaError> {
        let topic = self
            .topics
            .get(&tp.topic)
            .ok_or_else(|| KafkaError::bare(ErrorCode::UnknownTopicOrPartition))?;
        let compact_only = self
            .topic_config(topic, "cleanup.policy")
            .is_some_and(|p| p.split(',').all(|x| x == "compact"));
        let p = self
            .topics
            .get_mut(&tp.topic)
            .and_then(|t| t.partition_mut(tp.partition))
            .ok_or_else(|| KafkaError::bare(ErrorCode::UnknownTopicOrPartition))?;
        if compact_only {
            return Err(KafkaError::bare(ErrorCode::PolicyViolation));
        }
        let hw = p.high_watermark();
        let target = if offset == -1 { hw } else { offset };
        if target < 0 || target > hw {
            return Err(KafkaError::bare(ErrorCode::OffsetOutOfRange));
        }
        p.log.advance_start(target);
        Ok(p.log_start_offset())
    }

    /// `ListOffsets` by timestamp: the first offset whose record's timestamp is ≥ `ts`, among
    /// visible records (none while the partition has no leader).
    pub fn offset_for_timestamp(&self, tp: &TopicPartition, ts: i64) -> Option<i64> {
        let p = self.served_partition(tp).ok()?;
        p.log
            .records()
            .iter()
            .take_while(|r| r.offset < p.high_watermark())
            .find(|r| r.timestamp >= ts)
            .map(|r| r.offset)
    }

    /// `ListOffsets` with `MAX_TIMESTAMP`: the offset of the record with the largest timestamp.
    pub fn offset_of_max_timestamp(&self, tp: &TopicPartition) -> Option<i64> {
        let p = self.served_partition(tp).ok()?;
        p.log
            .records()
            .iter()
            .take_while(|r| r.offset < p.high_watermark())
            .fold(None, |best: Option<RecordRef<'_>>, r| match best {
                Some(b) if b.timestamp >= r.timestamp => Some(b),
                _ => Some(r),
            })
            .map(|r| r.offset)
    }

    /// `ListOffsets` for earliest and latest: (log start offset, high watermark). Answered by
    /// the leader only, like `fetch`.
    pub fn offsets_of(&self, tp: &TopicPartition) -> Result<(i64, i64), KafkaError> {
        let p = self.served_partition(tp)?;
        Ok((p.log_start_offset(), p.high_watermark()))
    }
}

/// Where an appended record landed and which leader took it.
pub(super) struct Appended {
    offset: i64,
    leader: BrokerId,
    leader_epoch: i32,
}

/// A copy of an ISR on the stack: a cluster has at most [`MAX_BROKERS`] brokers.
pub(super) struct IsrCopy {
    ids: [BrokerId; MAX_BROKERS as usize],
    len: usize,
}

impl IsrCopy {
    pub(super) fn of(isr: &[BrokerId]) -> IsrCopy {
        let mut ids = [0; MAX_BROKERS as usize];
        let len = isr.len().min(ids.len());
        ids[..len].copy_from_slice(&isr[..len]);
        IsrCopy { ids, len }
    }

    /// Whether `isr` is still the same (a longer one never is).
    pub(super) fn is(&self, isr: &[BrokerId]) -> bool {
        isr.len() <= self.ids.len() && self.ids[..self.len] == *isr
    }
}

/// A produced record as the log takes it: its offset is given when it is appended.
fn unplaced(record: ProducerRecord, timestamp: i64) -> Record {
    Record {
        offset: -1,
        timestamp,
        key: record.key,
        value: record.value,
        headers: record.headers,
    }
}

/// Whether the partition's leader can answer clients: `LEADER_NOT_AVAILABLE` while it has
/// none, `NOT_LEADER_OR_FOLLOWER` while its leader is down or fenced.
pub(super) fn leader_serves(p: &Partition, brokers: &Brokers) -> Result<(), KafkaError> {
    match p.leader {
        None => Err(KafkaError::bare(ErrorCode::LeaderNotAvailable)),
        Some(l) if brokers.get(&l).is_some_and(Broker::is_available) => Ok(()),
        Some(_) => Err(KafkaError::bare(ErrorCode::NotLeaderOrFollower)),
    }
}

/// The request's record is committed: below the high watermark and still the one appended
/// (or already removed by retention, which only ever deletes committed records).
fn committed(p: &Partition, sent: &InFlight) -> bool {
    let offset = sent.record.offset;
    if p.high_watermark() <= offset {
        return false;
    }
    offset < p.log_start_offset()
        || p.log
            .read(offset, 1)
            .first()
            .is_some_and(|r| r == sent.record)
}

pub(super) fn not_enough_replicas(
    p: &Partition,
    min_isr: usize,
    tp: &TopicPartition,
) -> KafkaError {
    let isr: Vec<String> = p.isr.iter().map(|b| b.to_string()).collect();
    KafkaError::new(
        ErrorCode::NotEnoughReplicas,
        format!(
            "The size of the current ISR Set({}) is insufficient to satisfy the min.isr requirement of {min_isr} for partition {tp}",
            isr.join(", ")
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::super::tests::{cluster, keyed};
    use super::*;
    use crate::engine::cluster::NewTopic;

    #[test]
    fn create_and_produce_by_key() {
        let mut c = cluster();
        let t = c
            .create_topic(
                "orders",
                NewTopic {
                    partitions: Some(3),
                    replication_factor: Some(3),
                    configs: vec![],
                },
            )
            .unwrap();
        assert_eq!((t.partitions.len(), t.replication_factor()), (3, 3));
        let mut sp = StickyPartitioner::new();
        let m = c.produce("orders", keyed("carol", "1"), &mut sp).unwrap();
        assert_eq!((m.partition, m.offset), (2, 0));
        let m = c.produce("orders", keyed("carol", "2"), &mut sp).unwrap();
        assert_eq!((m.partition, m.offset), (2, 1));
        let tp = TopicPartition::new("orders", 2);
        assert_eq!(c.offsets_of(&tp), Ok((0, 2)));
        assert_eq!(c.fetch(&tp, 1, 10).unwrap().len(), 1);
    }

    #[test]
    fn an_offline_partition_serves_nothing() {
        let mut c = cluster();
        c.create_topic_with_assignment("solo", vec![vec![1]], NewTopic::default())
            .unwrap();
        c.produce("solo", keyed("k", "v"), &mut StickyPartitioner::new())
            .unwrap();
        let tp = TopicPartition::new("solo", 0);
        c.stop_broker(1).unwrap();
        let code = |r: Result<Records<'_>, KafkaError>| r.map(|r| r.len()).map_err(|e| e.code);
        assert_eq!(
            code(c.fetch(&tp, 0, 10)),
            Err(ErrorCode::LeaderNotAvailable)
        );
        assert_eq!(
            c.offsets_of(&tp).map_err(|e| e.code),
            Err(ErrorCode::LeaderNotAvailable)
        );
        assert_eq!(c.offset_for_timestamp(&tp, 0), None);
        c.start_broker(1).unwrap();
        assert_eq!(code(c.fetch(&tp, 0, 10)), Ok(1));
        assert_eq!(c.offsets_of(&tp), Ok((0, 1)));
    }

    #[test]
    fn compacted_topics_refuse_null_keys() {
        let mut c = cluster();
        let compact = NewTopic {
            configs: vec![("cleanup.policy".into(), "compact".into())],
            ..Default::default()
        };
        c.create_topic("users", compact).unwrap();
        let rec = ProducerRecord {
            value: Some(b"v".to_vec()),
            ..Default::default()
        };
        let err = c
            .produce("users", rec, &mut StickyPartitioner::new())
            .unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidRecord);
    }
}
