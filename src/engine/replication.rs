//! Replication on the simulated clock: followers fetch from leaders, the ISR shrinks and grows
//! (`replica.lag.time.max.ms`), the high watermark advances, and the controller elects leaders
//! (from the ISR, then the eligible leader replicas, then the last known leader; unclean from
//! any live replica when the topic allows it). Every ISR and leader change goes through
//! [`partition_change::apply`], which keeps the ELR as Kafka 4.1 does.

use super::BrokerId;
use super::broker::{Broker, Brokers};
use super::partition::Partition;
use super::partition_change::{self, Change, Election};

/// `replica.lag.time.max.ms`.
pub const REPLICA_LAG_TIME_MAX_MS: i64 = 30_000;

/// Per-topic settings replication needs.
#[derive(Debug, Clone, Copy)]
pub struct ReplicationConfig {
    /// min(`min.insync.replicas`, replication factor): since Kafka 3.7 the effective minimum.
    pub effective_min_isr: usize,
    pub unclean_leader_election: bool,
    /// An active controller exists. Elections and ISR changes are the controller's (the
    /// leader asks it with `AlterPartition`); without one, leaders and ISRs stay as they are
    /// while followers keep fetching and the high watermark keeps moving.
    pub controller: bool,
}

impl ReplicationConfig {
    /// The settings of a topic with `min.insync.replicas` = `min_isr` and
    /// `replication_factor` replicas: the minimum is bounded by the replicas there are.
    pub fn new(
        min_isr: usize,
        replication_factor: usize,
        unclean_leader_election: bool,
        controller: bool,
    ) -> Self {
        ReplicationConfig {
            effective_min_isr: min_isr.min(replication_factor).max(1),
            unclean_leader_election,
            controller,
        }
    }

    /// The election the controller runs for this topic's partitions.
    pub fn election(&self) -> Election {
        if self.unclean_leader_election {
            Election::Unclean
        } else {
            Election::Online
        }
    }

    /// A change to `target_isr` with this topic's election and min ISR.
    pub fn change(&self, target_isr: Vec<BrokerId>) -> Change {
        Change {
            target_isr,
            election: self.election(),
            unclean_shutdown: None,
            min_isr: self.effective_min_isr,
        }
    }
}

/// May lead, as the controller sees it: registered and not fenced (a crashed broker stays so
/// until its session times out).
pub fn can_lead(brokers: &Brokers, b: BrokerId) -> bool {
    brokers.get(&b).is_some_and(Broker::is_registered_alive)
}

/// One replication step for a partition at `now`: fetches, ISR changes, elections, high watermark.
pub fn step(p: &mut Partition, brokers: &Brokers, now: i64, cfg: ReplicationConfig) {
    if cfg.controller {
        controller_step(p, brokers, cfg);
    }
    let Some(leader_id) = p.leader else {
        return;
    };
    let Some(leader) = brokers.get(&leader_id) else {
        return;
    };
    // Followers fetch; those that cannot fall behind and, after the lag time, out of the ISR.
    let leader_leo = p.log.log_end_offset();
    // By index, not over a copy: this runs for every produced record, and ISR changes leave
    // the replicas as they are.
    let mut next = 0;
    while let Some(&f) = p.replicas.get(next) {
        next += 1;
        if f == leader_id {
            continue;
        }
        let Some(follower) = brokers.get(&f) else {
            continue;
        };
        if follower.can_fetch_from(leader) {
            p.replica_leo.insert(f, leader_leo);
            p.caught_up_ms.insert(f, now);
            if !p.isr.contains(&f) && cfg.controller {
                // A caught-up follower rejoins at the end of the ISR, as the controller adds it.
                let mut target = p.isr.clone();
                target.push(f);
                partition_change::apply(p, cfg.change(target), &|b| can_lead(brokers, b));
            }
        } else if p.isr.contains(&f) && cfg.controller {
            let last = p.caught_up_ms.get(&f).copied().unwrap_or(now);
            let behind = p.replica_leo.get(&f).copied().unwrap_or(0) < leader_leo;
            let stale = now - last > REPLICA_LAG_TIME_MAX_MS;
            if (behind || !follower.is_available()) && stale || follower.fenced {
                let target = p.isr.iter().copied().filter(|x| *x != f).collect();
                partition_change::apply(p, cfg.change(target), &|b| can_lead(brokers, b));
            }
        }
        p.caught_up_ms.entry(f).or_insert(now);
    }
    p.update_high_watermark(cfg.effective_min_isr);
}

