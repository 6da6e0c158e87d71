//! What the controller decides for partitions (Kafka's `ReplicationControlManager`): leader
//! elections, ISR changes, reassignments and automatic preferred leader balancing.

use super::{Cluster, LEADER_IMBALANCE_CHECK_INTERVAL_MS, MIN_INSYNC_REPLICAS};
use crate::engine::BrokerId;
use crate::engine::broker::Brokers;
use crate::engine::error::{ErrorCode, KafkaError};
use crate::engine::partition_change::{self, Change, Election};
use crate::engine::replication::{self, ReplicationConfig};
use crate::engine::topic::{Topic, TopicPartition};

impl Cluster {
    /// KRaft's automatic preferred leader election: once some partition is led by another
    /// replica than its first, the controller checks again after
    /// `leader.imbalance.check.interval.seconds` and hands each such partition back to its
    /// preferred replica if that one is alive and in sync. (The KRaft controller does this for
    /// every imbalanced partition; it does not use `leader.imbalance.per.broker.percentage`.)
    pub(super) fn balance_leaders_when_due(&mut self, now: i64) {
        // A new active controller schedules its first check afresh.
        if !self.has_controller() {
            self.next_leader_balance_ms = None;
            return;
        }
        if self.next_leader_balance_ms.is_some_and(|t| now >= t) {
            self.next_leader_balance_ms = None;
            self.elect_preferred_leaders();
        }
        if self.next_leader_balance_ms.is_none() && self.leaders_imbalanced() {
            self.next_leader_balance_ms = Some(now + LEADER_IMBALANCE_CHECK_INTERVAL_MS);
        }
    }

    fn leaders_imbalanced(&self) -> bool {
        self.topics
            .values()
            .flat_map(|t| t.partitions.iter())
            .any(|p| p.leader.is_none() || p.leader != p.replicas.first().copied())
    }

    /// A preferred election for every partition led by another replica than its unfenced
    /// preferred one (which leads if it is in sync).
    fn elect_preferred_leaders(&mut self) {
        self.for_each_partition(|p, brokers, cfg| {
            let Some(preferred) = p.replicas.first().copied() else {
                return;
            };
            if p.leader != Some(preferred) && replication::can_lead(brokers, preferred) {
                let change = Change {
                    election: Election::Preferred,
                    ..cfg.change(p.isr.clone())
                };
                partition_change::apply(p, change, &|b| replication::can_lead(brokers, b));
            }
        });
        self.collect_truncations();
    }

    /// `ElectLeaders` for one partition. `Ok(true)` when a new leader was elected, `Ok(false)`
    /// when a valid leader was already in place ("Valid replica already elected"). The
    /// controller runs its usual election (ISR, then ELR, then the last known leader) with the
    /// preferred replica first, or with an unclean fallback.
    pub fn elect_leader(&mut self, tp: &TopicPartition, unclean: bool) -> Result<bool, KafkaError> {
        self.require_controller()?;
        let Some(topic) = self.topics.get(&tp.topic) else {
            return Err(KafkaError::new(
                ErrorCode::UnknownTopicOrPartition,
                format!("No such topic as {}", tp.topic),
            ));
        };
        let cfg = self.replication_config(topic);
        let brokers = Brokers(&self.brokers);
        let Some(p) = self
            .topics
            .get_mut(&tp.topic)
            .and_then(|t| t.partition_mut(tp.partition))
        else {
            return Err(KafkaError::new(
                ErrorCode::UnknownTopicOrPartition,
                format!("No such partition as {tp}"),
            ));
        };
        // ELECTION_NOT_NEEDED: a leader for an unclean election, the preferred one otherwise.
        let not_needed = if unclean {
            p.leader.is_some()
        } else {
            p.leader.is_some() && p.leader == p.replicas.first().copied()
        };
        let (election, code, strategy) = if unclean {
            let code = ErrorCode::EligibleLeadersNotAvailable;
            (Election::Unclean, code, "UncleanElection")
        } else {
            let code = ErrorCode::PreferredLeaderNotAvailable;
            (Election::Preferred, code, "PreferredElection")
        };
        let result = if not_needed {
            Ok(false)
        } else {
            let change = Change {
                election,
                ..cfg.change(p.isr.clone())
            };
            if partition_change::apply(p, change, &|b| replication::can_lead(&brokers, b)) {
                Ok(true)
            } else {
                Err(KafkaError::new(
                    code,
                    format!("Failed to elect leader for partition {tp} under strategy {strategy}"),
                ))
            }
        };
        self.collect_truncations();
        self.sync_metadata();
        result
    }

    /// `AlterPartitionReassignments`: moves a partition to `target` replicas. New replicas are
    /// added and catch up; once they are all in the ISR the old ones are removed and, if the
    /// leader is not among the targets, the first target in the ISR takes over.
    pub fn reassign(
        &mut self,
        tp: &TopicPartition,
        target: Vec<BrokerId>,
    ) -> Result<(), KafkaError> {
        self.require_controller()?;
        for b in &target {
            if self.broker(*b).is_none() {
                return Err(KafkaError::new(
                    ErrorCode::InvalidReplicaAssignment,
                    format!("Unknown broker id {b}"),
                ));
            }
        }
        let p = self
            .topics
            .get_mut(&tp.topic)
            .and_then(|t| t.partition_mut(tp.partition))
            .ok_or_else(|| KafkaError::bare(ErrorCode::UnknownTopicOrPartition))?;
        let original: Vec<BrokerId> = p
            .replicas
            .iter()
            .copied()
            .filter(|r| !p.adding.contains(r))
            .collect();
        p.adding = target
            .iter()
            .copied()
            .filter(|b| !original.contains(b))
            .collect();
        p.removing = original
            .iter()
            .copied()
            .filter(|b| !target.contains(b))
            .collect();
        let mut replicas = target.clone();
        replicas.extend(p.removing.iter().copied());
        p.replicas = replicas;
        for b in &p.adding {
            p.replica_leo.entry(*b).or_insert(0);
        }
        self.tick();
        Ok(())
    }

