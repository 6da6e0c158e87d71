//! Consumer groups and their committed offsets, as the group coordinator keeps them.

use super::{Cluster, OFFSETS_TOPIC};
use crate::engine::BrokerId;
use crate::engine::broker::Brokers;
use crate::engine::consumer_group::CONSUMER_SESSION_TIMEOUT_MS;
use crate::engine::error::{ErrorCode, KafkaError};
use crate::engine::group::{Group, JoinError, JoinRequest, MemberProtocol};
use crate::engine::offsets::OffsetStore;
use crate::engine::replication::{self, ReplicationConfig};
use crate::engine::topic::TopicPartition;
use crate::vec_map::{VecMap, VecSet};

impl Cluster {
    pub(super) fn partitions_per_topic(&self) -> VecMap<String, i32> {
        VecMap::from_iter(
            self.topics
                .values()
                .map(|t| (t.name.clone(), t.partitions.len() as i32)),
        )
    }

    pub fn committed_offset(&self, group: &str, tp: &TopicPartition) -> Option<i64> {
        self.offsets.committed(group, tp).map(|o| o.offset)
    }

    /// Commits a group's offset: kept by the coordinator and written, as Kafka does, to the
    /// group's partition of `__consumer_offsets`.
    pub fn commit_offset(&mut self, group: &str, tp: TopicPartition, offset: i64) {
        let now = self.now_ms();
        // The broker answers UNKNOWN_TOPIC_OR_PARTITION for a partition that does not exist
        // (KafkaApis.handleOffsetCommitRequest) and stores nothing: a consumer still running
        // when its topic is deleted must not bring the deleted topic's offsets back. (Found by
        // the invariant tests.)
        let Some(epoch) = self
            .topics
            .get(&tp.topic)
            .and_then(|t| t.partition(tp.partition))
            .map(|p| p.leader_epoch)
        else {
            return;
        };
        let value = crate::engine::offsets::offset_commit_value(offset, epoch, now);
        self.append_offsets_record(group, &tp, Some(value));
        self.offsets.commit(group, tp, offset, now);
    }

    /// Appends an offset-commit record (or a tombstone) to the group's `__consumer_offsets`
    /// partition, straight to the coordinator's log.
    fn append_offsets_record(&mut self, group: &str, tp: &TopicPartition, value: Option<Vec<u8>>) {
        self.ensure_offsets_topic();
        let now = self.now_ms();
        let key = crate::engine::offsets::offset_commit_key(group, tp);
        let brokers = Brokers(&self.brokers);
        let controller = self.has_controller();
        if let Some(topic) = self.topics.get_mut(OFFSETS_TOPIC) {
            let index =
                crate::engine::group::coordinator_partition(group, topic.partitions.len() as i32);
            let cfg = ReplicationConfig {
                effective_min_isr: 1,
                unclean_leader_election: false,
                controller,
            };
            if let Some(p) = topic.partition_mut(index) {
                p.log.append(now, Some(&key), value.as_deref(), Vec::new());
                replication::step(p, &brokers, now, cfg);
            }
        }
    }

    pub fn offset_store(&self) -> &OffsetStore {
        &self.offsets
    }

    /// A consumer joins `group_id` (creating `__consumer_offsets` on first use, as the
    /// coordinator lookup does). The rebalance completes as the clock moves on.
    pub fn join_group(&mut self, group_id: &str, request: JoinRequest) -> Result<(), KafkaError> {
        if group_id.is_empty() {
            return Err(KafkaError::bare(ErrorCode::InvalidGroupId));
        }
        self.ensure_offsets_topic();
        let mut request = request;
        if matches!(request.protocol, MemberProtocol::Consumer(_)) {
            // The coordinator's `group.consumer.session.timeout.ms`, not the client's.
            request.session_timeout_ms = CONSUMER_SESSION_TIMEOUT_MS;
        } else if !(6_000..=1_800_000).contains(&request.session_timeout_ms) {
            // `group.min.session.timeout.ms` and `group.max.session.timeout.ms`.
            return Err(KafkaError::bare(ErrorCode::InvalidSessionTimeout));
        }
        let now = self.now_ms();
        let partitions = self.partitions_per_topic();
        self.groups
            .join(group_id, request, now, &partitions)
            .map_err(|JoinError::InconsistentGroupProtocol| {
                KafkaError::new(
                    ErrorCode::InconsistentGroupProtocol,
                    "The group member's supported protocols are incompatible with those of existing members or first group member tried to join with empty protocol type or empty protocol list.",
                )
            })?;
        self.tick();
        Ok(())
    }

    pub fn leave_group(&mut self, group_id: &str, member_id: &str) {
        let now = self.now_ms();
        let partitions = self.partitions_per_topic();
        self.groups.leave(group_id, member_id, now, &partitions);
        self.tick();
    }

    /// All client processes ended without a goodbye (the browser page was reloaded).
    pub fn clients_gone(&mut self) {
        self.groups.stop_all_heartbeats();
    }

    /// The member's process died without leaving (`kill -9`, or a static member closing).
    pub fn stop_heartbeats(&mut self, group_id: &str, member_id: &str) {
        self.groups.stop_heartbeats(group_id, member_id);
    }

    pub fn heartbeat(&mut self, group_id: &str, member_id: &str) {
        let now = self.now_ms();
        self.groups.heartbeat(group_id, member_id, now);
    }

