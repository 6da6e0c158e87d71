//! Consumer-protocol groups (KIP-848, `group.protocol=consumer`): the group coordinator owns the
//! assignment. Any change of membership, subscription or partition count bumps the *group
//! epoch* and the server-side assignor (`uniform` or `range`) computes a new *target
//! assignment* at once (no rebalance delay). Each member then reconciles on its own heartbeats
//! (`group.consumer.heartbeat.interval.ms`, 5 s): it first gives up (revokes) the partitions it
//! must lose, and its member epoch moves to the target epoch; a partition it gains is handed
//! over only once its previous owner has revoked it. A member that stops heartbeating is
//! removed after `group.consumer.session.timeout.ms` (45 s).
//!
//! Kafka: group-coordinator/src/main/java/org/apache/kafka/coordinator/group/
//! GroupMetadataManager.java (consumerGroupHeartbeat), modern/consumer/ConsumerGroup.java,
//! modern/consumer/CurrentAssignmentBuilder.java, GroupCoordinatorConfig.java.
//!
//! The state lives beside the classic one in [`Group`]: `Group::consumer` is `Some` for a
//! consumer-protocol group, `Group::generation_id` is its group epoch and `Member::assignment`
//! each member's current assignment. The revocation is acknowledged in the heartbeat that
//! carries it (the Java consumer sends its acknowledgement at once).
//!
//! Invariant: a partition is in at most one member's current assignment.

use crate::vec_map::{VecMap, VecSet};

use super::error::{ErrorCode, KafkaError};
use super::group::{Group, GroupState, Member};
use super::server_assignor::{self, MemberSpec, ServerAssignor};
use super::topic::TopicPartition;

/// `group.consumer.heartbeat.interval.ms`.
pub const CONSUMER_HEARTBEAT_INTERVAL_MS: i64 = 5_000;
/// `group.consumer.session.timeout.ms`.
pub const CONSUMER_SESSION_TIMEOUT_MS: i64 = 45_000;

/// The coordinator's check of a heartbeat's `ServerAssignor` (`group.remote.assignor`).
// Kafka: group-coordinator/src/main/java/org/apache/kafka/coordinator/group/GroupMetadataManager.java
// (throwIfConsumerGroupHeartbeatRequestIsInvalid)
pub fn server_assignor(name: &str) -> Result<ServerAssignor, KafkaError> {
    ServerAssignor::parse(name).ok_or_else(|| {
        let supported: Vec<&str> = ServerAssignor::ALL.iter().map(|a| a.name()).collect();
        KafkaError::new(
            ErrorCode::UnsupportedAssignor,
            format!(
                "ServerAssignor {name} is not supported. Supported assignors: {}.",
                supported.join(", ")
            ),
        )
    })
}

/// The consumer-protocol part of a group.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ConsumerGroup {
    /// The assignor of the last target assignment.
    pub(in crate::engine) assignor: ServerAssignor,
    /// The group epoch the target assignment was computed for.
    pub(in crate::engine) target_assignment_epoch: i32,
    /// What the member-side state of each member is, by member id.
    pub(in crate::engine) members: VecMap<String, ConsumerMember>,
    /// The partition counts the target assignment was computed from (a change bumps the epoch).
    #[serde(default)]
    pub(in crate::engine) partition_counts: VecMap<String, i32>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ConsumerMember {
    pub member_epoch: i32,
    pub target: Vec<TopicPartition>,
    /// `group.remote.assignor` of this member, if it named one.
    pub server_assignor: Option<ServerAssignor>,
    /// When the member's next heartbeat reaches the coordinator.
    pub next_heartbeat_ms: i64,
    /// A member that joined with the classic protocol (a mixed group after an online upgrade).
    #[serde(default)]
    pub classic: bool,
}

impl ConsumerGroup {
    pub fn assignor(&self) -> ServerAssignor {
        self.assignor
    }

    pub fn target_assignment_epoch(&self) -> i32 {
        self.target_assignment_epoch
    }

