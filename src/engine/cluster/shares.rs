//! Share groups as the brokers serve them: `ShareGroupHeartbeat` (join, assignment, leave),
//! `ShareFetch` (acquire records under a lock), `ShareAcknowledge`, and the admin calls of
//! `kafka-share-groups.sh` (list, describe, reset and delete offsets, delete).

use super::Cluster;
use crate::engine::share_group::{ShareCoordinator, ShareGroup, ShareMember};
use crate::engine::share_partition::{AcknowledgeType, SharePartition};
use crate::engine::topic::TopicPartition;
use crate::vec_map::VecMap;

/// `max.poll.records` of a share consumer: the most records one share fetch acquires.
pub const SHARE_MAX_POLL_RECORDS: usize = 500;

/// Why the coordinator refused a share member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareError {
    /// The `share.version` feature is not enabled: the brokers answer `UNSUPPORTED_VERSION`.
    Disabled,
    /// The group id belongs to a consumer group.
    NotShareGroup,
}

/// The finalized `share.version` feature level. Kafka 4.2 made share groups generally
/// available and a new 4.2+ cluster finalizes `share.version=1`; `kafka-features.sh disable
/// --feature share.version` turns them off again, as on a real cluster.
pub fn share_version(cluster: &Cluster) -> i16 {
    cluster.features.level("share.version")
}

impl Cluster {
    pub fn share_coordinator(&self) -> &ShareCoordinator {
        &self.shares
    }

    pub fn share_group(&self, group_id: &str) -> Option<&ShareGroup> {
        self.shares.groups.get(group_id)
    }

    /// A member joins (its first `ShareGroupHeartbeat`) and gets its assignment at once.
    pub fn share_group_join(
        &mut self,
        group_id: &str,
        member_id: &str,
        client_id: &str,
        topics: Vec<String>,
    ) -> Result<(), ShareError> {
        if share_version(self) < 1 {
            return Err(ShareError::Disabled);
        }
        if self.groups.group(group_id).is_some() || self.offsets.offsets(group_id).next().is_some()
        {
            return Err(ShareError::NotShareGroup);
        }
        let now = self.now_ms();
        // The group coordinator lives on a partition of `__consumer_offsets`.
        self.ensure_offsets_topic();
        let partitions = self.partitions_per_topic();
        let group = self
            .shares
            .groups
            .entry(group_id.to_string())
            .or_insert_with(|| ShareGroup {
                group_id: group_id.to_string(),
                ..ShareGroup::default()
            });
        self.shares.next_fetch_seq += 1;
        group.members.insert(
            member_id.to_string(),
            ShareMember {
                member_id: member_id.to_string(),
                client_id: client_id.to_string(),
                host: "/127.0.0.1".to_string(),
                subscribed: topics,
                assignment: Vec::new(),
                member_epoch: 0,
                last_heartbeat_ms: now,
                heartbeating: true,
                fetch_seq: self.shares.next_fetch_seq,
            },
        );
        group.assign(&partitions);
        Ok(())
    }

    /// A member's heartbeat: the assignment follows topics created or grown since.
    pub fn share_group_heartbeat(&mut self, group_id: &str, member_id: &str) -> bool {
        let now = self.now_ms();
        let partitions = self.partitions_per_topic();
        let Some(group) = self.shares.groups.get_mut(group_id) else {
            return false;
        };
        let Some(m) = group.members.get_mut(member_id) else {
            return false;
        };
        m.last_heartbeat_ms = now;
        group.assign(&partitions);
        true
    }

    /// What the member owns now.
    pub fn share_assignment(&self, group_id: &str, member_id: &str) -> Vec<TopicPartition> {
        self.share_group(group_id)
            .and_then(|g| g.members.get(member_id))
            .map(|m| m.assignment.clone())
            .unwrap_or_default()
    }