    /// `DeleteGroups`: only a group without members can go; its committed offsets go with it.
    pub fn delete_group(&mut self, group_id: &str) -> Result<(), KafkaError> {
        let live = self.groups.group(group_id);
        if live.is_some_and(|g| !g.members.is_empty()) {
            return Err(KafkaError::bare(ErrorCode::NonEmptyGroup));
        }
        if live.is_none() && !self.offsets.has_group(group_id) {
            return Err(KafkaError::bare(ErrorCode::GroupIdNotFound));
        }
        for tp in self.offsets.partitions(group_id) {
            self.append_offsets_record(group_id, &tp, None);
        }
        self.groups.delete(group_id);
        self.offsets.remove_group(group_id);
        Ok(())
    }

    /// `OffsetDelete`: forgets a group's committed offsets for these partitions (tombstones).
    pub fn delete_offsets(&mut self, group_id: &str, tps: &[TopicPartition]) {
        for tp in tps {
            self.append_offsets_record(group_id, tp, None);
        }
        self.offsets.remove_offsets(group_id, tps);
    }

    /// The broker coordinating a group: the leader of its `__consumer_offsets` partition.
    pub fn coordinator(&self, group_id: &str) -> Option<BrokerId> {
        let topic = self.topics.get(OFFSETS_TOPIC)?;
        let p =
            crate::engine::group::coordinator_partition(group_id, topic.partitions.len() as i32);
        topic.partition(p)?.leader
    }

    pub fn group(&self, group_id: &str) -> Option<&Group> {
        self.groups.group(group_id)
    }

    /// Every group id known to the coordinator: groups with members and groups with only
    /// committed offsets, sorted.
    pub fn group_ids(&self) -> Vec<String> {
        let mut ids = VecSet::from_iter(self.groups.groups().map(|g| g.group_id.clone()));
        ids.extend(self.offsets.group_ids().map(str::to_string));
        ids.into_iter().collect()
    }

    /// Where a group stands on one partition, as `kafka-consumer-groups.sh --describe` reports
    /// it: the committed offset and the log end offset the partition's leader answers
    /// (`ListOffsets` latest, i.e. the high watermark).
    pub fn partition_lag(&self, group: &str, tp: &TopicPartition) -> PartitionLag {
        PartitionLag {
            tp: tp.clone(),
            committed: self.committed_offset(group, tp),
            log_end_offset: self.offsets_of(tp).ok().map(|(_, end)| end),
        }
    }

    /// [`Cluster::partition_lag`] for every partition the group has committed an offset for,
    /// in the offset store's order.
    pub fn group_lag(&self, group: &str) -> Vec<PartitionLag> {
        self.offsets
            .offsets(group)
            .map(|(tp, _)| self.partition_lag(group, tp))
            .collect()
    }
}

/// A group's lag on one partition (see [`Cluster::partition_lag`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartitionLag {
    pub tp: TopicPartition,
    /// `None`: the group has committed no offset for the partition.
    pub committed: Option<i64>,
    /// `None`: no leader answers for the partition (offline, or it does not exist).
    pub log_end_offset: Option<i64>,
}

impl PartitionLag {
    /// Log end offset minus committed offset, when both are known. As in Kafka, it is negative
    /// when the committed offset is past the log end (an election cut the log below it).
    pub fn lag(&self) -> Option<i64> {
        Some(self.log_end_offset? - self.committed?)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::cluster;
    use super::*;
    use crate::engine::cluster::{NewTopic, ProducerRecord};
    use crate::engine::partitioner::StickyPartitioner;

    fn lag(tp: &TopicPartition, committed: Option<i64>, end: Option<i64>) -> PartitionLag {
        PartitionLag {
            tp: tp.clone(),
            committed,
            log_end_offset: end,
        }
    }

    #[test]
    fn lag_is_the_log_end_minus_the_committed_offset() {
        let mut c = cluster();
        let two = NewTopic {
            partitions: Some(2),
            ..Default::default()
        };
        c.create_topic("t", two).unwrap();
        let (p0, p1) = (TopicPartition::new("t", 0), TopicPartition::new("t", 1));
        for _ in 0..5 {
            let record = ProducerRecord {
                partition: Some(0),
                value: Some(b"v".to_vec()),
                ..Default::default()
            };
            c.produce("t", record, &mut StickyPartitioner::new())
                .unwrap();
        }
        c.commit_offset("g", p0.clone(), 2);
        assert_eq!(c.group_lag("g"), [lag(&p0, Some(2), Some(5))]);
        assert_eq!(c.group_lag("g")[0].lag(), Some(3));
        // A partition without a committed offset has no lag, only a log end.
        assert_eq!(c.partition_lag("g", &p1), lag(&p1, None, Some(0)));
        assert_eq!(c.partition_lag("g", &p1).lag(), None);
        assert!(c.group_lag("nobody").is_empty());
    }

    #[test]
    fn a_committed_offset_past_the_log_end_lags_negatively() {
        let mut c = cluster();
        c.create_topic("t", NewTopic::default()).unwrap();
        let tp = TopicPartition::new("t", 0);
        c.commit_offset("g", tp.clone(), 4);
        assert_eq!(c.group_lag("g")[0].lag(), Some(-4));
    }

    #[test]
    fn an_offline_partition_has_no_known_lag() {
        let mut c = cluster();
        c.create_topic_with_assignment("solo", vec![vec![2]], NewTopic::default())
            .unwrap();
        let tp = TopicPartition::new("solo", 0);
        c.commit_offset("g", tp.clone(), 0);
        c.stop_broker(2).unwrap();
        assert_eq!(c.group_lag("g"), [lag(&tp, Some(0), None)]);
        assert_eq!(c.group_lag("g")[0].lag(), None);
        c.start_broker(2).unwrap();
        assert_eq!(c.group_lag("g")[0].lag(), Some(0));
    }
}
