//! The group coordinator's own assignors for consumer-protocol groups (KIP-848): `uniform` (the
//! default) and `range`. They compute each member's *target* assignment from the members'
//! subscriptions and their current assignments; the members then reconcile towards it.
//!
//! Kafka: group-coordinator/src/main/java/org/apache/kafka/coordinator/group/assignor/
//! UniformAssignor.java, UniformHomogeneousAssignmentBuilder.java, RangeAssignor.java.
//!
//! Invariant: every partition of a subscribed topic goes to exactly one member subscribed to it.
//! Where Kafka iterates a `HashMap` of member ids or topic ids, members go in sorted member-id
//! order and topics in name order (member ids are random in Kafka; nothing can depend on it).

use crate::vec_map::{VecMap, VecSet};

use super::topic::TopicPartition;

/// `group.remote.assignor` / `group.consumer.assignors`, by the names Kafka gives them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum ServerAssignor {
    #[default]
    Uniform,
    Range,
}

impl ServerAssignor {
    /// `ConsumerGroupPartitionAssignor.name()`.
    pub fn name(self) -> &'static str {
        match self {
            ServerAssignor::Uniform => "uniform",
            ServerAssignor::Range => "range",
        }
    }

    pub fn parse(name: &str) -> Option<ServerAssignor> {
        match name.trim() {
            "uniform" => Some(ServerAssignor::Uniform),
            "range" => Some(ServerAssignor::Range),
            _ => None,
        }
    }

    /// The default `group.consumer.assignors`, in order (the first is the default assignor).
    pub const ALL: [ServerAssignor; 2] = [ServerAssignor::Uniform, ServerAssignor::Range];
}

/// One member as the assignor sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberSpec {
    pub topics: VecSet<String>,
    /// The member's current target assignment (what stickiness keeps).
    pub assigned: Vec<TopicPartition>,
    pub instance_id: Option<String>,
}

/// The target assignment of every member.
pub fn assign(
    assignor: ServerAssignor,
    partitions_per_topic: &VecMap<String, i32>,
    members: &VecMap<String, MemberSpec>,
) -> VecMap<String, Vec<TopicPartition>> {
    let mut result = match assignor {
        ServerAssignor::Uniform => uniform(partitions_per_topic, members),
        ServerAssignor::Range => range(partitions_per_topic, members),
    };
    for tps in result.values_mut() {
        crate::sort::sort(tps);
    }
    result
}

fn partition_count(partitions_per_topic: &VecMap<String, i32>, topic: &str) -> i32 {
    partitions_per_topic.get(topic).copied().unwrap_or(0)
}

/// `UniformHomogeneousAssignmentBuilder` when every member subscribes to the same topics: each
/// member keeps its partitions up to its quota (`total / members`, one more for the first
/// `total % members`), the partitions over quota and the unowned ones go to members below quota.
/// With different subscriptions the same rule runs topic by topic among the topic's members.
fn uniform(
    partitions_per_topic: &VecMap<String, i32>,
    members: &VecMap<String, MemberSpec>,
) -> VecMap<String, Vec<TopicPartition>> {
    let homogeneous = members
        .values()
        .next()
        .is_none_or(|first| members.values().all(|m| m.topics == first.topics));
    if homogeneous {
        let ids: Vec<&String> = members.keys().collect();
        let topics: Vec<&String> = members
            .values()
            .next()
            .map(|m| m.topics.iter().collect())
            .unwrap_or_default();
        return balance(partitions_per_topic, members, &ids, &topics);
    }
    let mut result: VecMap<String, Vec<TopicPartition>> =
        VecMap::from_iter(members.keys().map(|id| (id.clone(), Vec::new())));
    let all_topics: VecSet<&String> = members.values().flat_map(|m| m.topics.iter()).collect();
    for topic in all_topics.iter() {
        let ids: Vec<&String> = members
            .iter()
            .filter(|(_, m)| m.topics.contains(topic.as_str()))
            .map(|(id, _)| id)
            .collect();
        let part = balance(partitions_per_topic, members, &ids, &[*topic]);
        for (id, tps) in part.iter() {
            result
                .entry(id.clone())
                .or_default()
                .extend(tps.iter().cloned());
        }
    }
    result
}

/// Sticky, balanced assignment of `topics`' partitions among `ids`.
fn balance(
    partitions_per_topic: &VecMap<String, i32>,
    members: &VecMap<String, MemberSpec>,
    ids: &[&String],
    topics: &[&String],
) -> VecMap<String, Vec<TopicPartition>> {
    let mut result: VecMap<String, Vec<TopicPartition>> = VecMap::new();
    if ids.is_empty() {
        return result;
    }
    let wanted: Vec<TopicPartition> = topics
        .iter()
        .flat_map(|t| {
            (0..partition_count(partitions_per_topic, t))
                .map(|p| TopicPartition::new(t.as_str(), p))
        })
        .collect();
    let total = wanted.len();
    let minimum = total / ids.len();
    let mut extra = total % ids.len();
    let mut taken: VecSet<TopicPartition> = VecSet::new();
    let mut unfilled: Vec<(&String, usize)> = Vec::new();
    for id in ids {
        let mut quota = minimum;
        if extra > 0 {
            quota += 1;
            extra -= 1;
        }
        let mut kept = Vec::new();
        let mut owned: Vec<&TopicPartition> = members[id.as_str()]
            .assigned
            .iter()
            .filter(|tp| wanted.contains(tp) && !taken.contains(*tp))
            .collect();
        crate::sort::sort(&mut owned);
        for tp in owned {
            if kept.len() < quota {
                kept.push(tp.clone());
                taken.insert(tp.clone());
            }
        }
        if kept.len() < quota {
            unfilled.push((id, quota - kept.len()));
        }
        result.insert((*id).clone(), kept);
    }
    let mut free = wanted.into_iter().filter(|tp| !taken.contains(tp));
    for (id, remaining) in unfilled {
        let list = result.entry(id.clone()).or_default();
        for tp in free.by_ref().take(remaining) {
            list.push(tp);
        }
    }
    result
}

