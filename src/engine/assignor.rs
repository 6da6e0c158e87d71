//! The classic consumer's partition assignors (`range`, `roundrobin`, `sticky`,
//! `cooperative-sticky`), run by the group leader on every rebalance.
//!
//! Invariant: every subscribed partition goes to exactly one member subscribed to its topic
//! (cooperative-sticky may withhold a partition for one round while it changes owner).
//! Members are visited in sorted member-id order where Kafka sorts, and also where Kafka iterates
//! a `HashMap` (member ids are random in Kafka, so no tutorial can depend on that order).

use crate::vec_map::{VecMap, VecSet};

use super::topic::TopicPartition;

/// `partition.assignment.strategy`, by the protocol names Kafka uses; saved by its variant's
/// name (`CooperativeSticky`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum Strategy {
    #[default]
    Range,
    RoundRobin,
    Sticky,
    CooperativeSticky,
}

impl Strategy {
    pub fn name(self) -> &'static str {
        match self {
            Strategy::Range => "range",
            Strategy::RoundRobin => "roundrobin",
            Strategy::Sticky => "sticky",
            Strategy::CooperativeSticky => "cooperative-sticky",
        }
    }

    /// Accepts a protocol name or a Java class name (`org.apache.kafka.clients.consumer.RangeAssignor`).
    pub fn parse(text: &str) -> Option<Strategy> {
        let simple = text.trim().rsplit('.').next().unwrap_or("");
        match simple {
            "range" | "RangeAssignor" => Some(Strategy::Range),
            "roundrobin" | "RoundRobinAssignor" => Some(Strategy::RoundRobin),
            "sticky" | "StickyAssignor" => Some(Strategy::Sticky),
            "cooperative-sticky" | "CooperativeStickyAssignor" => Some(Strategy::CooperativeSticky),
            _ => None,
        }
    }
}

/// What a member sends when it joins: the topics it wants and what it owned until now.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Subscription {
    pub topics: VecSet<String>,
    pub owned: Vec<TopicPartition>,
    /// The generation in which `owned` was assigned (sticky assignors ignore older claims).
    pub generation: Option<i32>,
    /// Static members are ordered by `group.instance.id` rather than member id.
    pub group_instance_id: Option<String>,
}

/// Kafka's member order for range and round-robin: static members first, by instance id;
/// then dynamic members by member id.
fn member_order(members: &VecMap<String, Subscription>) -> Vec<&String> {
    let mut ids: Vec<&String> = members.keys().collect();
    crate::sort::sort_by_key(&mut ids, |m| match &members[*m].group_instance_id {
        Some(instance) => (0, instance.clone()),
        None => (1, (*m).clone()),
    });
    ids
}

pub type Assignment = VecMap<String, Vec<TopicPartition>>;

/// Runs `strategy` for members (by member id) over topics with their partition counts.
pub fn assign(
    strategy: Strategy,
    partitions_per_topic: &VecMap<String, i32>,
    members: &VecMap<String, Subscription>,
) -> Assignment {
    // Only topics that exist take part, as in `AbstractPartitionAssignor`.
    let topics: VecMap<String, i32> = VecMap::from_iter(
        partitions_per_topic
            .iter()
            .filter(|(t, _)| members.values().any(|s| s.topics.contains(*t)))
            .map(|(t, n)| (t.clone(), *n)),
    );
    match strategy {
        Strategy::Range => range(&topics, members),
        Strategy::RoundRobin => round_robin(&topics, members),
        Strategy::Sticky => sticky(&topics, members).0,
        Strategy::CooperativeSticky => cooperative_sticky(&topics, members),
    }
}

fn empty_assignment(members: &VecMap<String, Subscription>) -> Assignment {
    VecMap::from_iter(members.keys().map(|m| (m.clone(), Vec::new())))
}