    pub fn member(&self, member_id: &str) -> Option<&ConsumerMember> {
        self.members.get(member_id)
    }

    /// Whether every member uses the classic protocol (after an upgrade of a classic group).
    pub fn all_classic(&self) -> bool {
        self.members.values().all(|m| m.classic)
    }
}

/// A consumer-protocol member's heartbeat that joins the group (member epoch 0), or a classic
/// member joining a non-empty consumer group.
pub(in crate::engine) fn join(
    group: &mut Group,
    member: Member,
    server_assignor: Option<ServerAssignor>,
    classic: bool,
    now: i64,
    partitions_per_topic: &VecMap<String, i32>,
) {
    let cg = group.consumer.get_or_insert_with(ConsumerGroup::default);
    let id = member.member_id.clone();
    let previous = group.members.get(&id).cloned();
    let changed = previous.as_ref().is_none_or(|p| p.topics != member.topics);
    let assignment = previous.map(|p| p.assignment).unwrap_or_default();
    if !cg.members.contains_key(&id) {
        group.pending_changes.push(format!("{id} joined"));
    }
    let cm = cg.members.entry(id.clone()).or_default();
    cm.server_assignor = server_assignor;
    cm.classic = classic;
    cm.next_heartbeat_ms = now + CONSUMER_HEARTBEAT_INTERVAL_MS;
    group.members.insert(
        id.clone(),
        Member {
            assignment,
            ..member
        },
    );
    if changed {
        bump_epoch(group, partitions_per_topic);
    }
    reconcile(group, &id);
    update_state(group);
}

/// Members left or were removed: the group epoch moves on and the others get their shares.
pub(in crate::engine) fn members_gone(
    group: &mut Group,
    gone: &[String],
    partitions_per_topic: &VecMap<String, i32>,
) {
    if let Some(cg) = group.consumer.as_mut() {
        for id in gone {
            cg.members.remove(id);
        }
    }
    bump_epoch(group, partitions_per_topic);
    update_state(group);
}

/// The group epoch + 1 and a new target assignment for it.
fn bump_epoch(group: &mut Group, partitions_per_topic: &VecMap<String, i32>) {
    group.generation_id += 1;
    let epoch = group.generation_id;
    let Some(cg) = group.consumer.as_mut() else {
        return;
    };
    // GroupMetadataManager: the assignor a member asked for, else the group's, else the
    // first of `group.consumer.assignors`.
    cg.assignor = cg
        .members
        .values()
        .find_map(|m| m.server_assignor)
        .unwrap_or(ServerAssignor::ALL[0]);
    let subscribed: VecSet<&String> = group
        .members
        .values()
        .flat_map(|m| m.topics.iter())
        .collect();
    cg.partition_counts = VecMap::from_iter(subscribed.iter().filter_map(|t| {
        partitions_per_topic
            .get(t.as_str())
            .map(|n| ((*t).clone(), *n))
    }));
    let specs: VecMap<String, MemberSpec> =
        VecMap::from_iter(group.members.iter().map(|(id, m)| {
            (
                id.clone(),
                MemberSpec {
                    topics: m.topics.clone(),
                    assigned: cg
                        .members
                        .get(id)
                        .map(|c| c.target.clone())
                        .unwrap_or_default(),
                    instance_id: m.group_instance_id.clone(),
                },
            )
        }));
    let targets = server_assignor::assign(cg.assignor, &cg.partition_counts, &specs);
    for (id, cm) in cg.members.iter_mut() {
        cm.target = targets.get(id).cloned().unwrap_or_default();
    }
    cg.target_assignment_epoch = epoch;
}