    /// `ShareFetch`: acquires available records of the member's partitions under a lock, and
    /// answers their offsets per partition. A share-partition read for the first time starts
    /// where `share.auto.offset.reset` says (latest unless the group is set to earliest).
    pub fn share_fetch(
        &mut self,
        group_id: &str,
        member_id: &str,
    ) -> Vec<(TopicPartition, Vec<i64>)> {
        let now = self.now_ms();
        let assignment = self.share_assignment(group_id, member_id);
        let earliest = self.shares.config(group_id, "share.auto.offset.reset") == Some("earliest");
        let lock_ms = self.shares.record_lock_duration_ms(group_id);
        let mut answered = Vec::new();
        let mut room = SHARE_MAX_POLL_RECORDS;
        for tp in assignment {
            let Ok((log_start, hw)) = self.offsets_of(&tp) else {
                continue;
            };
            let epoch = self
                .topics
                .get(&tp.topic)
                .and_then(|t| t.partition(tp.partition))
                .map_or(0, |p| p.leader_epoch);
            let Some(group) = self.shares.groups.get_mut(group_id) else {
                break;
            };
            if !ShareCoordinator::first_in_line(group, member_id, &tp) {
                continue;
            }
            let sp = group.partitions.entry(tp.clone()).or_insert_with(|| {
                SharePartition::starting_at(if earliest { log_start } else { hw }, epoch)
            });
            let offsets = sp.acquire(member_id, log_start, hw, room, now, lock_ms);
            if !offsets.is_empty() {
                room -= offsets.len();
                answered.push((tp, offsets));
            }
            if room == 0 {
                break;
            }
        }
        if let Some(m) = self
            .shares
            .groups
            .get_mut(group_id)
            .and_then(|g| g.members.get_mut(member_id))
        {
            if !answered.is_empty() {
                // Its next fetch waits behind the others'.
                self.shares.next_fetch_seq += 1;
                m.fetch_seq = self.shares.next_fetch_seq;
            }
        }
        answered
    }

    /// `ShareAcknowledge` of one record; false when the member no longer holds it.
    pub fn share_acknowledge(
        &mut self,
        group_id: &str,
        member_id: &str,
        tp: &TopicPartition,
        offset: i64,
        kind: AcknowledgeType,
    ) -> bool {
        let limit = self.shares.delivery_count_limit(group_id);
        self.shares
            .groups
            .get_mut(group_id)
            .and_then(|g| g.partitions.get_mut(tp))
            .is_some_and(|sp| sp.acknowledge(member_id, offset, kind, limit))
    }

    /// The member leaves (the consumer closed): what it still holds is released.
    pub fn share_group_leave(&mut self, group_id: &str, member_id: &str) {
        let limit = self.shares.delivery_count_limit(group_id);
        let partitions = self.partitions_per_topic();
        if let Some(g) = self.shares.groups.get_mut(group_id) {
            if g.members.remove(member_id).is_some() {
                for sp in g.partitions.values_mut() {
                    sp.release_all(member_id, limit);
                }
                g.group_epoch += 1;
                g.assign(&partitions);
            }
        }
    }

    /// The member's process is gone without a word: its session and its locks run out.
    pub fn share_member_gone(&mut self, group_id: &str, member_id: &str) {
        if let Some(m) = self
            .shares
            .groups
            .get_mut(group_id)
            .and_then(|g| g.members.get_mut(member_id))
        {
            m.heartbeating = false;
        }
    }

    /// Sets or removes (`None`) a group config (`kafka-configs.sh --entity-type groups`).
    pub fn set_group_config(&mut self, group_id: &str, name: &str, value: Option<&str>) {
        let configs = self.shares.configs.entry(group_id.to_string()).or_default();
        match value {
            Some(v) => {
                configs.insert(name.to_string(), v.to_string());
            }
            None => {
                configs.remove(name);
            }
        }
        if configs.is_empty() {
            self.shares.configs.remove(group_id);
        }
    }