/// What the controller does for a partition: a fenced broker still in the ISR leaves it (the
/// cluster's fencing normally took it out already; with ELR the ISR may become empty), and a
/// partition whose leader cannot serve gets one if some replica may lead (on unfencing).
fn controller_step(p: &mut Partition, brokers: &Brokers, cfg: ReplicationConfig) {
    // Bounded: each change takes one fenced broker out of the ISR.
    while let Some(b) = p
        .isr
        .iter()
        .copied()
        .filter(|b| !can_lead(brokers, *b))
        .min()
    {
        let target = p.isr.iter().copied().filter(|x| *x != b).collect();
        partition_change::apply(p, cfg.change(target), &|r| r != b && can_lead(brokers, r));
    }
    let leader_ok = p.leader.is_some_and(|l| can_lead(brokers, l));
    if !leader_ok {
        elect_leader(p, brokers, cfg);
    }
}

/// When the next in-sync follower that cannot keep up drops out of the ISR: just after it has
/// been behind (or unreachable) for `replica.lag.time.max.ms` since it was last caught up.
/// Time stops there, so a waiting `acks=all` request sees the high watermark move at once.
pub fn next_isr_expiry(p: &Partition, brokers: &Brokers) -> Option<i64> {
    let leader = brokers.get(&p.leader?)?;
    let leader_leo = p.log.log_end_offset();
    p.isr
        .iter()
        .filter(|f| Some(**f) != p.leader)
        .filter_map(|f| {
            let follower = brokers.get(f)?;
            let behind = p.replica_leo.get(f).copied().unwrap_or(0) < leader_leo;
            let lagging = behind || !follower.is_available();
            if follower.can_fetch_from(leader) || !lagging {
                return None;
            }
            Some(p.caught_up_ms.get(f)? + REPLICA_LAG_TIME_MAX_MS + 1)
        })
        .min()
}

/// Elects a leader for a partition whose leader cannot serve, keeping its ISR: the first
/// replica (in assignment order) in the ISR — or, with the ISR empty, in the ELR — that may
/// lead; failing that the last known leader; failing that, with unclean election allowed, the
/// first replica that may lead. Without any, the partition goes offline.
pub fn elect_leader(p: &mut Partition, brokers: &Brokers, cfg: ReplicationConfig) {
    let target = p.isr.clone();
    partition_change::apply(p, cfg.change(target), &|b| can_lead(brokers, b));
}

#[cfg(test)]
mod tests {
    use crate::engine::error::ErrorCode;
    use crate::engine::{
        Acks, Cluster, ClusterConfig, NewTopic, ProducerRecord, StickyPartitioner, TopicPartition,
    };

    fn cluster_with(topic: &str, rf: i16, configs: &[(&str, &str)]) -> Cluster {
        let mut c = Cluster::new(ClusterConfig::default());
        let new = NewTopic {
            partitions: Some(1),
            replication_factor: Some(rf),
            configs: configs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        };
        c.create_topic(topic, new).unwrap();
        c
    }

    fn send(c: &mut Cluster, acks: Acks) -> Result<i64, ErrorCode> {
        let rec = ProducerRecord {
            key: Some(b"k".to_vec()),
            value: Some(b"v".to_vec()),
            ..Default::default()
        };
        c.produce_with_acks("t", rec, &mut StickyPartitioner::new(), acks)
            .map(|m| m.offset)
            .map_err(|e| e.code)
    }

    fn p0(c: &Cluster) -> crate::engine::Partition {
        c.topic("t").unwrap().partitions[0].clone()
    }