    /// Cancels a reassignment: back to the original replicas.
    pub fn cancel_reassignment(&mut self, tp: &TopicPartition) -> bool {
        if !self.has_controller() {
            return false;
        }
        let Some(p) = self
            .topics
            .get_mut(&tp.topic)
            .and_then(|t| t.partition_mut(tp.partition))
        else {
            return false;
        };
        if p.adding.is_empty() && p.removing.is_empty() {
            return false;
        }
        let adding = std::mem::take(&mut p.adding);
        p.removing.clear();
        p.replicas.retain(|r| !adding.contains(r));
        // Replicas no longer assigned leave the ISR and ELR outright (never eligible).
        p.isr.retain(|r| !adding.contains(r));
        p.elr.retain(|r| !adding.contains(r));
        p.last_known_elr.retain(|r| !adding.contains(r));
        let target = p.isr.clone();
        self.change_partition(tp, target);
        self.tick();
        true
    }

    /// Sets a partition's ISR through the controller (ELR kept, a new leader elected if its
    /// leader is not in the ISR).
    fn change_partition(&mut self, tp: &TopicPartition, target_isr: Vec<BrokerId>) {
        let Some(cfg) = self
            .topics
            .get(&tp.topic)
            .map(|t| self.replication_config(t))
        else {
            return;
        };
        let brokers = Brokers(&self.brokers);
        if let Some(p) = self
            .topics
            .get_mut(&tp.topic)
            .and_then(|t| t.partition_mut(tp.partition))
        {
            let change = cfg.change(target_isr);
            partition_change::apply(p, change, &|b| replication::can_lead(&brokers, b));
        }
        self.collect_truncations();
    }

    /// Finishes reassignments whose new replicas have all joined the ISR: the removed replicas
    /// leave the replicas, ISR and ELR, and the leader changes if it was one of them.
    pub(super) fn complete_reassignments(&mut self) {
        self.for_each_partition(|p, brokers, cfg| {
            if p.adding.is_empty() && p.removing.is_empty() {
                return;
            }
            if !p.adding.iter().all(|b| p.isr.contains(b)) {
                return;
            }
            let removing = std::mem::take(&mut p.removing);
            p.adding.clear();
            // Replicas no longer assigned leave the ISR and ELR outright (never eligible).
            p.replicas.retain(|r| !removing.contains(r));
            p.isr.retain(|r| !removing.contains(r));
            p.elr.retain(|r| !removing.contains(r));
            p.last_known_elr.retain(|r| !removing.contains(r));
            for r in &removing {
                p.replica_leo.remove(r);
                p.caught_up_ms.remove(r);
            }
            let change = cfg.change(p.isr.clone());
            partition_change::apply(p, change, &|b| replication::can_lead(brokers, b));
        });
    }

    pub(super) fn replication_config(&self, topic: &Topic) -> ReplicationConfig {
        let (min_isr, unclean) = self.replication_settings(topic);
        ReplicationConfig::new(
            min_isr,
            topic.replication_factor(),
            unclean,
            self.has_controller(),
        )
    }

    /// The topic's `min.insync.replicas` and `unclean.leader.election.enable`, as resolved
    /// through its configs and the broker's.
    pub(super) fn replication_settings(&self, topic: &Topic) -> (usize, bool) {
        let min_isr = self.long_config(topic, MIN_INSYNC_REPLICAS, 1).max(1) as usize;
        let unclean = self
            .topic_config_str(topic, "unclean.leader.election.enable")
            .is_some_and(|v| v == "true");
        (min_isr, unclean)
    }

    pub(super) fn replicate_all(&mut self, now: i64) {
        self.for_each_partition(|p, brokers, cfg| replication::step(p, brokers, now, cfg));
    }

    /// Partitions left without a leader get one if a replica can now lead.
    pub(super) fn elect_offline_partitions(&mut self) {
        self.for_each_partition(|p, brokers, cfg| {
            if p.leader.is_none() && cfg.controller {
                replication::elect_leader(p, brokers, cfg);
            }
        });
        self.tick();
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::cluster;
    use super::*;
    use crate::engine::cluster::NewTopic;

    #[test]
    fn the_controller_restores_preferred_leaders_every_five_minutes() {
        let mut c = cluster();
        let rf3 = NewTopic {
            replication_factor: Some(3),
            ..Default::default()
        };
        c.create_topic("t", rf3).unwrap();
        let leader = |c: &Cluster| c.topic("t").unwrap().partitions[0].leader;
        let preferred = leader(&c).unwrap();
        c.stop_broker(preferred).unwrap();
        c.start_broker(preferred).unwrap();
        assert_ne!(leader(&c), Some(preferred));
        c.advance(LEADER_IMBALANCE_CHECK_INTERVAL_MS - 1);
        assert_ne!(leader(&c), Some(preferred), "not before the check");
        c.advance(1);
        assert_eq!(leader(&c), Some(preferred));
    }
}
