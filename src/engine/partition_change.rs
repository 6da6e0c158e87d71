//! How the KRaft controller changes a partition: a new ISR, the leader election it may need,
//! and the Eligible Leader Replicas kept alongside — Kafka's `PartitionChangeBuilder` with ELR
//! enabled (KIP-966 part 1, on by default for new clusters since Kafka 4.1).
//!
//! Every ISR change goes through [`apply`]: a fenced broker or one in controlled shutdown
//! leaving the ISR, a lagging follower dropped or a caught-up one added by the leader
//! (`AlterPartition`), a broker that registers again after a crash, an election asked for with
//! `ElectLeaders`, a reassignment finishing. The rules, in the builder's order:
//!
//! 1. ELR (`maybePopulateTargetElr`): once the new ISR is smaller than the effective
//!    `min.insync.replicas`, the members that leave it join the ELR; the ELR is the old ELR
//!    plus the old ISR, less the new ISR and less a broker that shut down uncleanly. At min ISR
//!    or above, the ELR is emptied. The high watermark cannot advance below min ISR, so an ELR
//!    member holds every committed record.
//! 2. Election (`electAnyLeader` / `electPreferredLeader`): keep a leader that is still valid;
//!    else the first replica (assignment order) that is in the new ISR — or, with the ISR empty,
//!    in the ELR — and unfenced; else the last known leader if it is unfenced (KAFKA-19522,
//!    Kafka 4.1: an unclean election); else, where the topic allows it, any unfenced replica.
//! 3. An ELR member elected becomes the whole ISR and leaves the ELR. An unclean election makes
//!    the new leader the whole ISR and empties the ELR.
//! 4. Last known leader (`maybeUpdateLastKnownLeader`): when the ISR becomes empty, the leader
//!    it had is remembered; once the partition has a leader again, it is forgotten.

use crate::vec_map::VecSet;

use super::BrokerId;
use super::partition::Partition;

/// How a leader may be chosen (`PartitionChangeBuilder.Election`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Election {
    /// The preferred (first) replica if it may lead, else the current leader, else any
    /// replica that may lead (`kafka-leader-election.sh --election-type preferred`).
    Preferred,
    /// From the ISR, or the ELR when the ISR is empty, else the last known leader.
    Online,
    /// As `Online`, then any unfenced replica: what it lacks is lost.
    Unclean,
}

/// One change the controller makes to a partition.
#[derive(Debug, Clone)]
pub struct Change {
    /// The ISR the change asks for (before any election adjusts it).
    pub target_isr: Vec<BrokerId>,
    pub election: Election,
    /// A broker that registered again after a crash: it leaves the ISR and the ELR, since its
    /// log may have lost its unflushed tail (`handleBrokerUncleanShutdown`).
    pub unclean_shutdown: Option<BrokerId>,
    /// The topic's effective `min.insync.replicas` (capped at the replication factor).
    pub min_isr: usize,
}

/// The leader an election settled on, and whether it may have lost committed records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Chosen {
    leader: Option<BrokerId>,
    unclean: bool,
}

/// Applies `change` to `p`; `acceptable` says which brokers may lead (unfenced, and not the
/// broker the change takes out). Returns whether the leader changed.
pub fn apply(p: &mut Partition, change: Change, acceptable: &dyn Fn(BrokerId) -> bool) -> bool {
    let old_leader = p.leader;
    let old_isr_empty = p.isr.is_empty();
    let mut target_isr = change.target_isr;
    let mut target_elr = target_elr(p, &target_isr, change.min_isr, change.unclean_shutdown);
    let chosen = choose_leader(p, &target_isr, &target_elr, change.election, acceptable);
    if chosen.leader != old_leader {
        match chosen.leader {
            Some(b) => {
                if target_elr.contains(&b) {
                    // An eligible replica takes over: clean, it has every committed record.
                    target_isr = vec![b];
                    target_elr.retain(|r| *r != b);
                } else if chosen.unclean {
                    target_isr = vec![b];
                    target_elr.clear();
                }
                p.elect(b, !chosen.unclean);
            }
            None => p.go_offline(),
        }
    }
    let isr_emptied = target_isr.is_empty() && !old_isr_empty;
    p.isr = target_isr;
    p.elr = target_elr;
    update_last_known_leader(p, old_leader, isr_emptied);
    p.leader != old_leader
}

