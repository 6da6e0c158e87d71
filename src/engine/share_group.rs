//! Share groups (KIP-932, "Queues for Kafka"): the group coordinator's share groups, their
//! members and the share-partitions they read. The server-side `SimpleAssignor` gives every
//! member every partition of the topics it subscribes to, so several members read one
//! partition and the share-partition hands each record to one of them at a time.
//!
//! Invariant: a group's state follows from its members (Empty without, Stable with); its
//! share-partitions outlive its members and go only with `--delete`/`--delete-offsets`.

use super::share_partition::{DELIVERY_COUNT_LIMIT, RECORD_LOCK_DURATION_MS, SharePartition};
use super::topic::TopicPartition;
use crate::vec_map::{VecMap, VecSet};

/// `group.share.session.timeout.ms`: a member that stops heartbeating is removed after it.
pub const SHARE_SESSION_TIMEOUT_MS: i64 = 45_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShareGroupState {
    Empty,
    Stable,
    Dead,
}

impl ShareGroupState {
    pub fn name(self) -> &'static str {
        match self {
            ShareGroupState::Empty => "Empty",
            ShareGroupState::Stable => "Stable",
            ShareGroupState::Dead => "Dead",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ShareMember {
    pub member_id: String,
    pub client_id: String,
    pub host: String,
    pub subscribed: Vec<String>,
    pub assignment: Vec<TopicPartition>,
    pub member_epoch: i32,
    pub last_heartbeat_ms: i64,
    /// False once its process is gone without leaving (`kill -9`): the session runs out.
    pub heartbeating: bool,
    /// Its place in the queue of waiting share fetches (lower waited longer): a live member
    /// is always waiting for records, from its last answer on.
    #[serde(default)]
    pub fetch_seq: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct ShareGroup {
    pub group_id: String,
    pub group_epoch: i32,
    pub assignment_epoch: i32,
    pub members: VecMap<String, ShareMember>,
    /// Share-partition state, kept by the share coordinator (`__share_group_state`).
    #[serde(default, with = "pairs")]
    pub partitions: VecMap<TopicPartition, SharePartition>,
    /// Partitions whose share state the share coordinator has initialized.
    #[serde(default)]
    pub initialized: VecSet<TopicPartition>,
}

impl ShareGroup {
    pub fn state(&self) -> ShareGroupState {
        if self.members.is_empty() {
            ShareGroupState::Empty
        } else {
            ShareGroupState::Stable
        }
    }

    /// The `SimpleAssignor`'s target: every partition of a member's subscribed topics.
    pub(crate) fn assign(&mut self, partitions_per_topic: &VecMap<String, i32>) {
        let mut changed = false;
        let mut uninitialized = false;
        for m in self.members.values_mut() {
            let target: Vec<TopicPartition> = m
                .subscribed
                .iter()
                .flat_map(|t| {
                    let n = partitions_per_topic.get(t).copied().unwrap_or(0);
                    (0..n).map(move |p| TopicPartition::new(t, p))
                })
                .collect();
            for tp in &target {
                if !self.initialized.contains(tp) {
                    self.initialized.insert(tp.clone());
                    uninitialized = true;
                }
            }
            if target != m.assignment {
                m.assignment = target;
                changed = true;
            }
        }
        if changed {
            self.group_epoch += 1;
        }
        // Partitions new to the group are assigned once the share coordinator has initialized
        // their state, which bumps the group epoch again (`InitializeShareGroupState`).
        if uninitialized {
            self.group_epoch += 1;
        }
        self.assignment_epoch = self.group_epoch;
        for m in self.members.values_mut() {
            m.member_epoch = self.group_epoch;
        }
    }
}

/// JSON object keys must be strings, so the share-partitions are stored as a list of pairs.
mod pairs {
    use serde::{Deserialize, Deserializer, Serializer};

    use super::{SharePartition, TopicPartition};
    use crate::vec_map::VecMap;

    pub fn serialize<S: Serializer>(
        map: &VecMap<TopicPartition, SharePartition>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.collect_seq(map.as_slice())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<VecMap<TopicPartition, SharePartition>, D::Error> {
        let list: Vec<(TopicPartition, SharePartition)> = Vec::deserialize(d)?;
        Ok(VecMap::from(list))
    }
}

/// The share groups and their group-level configs (`kafka-configs.sh --entity-type groups`).
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct ShareCoordinator {
    #[serde(default)]
    pub groups: VecMap<String, ShareGroup>,
    #[serde(default)]
    pub configs: VecMap<String, VecMap<String, String>>,
    #[serde(default)]
    pub next_fetch_seq: u64,
}

impl ShareCoordinator {
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty() && self.configs.is_empty()
    }

    pub fn config(&self, group: &str, name: &str) -> Option<&str> {
        self.configs
            .get(group)
            .and_then(|c| c.get(name))
            .map(String::as_str)
    }

    pub fn delivery_count_limit(&self, group: &str) -> i32 {
        self.config(group, "share.delivery.count.limit")
            .and_then(|v| v.parse().ok())
            .unwrap_or(DELIVERY_COUNT_LIMIT)
    }

    pub fn record_lock_duration_ms(&self, group: &str) -> i64 {
        self.config(group, "share.record.lock.duration.ms")
            .and_then(|v| v.parse().ok())
            .unwrap_or(RECORD_LOCK_DURATION_MS)
    }

    /// Whether `member` may take records from `tp` now: no other member of the group that is
    /// waiting for records on it has waited longer. The broker answers waiting share fetches
    /// in the order they came, which is how a queue spreads its records over its consumers.
    pub(crate) fn first_in_line(group: &ShareGroup, member: &str, tp: &TopicPartition) -> bool {
        let Some(me) = group.members.get(member) else {
            return false;
        };
        !group.members.values().any(|m| {
            m.member_id != member
                && m.heartbeating
                && m.assignment.contains(tp)
                && m.fetch_seq < me.fetch_seq
        })
    }

    /// Expired locks and sessions at `now`.
    pub(crate) fn tick(&mut self, now: i64, partitions_per_topic: &VecMap<String, i32>) {
        for (id, g) in self.groups.iter_mut() {
            let limit = self
                .configs
                .get(id)
                .and_then(|c| c.get("share.delivery.count.limit"))
                .and_then(|v| v.parse().ok())
                .unwrap_or(DELIVERY_COUNT_LIMIT);
            for sp in g.partitions.values_mut() {
                sp.expire_locks(now, limit);
            }
            let expired: Vec<String> = g
                .members
                .values()
                .filter(|m| {
                    !m.heartbeating && now - m.last_heartbeat_ms >= SHARE_SESSION_TIMEOUT_MS
                })
                .map(|m| m.member_id.clone())
                .collect();
            for member in &expired {
                g.members.remove(member);
                for sp in g.partitions.values_mut() {
                    sp.release_all(member, limit);
                }
            }
            if !expired.is_empty() {
                g.group_epoch += 1;
                g.assign(partitions_per_topic);
            }
        }
    }

    /// The next lock expiry or session timeout.
    pub(crate) fn next_deadline(&self) -> Option<i64> {
        self.groups
            .values()
            .flat_map(|g| {
                let locks = g
                    .partitions
                    .values()
                    .filter_map(SharePartition::next_lock_expiry);
                let sessions = g
                    .members
                    .values()
                    .filter(|m| !m.heartbeating)
                    .map(|m| m.last_heartbeat_ms + SHARE_SESSION_TIMEOUT_MS);
                locks.chain(sessions).collect::<Vec<_>>()
            })
            .min()
    }
}
