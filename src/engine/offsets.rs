//! Committed offsets per consumer group and partition (what `__consumer_offsets` holds).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::topic::TopicPartition;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OffsetAndMetadata {
    pub offset: i64,
    pub commit_timestamp: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OffsetStore {
    groups: BTreeMap<String, BTreeMap<TopicPartition, OffsetAndMetadata>>,
}

impl OffsetStore {
    pub fn committed(&self, group: &str, tp: &TopicPartition) -> Option<OffsetAndMetadata> {
        self.groups.get(group)?.get(tp).copied()
    }

    pub fn commit(&mut self, group: &str, tp: TopicPartition, offset: i64, now_ms: i64) {
        self.groups.entry(group.to_string()).or_default().insert(
            tp,
            OffsetAndMetadata {
                offset,
                commit_timestamp: now_ms,
            },
        );
    }

    /// Group ids with committed offsets, sorted.
    pub fn group_ids(&self) -> impl Iterator<Item = &str> {
        self.groups.keys().map(String::as_str)
    }

    pub fn offsets(
        &self,
        group: &str,
    ) -> impl Iterator<Item = (&TopicPartition, &OffsetAndMetadata)> {
        self.groups.get(group).into_iter().flatten()
    }

    pub fn has_group(&self, group: &str) -> bool {
        self.groups.get(group).is_some_and(|o| !o.is_empty())
    }

    pub fn remove_offsets(&mut self, group: &str, tps: &[TopicPartition]) {
        if let Some(offsets) = self.groups.get_mut(group) {
            offsets.retain(|tp, _| !tps.contains(tp));
        }
    }

    pub fn remove_group(&mut self, group: &str) {
        self.groups.remove(group);
    }

    /// Deleting a topic deletes every group's offsets for it, as the coordinator does.
    pub fn remove_topic(&mut self, topic: &str) {
        for offsets in self.groups.values_mut() {
            offsets.retain(|tp, _| tp.topic != topic);
        }
    }
}