/// One heartbeat of `member_id`: it revokes what its target no longer holds, takes the
/// partitions of its target that no other member still owns, and its epoch becomes the target's.
fn reconcile(group: &mut Group, member_id: &str) {
    let Some(cg) = group.consumer.as_mut() else {
        return;
    };
    let Some(cm) = cg.members.get_mut(member_id) else {
        return;
    };
    let owned_by_others: VecSet<TopicPartition> = group
        .members
        .iter()
        .filter(|(id, _)| id.as_str() != member_id)
        .flat_map(|(_, m)| m.assignment.iter().cloned())
        .collect();
    let Some(m) = group.members.get_mut(member_id) else {
        return;
    };
    m.assignment.retain(|tp| cm.target.contains(tp));
    for tp in &cm.target {
        if !m.assignment.contains(tp) && !owned_by_others.contains(tp) {
            m.assignment.push(tp.clone());
        }
    }
    crate::sort::sort(&mut m.assignment);
    cm.member_epoch = cg.target_assignment_epoch;
    m.assigned_generation = Some(cm.member_epoch);
}

/// `ConsumerGroup.maybeUpdateGroupState`: Empty without members, Assigning while the target
/// assignment is behind the group epoch, Reconciling while a member is not at its target,
/// else Stable.
fn update_state(group: &mut Group) {
    let Some(cg) = group.consumer.as_ref() else {
        return;
    };
    group.state = if group.members.is_empty() {
        GroupState::Empty
    } else if cg.target_assignment_epoch != group.generation_id {
        GroupState::Assigning
    } else if cg.members.iter().any(|(id, cm)| {
        cm.member_epoch != cg.target_assignment_epoch
            || group
                .members
                .get(id)
                .is_none_or(|m| m.assignment != cm.target)
    }) {
        GroupState::Reconciling
    } else {
        GroupState::Stable
    };
    if group.state == GroupState::Stable && !group.pending_changes.is_empty() {
        group.pending_changes.clear();
    }
}

/// Advances a consumer-protocol group to `now`: a change of the subscribed topics' partition
/// counts bumps the epoch, then the members' heartbeats due by `now` run in time order.
pub(in crate::engine) fn tick(
    group: &mut Group,
    now: i64,
    partitions_per_topic: &VecMap<String, i32>,
) {
    let Some(cg) = group.consumer.as_ref() else {
        return;
    };
    if !group.members.is_empty() {
        let subscribed: VecSet<&String> = group
            .members
            .values()
            .flat_map(|m| m.topics.iter())
            .collect();
        let counts: VecMap<String, i32> = VecMap::from_iter(subscribed.iter().filter_map(|t| {
            partitions_per_topic
                .get(t.as_str())
                .map(|n| ((*t).clone(), *n))
        }));
        if counts != cg.partition_counts {
            bump_epoch(group, partitions_per_topic);
            update_state(group);
        }
    }
    loop {
        let Some(cg) = group.consumer.as_ref() else {
            return;
        };
        let due = cg
            .members
            .iter()
            .filter(|(id, cm)| {
                cm.next_heartbeat_ms <= now
                    && group.members.get(*id).is_some_and(|m| m.heartbeating)
            })
            .min_by_key(|(id, cm)| (cm.next_heartbeat_ms, (*id).clone()))
            .map(|(id, _)| id.clone());
        let Some(id) = due else {
            break;
        };
        if group.state == GroupState::Stable {
            // Nothing to reconcile: the heartbeats only keep the session alive.
            if let Some(cg) = group.consumer.as_mut() {
                for cm in cg.members.values_mut() {
                    while cm.next_heartbeat_ms <= now {
                        let behind =
                            (now - cm.next_heartbeat_ms) / CONSUMER_HEARTBEAT_INTERVAL_MS + 1;
                        cm.next_heartbeat_ms += behind * CONSUMER_HEARTBEAT_INTERVAL_MS;
                    }
                }
            }
            break;
        }
        reconcile(group, &id);
        if let Some(cm) = group
            .consumer
            .as_mut()
            .and_then(|cg| cg.members.get_mut(&id))
        {
            cm.next_heartbeat_ms += CONSUMER_HEARTBEAT_INTERVAL_MS;
        }
        update_state(group);
    }
}