/// `RangeAssignor`: per topic, consecutive ranges; the first `P mod N` members get one extra.
fn range(topics: &VecMap<String, i32>, members: &VecMap<String, Subscription>) -> Assignment {
    let mut out = empty_assignment(members);
    for (topic, &count) in topics {
        let subscribers: Vec<&String> = member_order(members)
            .into_iter()
            .filter(|m| members[*m].topics.contains(topic))
            .collect();
        let n = subscribers.len() as i32;
        if n == 0 {
            continue;
        }
        let (per_member, extra) = (count / n, count % n);
        for (i, member) in subscribers.into_iter().enumerate() {
            let i = i as i32;
            let start = per_member * i + i.min(extra);
            let length = per_member + i32::from(i < extra);
            let list = out.entry(member.clone()).or_default();
            list.extend((start..start + length).map(|p| TopicPartition::new(topic.clone(), p)));
        }
    }
    out
}

/// Every partition of `topics`, sorted (topics in name order, partitions ascending).
fn all_partitions(topics: &VecMap<String, i32>) -> Vec<TopicPartition> {
    topics
        .iter()
        .flat_map(|(t, &n)| (0..n).map(move |p| TopicPartition::new(t.clone(), p)))
        .collect()
}

/// The partitions of the topics, each marked once it is claimed. Why not a set of the
/// unclaimed ones: claims come in member order, not partition order, and removing from (or
/// inserting into) a sorted `VecSet` in the middle moves the rest, quadratic over a topic
/// with thousands of partitions. Marking by position is a binary search.
struct Claims {
    /// Sorted, no repeats (see `all_partitions`).
    all: Vec<TopicPartition>,
    taken: Vec<bool>,
}

impl Claims {
    fn new(topics: &VecMap<String, i32>) -> Self {
        let all = all_partitions(topics);
        let taken = vec![false; all.len()];
        Claims { all, taken }
    }

    /// Claims `tp`: `Some(true)` if it was free, `Some(false)` if it was claimed already,
    /// `None` if it is not a partition of the topics.
    fn claim(&mut self, tp: &TopicPartition) -> Option<bool> {
        let i = self.all.binary_search(tp).ok()?;
        Some(!std::mem::replace(&mut self.taken[i], true))
    }

    /// The partitions nobody claimed, in order.
    fn unclaimed(self) -> impl Iterator<Item = TopicPartition> {
        self.all
            .into_iter()
            .zip(self.taken)
            .filter_map(|(tp, taken)| (!taken).then_some(tp))
    }
}

/// `RoundRobinAssignor`: all partitions in (topic, partition) order dealt around the sorted
/// members, skipping members not subscribed to the partition's topic.
fn round_robin(topics: &VecMap<String, i32>, members: &VecMap<String, Subscription>) -> Assignment {
    let mut out = empty_assignment(members);
    let ids: Vec<&String> = member_order(members);
    if ids.is_empty() {
        return out;
    }
    let mut next = 0usize;
    for tp in all_partitions(topics) {
        for step in 0..ids.len() {
            let member = ids[(next + step) % ids.len()];
            if members[member].topics.contains(&tp.topic) {
                out.entry(member.clone()).or_default().push(tp.clone());
                next = (next + step + 1) % ids.len();
                break;
            }
        }
    }
    out
}

/// Each member's previous partitions that still count: only claims from the highest generation,
/// only partitions of topics that still exist.
fn valid_owned(
    topics: &VecMap<String, i32>,
    members: &VecMap<String, Subscription>,
) -> VecMap<String, Vec<TopicPartition>> {
    let max_generation = members.values().filter_map(|s| s.generation).max();
    VecMap::from_iter(members.iter().map(|(m, s)| {
        let current = s.generation == max_generation;
        let owned = if current {
            s.owned
                .iter()
                .filter(|tp| {
                    topics.get(&tp.topic).is_some_and(|&n| tp.partition < n)
                        && s.topics.contains(&tp.topic)
                })
                .cloned()
                .collect()
        } else {
            Vec::new()
        };
        (m.clone(), owned)
    }))
}

