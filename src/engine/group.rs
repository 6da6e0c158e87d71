//! The group coordinator for classic consumer groups: members join and leave, rebalances run
//! on the simulated clock, the leader's assignor splits the partitions, generations count up.
//!
//! States as in Kafka's `ClassicGroupState`:
//! `Empty` → (join) → `PreparingRebalance` → (all joined) → `CompletingRebalance` → (sync) →
//! `Stable` → (join, leave, missed heartbeats) → `PreparingRebalance` …; `Dead` once deleted.
//!
//! Timing model: a new group waits `group.initial.rebalance.delay.ms` (3 s) for more members,
//! extended by each join; a rebalance of a running group completes once every member has
//! rejoined, which live consumers do on their next heartbeat (`heartbeat.interval.ms`, 3 s).
//! A member that stops heartbeating is removed after `session.timeout.ms` (45 s).
//! The leader's assignment is applied at once, so `CompletingRebalance` is passed through in
//! the same instant (it is visible only when a rebalance has members that have not synced).

use crate::vec_map::{VecMap, VecSet};

use super::assignor::{self, Strategy, Subscription};
use super::consumer_group::{self, ConsumerGroup};
use super::server_assignor::ServerAssignor;
use super::topic::TopicPartition;

pub const GROUP_INITIAL_REBALANCE_DELAY_MS: i64 = 3_000;
pub const HEARTBEAT_INTERVAL_MS: i64 = 3_000;
pub const DEFAULT_SESSION_TIMEOUT_MS: i64 = 45_000;
pub const MAX_POLL_INTERVAL_MS: i64 = 300_000;

/// Java's `String.hashCode()` over UTF-16 code units (the coordinator partition of a group is
/// `abs(hash) % offsets.topic.num.partitions`).
pub fn string_hash(s: &str) -> i32 {
    s.encode_utf16()
        .fold(0i32, |h, c| h.wrapping_mul(31).wrapping_add(c as i32))
}