/// `RangeAssignor` (server side): members sorted by `group.instance.id` (static members
/// first), then member id; each topic's partitions cut into contiguous ranges, the first
/// `partitions % members` members taking one more.
fn range(
    partitions_per_topic: &VecMap<String, i32>,
    members: &VecMap<String, MemberSpec>,
) -> VecMap<String, Vec<TopicPartition>> {
    let mut ids: Vec<&String> = members.keys().collect();
    crate::sort::sort_by(&mut ids, |a, b| {
        match (
            members[a.as_str()].instance_id.as_ref(),
            members[b.as_str()].instance_id.as_ref(),
        ) {
            (Some(x), Some(y)) => x.cmp(y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => a.cmp(b),
        }
    });
    // (members subscribed, next range start, extra partitions left) per topic.
    let mut topics: VecMap<&str, (usize, i32, i32)> = VecMap::new();
    for id in &ids {
        for t in members[id.as_str()].topics.iter() {
            topics.entry(t.as_str()).or_insert((0, 0, -1)).0 += 1;
        }
    }
    let mut result = VecMap::new();
    for id in ids {
        let mut assignment = Vec::new();
        for t in members[id.as_str()].topics.iter() {
            let count = partition_count(partitions_per_topic, t);
            let Some(meta) = topics.get_mut(t.as_str()) else {
                continue;
            };
            let n = meta.0.max(1) as i32;
            if meta.2 < 0 {
                meta.2 = count % n;
            }
            let mut quota = count / n;
            if meta.2 > 0 {
                quota += 1;
                meta.2 -= 1;
            }
            let start = meta.1;
            let end = (start + quota).min(count);
            meta.1 = end;
            assignment.extend((start..end).map(|p| TopicPartition::new(t.as_str(), p)));
        }
        result.insert(id.clone(), assignment);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(topics: &[&str], assigned: &[(&str, i32)]) -> MemberSpec {
        MemberSpec {
            topics: topics.iter().map(|t| t.to_string()).collect(),
            assigned: assigned
                .iter()
                .map(|(t, p)| TopicPartition::new(*t, *p))
                .collect(),
            instance_id: None,
        }
    }

    fn parts(result: &VecMap<String, Vec<TopicPartition>>, id: &str) -> Vec<(String, i32)> {
        result[id]
            .iter()
            .map(|tp| (tp.topic.clone(), tp.partition))
            .collect()
    }

    fn counts(pairs: &[(&str, i32)]) -> VecMap<String, i32> {
        pairs.iter().map(|(t, n)| (t.to_string(), *n)).collect()
    }

    #[test]
    fn uniform_keeps_what_it_can_and_balances_the_rest() {
        let topics = counts(&[("t", 3)]);
        let members: VecMap<String, MemberSpec> = [
            (
                "a".to_string(),
                spec(&["t"], &[("t", 0), ("t", 1), ("t", 2)]),
            ),
            ("b".to_string(), spec(&["t"], &[])),
        ]
        .into_iter()
        .collect();
        let r = assign(ServerAssignor::Uniform, &topics, &members);
        assert_eq!(parts(&r, "a"), [("t".into(), 0), ("t".into(), 1)]);
        assert_eq!(parts(&r, "b"), [("t".into(), 2)]);
    }

    #[test]
    fn range_cuts_each_topic_into_ranges() {
        let topics = counts(&[("t", 5)]);
        let members: VecMap<String, MemberSpec> = [
            ("b".to_string(), spec(&["t"], &[])),
            ("a".to_string(), spec(&["t"], &[("t", 4)])),
        ]
        .into_iter()
        .collect();
        let r = assign(ServerAssignor::Range, &topics, &members);
        assert_eq!(
            parts(&r, "a"),
            [("t".into(), 0), ("t".into(), 1), ("t".into(), 2)]
        );
        assert_eq!(parts(&r, "b"), [("t".into(), 3), ("t".into(), 4)]);
    }

    #[test]
    fn uniform_with_different_subscriptions_gives_each_topic_to_its_members() {
        let topics = counts(&[("x", 2), ("y", 2)]);
        let members: VecMap<String, MemberSpec> = [
            ("a".to_string(), spec(&["x", "y"], &[])),
            ("b".to_string(), spec(&["y"], &[])),
        ]
        .into_iter()
        .collect();
        let r = assign(ServerAssignor::Uniform, &topics, &members);
        assert_eq!(
            parts(&r, "a"),
            [("x".into(), 0), ("x".into(), 1), ("y".into(), 0)]
        );
        assert_eq!(parts(&r, "b"), [("y".into(), 1)]);
    }
}