/// The sticky assignment plus the partitions that move from one owner to another.
fn sticky(
    topics: &VecMap<String, i32>,
    members: &VecMap<String, Subscription>,
) -> (Assignment, VecSet<TopicPartition>) {
    if members.is_empty() {
        return (Assignment::new(), VecSet::new());
    }
    let owned = valid_owned(topics, members);
    let first = members.values().next().map(|s| &s.topics);
    if members.values().all(|s| Some(&s.topics) == first) {
        constrained_assign(topics, owned)
    } else {
        general_assign(topics, members, owned)
    }
}

/// `AbstractStickyAssignor.constrainedAssign`: all members subscribe to the same topics.
fn constrained_assign(
    topics: &VecMap<String, i32>,
    owned: VecMap<String, Vec<TopicPartition>>,
) -> (Assignment, VecSet<TopicPartition>) {
    let mut unassigned = Claims::new(topics);
    // Collected as lists and sorted into sets once (inserting one by one would move entries).
    let mut revoked = Vec::new();
    let mut transferring = Vec::new();
    let n = owned.len();
    let total = unassigned.all.len();
    let (min_quota, max_quota) = (total / n, total.div_ceil(n));
    let mut assignment: Assignment =
        VecMap::from_iter(owned.keys().map(|m| (m.clone(), Vec::new())));
    let mut unfilled: Vec<String> = Vec::new();
    let mut max_capacity: std::collections::VecDeque<String> = Default::default();
    let mut min_capacity: std::collections::VecDeque<String> = Default::default();

    // 1. Keep as many previously owned partitions as possible (up to the max quota).
    for (member, parts) in &owned {
        let list = assignment.entry(member.clone()).or_default();
        for (i, tp) in parts.iter().enumerate() {
            if i < max_quota && unassigned.claim(tp) == Some(true) {
                list.push(tp.clone());
            } else {
                revoked.push(tp.clone());
            }
        }
        if parts.len() < min_quota {
            unfilled.push(member.clone());
        } else {
            if list.len() == min_quota {
                min_capacity.push_back(member.clone());
            }
            if list.len() == max_quota {
                max_capacity.push_back(member.clone());
            }
        }
    }
    crate::sort::sort(&mut unfilled);
    let revoked = VecSet::from_iter(revoked);

    // 2. Fill the members below the min quota, one partition each in turn.
    let mut pending: std::collections::VecDeque<TopicPartition> = unassigned.unclaimed().collect();
    while !unfilled.is_empty() && !pending.is_empty() {
        let mut still_unfilled = Vec::new();
        let mut exhausted = false;
        for member in std::mem::take(&mut unfilled) {
            if exhausted {
                still_unfilled.push(member);
                continue;
            }
            let list = assignment.entry(member.clone()).or_default();
            match pending.pop_front() {
                Some(tp) => {
                    if revoked.contains(&tp) {
                        transferring.push(tp.clone());
                    }
                    list.push(tp);
                }
                None => {
                    exhausted = true;
                    still_unfilled.push(member);
                    continue;
                }
            }
            if list.len() == min_quota {
                min_capacity.push_back(member);
            } else {
                still_unfilled.push(member);
            }
        }
        unfilled = still_unfilled;
    }

    // 3. Out of partitions with members still under quota: take from the members at max capacity.
    for member in unfilled {
        while assignment.get(&member).map_or(0, Vec::len) < min_quota {
            let Some(over) = max_capacity.pop_front() else {
                break;
            };
            let moved = match assignment.get_mut(&over) {
                Some(list) if !list.is_empty() => list.remove(0),
                _ => continue,
            };
            transferring.push(moved.clone());
            assignment.entry(member.clone()).or_default().push(moved);
        }
        min_capacity.push_back(member);
    }

    // 4. Partitions left over: one each to members at min capacity.
    for tp in pending {
        let Some(member) = min_capacity.pop_front() else {
            break;
        };
        if revoked.contains(&tp) {
            transferring.push(tp.clone());
        }
        assignment.entry(member).or_default().push(tp);
    }
    (assignment, VecSet::from_iter(transferring))
}