/// The `__consumer_offsets` partition that holds a group (`Utils.abs(hash) % partitions`).
pub fn coordinator_partition(group_id: &str, partitions: i32) -> i32 {
    let h = string_hash(group_id);
    // Kafka's Utils.abs maps Integer.MIN_VALUE to 0.
    let abs = if h == i32::MIN { 0 } else { h.abs() };
    abs % partitions.max(1)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum GroupState {
    #[default]
    Empty,
    PreparingRebalance,
    CompletingRebalance,
    Stable,
    Dead,
    /// A consumer-protocol group whose target assignment is behind its group epoch.
    Assigning,
    /// A consumer-protocol group with members still moving to their target assignment.
    Reconciling,
}

impl GroupState {
    /// As Kafka prints it in `kafka-consumer-groups.sh` (`ClassicGroupState.toString`).
    pub fn name(self) -> &'static str {
        match self {
            GroupState::Empty => "Empty",
            GroupState::PreparingRebalance => "PreparingRebalance",
            GroupState::CompletingRebalance => "CompletingRebalance",
            GroupState::Stable => "Stable",
            GroupState::Dead => "Dead",
            GroupState::Assigning => "Assigning",
            GroupState::Reconciling => "Reconciling",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Member {
    pub member_id: String,
    pub client_id: String,
    pub client_host: String,
    pub topics: VecSet<String>,
    /// The strategies this member supports, in its preference order.
    pub strategies: Vec<Strategy>,
    pub session_timeout_ms: i64,
    pub last_heartbeat_ms: i64,
    /// Partitions assigned in `assigned_generation`.
    pub assignment: Vec<TopicPartition>,
    pub assigned_generation: Option<i32>,
    /// `group.instance.id`: a static member keeps its identity (and partitions) across restarts.
    #[serde(default)]
    pub group_instance_id: Option<String>,
    /// The client's heartbeat thread is running. A crashed (or closed static) member stops
    /// heartbeating and is removed once its session times out.
    #[serde(default = "yes")]
    pub heartbeating: bool,
}

fn yes() -> bool {
    true
}

/// One completed rebalance, for the timeline: who came and went, and who got what.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Rebalance {
    pub generation: i32,
    pub at_ms: i64,
    pub protocol: Strategy,
    /// What triggered it, in order ("m joined", "m left", "m timed out").
    pub changes: Vec<String>,
    pub assignment: VecMap<String, Vec<TopicPartition>>,
}

/// Rebalances kept per group for the timeline.
const HISTORY: usize = 20;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Group {
    pub(in crate::engine) group_id: String,
    pub(in crate::engine) state: GroupState,
    pub(in crate::engine) generation_id: i32,
    /// The chosen assignment strategy (`range`, …) once a generation exists.
    pub(in crate::engine) protocol: Option<Strategy>,
    pub(in crate::engine) leader: Option<String>,
    pub(in crate::engine) members: VecMap<String, Member>,
    /// When the pending rebalance completes (`PreparingRebalance` only).
    pub(in crate::engine) rebalance_deadline_ms: Option<i64>,
    /// The latest rebalances, oldest first.
    #[serde(default)]
    pub(in crate::engine) history: Vec<Rebalance>,
    /// Joins and leaves since the last completed rebalance.
    #[serde(default)]
    pub(in crate::engine) pending_changes: Vec<String>,
    /// `Some` for a consumer-protocol group (KIP-848); `generation_id` is then its group epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(in crate::engine) consumer: Option<ConsumerGroup>,
}

impl Group {
    pub fn group_id(&self) -> &str {
        &self.group_id
    }

    pub fn state(&self) -> GroupState {
        self.state
    }

    pub fn generation_id(&self) -> i32 {
        self.generation_id
    }

    /// The chosen assignment strategy once a generation exists.
    pub fn protocol(&self) -> Option<Strategy> {
        self.protocol
    }

    /// The member id of the group's leader.
    pub fn leader(&self) -> Option<&str> {
        self.leader.as_deref()
    }

    /// The members, by member id.
    pub fn members(&self) -> &VecMap<String, Member> {
        &self.members
    }

    /// When the pending rebalance completes (`PreparingRebalance` only).
    pub fn rebalance_deadline_ms(&self) -> Option<i64> {
        self.rebalance_deadline_ms
    }

    /// The latest rebalances, oldest first.
    pub fn history(&self) -> &[Rebalance] {
        &self.history
    }

    /// The consumer-protocol state, for a group of `group.protocol=consumer` members.
    pub fn consumer(&self) -> Option<&ConsumerGroup> {
        self.consumer.as_ref()
    }

    fn new(group_id: &str) -> Self {
        Group {
            group_id: group_id.to_string(),
            state: GroupState::Empty,
            generation_id: 0,
            protocol: None,
            leader: None,
            members: VecMap::new(),
            rebalance_deadline_ms: None,
            history: Vec::new(),
            pending_changes: Vec::new(),
            consumer: None,
        }
    }

    /// The strategy every member supports, preferring the leader's (first member's) order —
    /// Kafka picks the protocol with the most votes; with console consumers they agree.
    fn choose_strategy(&self) -> Strategy {
        let mut candidates: Vec<Strategy> = self
            .members
            .values()
            .next()
            .map(|m| m.strategies.clone())
            .unwrap_or_default();
        candidates.retain(|s| self.members.values().all(|m| m.strategies.contains(s)));
        candidates.first().copied().unwrap_or(Strategy::Range)
    }

    /// Starts (or extends) a rebalance that completes at `deadline`.
    fn prepare_rebalance(&mut self, deadline: i64) {
        self.state = GroupState::PreparingRebalance;
        self.rebalance_deadline_ms = Some(
            self.rebalance_deadline_ms
                .map_or(deadline, |d| d.max(deadline)),
        );
    }

    /// After members left or timed out: the last one gone empties the group (Kafka bumps the
    /// generation then); otherwise the rest rebalance at their next heartbeat.
    fn members_gone(&mut self, now: i64) {
        if self.members.is_empty() {
            self.state = GroupState::Empty;
            self.rebalance_deadline_ms = None;
            self.leader = None;
            self.protocol = None;
            self.generation_id += 1;
        } else {
            self.prepare_rebalance(now + HEARTBEAT_INTERVAL_MS);
        }
    }

    /// After members left or timed out, by protocol: a consumer group whose remaining members
    /// all use the classic protocol is downgraded and rebalances as a classic group.
    fn members_gone_from(
        &mut self,
        gone: &[String],
        now: i64,
        partitions_per_topic: &VecMap<String, i32>,
    ) {
        if let Some(cg) = self.consumer.as_mut() {
            for id in gone {
                cg.members.remove(id);
            }
        }
        if self.consumer.is_none() {
            self.members_gone(now);
        } else if consumer_group::maybe_downgrade(self) {
            self.prepare_rebalance(now + HEARTBEAT_INTERVAL_MS);
        } else {
            consumer_group::members_gone(self, gone, partitions_per_topic);
        }
    }

    pub fn assignment_of(&self, member_id: &str) -> Option<&[TopicPartition]> {
        let m = self.members.get(member_id)?;
        // A consumer-protocol member owns its current assignment in every state.
        (self.state == GroupState::Stable || self.consumer.is_some())
            .then_some(m.assignment.as_slice())
    }
}

/// Why a join was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JoinError {
    /// The members support no common strategy: `INCONSISTENT_GROUP_PROTOCOL`.
    InconsistentGroupProtocol,
}

/// All classic groups, keyed by group id.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct GroupCoordinator {
    groups: VecMap<String, Group>,
}