    pub fn group_configs(&self, group_id: &str) -> Vec<(String, String)> {
        self.shares
            .configs
            .get(group_id)
            .map(|c| c.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default()
    }

    /// `AlterShareGroupOffsets`: new start offsets for an empty group's share-partitions.
    pub fn reset_share_offsets(&mut self, group_id: &str, offsets: &[(TopicPartition, i64)]) {
        let epochs: VecMap<TopicPartition, i32> = offsets
            .iter()
            .map(|(tp, _)| {
                let e = self
                    .topics
                    .get(&tp.topic)
                    .and_then(|t| t.partition(tp.partition))
                    .map_or(0, |p| p.leader_epoch);
                (tp.clone(), e)
            })
            .collect();
        let group = self
            .shares
            .groups
            .entry(group_id.to_string())
            .or_insert_with(|| ShareGroup {
                group_id: group_id.to_string(),
                ..ShareGroup::default()
            });
        for (tp, offset) in offsets {
            let epoch = epochs.get(tp).copied().unwrap_or(0);
            group
                .partitions
                .insert(tp.clone(), SharePartition::starting_at(*offset, epoch));
        }
    }

    /// `DeleteShareGroupOffsets`: forgets the group's state for these topics.
    pub fn delete_share_offsets(&mut self, group_id: &str, topics: &[String]) {
        if let Some(g) = self.shares.groups.get_mut(group_id) {
            g.partitions.retain(|tp, _| !topics.contains(&tp.topic));
            let kept: Vec<TopicPartition> = g
                .initialized
                .iter()
                .filter(|tp| !topics.contains(&tp.topic))
                .cloned()
                .collect();
            g.initialized = kept.into_iter().collect();
        }
    }

    /// `DeleteShareGroups`: the group and its share-partition state go.
    pub fn delete_share_group(&mut self, group_id: &str) -> bool {
        self.shares.groups.remove(group_id).is_some()
    }

    pub(super) fn share_tick(&mut self, now: i64) {
        let partitions = self.partitions_per_topic();
        self.shares.tick(now, &partitions);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::cluster::tests::cluster;
    use crate::engine::{NewTopic, ProducerRecord};

    fn produce(c: &mut Cluster, n: usize) {
        for i in 0..n {
            let r = ProducerRecord {
                value: Some(format!("m{i}").into_bytes()),
                partition: Some(0),
                ..Default::default()
            };
            c.produce("q", r, &mut crate::engine::StickyPartitioner::new())
                .unwrap();
        }
    }

    // Kafka: core/src/main/java/kafka/server/share/SharePartition.java — records are handed
    // out one acquisition at a time, so two members of one share group split a partition.
    #[test]
    fn two_members_split_one_partition() {
        let mut c = cluster();
        c.create_topic("q", NewTopic::default()).unwrap();
        c.set_group_config("s", "share.auto.offset.reset", Some("earliest"));
        c.share_group_join("s", "a", "console-share-consumer", vec!["q".into()])
            .unwrap();
        c.share_group_join("s", "b", "console-share-consumer", vec!["q".into()])
            .unwrap();
        let tp = TopicPartition::new("q", 0);
        assert_eq!(c.share_assignment("s", "b"), vec![tp.clone()]);
        produce(&mut c, 1);
        // a joined first, so it waited longest.
        assert_eq!(c.share_fetch("s", "b"), vec![]);
        assert_eq!(c.share_fetch("s", "a"), vec![(tp.clone(), vec![0])]);
        assert!(c.share_acknowledge("s", "a", &tp, 0, AcknowledgeType::Accept));
        produce(&mut c, 1);
        assert_eq!(c.share_fetch("s", "a"), vec![]);
        assert_eq!(c.share_fetch("s", "b"), vec![(tp.clone(), vec![1])]);
        // b's lock runs out: the record goes back, for its second delivery.
        c.share_member_gone("s", "b");
        c.advance(30_000);
        assert_eq!(c.share_fetch("s", "a"), vec![(tp.clone(), vec![1])]);
        let sp = &c.share_group("s").unwrap().partitions;
        assert_eq!(sp.get(&tp).unwrap().record(1).unwrap().delivery_count, 2);
        // After the session timeout b is gone.
        c.advance(15_000);
        assert_eq!(c.share_group("s").unwrap().members.len(), 1);
    }
}