/// `maybePopulateTargetElr`: the ELR that goes with `target_isr`.
fn target_elr(
    p: &Partition,
    target_isr: &[BrokerId],
    min_isr: usize,
    unclean_shutdown: Option<BrokerId>,
) -> Vec<BrokerId> {
    if target_isr.len() >= min_isr {
        return Vec::new();
    }
    // A VecSet iterates in ascending order, as Java's HashSet does for small broker ids.
    let candidates: VecSet<BrokerId> = VecSet::from_iter(p.elr.iter().chain(p.isr.iter()).copied());
    candidates
        .into_iter()
        .filter(|r| !target_isr.contains(r) && Some(*r) != unclean_shutdown)
        .collect()
}

/// `electLeader`: who leads after the change.
fn choose_leader(
    p: &Partition,
    target_isr: &[BrokerId],
    target_elr: &[BrokerId],
    election: Election,
    acceptable: &dyn Fn(BrokerId) -> bool,
) -> Chosen {
    // In the ISR, or in the ELR while the ISR is empty, and allowed to lead.
    let valid = |r: BrokerId| {
        (target_isr.contains(&r) || (target_isr.is_empty() && target_elr.contains(&r)))
            && acceptable(r)
    };
    let clean = |leader: BrokerId| Chosen {
        leader: Some(leader),
        unclean: false,
    };
    let preferred = p.replicas.first().copied();
    if election == Election::Preferred {
        if let Some(b) = preferred.filter(|b| valid(*b)) {
            return clean(b);
        }
    }
    if let Some(b) = p.leader.filter(|b| valid(*b)) {
        return clean(b);
    }
    if let Some(b) = p.replicas.iter().copied().find(|b| valid(*b)) {
        return clean(b);
    }
    if let Some(b) = last_known_leader(p, target_isr, target_elr, acceptable) {
        return Chosen {
            leader: Some(b),
            unclean: true,
        };
    }
    if election == Election::Unclean {
        if let Some(b) = p.replicas.iter().copied().find(|b| acceptable(*b)) {
            return Chosen {
                leader: Some(b),
                unclean: true,
            };
        }
    }
    Chosen {
        leader: None,
        unclean: false,
    }
}

/// `canElectLastKnownLeader`: with the ISR and the ELR both empty, the last known leader may
/// lead again if it is unfenced (Kafka 4.1 checks that, KAFKA-19522).
fn last_known_leader(
    p: &Partition,
    target_isr: &[BrokerId],
    target_elr: &[BrokerId],
    acceptable: &dyn Fn(BrokerId) -> bool,
) -> Option<BrokerId> {
    if !target_isr.is_empty() || !target_elr.is_empty() {
        return None;
    }
    match p.last_known_elr.as_slice() {
        [b] if acceptable(*b) => Some(*b),
        _ => None,
    }
}

/// `maybeUpdateLastKnownLeader`: the ISR becoming empty records the leader it had; a partition
/// that has a leader again forgets it.
fn update_last_known_leader(p: &mut Partition, old_leader: Option<BrokerId>, isr_emptied: bool) {
    let remembered = old_leader.is_some_and(|l| p.last_known_elr == [l]);
    if isr_emptied && !remembered {
        if let Some(l) = old_leader {
            p.last_known_elr = vec![l];
        }
    } else if p.leader.is_some() {
        p.last_known_elr.clear();
    }
}