/// What a member asks for when it joins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoinRequest {
    pub member_id: String,
    pub client_id: String,
    pub client_host: String,
    pub topics: VecSet<String>,
    pub strategies: Vec<Strategy>,
    pub session_timeout_ms: i64,
    pub group_instance_id: Option<String>,
    pub protocol: MemberProtocol,
}

/// `group.protocol` of a joining member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MemberProtocol {
    /// `JoinGroup`/`SyncGroup` with a client-side assignor.
    #[default]
    Classic,
    /// `ConsumerGroupHeartbeat` (KIP-848), with `group.remote.assignor` if set.
    Consumer(Option<ServerAssignor>),
}

impl GroupCoordinator {
    pub fn group(&self, group_id: &str) -> Option<&Group> {
        self.groups.get(group_id)
    }

    pub fn groups(&self) -> impl Iterator<Item = &Group> {
        self.groups.values()
    }

    /// A member joins (or rejoins with new topics): a classic group prepares a rebalance, a
    /// consumer-protocol group computes its new target assignment.
    pub fn join(
        &mut self,
        group_id: &str,
        req: JoinRequest,
        now: i64,
        partitions_per_topic: &VecMap<String, i32>,
    ) -> Result<(), JoinError> {
        let group = self
            .groups
            .entry(group_id.to_string())
            .or_insert_with(|| Group::new(group_id));
        if group.state == GroupState::Dead {
            *group = Group::new(group_id);
        }
        // GroupMetadataManager: an empty group of the other protocol is replaced; a non-empty
        // classic group is upgraded when a consumer-protocol member joins, and a classic member
        // joins a non-empty consumer group as a classic member of it
        // (`group.consumer.migration.policy=bidirectional`, the default).
        let consumer_group = group.consumer.is_some();
        let consumer_member = matches!(req.protocol, MemberProtocol::Consumer(_));
        if consumer_group != consumer_member && group.members.is_empty() {
            *group = Group::new(group_id);
        } else if consumer_member && !consumer_group {
            consumer_group::upgrade(group);
        }
        if consumer_member || group.consumer.is_some() {
            let assignor = match req.protocol {
                MemberProtocol::Consumer(a) => a,
                MemberProtocol::Classic => None,
            };
            let member = Member {
                member_id: req.member_id,
                client_id: req.client_id,
                client_host: req.client_host,
                topics: req.topics,
                strategies: req.strategies,
                session_timeout_ms: req.session_timeout_ms,
                last_heartbeat_ms: now,
                assignment: Vec::new(),
                assigned_generation: None,
                group_instance_id: req.group_instance_id,
                heartbeating: true,
            };
            consumer_group::join(
                group,
                member,
                assignor,
                !consumer_member,
                now,
                partitions_per_topic,
            );
            return Ok(());
        }
        if !group.members.is_empty()
            && !group
                .members
                .values()
                .all(|m| m.strategies.iter().any(|s| req.strategies.contains(s)))
        {
            return Err(JoinError::InconsistentGroupProtocol);
        }
        // A static member coming back under a new member id takes over its old identity's
        // place and partitions; a stable group does not rebalance for it (KIP-345).
        if let Some(instance) = &req.group_instance_id {
            let previous = group
                .members
                .values()
                .find(|m| m.group_instance_id.as_ref() == Some(instance))
                .map(|m| m.member_id.clone());
            if let Some(old_id) = previous {
                if let Some(mut m) = group.members.remove(&old_id) {
                    if group.leader.as_deref() == Some(old_id.as_str()) {
                        group.leader = Some(req.member_id.clone());
                    }
                    m.member_id = req.member_id.clone();
                    m.last_heartbeat_ms = now;
                    m.heartbeating = true;
                    let same_topics = m.topics == req.topics;
                    m.topics = req.topics.clone();
                    group.members.insert(req.member_id.clone(), m);
                    if same_topics && group.state == GroupState::Stable {
                        return Ok(());
                    }
                    group
                        .pending_changes
                        .push(format!("{instance} rejoined with new topics"));
                    group.prepare_rebalance(now + HEARTBEAT_INTERVAL_MS);
                    return Ok(());
                }
            }
        }
        let delay = if group.state == GroupState::Empty
            || (group.state == GroupState::PreparingRebalance && group.generation_id == 0)
        {
            GROUP_INITIAL_REBALANCE_DELAY_MS
        } else {
            HEARTBEAT_INTERVAL_MS
        };
        let previous = group.members.get(&req.member_id).cloned();
        if previous.is_none() {
            group
                .pending_changes
                .push(format!("{} joined", req.member_id));
        }
        group.members.insert(
            req.member_id.clone(),
            Member {
                member_id: req.member_id,
                client_id: req.client_id,
                client_host: req.client_host,
                topics: req.topics,
                strategies: req.strategies,
                session_timeout_ms: req.session_timeout_ms,
                last_heartbeat_ms: now,
                assignment: previous
                    .as_ref()
                    .map(|m| m.assignment.clone())
                    .unwrap_or_default(),
                assigned_generation: previous.and_then(|m| m.assigned_generation),
                group_instance_id: req.group_instance_id,
                heartbeating: true,
            },
        );
        group.prepare_rebalance(now + delay);
        Ok(())
    }

