//! Replica placement: Kafka's rack-unaware assignment (`AdminUtils.assignReplicasToBrokers`),
//! with the random start index and replica shift drawn from the cluster's seeded generator,
//! over the unfenced brokers first as the KRaft controller's placer does.

use super::BrokerId;
use super::rng::Rng;

/// A registered broker as the placer sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub id: BrokerId,
    pub rack: Option<String>,
    pub fenced: bool,
}

/// Replica lists for new partitions as the KRaft controller places them: every registered
/// broker may hold a replica, but unfenced brokers are used first and only an unfenced broker
/// may come first (the leader). Fenced brokers fill in only when there are fewer unfenced
/// brokers than the replication factor (`StripedReplicaPlacer`). Rack-aware when every
/// unfenced broker has a rack. The error is the placer's `InvalidReplicationFactorException`
/// text.
pub fn place(
    brokers: &[Candidate],
    partitions: i32,
    replication_factor: i16,
    first_partition: i32,
    rng: &mut Rng,
) -> Result<Vec<Vec<BrokerId>>, String> {
    let unfenced: Vec<&Candidate> = brokers.iter().filter(|b| !b.fenced).collect();
    if unfenced.is_empty() {
        return Err("All brokers are currently fenced.".into());
    }
    let rf = replication_factor.max(1) as usize;
    if rf > brokers.len() {
        return Err(format!(
            "The target replication factor of {rf} cannot be reached because only {} broker(s) are registered.",
            brokers.len()
        ));
    }
    // The unfenced brokers carry as many replicas as they can, the leader first.
    let on_unfenced = rf.min(unfenced.len()) as i16;
    let racks: Option<Vec<(BrokerId, String)>> = unfenced
        .iter()
        .map(|b| b.rack.clone().map(|r| (b.id, r)))
        .collect();
    let mut lists = match racks {
        Some(racks) => {
            assign_replicas_rack_aware(&racks, partitions, on_unfenced, first_partition, rng)
        }
        None => {
            let ids: Vec<BrokerId> = unfenced.iter().map(|b| b.id).collect();
            assign_replicas(&ids, partitions, on_unfenced, first_partition, rng)
        }
    };
    let fenced: Vec<BrokerId> = brokers.iter().filter(|b| b.fenced).map(|b| b.id).collect();
    fill_with_fenced(&mut lists, &fenced, rf, first_partition);
    Ok(lists)
}

/// Completes replica lists from the fenced brokers, turning through them partition by
/// partition so the extra replicas spread out.
fn fill_with_fenced(lists: &mut [Vec<BrokerId>], fenced: &[BrokerId], rf: usize, first: i32) {
    if fenced.is_empty() {
        return;
    }
    for (i, list) in lists.iter_mut().enumerate() {
        let start = (first.max(0) as usize + i) % fenced.len();
        let mut k = 0;
        while list.len() < rf && k < fenced.len() {
            list.push(fenced[(start + k) % fenced.len()]);
            k += 1;
        }
    }
}

/// Replica lists for `partitions` new partitions numbered from `first_partition`.
pub fn assign_replicas(
    brokers: &[BrokerId],
    partitions: i32,
    replication_factor: i16,
    first_partition: i32,
    rng: &mut Rng,
) -> Vec<Vec<BrokerId>> {
    let n = brokers.len();
    if n == 0 {
        return Vec::new();
    }
    let start_index = rng.below(n as u32) as usize;
    let mut next_replica_shift = rng.below(n as u32) as usize;
    let first_partition = first_partition.max(0) as usize;
    let mut out = Vec::with_capacity(partitions.max(0) as usize);
    for current in first_partition..first_partition + partitions.max(0) as usize {
        if current > 0 && current % n == 0 {
            next_replica_shift += 1;
        }
        let first = (current + start_index) % n;
        let mut replicas = vec![brokers[first]];
        for j in 0..(replication_factor.max(1) as usize - 1) {
            replicas.push(brokers[replica_index(first, next_replica_shift, j, n)]);
        }
        out.push(replicas);
    }
    out
}

/// Kafka's rack-aware assignment (`AdminUtils.assignReplicasToBrokersRackAware`): brokers are
/// interleaved rack by rack, and each partition's replicas go to as many different racks as
/// there are.
pub fn assign_replicas_rack_aware(
    brokers: &[(BrokerId, String)],
    partitions: i32,
    replication_factor: i16,
    first_partition: i32,
    rng: &mut Rng,
) -> Vec<Vec<BrokerId>> {
    let arranged = rack_alternated(brokers);
    let rack_of = |b: BrokerId| {
        brokers
            .iter()
            .find(|(id, _)| *id == b)
            .map(|(_, r)| r.clone())
            .unwrap_or_default()
    };
    let num_racks = {
        let mut racks: Vec<&String> = brokers.iter().map(|(_, r)| r).collect();
        crate::sort::sort(&mut racks);
        racks.dedup();
        racks.len()
    };
    let n = arranged.len();
    if n == 0 {
        return Vec::new();
    }
    let start_index = rng.below(n as u32) as usize;
    let mut next_replica_shift = rng.below(n as u32) as usize;
    let first_partition = first_partition.max(0) as usize;
    let mut out = Vec::new();
    for current in first_partition..first_partition + partitions.max(0) as usize {
        if current > 0 && current % n == 0 {
            next_replica_shift += 1;
        }
        let first = (current + start_index) % n;
        let leader = arranged[first];
        let mut replicas = vec![leader];
        let mut racks = vec![rack_of(leader)];
        let mut k = 0;
        for _ in 0..(replication_factor.max(1) as usize - 1) {
            // Bounded: every broker is tried at most once per replica beyond the first pass.
            for _ in 0..n * 2 {
                let broker = arranged[replica_index(first, next_replica_shift * num_racks, k, n)];
                let rack = rack_of(broker);
                k += 1;
                let rack_ok = !racks.contains(&rack) || racks.len() == num_racks;
                let broker_ok = !replicas.contains(&broker) || replicas.len() == n;
                if rack_ok && broker_ok {
                    replicas.push(broker);
                    racks.push(rack);
                    break;
                }
            }
        }
        out.push(replicas);
    }
    out
}