/// `ClearElrRecord`: a change of `min.insync.replicas` empties the ELR and the last known ELR,
/// which were kept against the old value.
pub fn clear_elr(p: &mut Partition) {
    p.elr.clear();
    p.last_known_elr.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Replicas 1, 2, 3 led by 1, all in sync.
    fn partition() -> Partition {
        Partition::new(0, vec![1, 2, 3])
    }

    fn change(isr: &[BrokerId], min_isr: usize) -> Change {
        Change {
            target_isr: isr.to_vec(),
            election: Election::Online,
            unclean_shutdown: None,
            min_isr,
        }
    }

    /// Brokers in `fenced` may not lead.
    fn unfenced_but(fenced: &'static [BrokerId]) -> impl Fn(BrokerId) -> bool {
        move |b| !fenced.contains(&b)
    }

    #[test]
    fn replicas_leaving_below_min_isr_become_eligible() {
        let mut p = partition();
        apply(&mut p, change(&[1, 2], 2), &unfenced_but(&[3]));
        assert!(p.elr.is_empty(), "still at min ISR: 3 is not eligible");
        apply(&mut p, change(&[1], 2), &unfenced_but(&[2, 3]));
        assert_eq!((p.isr.clone(), p.elr.clone()), (vec![1], vec![2]));
        assert_eq!(p.leader, Some(1));
        assert!(p.last_known_elr.is_empty());
    }

    #[test]
    fn an_empty_isr_keeps_its_members_eligible_and_remembers_the_leader() {
        let mut p = partition();
        apply(&mut p, change(&[1, 2], 2), &unfenced_but(&[3]));
        apply(&mut p, change(&[1], 2), &unfenced_but(&[2, 3]));
        let epoch = p.leader_epoch;
        apply(&mut p, change(&[], 2), &unfenced_but(&[1, 2, 3]));
        assert_eq!(p.leader, None);
        assert!(p.isr.is_empty());
        assert_eq!(p.elr, vec![1, 2]);
        assert_eq!(p.last_known_elr, vec![1]);
        assert_eq!(p.leader_epoch, epoch + 1);
        // Broker 2 is unfenced: the first eligible replica that may lead takes over, cleanly.
        apply(&mut p, change(&[], 2), &unfenced_but(&[1, 3]));
        assert_eq!(p.leader, Some(2));
        assert_eq!((p.isr.clone(), p.elr.clone()), (vec![2], vec![1]));
        assert!(p.last_known_elr.is_empty(), "a leader again: forgotten");
    }

    #[test]
    fn a_rejoining_replica_leaves_the_elr_and_min_isr_clears_it() {
        let mut p = partition();
        apply(&mut p, change(&[1], 3), &unfenced_but(&[2, 3]));
        assert_eq!(p.elr, vec![2, 3]);
        apply(&mut p, change(&[1, 2], 3), &unfenced_but(&[3]));
        assert_eq!(p.elr, vec![3], "2 is in sync again");
        apply(&mut p, change(&[1, 2, 3], 3), &unfenced_but(&[]));
        assert!(p.elr.is_empty());
    }

    #[test]
    fn an_unclean_shutdown_leaves_the_elr() {
        let mut p = partition();
        apply(&mut p, change(&[1], 3), &unfenced_but(&[2, 3]));
        let crashed = Change {
            unclean_shutdown: Some(3),
            ..change(&[1], 3)
        };
        apply(&mut p, crashed, &unfenced_but(&[2, 3]));
        assert_eq!(p.elr, vec![2]);
    }

    #[test]
    fn the_last_known_leader_returns_only_when_unfenced() {
        let mut p = partition();
        apply(&mut p, change(&[1], 1), &unfenced_but(&[2, 3]));
        apply(&mut p, change(&[], 1), &unfenced_but(&[1, 2, 3]));
        assert_eq!(
            (p.elr.clone(), p.last_known_elr.clone()),
            (vec![1], vec![1])
        );
        // Broker 1 comes back after a crash: out of the ELR, and fenced while it registers.
        let crashed = Change {
            unclean_shutdown: Some(1),
            ..change(&[], 1)
        };
        apply(&mut p, crashed, &unfenced_but(&[1, 2, 3]));
        assert_eq!((p.leader, p.elr.clone()), (None, vec![]));
        assert_eq!(p.last_known_elr, vec![1]);
        // Broker 2 is not eligible; broker 1, unfenced, leads again (an unclean election).
        apply(&mut p, change(&[], 1), &unfenced_but(&[1, 3]));
        assert_eq!(p.leader, None);
        apply(&mut p, change(&[], 1), &unfenced_but(&[3]));
        assert_eq!(p.leader, Some(1));
        assert_eq!(p.isr, vec![1]);
        assert!(p.last_known_elr.is_empty());
    }

    #[test]
    fn an_unclean_election_empties_the_elr() {
        let mut p = partition();
        apply(&mut p, change(&[1], 3), &unfenced_but(&[2, 3]));
        apply(&mut p, change(&[], 3), &unfenced_but(&[1, 2, 3]));
        assert_eq!(p.elr, vec![1, 2, 3]);
        // Every eligible replica crashed and came back: none is eligible, none is the last
        // known leader... until the topic allows an unclean election.
        for b in [1, 2, 3] {
            let crashed = Change {
                unclean_shutdown: Some(b),
                ..change(&[], 3)
            };
            apply(&mut p, crashed, &unfenced_but(&[1, 2, 3]));
        }
        assert!(p.elr.is_empty());
        p.last_known_elr = vec![1];
        let unclean = Change {
            election: Election::Unclean,
            ..change(&[], 3)
        };
        apply(&mut p, unclean, &unfenced_but(&[1]));
        assert_eq!((p.leader, p.isr.clone()), (Some(2), vec![2]));
        assert!(p.elr.is_empty() && p.last_known_elr.is_empty());
    }
}