    #[test]
    fn controlled_shutdown_moves_leadership_and_the_broker_rejoins_later() {
        let mut c = cluster_with("t", 3, &[]);
        let before = p0(&c);
        let leader = before.leader.unwrap();
        c.stop_broker(leader).unwrap();
        let after = p0(&c);
        assert_ne!(after.leader, Some(leader));
        assert!(!after.isr.contains(&leader));
        assert_eq!(after.leader_epoch, before.leader_epoch + 1);
        assert_eq!(send(&mut c, Acks::All), Ok(0));
        c.start_broker(leader).unwrap();
        let back = p0(&c);
        assert_eq!(
            back.isr.last(),
            Some(&leader),
            "rejoins at the end of the ISR"
        );
        assert_eq!(back.replica_log_end(leader), 1, "and has caught up");
    }

    #[test]
    fn below_min_isr_acks_all_is_refused_and_acks_1_stays_invisible() {
        let mut c = cluster_with("t", 3, &[("min.insync.replicas", "2")]);
        let replicas = p0(&c).replicas;
        c.stop_broker(replicas[1]).unwrap();
        c.stop_broker(replicas[2]).unwrap();
        assert_eq!(send(&mut c, Acks::All), Err(ErrorCode::NotEnoughReplicas));
        assert_eq!(send(&mut c, Acks::Leader), Ok(0));
        let tp = TopicPartition::new("t", 0);
        assert_eq!(c.offsets_of(&tp), Ok((0, 0)), "the high watermark is held");
        assert!(c.fetch(&tp, 0, 10).unwrap().is_empty());
        c.start_broker(replicas[1]).unwrap();
        assert_eq!(c.offsets_of(&tp), Ok((0, 1)));
        assert_eq!(c.fetch(&tp, 0, 10).unwrap().len(), 1);
    }

    fn sent(c: &mut Cluster) -> crate::engine::InFlight {
        let rec = ProducerRecord {
            value: Some(b"v".to_vec()),
            ..Default::default()
        };
        c.send("t", rec, &mut StickyPartitioner::new(), Acks::All)
            .unwrap()
    }

    #[test]
    fn acks_all_waits_for_a_lagging_follower_to_leave_the_isr() {
        let mut c = cluster_with("t", 3, &[]);
        let follower = p0(&c).replicas[2];
        c.slow_broker(follower, true).unwrap();
        c.advance(10_000);
        assert_eq!(send(&mut c, Acks::All), Err(ErrorCode::RequestTimedOut));
        let start = c.now_ms();
        let waiting = sent(&mut c);
        assert_eq!(c.await_acks(&waiting, 30_000).map(|m| m.offset), Ok(1));
        assert_eq!(
            c.now_ms() - start,
            20_001,
            "until 30 s after it last caught up"
        );
        assert!(!p0(&c).isr.contains(&follower));
    }

    #[test]
    fn a_cut_off_leader_never_answers_and_its_record_is_sent_again() {
        let mut c = cluster_with("t", 3, &[]);
        let leader = p0(&c).leader.unwrap();
        c.isolate_broker(leader, true).unwrap();
        let waiting = sent(&mut c);
        assert_eq!(
            c.await_acks(&waiting, 30_000).map_err(|e| e.code),
            Err(ErrorCode::RequestTimedOut)
        );
        assert_ne!(p0(&c).leader, Some(leader), "fenced and replaced meanwhile");
        assert!(!c.still_in_log(&waiting), "its record was cut off");
        let again = c.resend(&waiting).unwrap();
        assert_eq!(c.await_acks(&again, 30_000).map(|m| m.offset), Ok(0));
    }

    #[test]
    fn a_crashed_leader_is_replaced_after_the_session_timeout() {
        let mut c = cluster_with("t", 3, &[]);
        let leader = p0(&c).leader.unwrap();
        c.kill_broker(leader).unwrap();
        assert_eq!(send(&mut c, Acks::All), Err(ErrorCode::NotLeaderOrFollower));
        c.advance(8_999);
        assert_eq!(p0(&c).leader, Some(leader));
        c.advance(1);
        assert_ne!(p0(&c).leader, Some(leader));
        assert_eq!(send(&mut c, Acks::All), Ok(0));
    }

