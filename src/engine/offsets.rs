//! Committed offsets per consumer group and partition (what `__consumer_offsets` holds).

use crate::vec_map::VecMap;

use super::topic::TopicPartition;

/// The record the coordinator writes to `__consumer_offsets` for a commit, in Kafka's binary
/// schema: key `OffsetCommitKey` v1 (group, topic, partition), value `OffsetCommitValue` v3
/// (offset, leader epoch, metadata, commit timestamp). A deleted offset is a tombstone.
pub fn offset_commit_key(group: &str, tp: &TopicPartition) -> Vec<u8> {
    let mut b = Vec::with_capacity(12 + group.len() + tp.topic.len());
    b.extend_from_slice(&1i16.to_be_bytes());
    put_string(&mut b, group);
    put_string(&mut b, &tp.topic);
    b.extend_from_slice(&tp.partition.to_be_bytes());
    b
}

pub fn offset_commit_value(offset: i64, leader_epoch: i32, commit_timestamp: i64) -> Vec<u8> {
    let mut b = Vec::with_capacity(24);
    b.extend_from_slice(&3i16.to_be_bytes());
    b.extend_from_slice(&offset.to_be_bytes());
    b.extend_from_slice(&leader_epoch.to_be_bytes());
    put_string(&mut b, "");
    b.extend_from_slice(&commit_timestamp.to_be_bytes());
    b
}

fn put_string(b: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    b.extend_from_slice(&(bytes.len().min(i16::MAX as usize) as i16).to_be_bytes());
    b.extend_from_slice(&bytes[..bytes.len().min(i16::MAX as usize)]);
}

/// A decoded offset-commit record (for `OffsetsMessageFormatter`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OffsetCommitRecord {
    pub key_version: i16,
    pub group: String,
    pub topic: String,
    pub partition: i32,
    /// (version, offset, leader epoch, metadata, commit timestamp); `None` for a tombstone.
    pub value: Option<(i16, i64, i32, String, i64)>,
}

struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> Option<[u8; N]> {
        let (head, rest) = self.0.split_at_checked(N)?;
        self.0 = rest;
        head.try_into().ok()
    }
    fn i16(&mut self) -> Option<i16> {
        self.take::<2>().map(i16::from_be_bytes)
    }
    fn i32(&mut self) -> Option<i32> {
        self.take::<4>().map(i32::from_be_bytes)
    }
    fn i64(&mut self) -> Option<i64> {
        self.take::<8>().map(i64::from_be_bytes)
    }
    fn string(&mut self) -> Option<String> {
        let len = usize::try_from(self.i16()?).ok()?;
        let (head, rest) = self.0.split_at_checked(len)?;
        self.0 = rest;
        String::from_utf8(head.to_vec()).ok()
    }
}

/// Decodes an offset-commit record; `None` when the bytes are not one (other record types).
pub fn decode_offset_commit(key: &[u8], value: Option<&[u8]>) -> Option<OffsetCommitRecord> {
    let mut k = Reader(key);
    let key_version = k.i16()?;
    if !(0..=1).contains(&key_version) {
        return None;
    }
    let (group, topic, partition) = (k.string()?, k.string()?, k.i32()?);
    let value = match value {
        None => None,
        Some(v) => {
            let mut r = Reader(v);
            let version = r.i16()?;
            Some((version, r.i64()?, r.i32()?, r.string()?, r.i64()?))
        }
    };
    Some(OffsetCommitRecord {
        key_version,
        group,
        topic,
        partition,
        value,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OffsetAndMetadata {
    pub offset: i64,
    pub commit_timestamp: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OffsetStore {
    #[serde(with = "pairs")]
    groups: VecMap<String, VecMap<TopicPartition, OffsetAndMetadata>>,
}

/// JSON object keys must be strings, so per-partition offsets are stored as a list of pairs.
mod pairs {
    use serde::{Deserialize, Deserializer, Serializer};

    use super::{OffsetAndMetadata, TopicPartition};
    use crate::vec_map::VecMap;

    type Groups = VecMap<String, VecMap<TopicPartition, OffsetAndMetadata>>;

    /// `{"group": [[tp, offset], …], …}`: the inner map's sorted entries are the list.
    pub fn serialize<S: Serializer>(groups: &Groups, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(groups.iter().map(|(g, m)| (g, m.as_slice())))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Groups, D::Error> {
        let flat: VecMap<String, Vec<(TopicPartition, OffsetAndMetadata)>> =
            VecMap::deserialize(d)?;
        Ok(flat
            .into_iter()
            .map(|(g, v)| (g, VecMap::from(v)))
            .collect())
    }
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

    /// The partitions a group has committed offsets for.
    pub fn partitions(&self, group: &str) -> Vec<TopicPartition> {
        self.offsets(group).map(|(tp, _)| tp.clone()).collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offset_commit_records_round_trip() {
        let tp = TopicPartition::new("orders", 2);
        let key = offset_commit_key("g1", &tp);
        let value = offset_commit_value(42, 3, 1_000);
        let rec = decode_offset_commit(&key, Some(&value)).unwrap();
        assert_eq!(
            (rec.group.as_str(), rec.topic.as_str(), rec.partition),
            ("g1", "orders", 2)
        );
        assert_eq!(rec.value, Some((3, 42, 3, String::new(), 1_000)));
        assert_eq!(decode_offset_commit(&key, None).unwrap().value, None);
        assert!(decode_offset_commit(b"x", None).is_none());
    }
}
