//! `ConsumerCoordinator`: a consumer's membership of its group through the engine's group
//! coordinator — the join (`JoinGroup`/`SyncGroup` in one), a heartbeat on each poll, a
//! rejoin when the coordinator removed it (session timeout), when its subscription's topics
//! changed, or when a metadata refresh (`metadata.max.age.ms`, or at once for a deleted
//! topic) shows the group's assignment no longer covers the subscribed partitions; and on
//! close, `LeaveGroup` (a static member only stops heartbeating, KIP-345).

use crate::engine::assignor::Strategy;
use crate::engine::consumer_group::server_assignor;
use crate::engine::group::{GroupState, JoinRequest, MemberProtocol};
use crate::engine::{Cluster, KafkaError, TopicPartition};
use crate::vec_map::{VecMap, VecSet};

/// `metadata.max.age.ms`: how often the consumer refreshes its metadata unasked.
pub const METADATA_MAX_AGE_MS: i64 = 300_000;

#[derive(Debug, Clone)]
pub struct ConsumerCoordinator {
    pub group_id: String,
    pub member_id: String,
    pub client_id: String,
    pub strategies: Vec<Strategy>,
    /// `group.instance.id`: a static member does not leave its group when it closes.
    pub instance_id: Option<String>,
    pub session_timeout_ms: i64,
    /// `group.protocol` (and `group.remote.assignor`): classic unless set to `consumer`.
    pub protocol: MemberProtocol,
    /// `group.remote.assignor` as given, checked by the coordinator on the first heartbeat.
    pub remote_assignor: Option<String>,
    metadata_refreshed_ms: i64,
}

impl ConsumerCoordinator {
    pub fn new(
        group_id: String,
        member_id: String,
        client_id: String,
        strategies: Vec<Strategy>,
        instance_id: Option<String>,
        session_timeout_ms: i64,
        now: i64,
    ) -> ConsumerCoordinator {
        ConsumerCoordinator {
            group_id,
            member_id,
            client_id,
            strategies,
            instance_id,
            session_timeout_ms,
            protocol: MemberProtocol::Classic,
            remote_assignor: None,
            metadata_refreshed_ms: now,
        }
    }

    /// Joins (or rejoins) the group subscribed to `topics`.
    pub fn join(&self, cluster: &mut Cluster, topics: VecSet<String>) -> Result<(), KafkaError> {
        let mut protocol = self.protocol;
        if let (MemberProtocol::Consumer(_), Some(name)) = (protocol, &self.remote_assignor) {
            protocol = MemberProtocol::Consumer(Some(server_assignor(name)?));
        }
        let request = JoinRequest {
            member_id: self.member_id.clone(),
            client_id: self.client_id.clone(),
            client_host: "/127.0.0.1".into(),
            topics,
            strategies: self.strategies.clone(),
            session_timeout_ms: self.session_timeout_ms,
            group_instance_id: self.instance_id.clone(),
            protocol,
        };
        cluster.join_group(&self.group_id, request)
    }

    /// A poll's part: the heartbeat, then the partitions the group gives this member, or
    /// `None` when it must rejoin first (see the module's comment) and owns nothing meanwhile.
    pub fn poll(
        &mut self,
        cluster: &mut Cluster,
        wanted: &VecSet<String>,
    ) -> Option<Vec<TopicPartition>> {
        cluster.heartbeat(&self.group_id, &self.member_id);
        let member = cluster
            .group(&self.group_id)
            .and_then(|g| g.members().get(&self.member_id).map(|m| m.topics.clone()))?;
        if member != *wanted || self.assignment_outdated(cluster, wanted) {
            return None;
        }
        Some(
            cluster
                .group(&self.group_id)
                .and_then(|g| g.assignment_of(&self.member_id))
                .map(<[TopicPartition]>::to_vec)
                .unwrap_or_default(),
        )
    }

    /// Whether the group's assignment no longer covers the subscribed topics' partitions, as
    /// the consumer learns from a metadata refresh: every `metadata.max.age.ms`, or at once
    /// when a topic it was assigned is gone (its fetches fail). Without it a running group
    /// never read partitions added by `kafka-topics.sh --alter`, and kept a deleted topic's
    /// partitions assigned (found by the invariant tests).
    fn assignment_outdated(&mut self, cluster: &Cluster, wanted: &VecSet<String>) -> bool {
        // A consumer-protocol group's coordinator follows the metadata itself.
        let Some(group) = cluster
            .group(&self.group_id)
            .filter(|g| g.state() == GroupState::Stable && g.consumer().is_none())
        else {
            return false;
        };
        let mut assigned: VecMap<&str, VecSet<i32>> = VecMap::new();
        for tp in group.members().values().flat_map(|m| &m.assignment) {
            assigned.entry(&tp.topic).or_default().insert(tp.partition);
        }
        let topic_gone = assigned.keys().any(|t| cluster.topic(t).is_none());
        let now = cluster.now_ms();
        if !topic_gone && now - self.metadata_refreshed_ms < METADATA_MAX_AGE_MS {
            return false;
        }
        self.metadata_refreshed_ms = now;
        topic_gone
            || wanted.iter().any(|t| {
                let partitions = cluster.topic(t).map_or(0, |t| t.partitions().len());
                assigned.get(t.as_str()).map_or(0, VecSet::len) != partitions
            })
    }

    /// `close()`: leaves the group; a static member only stops heartbeating.
    pub fn close(&self, cluster: &mut Cluster) {
        match self.instance_id {
            None => cluster.leave_group(&self.group_id, &self.member_id),
            Some(_) => cluster.stop_heartbeats(&self.group_id, &self.member_id),
        }
    }

    /// The process is gone: no `LeaveGroup`, the coordinator notices after the session timeout.
    pub fn kill(&self, cluster: &mut Cluster) {
        cluster.stop_heartbeats(&self.group_id, &self.member_id);
    }

    /// When a pending rebalance of the group completes, if one is pending.
    pub fn rebalance_deadline(&self, cluster: &Cluster) -> Option<i64> {
        let g = cluster.group(&self.group_id)?;
        (g.state() == GroupState::PreparingRebalance)
            .then_some(g.rebalance_deadline_ms())
            .flatten()
    }
}

/// `group.protocol` and `group.remote.assignor` as `ConsumerConfig` reads them, or its
/// `ConfigException` text.
// Kafka: clients/src/main/java/org/apache/kafka/clients/consumer/ConsumerConfig.java
// (GROUP_PROTOCOL_CONFIG, checkGroupRemoteAssignor), common/config/ConfigDef.java
// (CaseInsensitiveValidString: its valid strings are a HashSet, CONSUMER before CLASSIC)
pub fn group_protocol(
    protocol: Option<&str>,
    remote_assignor: Option<&str>,
) -> Result<(MemberProtocol, Option<String>), String> {
    let remote_assignor = remote_assignor.filter(|a| !a.is_empty());
    // `group.protocol` defaults to `classic`.
    match protocol.map_or("classic", str::trim) {
        p if p.eq_ignore_ascii_case("classic") => match remote_assignor {
            None => Ok((MemberProtocol::Classic, None)),
            Some(_) => Err(format!(
                "{}: group.remote.assignor cannot be set when group.protocol=CLASSIC",
                crate::clients::config::CONFIG_EXCEPTION
            )),
        },
        p if p.eq_ignore_ascii_case("consumer") => Ok((
            MemberProtocol::Consumer(None),
            remote_assignor.map(str::to_string),
        )),
        p => Err(crate::clients::config::invalid(
            "group.protocol",
            p,
            "String must be one of (case insensitive): CONSUMER, CLASSIC",
        )),
    }
}