    #[test]
    fn unclean_election_loses_what_the_new_leader_never_had() {
        for (unclean, expect_leader) in [(false, false), (true, true)] {
            let flag = if unclean { "true" } else { "false" };
            let mut c = cluster_with("t", 2, &[("unclean.leader.election.enable", flag)]);
            let p = p0(&c);
            let (leader, follower) = (p.replicas[0], p.replicas[1]);
            assert_eq!(send(&mut c, Acks::All), Ok(0));
            c.slow_broker(follower, true).unwrap();
            c.advance(30_001);
            assert_eq!(
                p0(&c).isr.len(),
                2,
                "caught up and idle: still in sync, as in Kafka"
            );
            assert_eq!(send(&mut c, Acks::Leader), Ok(1));
            c.advance(30_001);
            assert_eq!(p0(&c).isr, vec![leader], "behind for 30 s: out of the ISR");
            assert_eq!(send(&mut c, Acks::All), Ok(2));
            // The leader goes down while the follower is still behind.
            c.stop_broker(leader).unwrap();
            c.advance(1);
            let after = p0(&c);
            if expect_leader {
                assert_eq!(after.leader, Some(follower));
                assert_eq!(after.log_end_offset(), 1, "offsets 1 and 2 are gone");
                assert_eq!(send(&mut c, Acks::All), Ok(1), "offset 1 is written again");
            } else {
                assert_eq!(after.leader, None);
                assert!(after.isr.is_empty(), "with ELR the ISR may become empty");
                assert_eq!(after.elr, vec![leader], "the last ISR member is eligible");
                assert_eq!(after.last_known_elr, vec![leader]);
                assert_eq!(send(&mut c, Acks::All), Err(ErrorCode::LeaderNotAvailable));
                c.start_broker(leader).unwrap();
                assert_eq!(p0(&c).leader, Some(leader));
                assert_eq!(p0(&c).log_end_offset(), 3, "nothing was lost");
            }
        }
    }

    #[test]
    fn an_isolated_broker_is_fenced_and_comes_back_when_healed() {
        let mut c = cluster_with("t", 3, &[]);
        let leader = p0(&c).leader.unwrap();
        c.isolate_broker(leader, true).unwrap();
        c.advance(9_000);
        assert!(c.broker(leader).unwrap().fenced);
        assert_ne!(p0(&c).leader, Some(leader));
        c.isolate_broker(leader, false).unwrap();
        assert!(p0(&c).isr.contains(&leader));
    }

    /// Seven nodes (all KRaft controllers), so a quorum stays while the three replicas of
    /// `t` — on brokers 1, 2 and 3, led by 1 — are down; `min.insync.replicas=2`.
    fn seven_nodes() -> Cluster {
        let mut c = Cluster::new(ClusterConfig {
            brokers: 7,
            ..ClusterConfig::default()
        });
        let new = NewTopic {
            configs: vec![("min.insync.replicas".into(), "2".into())],
            ..NewTopic::default()
        };
        c.create_topic_with_assignment("t", vec![vec![1, 2, 3]], new)
            .unwrap();
        c
    }

    fn isr_elr_lke(c: &Cluster) -> (Option<i32>, Vec<i32>, Vec<i32>, Vec<i32>) {
        let p = p0(c);
        (p.leader, p.isr, p.elr, p.last_known_elr)
    }

    #[test]
    fn an_eligible_replica_leads_cleanly_once_the_isr_is_empty() {
        let mut c = seven_nodes();
        assert_eq!(send(&mut c, Acks::All), Ok(0));
        c.stop_broker(2).unwrap();
        assert_eq!(send(&mut c, Acks::All), Ok(1), "broker 2 misses offset 1");
        c.stop_broker(3).unwrap();
        assert_eq!(isr_elr_lke(&c), (Some(1), vec![1], vec![3], vec![]));
        assert_eq!(send(&mut c, Acks::Leader), Ok(2), "never committed");
        c.stop_broker(1).unwrap();
        assert_eq!(isr_elr_lke(&c), (None, vec![], vec![1, 3], vec![1]));
        c.start_broker(2).unwrap();
        assert_eq!(p0(&c).leader, None, "broker 2 is not eligible");
        c.take_notices();
        c.start_broker(3).unwrap();
        assert_eq!(isr_elr_lke(&c), (Some(3), vec![3, 2], vec![], vec![]));
        assert_eq!(
            p0(&c).log_end_offset(),
            2,
            "only the uncommitted record is gone"
        );
        assert!(c.take_notices()[0].contains("were never committed"));
    }