/// The next heartbeat that can change something (only while the group reconciles).
pub(in crate::engine) fn next_deadline(group: &Group) -> Option<i64> {
    let cg = group.consumer.as_ref()?;
    if !matches!(group.state, GroupState::Reconciling | GroupState::Assigning) {
        return None;
    }
    cg.members
        .iter()
        .filter(|(id, _)| group.members.get(*id).is_some_and(|m| m.heartbeating))
        .map(|(_, cm)| cm.next_heartbeat_ms)
        .min()
}

/// A consumer-protocol group whose remaining members all use the classic protocol goes back to
/// being a classic group (online downgrade, `group.consumer.migration.policy=bidirectional`),
/// which then rebalances.
pub(in crate::engine) fn maybe_downgrade(group: &mut Group) -> bool {
    let Some(cg) = group.consumer.as_ref() else {
        return false;
    };
    if group.members.is_empty() || !cg.all_classic() {
        return false;
    }
    group.consumer = None;
    group.protocol = None;
    group.pending_changes.push(format!(
        "Downgrade group {} from consumer to classic.",
        group.group_id
    ));
    true
}

/// A classic group (non-empty) that a consumer-protocol member joins becomes a consumer group
/// (online upgrade): its members stay, as classic members, with their partitions.
pub(in crate::engine) fn upgrade(group: &mut Group) {
    let epoch = group.generation_id;
    let mut cg = ConsumerGroup {
        target_assignment_epoch: epoch,
        ..Default::default()
    };
    for (id, m) in group.members.iter() {
        cg.members.insert(
            id.clone(),
            ConsumerMember {
                member_epoch: epoch,
                target: m.assignment.clone(),
                server_assignor: None,
                next_heartbeat_ms: m.last_heartbeat_ms + CONSUMER_HEARTBEAT_INTERVAL_MS,
                classic: true,
            },
        );
    }
    group.consumer = Some(cg);
    group.rebalance_deadline_ms = None;
    group.leader = None;
}

#[cfg(test)]
mod tests {
    use super::super::group::{GroupCoordinator, JoinRequest, MemberProtocol};
    use super::*;
    use crate::engine::assignor::Strategy;

    fn req(id: &str, protocol: MemberProtocol) -> JoinRequest {
        JoinRequest {
            member_id: id.to_string(),
            client_id: "console-consumer".into(),
            client_host: "/127.0.0.1".into(),
            topics: ["t".to_string()].into_iter().collect(),
            strategies: vec![Strategy::Range],
            session_timeout_ms: CONSUMER_SESSION_TIMEOUT_MS,
            group_instance_id: None,
            protocol,
        }
    }

    fn consumer(id: &str) -> JoinRequest {
        req(id, MemberProtocol::Consumer(None))
    }

    fn topics(n: i32) -> VecMap<String, i32> {
        [("t".to_string(), n)].into_iter().collect()
    }

    /// (member epoch, current partitions, target partitions) of a member.
    fn member(c: &GroupCoordinator, id: &str) -> (i32, Vec<i32>, Vec<i32>) {
        let g = c.group("g").unwrap();
        let cm = g.consumer().unwrap().member(id).unwrap();
        let parts = |tps: &[TopicPartition]| tps.iter().map(|tp| tp.partition).collect();
        (
            cm.member_epoch,
            parts(&g.members()[id].assignment),
            parts(&cm.target),
        )
    }

    #[test]
    fn a_first_member_gets_everything_in_its_joining_heartbeat() {
        let mut c = GroupCoordinator::default();
        c.join("g", consumer("a"), 0, &topics(3)).unwrap();
        let g = c.group("g").unwrap();
        assert_eq!((g.state(), g.generation_id()), (GroupState::Stable, 1));
        assert_eq!(member(&c, "a"), (1, vec![0, 1, 2], vec![0, 1, 2]));
    }