    /// A member leaves cleanly (consumer closed): the others rebalance without it.
    pub fn leave(
        &mut self,
        group_id: &str,
        member_id: &str,
        now: i64,
        partitions_per_topic: &VecMap<String, i32>,
    ) {
        let Some(group) = self.groups.get_mut(group_id) else {
            return;
        };
        if group.members.remove(member_id).is_none() {
            return;
        }
        group.pending_changes.push(format!("{member_id} left"));
        if group.leader.as_deref() == Some(member_id) {
            group.leader = None;
        }
        group.members_gone_from(&[member_id.to_string()], now, partitions_per_topic);
    }

    /// A live member's heartbeat (every poll of a running consumer).
    pub fn heartbeat(&mut self, group_id: &str, member_id: &str, now: i64) {
        if let Some(m) = self
            .groups
            .get_mut(group_id)
            .and_then(|g| g.members.get_mut(member_id))
        {
            m.last_heartbeat_ms = now;
        }
    }

    /// The member's process is gone without a LeaveGroup (crash, or a static member closing):
    /// its heartbeats stop.
    pub fn stop_heartbeats(&mut self, group_id: &str, member_id: &str) {
        if let Some(m) = self
            .groups
            .get_mut(group_id)
            .and_then(|g| g.members.get_mut(member_id))
        {
            m.heartbeating = false;
        }
    }

    /// Every client process is gone at once (the page that ran them was closed): no member
    /// heartbeats any more, so each is removed when its session times out.
    pub fn stop_all_heartbeats(&mut self) {
        for g in self.groups.values_mut() {
            for m in g.members.values_mut() {
                m.heartbeating = false;
            }
        }
    }

    /// The next moment something is due (a rebalance completes, a session expires).
    pub fn next_deadline(&self) -> Option<i64> {
        self.groups
            .values()
            .flat_map(|g| {
                let expiries = g
                    .members
                    .values()
                    .filter(|m| !m.heartbeating)
                    .map(|m| m.last_heartbeat_ms + m.session_timeout_ms);
                g.rebalance_deadline_ms
                    .into_iter()
                    .chain(expiries)
                    .chain(consumer_group::next_deadline(g))
            })
            .min()
    }