/// `AbstractStickyAssignor.generalAssign`, simplified: keep valid owned partitions, give each
/// remaining partition (those with the fewest eligible members first) to the eligible member
/// with the fewest partitions, then move partitions while that makes the spread more even.
fn general_assign(
    topics: &VecMap<String, i32>,
    members: &VecMap<String, Subscription>,
    owned: VecMap<String, Vec<TopicPartition>>,
) -> (Assignment, VecSet<TopicPartition>) {
    let mut assignment: Assignment = empty_assignment(members);
    // The last member to list a partition, as inserting them in turn would leave it.
    let previous_owner: VecMap<&TopicPartition, &String> = owned
        .iter()
        .flat_map(|(member, parts)| parts.iter().map(move |tp| (tp, member)))
        .collect();
    // A partition goes to the first member that lists it.
    let mut taken = Claims::new(topics);
    // Owned partitions that are not the topics' (a negative number) still count once each.
    let mut taken_elsewhere = VecSet::new();
    for (member, parts) in &owned {
        for tp in parts {
            let first = taken
                .claim(tp)
                .unwrap_or_else(|| taken_elsewhere.insert(tp.clone()));
            if first {
                assignment
                    .entry(member.clone())
                    .or_default()
                    .push(tp.clone());
            }
        }
    }
    let eligible = |tp: &TopicPartition| -> Vec<String> {
        members
            .iter()
            .filter(|(_, s)| s.topics.contains(&tp.topic))
            .map(|(m, _)| m.clone())
            .collect()
    };
    let mut remaining: Vec<TopicPartition> = taken.unclaimed().collect();
    crate::sort::sort_by_key(&mut remaining, |tp| (eligible(tp).len(), tp.clone()));
    for tp in remaining {
        let candidates = eligible(&tp);
        if let Some(best) = candidates
            .iter()
            .min_by_key(|m| (assignment.get(*m).map_or(0, Vec::len), (*m).clone()))
        {
            assignment.entry(best.clone()).or_default().push(tp);
        }
    }
    // Balance: move a partition from a member to an eligible one with at least two fewer.
    let mut moved = true;
    let mut guard = 0;
    while moved && guard < 10_000 {
        moved = false;
        guard += 1;
        let sizes: VecMap<String, usize> =
            VecMap::from_iter(assignment.iter().map(|(m, l)| (m.clone(), l.len())));
        'search: for (from, list) in &assignment {
            for tp in list.iter().rev() {
                for to in eligible(tp) {
                    if sizes[&to] + 1 < sizes[from] {
                        let (from, tp, to) = (from.clone(), tp.clone(), to.clone());
                        if let Some(l) = assignment.get_mut(&from) {
                            l.retain(|x| x != &tp);
                        }
                        assignment.entry(to).or_default().push(tp);
                        moved = true;
                        break 'search;
                    }
                }
            }
        }
    }
    let mut transferring = Vec::new();
    for (member, list) in &mut assignment {
        crate::sort::sort(list);
        for tp in list.iter() {
            if previous_owner.get(tp).is_some_and(|prev| *prev != member) {
                transferring.push(tp.clone());
            }
        }
    }
    (assignment, VecSet::from_iter(transferring))
}

