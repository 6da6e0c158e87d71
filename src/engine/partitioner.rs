//! The producer's built-in partitioner (`BuiltInPartitioner`, KIP-794): keys go by murmur2;
//! keyless records stick to one partition until about `batch.size` bytes went there.

use crate::vec_map::VecMap;

use serde::{Deserialize, Serialize};

use super::murmur2::partition_for_key;
use super::rng::Rng;

/// The producer default `batch.size`.
pub const DEFAULT_BATCH_SIZE: usize = 16_384;

/// One producer's sticky choices, per topic. A console producer session owns one of these,
/// so a handful of keyless lines land in one partition, as they do with the Java client.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StickyPartitioner {
    sticky: VecMap<String, (i32, usize)>,
    pub batch_size: usize,
}

impl StickyPartitioner {
    pub fn new() -> Self {
        StickyPartitioner {
            sticky: VecMap::new(),
            batch_size: DEFAULT_BATCH_SIZE,
        }
    }

    /// The partition for a record of `size` bytes: murmur2 for a key, the sticky choice otherwise.
    pub fn partition(
        &mut self,
        topic: &str,
        key: Option<&[u8]>,
        size: usize,
        num_partitions: i32,
        rng: &mut Rng,
    ) -> i32 {
        if let Some(key) = key {
            return partition_for_key(key, num_partitions);
        }
        let batch_size = self.batch_size.max(1);
        let entry = self.sticky.get(topic).copied();
        let (partition, produced) = match entry {
            Some((p, produced)) if produced < batch_size && p < num_partitions => (p, produced),
            _ => (rng.below(num_partitions.max(1) as u32) as i32, 0),
        };
        // The topic's name is copied only the first time: this runs for every record.
        match self.sticky.get_mut(topic) {
            Some(entry) => *entry = (partition, produced + size),
            None => {
                self.sticky
                    .insert(topic.to_string(), (partition, produced + size));
            }
        }
        partition
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyless_records_stick_then_move_on() {
        let mut p = StickyPartitioner::new();
        let mut rng = Rng::seeded(9);
        let first = p.partition("t", None, 10, 6, &mut rng);
        for _ in 0..100 {
            assert_eq!(p.partition("t", None, 10, 6, &mut rng), first);
        }
        // After a batch's worth of bytes, a new choice is made (possibly the same partition).
        let mut seen = crate::vec_map::VecSet::new();
        for _ in 0..200 {
            seen.insert(p.partition("t", None, 1000, 6, &mut rng));
        }
        assert!(seen.len() > 1);
    }

    #[test]
    fn keys_use_murmur2() {
        let mut p = StickyPartitioner::new();
        let mut rng = Rng::seeded(9);
        assert_eq!(p.partition("t", Some(b"foobar"), 10, 4, &mut rng), 2);
    }
}