    /// Advances every group to `now`: expire silent members, complete due rebalances.
    /// `partitions_per_topic` gives the current partition count of every topic.
    pub fn tick(&mut self, now: i64, partitions_per_topic: &VecMap<String, i32>) {
        for group in self.groups.values_mut() {
            // Live clients heartbeat from a background thread, whatever the app is doing.
            for m in group.members.values_mut().filter(|m| m.heartbeating) {
                m.last_heartbeat_ms = now;
            }
            let expired: Vec<String> = group
                .members
                .values()
                .filter(|m| now - m.last_heartbeat_ms >= m.session_timeout_ms)
                .map(|m| m.member_id.clone())
                .collect();
            for id in &expired {
                group.members.remove(id);
                group.pending_changes.push(format!("{id} timed out"));
            }
            if !expired.is_empty() {
                group.members_gone_from(&expired, now, partitions_per_topic);
            }
            consumer_group::tick(group, now, partitions_per_topic);
            if group.state == GroupState::PreparingRebalance
                && group.rebalance_deadline_ms.is_some_and(|d| now >= d)
            {
                complete_rebalance(group, partitions_per_topic, now);
            }
        }
    }

    /// Removes a group (only an Empty one should be deleted; the caller checks).
    pub fn delete(&mut self, group_id: &str) -> Option<Group> {
        self.groups.remove(group_id)
    }
}

