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
    fn single_replica_on_one_broker() {
        let lists = assign_replicas(&[1], 3, 1, 0, &mut Rng::seeded(1));
        assert_eq!(lists, vec![vec![1], vec![1], vec![1]]);
    }
}
