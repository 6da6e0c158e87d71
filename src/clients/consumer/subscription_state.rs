//! `SubscriptionState` and the coordinator's offset commits: the position of each partition a
//! consumer owns (the next offset it will read), and committing them for its group: every
//! `auto.commit.interval.ms` while it polls, when partitions are revoked, and on close.
//!
//! Invariant: only partitions it holds a position for are committed, and only offsets that
//! differ from the group's committed ones are written.

use super::auto_commit::AutoCommit;
use crate::engine::{Cluster, TopicPartition};
use crate::vec_map::VecMap;

#[derive(Debug, Clone)]
pub struct SubscriptionState {
    positions: VecMap<TopicPartition, i64>,
    auto_commit: AutoCommit,
}

impl SubscriptionState {
    pub fn new(auto_commit: AutoCommit) -> SubscriptionState {
        SubscriptionState {
            positions: VecMap::new(),
            auto_commit,
        }
    }

    pub fn position(&self, tp: &TopicPartition) -> Option<i64> {
        self.positions.get(tp).copied()
    }

    pub fn has_position(&self, tp: &TopicPartition) -> bool {
        self.positions.contains_key(tp)
    }

    /// `seek`: the next offset to read from `tp`.
    pub fn seek(&mut self, tp: &TopicPartition, offset: i64) {
        match self.positions.get_mut(tp) {
            Some(p) => *p = offset,
            None => {
                self.positions.insert(tp.clone(), offset);
            }
        }
    }

    /// Forgets the positions of partitions no longer assigned.
    pub fn retain(&mut self, mut assigned: impl FnMut(&TopicPartition) -> bool) {
        self.positions.retain(|tp, _| assigned(tp));
    }

    /// `commitSync` of every position, for `group`.
    pub fn commit(&self, cluster: &mut Cluster, group: &str) {
        if !self.auto_commit.enabled {
            return;
        }
        for (tp, offset) in &self.positions {
            if cluster.committed_offset(group, tp) != Some(*offset) {
                cluster.commit_offset(group, tp.clone(), *offset);
            }
        }
    }

    /// `maybeAutoCommitOffsetsAsync`, on each poll: commits once the timer has run out.
    pub fn maybe_auto_commit(&mut self, cluster: &mut Cluster, group: &str) {
        if self.auto_commit.due(cluster.now_ms()) {
            self.commit(cluster, group);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clients::config::Properties;
    use crate::engine::{ClusterConfig, NewTopic};

    #[test]
    fn positions_are_committed_on_the_timer() {
        let mut c = Cluster::new(ClusterConfig::default());
        c.create_topic("t", NewTopic::default()).unwrap();
        let tp = TopicPartition::new("t", 0);
        let timer = AutoCommit::new(&Properties::default(), c.now_ms()).unwrap();
        let mut s = SubscriptionState::new(timer);
        s.seek(&tp, 0);
        c.advance(4_999);
        s.maybe_auto_commit(&mut c, "g");
        assert_eq!(c.committed_offset("g", &tp), None);
        c.advance(1);
        s.maybe_auto_commit(&mut c, "g");
        assert_eq!(c.committed_offset("g", &tp), Some(0));
    }
}
