//! Topics: names (validated as the KRaft controller does), ids, partitions and config overrides.

use crate::vec_map::VecMap;
use std::fmt;

use super::error::{ErrorCode, KafkaError};
use super::partition::Partition;
use super::rng::Rng;

/// `Topic.MAX_NAME_LENGTH`.
pub const MAX_NAME_LENGTH: usize = 249;

/// Internal topics hidden by `--exclude-internal`.
pub const INTERNAL_TOPICS: [&str; 3] = [
    "__consumer_offsets",
    "__transaction_state",
    "__share_group_state",
];

/// A topic id: 16 random bytes, printed as Kafka's `Uuid.toString()` (URL-safe base64, no padding).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct TopicId(pub [u8; 16]);

impl TopicId {
    /// Like `Uuid.randomUuid()`: never the zero id, never one whose text starts with '-'.
    pub fn random(rng: &mut Rng) -> Self {
        loop {
            let mut bytes = [0u8; 16];
            rng.fill(&mut bytes);
            let id = TopicId(bytes);
            if bytes != [0; 16] && !id.to_string().starts_with('-') {
                return id;
            }
        }
    }
}

impl fmt::Display for TopicId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const ALPHABET: &[u8; 64] =
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let mut out = String::with_capacity(22);
        for chunk in self.0.chunks(3) {
            let b = [
                chunk[0],
                *chunk.get(1).unwrap_or(&0),
                *chunk.get(2).unwrap_or(&0),
            ];
            let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
            let chars = chunk.len() + 1;
            for i in 0..chars {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            }
        }
        f.write_str(&out)
    }
}

#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct TopicPartition {
    pub topic: String,
    pub partition: i32,
}

impl TopicPartition {
    pub fn new(topic: impl Into<String>, partition: i32) -> Self {
        TopicPartition {
            topic: topic.into(),
            partition,
        }
    }
}

/// Kafka prints a partition as `topic-partition`.
impl fmt::Display for TopicPartition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.topic, self.partition)
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Topic {
    pub(in crate::engine) name: String,
    pub(in crate::engine) id: TopicId,
    pub(in crate::engine) partitions: Vec<Partition>,
    /// Topic-level overrides (`DYNAMIC_TOPIC_CONFIG`), by config name.
    pub(in crate::engine) configs: VecMap<String, String>,
}

impl Topic {
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The topic id (`TopicId:` in `--describe`).
    pub fn id(&self) -> TopicId {
        self.id
    }

    /// The partitions, by index.
    pub fn partitions(&self) -> &[Partition] {
        &self.partitions
    }

    /// Topic-level config overrides (`DYNAMIC_TOPIC_CONFIG`), by name.
    pub fn configs(&self) -> &VecMap<String, String> {
        &self.configs
    }

    pub fn is_internal(&self) -> bool {
        is_internal(&self.name)
    }

    /// Replicas per partition, not counting replicas being added by a reassignment (as Kafka
    /// prints `ReplicationFactor`).
    pub fn replication_factor(&self) -> usize {
        self.partitions
            .first()
            .map_or(0, |p| p.replicas.len() - p.adding.len())
    }

    pub fn partition(&self, index: i32) -> Option<&Partition> {
        usize::try_from(index)
            .ok()
            .and_then(|i| self.partitions.get(i))
    }

    pub fn partition_mut(&mut self, index: i32) -> Option<&mut Partition> {
        usize::try_from(index)
            .ok()
            .and_then(|i| self.partitions.get_mut(i))
    }
}

pub fn is_internal(name: &str) -> bool {
    INTERNAL_TOPICS.contains(&name)
}

/// `ReplicationControlManager.validateName`: the controller's checks, with its messages.
pub fn validate_name(name: &str) -> Result<(), KafkaError> {
    let invalid = |m: String| Err(KafkaError::new(ErrorCode::InvalidTopicException, m));
    if name.is_empty() {
        return invalid("Topic name is invalid: the empty string is not allowed".into());
    }
    if name == "." || name == ".." {
        return invalid(format!("Topic name is invalid: '{name}' is not allowed"));
    }
    if name.len() > MAX_NAME_LENGTH {
        return invalid(format!(
            "Topic name is invalid: the length of '{name}' is longer than the max allowed length {MAX_NAME_LENGTH}"
        ));
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
    {
        return invalid(format!(
            "Topic name is invalid: '{name}' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'"
        ));
    }
    Ok(())
}

/// True when the name contains '.' or '_', which metric names cannot tell apart.
pub fn has_collision_chars(name: &str) -> bool {
    name.contains('.') || name.contains('_')
}

/// `Topic.unifyCollisionChars`: the name with every '.' turned into '_'.
pub fn unify_collision_chars(name: &str) -> String {
    name.replace('.', "_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_valid_and_invalid() {
        for ok in ["orders", "a.b_c-D9", &"x".repeat(249)] {
            assert!(validate_name(ok).is_ok(), "{ok}");
        }
        let msg = |n: &str| validate_name(n).unwrap_err().message().to_string();
        assert_eq!(
            msg("bad@name"),
            "Topic name is invalid: 'bad@name' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'"
        );
        assert_eq!(msg("."), "Topic name is invalid: '.' is not allowed");
        assert_eq!(msg(".."), "Topic name is invalid: '..' is not allowed");
        assert!(msg(&"x".repeat(250)).ends_with("is longer than the max allowed length 249"));
        assert!(msg("héllo").contains("characters other than ASCII"));
        assert!(msg("").contains("empty string"));
    }

    #[test]
    fn collisions() {
        assert_eq!(
            unify_collision_chars("foo.bar"),
            unify_collision_chars("foo_bar")
        );
        assert!(
            has_collision_chars("a.b") && has_collision_chars("a_b") && !has_collision_chars("ab")
        );
    }

    #[test]
    fn ids_look_like_kafka_uuids() {
        let mut rng = Rng::seeded(1);
        for _ in 0..200 {
            let s = TopicId::random(&mut rng).to_string();
            assert_eq!(s.len(), 22);
            assert!(!s.starts_with('-'));
            assert!(
                s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            );
        }
        // Uuid(0, 1) prints as AAAAAAAAAAAAAAAAAAAAAQ in Kafka.
        let mut one = [0u8; 16];
        one[15] = 1;
        assert_eq!(TopicId(one).to_string(), "AAAAAAAAAAAAAAAAAAAAAQ");
    }
}