/// `getRackAlternatedBrokerList`: one broker from each rack in turn (racks and brokers sorted).
fn rack_alternated(brokers: &[(BrokerId, String)]) -> Vec<BrokerId> {
    let mut by_rack: crate::vec_map::VecMap<&String, Vec<BrokerId>> = Default::default();
    for (id, rack) in brokers {
        by_rack.entry(rack).or_default().push(*id);
    }
    for list in by_rack.values_mut() {
        crate::sort::sort(list);
    }
    let longest = by_rack.values().map(Vec::len).max().unwrap_or(0);
    let mut out = Vec::new();
    for i in 0..longest {
        for list in by_rack.values() {
            if let Some(b) = list.get(i) {
                out.push(*b);
            }
        }
    }
    out
}

fn replica_index(first: usize, second_shift: usize, replica: usize, n: usize) -> usize {
    let shift = 1 + (second_shift + replica) % (n - 1);
    (first + shift) % n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spreads_leaders_and_never_repeats_a_broker() {
        let brokers = [1, 2, 3];
        let mut rng = Rng::seeded(42);
        let lists = assign_replicas(&brokers, 6, 3, 0, &mut rng);
        assert_eq!(lists.len(), 6);
        for l in &lists {
            let mut s = l.clone();
            s.sort();
            s.dedup();
            assert_eq!(s.len(), 3, "{l:?}");
        }
        let mut leaders: Vec<_> = lists.iter().map(|l| l[0]).collect();
        leaders.sort();
        assert_eq!(leaders, vec![1, 1, 2, 2, 3, 3]);
    }

    #[test]
    fn rack_aware_spreads_replicas_over_racks() {
        let brokers: Vec<(BrokerId, String)> = vec![
            (1, "a".into()),
            (2, "a".into()),
            (3, "b".into()),
            (4, "b".into()),
            (5, "c".into()),
            (6, "c".into()),
        ];
        assert_eq!(rack_alternated(&brokers), vec![1, 3, 5, 2, 4, 6]);
        let lists = assign_replicas_rack_aware(&brokers, 12, 3, 0, &mut Rng::seeded(5));
        for l in &lists {
            let mut racks: Vec<String> = l
                .iter()
                .map(|b| {
                    brokers
                        .iter()
                        .find(|(id, _)| id == b)
                        .map(|(_, r)| r.clone())
                        .unwrap()
                })
                .collect();
            racks.sort();
            racks.dedup();
            assert_eq!(racks.len(), 3, "{l:?} covers every rack");
        }
    }

    fn candidates(fenced: &[BrokerId]) -> Vec<Candidate> {
        (1..=4)
            .map(|id| Candidate {
                id,
                rack: None,
                fenced: fenced.contains(&id),
            })
            .collect()
    }

    #[test]
    fn fenced_brokers_never_lead_and_fill_in_only_when_needed() {
        let lists = place(&candidates(&[4]), 6, 3, 0, &mut Rng::seeded(3)).unwrap();
        assert!(lists.iter().all(|l| !l.contains(&4)), "{lists:?}");
        let lists = place(&candidates(&[3, 4]), 6, 3, 0, &mut Rng::seeded(3)).unwrap();
        for l in &lists {
            assert_eq!(l.len(), 3);
            assert!([1, 2].contains(&l[0]), "an unfenced leader: {l:?}");
            assert!([1, 2].iter().all(|b| l.contains(b)), "{l:?}");
        }
    }

    #[test]
    fn the_placers_errors() {
        assert_eq!(
            place(&candidates(&[1, 2, 3, 4]), 1, 1, 0, &mut Rng::seeded(1)).unwrap_err(),
            "All brokers are currently fenced."
        );
        assert_eq!(
            place(&candidates(&[4]), 1, 5, 0, &mut Rng::seeded(1)).unwrap_err(),
            "The target replication factor of 5 cannot be reached because only 4 broker(s) are registered."
        );
    }

    #[test]
    fn single_replica_on_one_broker() {
        let lists = assign_replicas(&[1], 3, 1, 0, &mut Rng::seeded(1));
        assert_eq!(lists, vec![vec![1], vec![1], vec![1]]);
    }
}