    #[test]
    fn a_restart_after_a_crash_registers_when_the_old_session_ends_and_leaves_the_elr() {
        let mut c = seven_nodes();
        c.stop_broker(2).unwrap();
        c.stop_broker(3).unwrap();
        c.kill_broker(1).unwrap();
        c.start_broker(1).unwrap();
        assert_eq!(p0(&c).leader, Some(1), "its old registration is still live");
        assert_eq!(
            send(&mut c, Acks::Leader),
            Err(ErrorCode::NotLeaderOrFollower)
        );
        c.advance(9_000);
        // Fenced (the ISR empties: 1 joins 3 in the ELR, and is the last leader), then
        // registered again without a clean shutdown: out of the ELR. The last known leader may
        // lead only once the ELR is empty too.
        assert_eq!(isr_elr_lke(&c), (None, vec![], vec![3], vec![1]));
        assert!(!c.broker(1).unwrap().crashed);
    }

    #[test]
    fn a_crashed_eligible_replica_is_no_longer_eligible_when_it_returns() {
        let mut c = seven_nodes();
        c.stop_broker(2).unwrap();
        c.stop_broker(3).unwrap();
        c.kill_broker(1).unwrap();
        c.advance(9_000);
        assert_eq!(isr_elr_lke(&c), (None, vec![], vec![1, 3], vec![1]));
        c.start_broker(1).unwrap();
        assert_eq!(isr_elr_lke(&c), (None, vec![], vec![3], vec![1]));
        c.start_broker(3).unwrap();
        assert_eq!(isr_elr_lke(&c), (Some(3), vec![3, 1], vec![], vec![]));
    }

    #[test]
    fn brokers_fenced_together_are_fenced_one_at_a_time() {
        let mut c = seven_nodes();
        c.stop_broker(3).unwrap();
        c.kill_broker(1).unwrap();
        c.kill_broker(2).unwrap();
        c.advance(9_000);
        // Fencing 1 hands the leadership to 2, still unfenced then; fencing 2 empties the ISR.
        assert_eq!(isr_elr_lke(&c), (None, vec![], vec![1, 2], vec![2]));
    }

    #[test]
    fn min_isr_changes_clear_the_elr_and_broker_level_min_isr_is_refused() {
        let mut c = seven_nodes();
        c.stop_broker(2).unwrap();
        c.stop_broker(3).unwrap();
        assert_eq!(p0(&c).elr, vec![3]);
        let set = |v: &str| vec![("min.insync.replicas".to_string(), v.to_string())];
        c.alter_topic_configs("t", &set("2"), &[]).unwrap();
        assert_eq!(p0(&c).elr, vec![3], "unchanged value: no change");
        c.alter_topic_configs("t", &set("1"), &[]).unwrap();
        assert!(p0(&c).elr.is_empty());
        let err = c.alter_broker_configs(Some(1), &set("2"), &[]).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidConfig);
        assert_eq!(
            err.message(),
            "Broker-level min.insync.replicas cannot be altered while ELR is enabled."
        );
        let delete = ["min.insync.replicas".to_string()];
        let err = c.alter_broker_configs(None, &[], &delete).unwrap_err();
        assert_eq!(
            err.message(),
            "Cluster-level min.insync.replicas cannot be removed while ELR is enabled."
        );
        assert!(c.alter_broker_configs(None, &set("2"), &[]).is_ok());
    }

    #[test]
    fn brokers_can_be_added_up_to_nine_and_removed_when_empty() {
        let mut c = Cluster::new(ClusterConfig::default());
        for expected in 4..=9 {
            assert_eq!(c.add_broker(), Ok(expected));
        }
        assert!(c.add_broker().is_err());
        assert!(c.remove_broker(9).is_ok());
        c.create_topic(
            "t",
            NewTopic {
                partitions: Some(8),
                replication_factor: Some(3),
                ..Default::default()
            },
        )
        .unwrap();
        assert!(c.remove_broker(1).unwrap_err().contains("still hosts"));
    }
}