    #[test]
    fn partitions_move_only_after_their_owner_revoked_them() {
        let mut c = GroupCoordinator::default();
        c.join("g", consumer("a"), 0, &topics(3)).unwrap();
        c.join("g", consumer("b"), 1_000, &topics(3)).unwrap();
        // b is at epoch 2 at once, but orders:2 is still a's until a's next heartbeat (5 s).
        assert_eq!(c.group("g").unwrap().state(), GroupState::Reconciling);
        assert_eq!(member(&c, "a"), (1, vec![0, 1, 2], vec![0, 1]));
        assert_eq!(member(&c, "b"), (2, vec![], vec![2]));
        assert_eq!(c.next_deadline(), Some(5_000));
        c.tick(5_000, &topics(3));
        assert_eq!(member(&c, "a"), (2, vec![0, 1], vec![0, 1]));
        assert_eq!(member(&c, "b"), (2, vec![], vec![2]));
        c.tick(6_000, &topics(3));
        assert_eq!(member(&c, "b"), (2, vec![2], vec![2]));
        assert_eq!(c.group("g").unwrap().state(), GroupState::Stable);
        assert_eq!(c.next_deadline(), None);
    }

    #[test]
    fn more_partitions_bump_the_group_epoch() {
        let mut c = GroupCoordinator::default();
        c.join("g", consumer("a"), 0, &topics(1)).unwrap();
        c.tick(1_000, &topics(2));
        let g = c.group("g").unwrap();
        assert_eq!(g.generation_id(), 2);
        c.tick(5_000, &topics(2));
        assert_eq!(member(&c, "a"), (2, vec![0, 1], vec![0, 1]));
    }

    #[test]
    fn a_silent_member_is_removed_after_the_session_timeout() {
        let mut c = GroupCoordinator::default();
        c.join("g", consumer("a"), 0, &topics(2)).unwrap();
        c.join("g", consumer("b"), 0, &topics(2)).unwrap();
        c.tick(5_000, &topics(2));
        // Its last heartbeat reached the coordinator at 5 s.
        c.stop_heartbeats("g", "b");
        c.tick(49_999, &topics(2));
        assert!(c.group("g").unwrap().members().contains_key("b"));
        c.tick(50_000, &topics(2));
        let g = c.group("g").unwrap();
        assert!(!g.members().contains_key("b"));
        assert_eq!(g.generation_id(), 3);
    }

    #[test]
    fn upgrade_and_downgrade_between_the_protocols() {
        let mut c = GroupCoordinator::default();
        let classic = req("old", MemberProtocol::Classic);
        c.join("g", classic.clone(), 0, &topics(2)).unwrap();
        c.tick(3_000, &topics(2));
        // A consumer-protocol member joins the non-empty classic group: it is upgraded.
        c.join("g", consumer("new"), 4_000, &topics(2)).unwrap();
        let g = c.group("g").unwrap();
        assert!(
            g.consumer()
                .is_some_and(|cg| cg.member("old").unwrap().classic)
        );
        assert_eq!(g.generation_id(), 2);
        // The last consumer-protocol member leaves: a classic group again, rebalancing.
        c.leave("g", "new", 5_000, &topics(2));
        let g = c.group("g").unwrap();
        assert!(g.consumer().is_none());
        assert_eq!(g.state(), GroupState::PreparingRebalance);
        c.leave("g", "old", 6_000, &topics(2));
        // An empty classic group is replaced by a consumer group when one joins.
        c.join("g", consumer("n2"), 7_000, &topics(2)).unwrap();
        let g = c.group("g").unwrap();
        assert_eq!((g.state(), g.generation_id()), (GroupState::Stable, 1));
    }

    #[test]
    fn an_unknown_server_assignor_is_refused() {
        let e = server_assignor("sticky").unwrap_err();
        assert_eq!(
            e.to_string(),
            "org.apache.kafka.common.errors.UnsupportedAssignorException: ServerAssignor sticky is not supported. Supported assignors: uniform, range."
        );
        assert_eq!(server_assignor("range").ok(), Some(ServerAssignor::Range));
    }
}