/// `CooperativeStickyAssignor`: the sticky target, but a partition changing owner is withheld
/// this round; the previous owner revokes it and a follow-up rebalance hands it over.
fn cooperative_sticky(
    topics: &VecMap<String, i32>,
    members: &VecMap<String, Subscription>,
) -> Assignment {
    let (mut assignment, _) = sticky(topics, members);
    let owned = valid_owned(topics, members);
    // The last member to list a partition, as inserting them in turn would leave it.
    let owner: VecMap<&TopicPartition, &String> = owned
        .iter()
        .flat_map(|(member, parts)| parts.iter().map(move |tp| (tp, member)))
        .collect();
    for (member, list) in &mut assignment {
        list.retain(|tp| owner.get(tp).is_none_or(|prev| *prev == member));
    }
    assignment
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tp(s: &str) -> TopicPartition {
        let (t, p) = s.rsplit_once('-').expect("topic-partition");
        TopicPartition::new(t, p.parse().expect("partition number"))
    }

    fn topics(list: &[(&str, i32)]) -> VecMap<String, i32> {
        list.iter().map(|(t, n)| (t.to_string(), *n)).collect()
    }

    fn member(subscribed: &[&str], owned: &[&str], generation: Option<i32>) -> Subscription {
        Subscription {
            topics: subscribed.iter().map(|s| s.to_string()).collect(),
            owned: owned.iter().map(|s| tp(s)).collect(),
            generation,
            group_instance_id: None,
        }
    }

    fn run(
        strategy: Strategy,
        t: &[(&str, i32)],
        members: &[(&str, Subscription)],
    ) -> VecMap<String, Vec<String>> {
        let members: VecMap<String, Subscription> = members
            .iter()
            .map(|(m, s)| (m.to_string(), s.clone()))
            .collect();
        assign(strategy, &topics(t), &members)
            .into_iter()
            .map(|(m, l)| {
                let mut l: Vec<String> = l.iter().map(|tp| tp.to_string()).collect();
                l.sort();
                (m, l)
            })
            .collect()
    }

    fn expect(pairs: &[(&str, &[&str])]) -> VecMap<String, Vec<String>> {
        pairs
            .iter()
            .map(|(m, l)| (m.to_string(), l.iter().map(|s| s.to_string()).collect()))
            .collect()
    }

    // Cases from Kafka's RangeAssignorTest / RoundRobinAssignorTest / sticky assignor tests.
    #[test]
    fn range_two_topics_two_consumers() {
        let both = || member(&["t1", "t2"], &[], None);
        let got = run(
            Strategy::Range,
            &[("t1", 3), ("t2", 3)],
            &[("c1", both()), ("c2", both())],
        );
        assert_eq!(
            got,
            expect(&[
                ("c1", &["t1-0", "t1-1", "t2-0", "t2-1"]),
                ("c2", &["t1-2", "t2-2"])
            ])
        );
    }

    #[test]
    fn range_uneven_subscriptions() {
        let got = run(
            Strategy::Range,
            &[("t1", 3), ("t2", 2)],
            &[
                ("c1", member(&["t1"], &[], None)),
                ("c2", member(&["t1", "t2"], &[], None)),
                ("c3", member(&["t1"], &[], None)),
            ],
        );
        assert_eq!(
            got,
            expect(&[
                ("c1", &["t1-0"]),
                ("c2", &["t1-1", "t2-0", "t2-1"]),
                ("c3", &["t1-2"])
            ])
        );
    }

    #[test]
    fn range_more_consumers_than_partitions() {
        let one = || member(&["t1"], &[], None);
        let got = run(
            Strategy::Range,
            &[("t1", 1)],
            &[("c1", one()), ("c2", one())],
        );
        assert_eq!(got, expect(&[("c1", &["t1-0"]), ("c2", &[])]));
    }

    #[test]
    fn round_robin_cases() {
        let both = || member(&["t1", "t2"], &[], None);
        let got = run(
            Strategy::RoundRobin,
            &[("t1", 3), ("t2", 3)],
            &[("c1", both()), ("c2", both())],
        );
        assert_eq!(
            got,
            expect(&[
                ("c1", &["t1-0", "t1-2", "t2-1"]),
                ("c2", &["t1-1", "t2-0", "t2-2"])
            ])
        );
        let got = run(
            Strategy::RoundRobin,
            &[("t1", 3), ("t2", 2)],
            &[
                ("c1", member(&["t1"], &[], None)),
                ("c2", member(&["t1", "t2"], &[], None)),
                ("c3", member(&["t1"], &[], None)),
            ],
        );
        assert_eq!(
            got,
            expect(&[
                ("c1", &["t1-0"]),
                ("c2", &["t1-1", "t2-0", "t2-1"]),
                ("c3", &["t1-2"])
            ])
        );
    }

    #[test]
    fn sticky_fresh_assignments() {
        let both = || member(&["t1", "t2"], &[], None);
        let got = run(
            Strategy::Sticky,
            &[("t1", 3), ("t2", 3)],
            &[("c1", both()), ("c2", both())],
        );
        assert_eq!(
            got,
            expect(&[
                ("c1", &["t1-0", "t1-2", "t2-1"]),
                ("c2", &["t1-1", "t2-0", "t2-2"])
            ])
        );
        let got = run(
            Strategy::Sticky,
            &[("t1", 3), ("t2", 2)],
            &[
                ("c1", member(&["t1"], &[], None)),
                ("c2", member(&["t1", "t2"], &[], None)),
                ("c3", member(&["t1"], &[], None)),
            ],
        );
        assert_eq!(
            got,
            expect(&[
                ("c1", &["t1-0", "t1-2"]),
                ("c2", &["t2-0", "t2-1"]),
                ("c3", &["t1-1"])
            ])
        );
    }

    #[test]
    fn sticky_moves_only_what_it_must() {
        let got = run(
            Strategy::Sticky,
            &[("t", 3)],
            &[
                ("c1", member(&["t"], &["t-0", "t-1", "t-2"], Some(1))),
                ("c2", member(&["t"], &[], None)),
            ],
        );
        assert_eq!(got, expect(&[("c1", &["t-0", "t-1"]), ("c2", &["t-2"])]));
        let got = run(
            Strategy::Sticky,
            &[("t", 3)],
            &[("c2", member(&["t"], &["t-2"], Some(2)))],
        );
        assert_eq!(got, expect(&[("c2", &["t-0", "t-1", "t-2"])]));
    }

    #[test]
    fn cooperative_sticky_withholds_moving_partitions() {
        // c1 owned everything; c2 joins. t-2 must be revoked by c1 before c2 gets it.
        let members = [
            ("c1", member(&["t"], &["t-0", "t-1", "t-2"], Some(1))),
            ("c2", member(&["t"], &[], None)),
        ];
        let got = run(Strategy::CooperativeSticky, &[("t", 3)], &members);
        assert_eq!(got, expect(&[("c1", &["t-0", "t-1"]), ("c2", &[])]));
        // The follow-up rebalance: c1 now owns 0 and 1 only, so t-2 goes to c2.
        let members = [
            ("c1", member(&["t"], &["t-0", "t-1"], Some(2))),
            ("c2", member(&["t"], &[], Some(2))),
        ];
        let got = run(Strategy::CooperativeSticky, &[("t", 3)], &members);
        assert_eq!(got, expect(&[("c1", &["t-0", "t-1"]), ("c2", &["t-2"])]));
    }

    #[test]
    fn every_partition_once() {
        for strategy in [
            Strategy::Range,
            Strategy::RoundRobin,
            Strategy::Sticky,
            Strategy::CooperativeSticky,
        ] {
            let m = |s: &[&str]| member(s, &[], None);
            let got = run(
                strategy,
                &[("a", 5), ("b", 2), ("c", 7)],
                &[
                    ("m1", m(&["a", "b"])),
                    ("m2", m(&["a", "c"])),
                    ("m3", m(&["c"])),
                    ("m4", m(&["a", "b", "c"])),
                ],
            );
            let mut all: Vec<String> = got.values().flatten().cloned().collect();
            all.sort();
            let before = all.len();
            all.dedup();
            assert_eq!((before, all.len()), (14, 14), "{strategy:?}: {got:?}");
        }
    }

    #[test]
    fn strategy_names() {
        assert_eq!(
            Strategy::parse("org.apache.kafka.clients.consumer.RoundRobinAssignor"),
            Some(Strategy::RoundRobin)
        );
        assert_eq!(
            Strategy::parse("cooperative-sticky"),
            Some(Strategy::CooperativeSticky)
        );
        assert_eq!(Strategy::parse("nope"), None);
    }
}