/// Generation + 1, the leader runs the assignor, every member gets its partitions.
fn complete_rebalance(group: &mut Group, partitions_per_topic: &VecMap<String, i32>, now: i64) {
    group.rebalance_deadline_ms = None;
    if group.members.is_empty() {
        group.state = GroupState::Empty;
        return;
    }
    group.generation_id += 1;
    let strategy = group.choose_strategy();
    group.protocol = Some(strategy);
    if group
        .leader
        .as_ref()
        .is_none_or(|l| !group.members.contains_key(l))
    {
        group.leader = group.members.keys().next().cloned();
    }
    let subscriptions: VecMap<String, Subscription> =
        VecMap::from_iter(group.members.iter().map(|(id, m)| {
            (
                id.clone(),
                Subscription {
                    topics: m.topics.clone(),
                    owned: m.assignment.clone(),
                    generation: m.assigned_generation,
                    group_instance_id: m.group_instance_id.clone(),
                },
            )
        }));
    let assignment = assignor::assign(strategy, partitions_per_topic, &subscriptions);
    let generation = group.generation_id;
    for (id, member) in group.members.iter_mut() {
        member.assignment = assignment.get(id).cloned().unwrap_or_default();
        member.assigned_generation = Some(generation);
    }
    group.state = GroupState::Stable;
    group.history.push(Rebalance {
        generation,
        at_ms: now,
        protocol: strategy,
        changes: std::mem::take(&mut group.pending_changes),
        assignment: VecMap::from_iter(
            group
                .members
                .iter()
                .map(|(id, m)| (id.clone(), m.assignment.clone())),
        ),
    });
    if group.history.len() > HISTORY {
        group.history.remove(0);
    }
    // Cooperative rebalancing: partitions withheld this round trigger a follow-up rebalance.
    if strategy == Strategy::CooperativeSticky {
        let assigned: usize = group.members.values().map(|m| m.assignment.len()).sum();
        let wanted: usize = partitions_per_topic
            .iter()
            .filter(|(t, _)| group.members.values().any(|m| m.topics.contains(*t)))
            .map(|(_, n)| *n as usize)
            .sum();
        if assigned < wanted {
            group
                .pending_changes
                .push("follow-up rebalance (cooperative)".into());
            complete_rebalance(group, partitions_per_topic, now);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(id: &str, strategies: &[Strategy]) -> JoinRequest {
        JoinRequest {
            member_id: id.to_string(),
            client_id: "console-consumer".into(),
            client_host: "/127.0.0.1".into(),
            topics: ["t".to_string()].into_iter().collect(),
            strategies: strategies.to_vec(),
            session_timeout_ms: DEFAULT_SESSION_TIMEOUT_MS,
            group_instance_id: None,
            protocol: MemberProtocol::Classic,
        }
    }

    fn topics() -> VecMap<String, i32> {
        [("t".to_string(), 3)].into_iter().collect()
    }

    fn owned(c: &GroupCoordinator, member: &str) -> Vec<i32> {
        let g = c.group("g").unwrap();
        g.members[member]
            .assignment
            .iter()
            .map(|tp| tp.partition)
            .collect()
    }

    #[test]
    fn first_join_waits_the_initial_delay() {
        let mut c = GroupCoordinator::default();
        c.join("g", req("a", &[Strategy::Range]), 0, &topics())
            .unwrap();
        assert_eq!(c.group("g").unwrap().state, GroupState::PreparingRebalance);
        c.tick(2_999, &topics());
        assert_eq!(c.group("g").unwrap().state, GroupState::PreparingRebalance);
        c.tick(3_000, &topics());
        let g = c.group("g").unwrap();
        assert_eq!(
            (g.state, g.generation_id, g.leader.as_deref()),
            (GroupState::Stable, 1, Some("a"))
        );
        assert_eq!(owned(&c, "a"), vec![0, 1, 2]);
    }

    #[test]
    fn join_and_leave_rebalance_with_range() {
        let mut c = GroupCoordinator::default();
        c.join("g", req("a", &[Strategy::Range]), 0, &topics())
            .unwrap();
        c.tick(3_000, &topics());
        c.join("g", req("b", &[Strategy::Range]), 4_000, &topics())
            .unwrap();
        c.tick(7_000, &topics());
        assert_eq!((owned(&c, "a"), owned(&c, "b")), (vec![0, 1], vec![2]));
        assert_eq!(c.group("g").unwrap().generation_id, 2);
        c.leave("g", "a", 8_000, &topics());
        c.tick(11_000, &topics());
        assert_eq!(owned(&c, "b"), vec![0, 1, 2]);
        c.leave("g", "b", 12_000, &topics());
        assert_eq!(c.group("g").unwrap().state, GroupState::Empty);
    }

    #[test]
    fn silent_members_expire_after_the_session_timeout() {
        let mut c = GroupCoordinator::default();
        c.join("g", req("a", &[Strategy::Range]), 0, &topics())
            .unwrap();
        c.join("g", req("b", &[Strategy::Range]), 0, &topics())
            .unwrap();
        c.tick(3_000, &topics());
        c.stop_heartbeats("g", "a");
        assert_eq!(c.next_deadline(), Some(48_000));
        c.tick(40_000, &topics());
        c.tick(48_000, &topics());
        let g = c.group("g").unwrap();
        assert!(!g.members.contains_key("a"));
        assert_eq!(g.state, GroupState::PreparingRebalance);
        c.tick(51_000, &topics());
        assert_eq!(owned(&c, "b"), vec![0, 1, 2]);
    }

    #[test]
    fn cooperative_sticky_hands_over_in_two_rounds_without_moving_the_rest() {
        let coop = [Strategy::CooperativeSticky];
        let mut c = GroupCoordinator::default();
        c.join("g", req("a", &coop), 0, &topics()).unwrap();
        c.tick(3_000, &topics());
        c.join("g", req("b", &coop), 4_000, &topics()).unwrap();
        c.tick(7_000, &topics());
        assert_eq!((owned(&c, "a"), owned(&c, "b")), (vec![0, 1], vec![2]));
        assert_eq!(c.group("g").unwrap().generation_id, 3);
    }

    #[test]
    fn a_static_member_restarting_takes_its_place_without_a_rebalance() {
        let mut c = GroupCoordinator::default();
        let with_instance = |id: &str| JoinRequest {
            group_instance_id: Some("app-1".into()),
            ..req(id, &[Strategy::Range])
        };
        c.join("g", with_instance("a"), 0, &topics()).unwrap();
        c.join("g", req("b", &[Strategy::Range]), 0, &topics())
            .unwrap();
        c.tick(3_000, &topics());
        let generation = c.group("g").unwrap().generation_id;
        let before = owned(&c, "a");
        c.join("g", with_instance("a2"), 5_000, &topics()).unwrap();
        let g = c.group("g").unwrap();
        assert_eq!((g.state, g.generation_id), (GroupState::Stable, generation));
        assert_eq!(owned(&c, "a2"), before);
        assert_eq!(g.history.len(), 1);
        assert_eq!(g.history[0].changes, vec!["a joined", "b joined"]);
    }

    #[test]
    fn no_common_strategy_is_refused() {
        let mut c = GroupCoordinator::default();
        c.join("g", req("a", &[Strategy::Range]), 0, &topics())
            .unwrap();
        assert_eq!(
            c.join("g", req("b", &[Strategy::RoundRobin]), 0, &topics()),
            Err(JoinError::InconsistentGroupProtocol)
        );
    }
}
