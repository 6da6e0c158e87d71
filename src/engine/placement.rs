//! Replica placement: Kafka's rack-unaware assignment (`AdminUtils.assignReplicasToBrokers`),
//! with the random start index and replica shift drawn from the cluster's seeded generator.

use super::BrokerId;
use super::rng::Rng;

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
        racks.sort();
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
    let mut by_rack: std::collections::BTreeMap<&String, Vec<BrokerId>> = Default::default();
    for (id, rack) in brokers {
        by_rack.entry(rack).or_default().push(*id);
    }
    for list in by_rack.values_mut() {
        list.sort();
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

    #[test]
    fn single_replica_on_one_broker() {
        let lists = assign_replicas(&[1], 3, 1, 0, &mut Rng::seeded(1));
        assert_eq!(lists, vec![vec![1], vec![1], vec![1]]);
    }
}
