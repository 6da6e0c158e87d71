//! The cluster: brokers, topics and their partitions, committed offsets, the clock and the
//! seeded generator. Every state change enters through a method here.

use crate::vec_map::{VecMap, VecSet};

use super::BrokerId;
use super::clock::{Clock, DEFAULT_START_MS};
use super::config::validate_topic_config;
use super::error::{ErrorCode, KafkaError};
use super::group::{Group, GroupCoordinator, JoinError, JoinRequest};
use super::offsets::OffsetStore;
use super::partition::Partition;
use super::partition_change::{self, Change, Election};
use super::partitioner::StickyPartitioner;
use super::placement::{Candidate, place};
use super::quorum::{Quorum, digest};
use super::record::{Header, Record};
use super::record_batch::{RecordRef, Records};
use super::rng::Rng;
use super::topic::{
    Topic, TopicId, TopicPartition, has_collision_chars, unify_collision_chars, validate_name,
};

/// Broker defaults the playground runs with (Kafka's quickstart `server.properties`).
pub const NUM_PARTITIONS: i32 = 1;
pub const DEFAULT_REPLICATION_FACTOR: i16 = 1;
pub const OFFSETS_TOPIC: &str = "__consumer_offsets";
pub const OFFSETS_TOPIC_PARTITIONS: i32 = 50;
/// `log.segment.bytes` as set statically by the quickstart broker (so it counts as non-default).
pub const STATIC_SEGMENT_BYTES: &str = "1073741824";
/// `min.insync.replicas`, which the broker config and the topic config share.
pub const MIN_INSYNC_REPLICAS: &str = "min.insync.replicas";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterConfig {
    pub brokers: i32,
    pub seed: u64,
    pub start_ms: i64,
}

impl Default for ClusterConfig {
    fn default() -> Self {
        ClusterConfig {
            brokers: 3,
            seed: 0x4b61_666b_6150_6c61,
            start_ms: DEFAULT_START_MS,
        }
    }
}

pub use super::broker::Broker;
use super::broker::{BROKER_SESSION_TIMEOUT_MS, Brokers};
use super::replication::{self, ReplicationConfig};

/// The most brokers a playground cluster may have.
pub const MAX_BROKERS: i32 = 9;

/// The producer's `acks`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Acks {
    /// `acks=0`: fire and forget.
    None,
    /// `acks=1`: the leader has it.
    Leader,
    /// `acks=all` (-1): every in-sync replica has it, and there are at least min ISR of them.
    All,
}

/// What `CreateTopics` asks for; `None` takes the broker default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewTopic {
    pub partitions: Option<i32>,
    pub replication_factor: Option<i16>,
    pub configs: Vec<(String, String)>,
}

/// A record as the producer sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProducerRecord {
    pub partition: Option<i32>,
    pub key: Option<Vec<u8>>,
    pub value: Option<Vec<u8>>,
    pub headers: Vec<Header>,
    pub timestamp: Option<i64>,
}

/// A produce request whose record the leader has appended, as the producer tracks it until
/// it is answered.
#[derive(Debug, Clone, PartialEq)]
pub struct InFlight {
    pub tp: TopicPartition,
    pub metadata: RecordMetadata,
    pub acks: Acks,
    /// The leader that appended it, and its epoch then.
    pub leader: BrokerId,
    pub leader_epoch: i32,
    record: Record,
}

/// Where an in-flight request stands.
enum AckStatus {
    Acknowledged,
    Waiting,
    Failed(ErrorCode),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordMetadata {
    pub partition: i32,
    pub offset: i64,
    pub timestamp: i64,
}

/// `Default` is an empty cluster (no brokers); clusters are made by [`Cluster::new`].
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Cluster {
    #[serde(default)]
    config_seed: u64,
    clock: Clock,
    rng: Rng,
    brokers: Vec<Broker>,
    topics: VecMap<String, Topic>,
    offsets: OffsetStore,
    groups: GroupCoordinator,
    /// Things a learner should be told that no Kafka tool prints (records lost to an unclean
    /// election). Drained by the console after each command.
    #[serde(default)]
    notices: Vec<String>,
    /// Dynamic broker configs per broker (`DYNAMIC_BROKER_CONFIG`).
    #[serde(default)]
    broker_configs: VecMap<BrokerId, VecMap<String, String>>,
    /// Dynamic cluster-wide broker defaults (`DYNAMIC_DEFAULT_BROKER_CONFIG`).
    #[serde(default)]
    broker_defaults: VecMap<String, String>,
    /// When the next retention check and log-cleaner pass run.
    #[serde(default)]
    next_retention_check_ms: i64,
    #[serde(default)]
    next_cleaner_run_ms: i64,
    /// When the controller next moves leaders back to their preferred replicas: scheduled
    /// `leader.imbalance.check.interval.seconds` after it finds a partition led by another
    /// replica, none while every partition has its preferred leader.
    #[serde(default)]
    next_leader_balance_ms: Option<i64>,
    /// The KRaft controller quorum and its metadata log.
    #[serde(default)]
    quorum: Quorum,
    /// The most record data (key and value bytes) the playground holds before it refuses
    /// produces (`playground memory`).
    #[serde(default = "default_record_data_limit")]
    record_data_limit: u64,
    /// An upper bound of the record data held (see [`Cluster::admit_record_data`]); not saved.
    #[serde(skip)]
    record_data_bound: DataBound,
    /// The configs the last produced-to topic resolved to (see [`ProduceConfig`]); not saved.
    #[serde(skip)]
    produce_config: ProduceConfigCache,
}

/// `log.retention.check.interval.ms` and `log.cleaner.backoff.ms`.
pub const RETENTION_CHECK_INTERVAL_MS: i64 = 300_000;
pub const CLEANER_BACKOFF_MS: i64 = 15_000;
/// `leader.imbalance.check.interval.seconds` (with `auto.leader.rebalance.enable=true`).
pub const LEADER_IMBALANCE_CHECK_INTERVAL_MS: i64 = 300_000;

impl Cluster {
    pub fn new(mut config: ClusterConfig) -> Self {
        // Within the clock's range: a share link's start time is untrusted (found by fuzzing:
        // `start_ms + interval` overflowed).
        config.start_ms = config.start_ms.clamp(0, super::clock::MAX_MS);
        let brokers: Vec<Broker> = (1..=config.brokers.clamp(1, MAX_BROKERS))
            .map(|id| Broker::new(id, config.start_ms))
            .collect();
        let ids: Vec<BrokerId> = brokers.iter().map(|b| b.id).collect();
        // A new 4.1 cluster enables ELR, and the controller first writes the cluster-level
        // `min.insync.replicas` from its static config (`maybeGenerateElrSafetyRecords`): 1,
        // the quickstart's. Every topic then reports it as DYNAMIC_DEFAULT_BROKER_CONFIG.
        let broker_defaults = VecMap::from([(MIN_INSYNC_REPLICAS.to_string(), "1".to_string())]);
        let mut cluster = Cluster {
            config_seed: config.seed,
            clock: Clock::starting_at(config.start_ms),
            rng: Rng::seeded(config.seed),
            brokers,
            topics: VecMap::new(),
            offsets: OffsetStore::default(),
            groups: GroupCoordinator::default(),
            notices: Vec::new(),
            broker_configs: VecMap::new(),
            broker_defaults,
            next_retention_check_ms: config.start_ms + RETENTION_CHECK_INTERVAL_MS,
            next_cleaner_run_ms: config.start_ms + CLEANER_BACKOFF_MS,
            next_leader_balance_ms: None,
            quorum: Quorum::new(&ids, config.start_ms),
            record_data_limit: DEFAULT_RECORD_DATA_LIMIT,
            record_data_bound: DataBound::default(),
            produce_config: ProduceConfigCache::default(),
        };
        // The brokers register with the first active controller.
        cluster.sync_metadata();
        cluster
    }

    // ---- time -------------------------------------------------------------------------------

    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    /// Moves the clock forward; timed work that falls due on the way (broker fencing,
    /// rebalances, session timeouts) runs at its own moment, in order.
    pub fn advance(&mut self, ms: i64) {
        let target = self.now_ms().saturating_add(ms.max(0));
        self.advance_to(target);
    }

    pub fn advance_to(&mut self, target: i64) {
        // Each step runs what is due then; a step that schedules more work (a rebalance after
        // a session expiry) is picked up by the next iteration. The bound keeps a bad state
        // from spinning forever.
        for _ in 0..10_000 {
            match self.next_deadline() {
                Some(t) if t > self.now_ms() && t <= target => {
                    self.clock.advance_to(t);
                    self.tick();
                }
                _ => break,
            }
        }
        self.clock.advance_to(target);
        self.tick();
    }

    /// The next moment timed work falls due.
    fn next_deadline(&self) -> Option<i64> {
        // Fencing and ISR changes are the controller's: nothing of the kind is due without one.
        let controller = self.has_controller();
        let fencing = self
            .brokers
            .iter()
            .filter(|b| controller && !b.heartbeats_accepted() && !b.fenced)
            .map(|b| b.last_heartbeat_ms + BROKER_SESSION_TIMEOUT_MS);
        // The retention check runs on its own schedule (every 5 minutes), so a jump of the clock
        // stops at each check. The cleaner's 15 s backoff is not a stop: it runs when due.
        let brokers = Brokers(&self.brokers);
        let isr_expiry = self
            .topics
            .values()
            .flat_map(|t| t.partitions.iter())
            .filter(|_| controller)
            .filter_map(|p| replication::next_isr_expiry(p, &brokers));
        fencing
            .chain(isr_expiry)
            .chain(self.groups.next_deadline())
            .chain(Some(self.next_retention_check_ms))
            .chain(self.next_leader_balance_ms)
            .min()
    }

    /// Runs whatever is due at the current time.
    pub fn tick(&mut self) {
        let now = self.now_ms();
        self.update_quorum(now);
        if self.has_controller() {
            self.update_fencing(now);
            self.register_restarted_brokers(now);
        }
        self.replicate_all(now);
        if self.has_controller() {
            self.complete_reassignments();
        }
        self.collect_truncations();
        if now >= self.next_retention_check_ms {
            // Keep the 5-minute grid from broker start, however far the clock jumped.
            // Saturating: a snapshot read back may hold any schedule (found by fuzzing).
            let behind =
                now.saturating_sub(self.next_retention_check_ms) / RETENTION_CHECK_INTERVAL_MS + 1;
            self.next_retention_check_ms = self
                .next_retention_check_ms
                .saturating_add(behind.saturating_mul(RETENTION_CHECK_INTERVAL_MS));
            self.run_retention(now);
        }
        if now >= self.next_cleaner_run_ms {
            self.next_cleaner_run_ms = now + CLEANER_BACKOFF_MS;
            self.run_cleaner(now);
        }
        self.balance_leaders_when_due(now);
        let partitions = self.partitions_per_topic();
        self.groups.tick(now, &partitions);
        self.sync_metadata();
    }

    // ---- the KRaft quorum -------------------------------------------------------------------

    /// Nodes that take part in the quorum: running and reachable.
    fn quorum_members(&self) -> (Vec<BrokerId>, Vec<BrokerId>) {
        let all = self.broker_ids();
        let alive = self
            .brokers
            .iter()
            .filter(|b| b.heartbeats())
            .map(|b| b.id)
            .collect();
        (all, alive)
    }

    fn update_quorum(&mut self, now: i64) {
        let (all, alive) = self.quorum_members();
        if self.quorum.update(&all, &alive, now) {
            // A new active controller knows no heartbeats yet: every broker's session starts
            // afresh, so a dead broker is fenced a session timeout after the failover.
            for b in &mut self.brokers {
                b.last_heartbeat_ms = now;
            }
        }
    }

    /// Writes what changed in the metadata since the last write to the metadata log.
    fn sync_metadata(&mut self) {
        let image = self.metadata_image();
        let (_, alive) = self.quorum_members();
        let now = self.now_ms();
        self.quorum.write_changes(image, &alive, now);
    }

    /// The metadata the controller keeps, one digest per record-sized entry: brokers (their
    /// registration and fencing), topics, partitions (replicas, leader, epoch, ISR, ELR) and
    /// configs.
    fn metadata_image(&self) -> VecMap<String, u64> {
        // Listed, then sorted once: "partition/t/10" sorts before "partition/t/2", so inserting
        // into the sorted map one by one would move entries for every partition (every tick).
        let mut image = Vec::new();
        for b in &self.brokers {
            let state = format!("{}|{:?}", b.fenced, b.rack);
            image.push((format!("broker/{}", b.id), digest(&state)));
        }
        for t in self.topics.values() {
            image.push((format!("topic/{}", t.name), digest(&t.id.to_string())));
            for p in &t.partitions {
                let state = format!(
                    "{:?}|{:?}|{}|{:?}|{:?}|{:?}|{:?}|{:?}",
                    p.replicas,
                    p.leader,
                    p.leader_epoch,
                    p.isr,
                    p.elr,
                    p.last_known_elr,
                    p.adding,
                    p.removing
                );
                image.push((format!("partition/{}/{}", t.name, p.index), digest(&state)));
            }
            for (k, v) in &t.configs {
                image.push((format!("config/{}/{k}", t.name), digest(v)));
            }
        }
        let broker_configs = self
            .broker_configs
            .iter()
            .map(|(id, c)| (id.to_string(), c))
            .chain(Some(("default".to_string(), &self.broker_defaults)));
        for (owner, configs) in broker_configs {
            for (k, v) in configs {
                image.push((format!("brokerconfig/{owner}/{k}"), digest(v)));
            }
        }
        VecMap::from(image)
    }

    fn has_controller(&self) -> bool {
        self.quorum.leader().is_some()
    }

    /// Metadata changes go through the active controller; without one (no majority of the
    /// controllers is up) the request is never answered.
    fn require_controller(&self) -> Result<(), KafkaError> {
        if self.has_controller() {
            return Ok(());
        }
        Err(KafkaError::new(
            ErrorCode::NotController,
            "No active controller: a majority of the KRaft controllers is down.",
        ))
    }

    /// The metadata quorum as `DescribeQuorum` reports it, with every change written.
    pub fn metadata_quorum(&mut self) -> &Quorum {
        self.sync_metadata();
        &self.quorum
    }

    /// KRaft's automatic preferred leader election: once some partition is led by another
    /// replica than its first, the controller checks again after
    /// `leader.imbalance.check.interval.seconds` and hands each such partition back to its
    /// preferred replica if that one is alive and in sync. (The KRaft controller does this for
    /// every imbalanced partition; it does not use `leader.imbalance.per.broker.percentage`.)
    fn balance_leaders_when_due(&mut self, now: i64) {
        // A new active controller schedules its first check afresh.
        if !self.has_controller() {
            self.next_leader_balance_ms = None;
            return;
        }
        if self.next_leader_balance_ms.is_some_and(|t| now >= t) {
            self.next_leader_balance_ms = None;
            self.elect_preferred_leaders();
        }
        if self.next_leader_balance_ms.is_none() && self.leaders_imbalanced() {
            self.next_leader_balance_ms = Some(now + LEADER_IMBALANCE_CHECK_INTERVAL_MS);
        }
    }

    fn leaders_imbalanced(&self) -> bool {
        self.topics
            .values()
            .flat_map(|t| t.partitions.iter())
            .any(|p| p.leader.is_none() || p.leader != p.replicas.first().copied())
    }

    /// A preferred election for every partition led by another replica than its unfenced
    /// preferred one (which leads if it is in sync).
    fn elect_preferred_leaders(&mut self) {
        self.for_each_partition(|p, brokers, cfg| {
            let Some(preferred) = p.replicas.first().copied() else {
                return;
            };
            if p.leader != Some(preferred) && replication::can_lead(brokers, preferred) {
                let change = Change {
                    election: Election::Preferred,
                    ..cfg.change(p.isr.clone())
                };
                partition_change::apply(p, change, &|b| replication::can_lead(brokers, b));
            }
        });
        self.collect_truncations();
    }

    /// The cluster id (`kafka-storage.sh format -t`), from the seed but not from the main
    /// generator, so it changes no other id.
    pub fn cluster_id(&self) -> String {
        let mut rng = Rng::seeded(self.config_seed ^ 0xC1u64);
        TopicId::random(&mut rng).to_string()
    }

    /// A node's metadata log directory id.
    pub fn directory_id(&self, node: BrokerId) -> String {
        let mut rng = Rng::seeded(self.config_seed ^ (0xD1_0000 + node as u64));
        TopicId::random(&mut rng).to_string()
    }

    /// The active controller: the leader of the KRaft quorum (every node is a combined
    /// broker and controller), none while a majority of the nodes is down or cut off.
    pub fn active_controller(&self) -> Option<BrokerId> {
        self.quorum.leader()
    }

    /// `ElectLeaders` for one partition. `Ok(true)` when a new leader was elected, `Ok(false)`
    /// when a valid leader was already in place ("Valid replica already elected"). The
    /// controller runs its usual election (ISR, then ELR, then the last known leader) with the
    /// preferred replica first, or with an unclean fallback.
    pub fn elect_leader(&mut self, tp: &TopicPartition, unclean: bool) -> Result<bool, KafkaError> {
        self.require_controller()?;
        let Some(topic) = self.topics.get(&tp.topic) else {
            return Err(KafkaError::new(
                ErrorCode::UnknownTopicOrPartition,
                format!("No such topic as {}", tp.topic),
            ));
        };
        let cfg = self.replication_config(topic);
        let brokers = Brokers(&self.brokers);
        let Some(p) = self
            .topics
            .get_mut(&tp.topic)
            .and_then(|t| t.partition_mut(tp.partition))
        else {
            return Err(KafkaError::new(
                ErrorCode::UnknownTopicOrPartition,
                format!("No such partition as {tp}"),
            ));
        };
        // ELECTION_NOT_NEEDED: a leader for an unclean election, the preferred one otherwise.
        let not_needed = if unclean {
            p.leader.is_some()
        } else {
            p.leader.is_some() && p.leader == p.replicas.first().copied()
        };
        let (election, code, strategy) = if unclean {
            let code = ErrorCode::EligibleLeadersNotAvailable;
            (Election::Unclean, code, "UncleanElection")
        } else {
            let code = ErrorCode::PreferredLeaderNotAvailable;
            (Election::Preferred, code, "PreferredElection")
        };
        let result = if not_needed {
            Ok(false)
        } else {
            let change = Change {
                election,
                ..cfg.change(p.isr.clone())
            };
            if partition_change::apply(p, change, &|b| replication::can_lead(&brokers, b)) {
                Ok(true)
            } else {
                Err(KafkaError::new(
                    code,
                    format!("Failed to elect leader for partition {tp} under strategy {strategy}"),
                ))
            }
        };
        self.collect_truncations();
        self.sync_metadata();
        result
    }

    /// `AlterPartitionReassignments`: moves a partition to `target` replicas. New replicas are
    /// added and catch up; once they are all in the ISR the old ones are removed and, if the
    /// leader is not among the targets, the first target in the ISR takes over.
    pub fn reassign(
        &mut self,
        tp: &TopicPartition,
        target: Vec<BrokerId>,
    ) -> Result<(), KafkaError> {
        self.require_controller()?;
        for b in &target {
            if self.broker(*b).is_none() {
                return Err(KafkaError::new(
                    ErrorCode::InvalidReplicaAssignment,
                    format!("Unknown broker id {b}"),
                ));
            }
        }
        let p = self
            .topics
            .get_mut(&tp.topic)
            .and_then(|t| t.partition_mut(tp.partition))
            .ok_or_else(|| KafkaError::bare(ErrorCode::UnknownTopicOrPartition))?;
        let original: Vec<BrokerId> = p
            .replicas
            .iter()
            .copied()
            .filter(|r| !p.adding.contains(r))
            .collect();
        p.adding = target
            .iter()
            .copied()
            .filter(|b| !original.contains(b))
            .collect();
        p.removing = original
            .iter()
            .copied()
            .filter(|b| !target.contains(b))
            .collect();
        let mut replicas = target.clone();
        replicas.extend(p.removing.iter().copied());
        p.replicas = replicas;
        for b in &p.adding {
            p.replica_leo.entry(*b).or_insert(0);
        }
        self.tick();
        Ok(())
    }

    /// Cancels a reassignment: back to the original replicas.
    pub fn cancel_reassignment(&mut self, tp: &TopicPartition) -> bool {
        if !self.has_controller() {
            return false;
        }
        let Some(p) = self
            .topics
            .get_mut(&tp.topic)
            .and_then(|t| t.partition_mut(tp.partition))
        else {
            return false;
        };
        if p.adding.is_empty() && p.removing.is_empty() {
            return false;
        }
        let adding = std::mem::take(&mut p.adding);
        p.removing.clear();
        p.replicas.retain(|r| !adding.contains(r));
        // Replicas no longer assigned leave the ISR and ELR outright (never eligible).
        p.isr.retain(|r| !adding.contains(r));
        p.elr.retain(|r| !adding.contains(r));
        p.last_known_elr.retain(|r| !adding.contains(r));
        let target = p.isr.clone();
        self.change_partition(tp, target);
        self.tick();
        true
    }

    /// Sets a partition's ISR through the controller (ELR kept, a new leader elected if its
    /// leader is not in the ISR).
    fn change_partition(&mut self, tp: &TopicPartition, target_isr: Vec<BrokerId>) {
        let Some(cfg) = self
            .topics
            .get(&tp.topic)
            .map(|t| self.replication_config(t))
        else {
            return;
        };
        let brokers = Brokers(&self.brokers);
        if let Some(p) = self
            .topics
            .get_mut(&tp.topic)
            .and_then(|t| t.partition_mut(tp.partition))
        {
            let change = cfg.change(target_isr);
            partition_change::apply(p, change, &|b| replication::can_lead(&brokers, b));
        }
        self.collect_truncations();
    }

    /// Finishes reassignments whose new replicas have all joined the ISR: the removed replicas
    /// leave the replicas, ISR and ELR, and the leader changes if it was one of them.
    fn complete_reassignments(&mut self) {
        self.for_each_partition(|p, brokers, cfg| {
            if p.adding.is_empty() && p.removing.is_empty() {
                return;
            }
            if !p.adding.iter().all(|b| p.isr.contains(b)) {
                return;
            }
            let removing = std::mem::take(&mut p.removing);
            p.adding.clear();
            // Replicas no longer assigned leave the ISR and ELR outright (never eligible).
            p.replicas.retain(|r| !removing.contains(r));
            p.isr.retain(|r| !removing.contains(r));
            p.elr.retain(|r| !removing.contains(r));
            p.last_known_elr.retain(|r| !removing.contains(r));
            for r in &removing {
                p.replica_leo.remove(r);
                p.caught_up_ms.remove(r);
            }
            let change = cfg.change(p.isr.clone());
            partition_change::apply(p, change, &|b| replication::can_lead(brokers, b));
        });
    }

    /// Notices gathered since the last call (oldest first).
    pub fn take_notices(&mut self) -> Vec<String> {
        std::mem::take(&mut self.notices)
    }

    fn collect_truncations(&mut self) {
        for t in self.topics.values_mut() {
            for p in &mut t.partitions {
                if let Some(cut) = p.truncated.take() {
                    self.notices.push(truncation_notice(&t.name, p.index, cut));
                }
            }
        }
    }

    fn long_config(&self, topic: &Topic, name: &str, fallback: i64) -> i64 {
        self.topic_config_str(topic, name)
            .and_then(|v| v.parse().ok())
            .unwrap_or(fallback)
    }

    fn has_policy(&self, topic: &Topic, policy: &str) -> bool {
        self.topic_config_str(topic, "cleanup.policy")
            .is_some_and(|p| p.split(',').any(|x| x.trim() == policy))
    }

    /// The log retention check (`cleanup.policy` containing `delete`).
    fn run_retention(&mut self, now: i64) {
        let plans: Vec<(String, i64, i64)> = self
            .topics
            .values()
            .filter(|t| self.has_policy(t, "delete"))
            .map(|t| {
                (
                    t.name.clone(),
                    self.long_config(t, "retention.ms", 604_800_000),
                    self.long_config(t, "retention.bytes", -1),
                )
            })
            .collect();
        for (name, ms, bytes) in plans {
            if let Some(t) = self.topics.get_mut(&name) {
                for p in &mut t.partitions {
                    let hw = p.high_watermark();
                    p.log.apply_retention(now, ms, bytes, hw);
                }
            }
        }
    }

    /// A log-cleaner pass over compacted topics.
    fn run_cleaner(&mut self, now: i64) {
        let plans: Vec<(String, f64, i64, i64, i64)> = self
            .topics
            .values()
            .filter(|t| self.has_policy(t, "compact"))
            .map(|t| {
                (
                    t.name.clone(),
                    self.topic_config(t, "min.cleanable.dirty.ratio")
                        .and_then(|v| crate::decimal::parse_f64(&v))
                        .unwrap_or(0.5),
                    self.long_config(t, "min.compaction.lag.ms", 0),
                    self.long_config(t, "max.compaction.lag.ms", i64::MAX),
                    self.long_config(t, "delete.retention.ms", 86_400_000),
                )
            })
            .collect();
        for (name, ratio, min_lag, max_lag, delete_retention) in plans {
            if let Some(t) = self.topics.get_mut(&name) {
                for p in &mut t.partitions {
                    let hw = p.high_watermark();
                    p.log
                        .compact(now, ratio, min_lag, max_lag, delete_retention, hw);
                }
            }
        }
    }

    /// The controller unfences brokers whose heartbeats reach it and fences those it has not
    /// heard from for `broker.session.timeout.ms`. A broker restarted after a crash is not
    /// heard from until it has registered again.
    fn update_fencing(&mut self, now: i64) {
        for b in &mut self.brokers {
            if b.heartbeats_accepted() {
                b.last_heartbeat_ms = now;
                b.fenced = false;
            }
        }
        let expired: Vec<BrokerId> = self
            .brokers
            .iter()
            .filter(|b| !b.fenced && now - b.last_heartbeat_ms >= BROKER_SESSION_TIMEOUT_MS)
            .map(|b| b.id)
            .collect();
        // The controller fences one stale broker at a time: the others are still unfenced
        // while it handles the first, and may take over its leaderships.
        for id in expired {
            self.fence(id);
        }
    }

    /// Fences a broker (session expired or controlled shutdown): it leaves every ISR, and the
    /// partitions it led get a new leader, or none (`handleBrokerFenced`).
    fn fence(&mut self, id: BrokerId) {
        if let Ok(b) = self.broker_mut(id) {
            b.fenced = true;
        }
        self.for_each_partition(|p, brokers, cfg| {
            if !p.isr.contains(&id) {
                return;
            }
            let target = p.isr.iter().copied().filter(|r| *r != id).collect();
            let acceptable = |r: BrokerId| r != id && replication::can_lead(brokers, r);
            partition_change::apply(p, cfg.change(target), &acceptable);
        });
        self.collect_truncations();
    }

    /// Brokers restarted after a crash register once their old session has run out (the
    /// controller refuses a second registration while the first is live, KAFKA-19047). No
    /// clean-shutdown marker vouches for their logs, so the controller takes them out of every
    /// ISR and ELR (`handleBrokerUncleanShutdown`); then their heartbeats unfence them.
    fn register_restarted_brokers(&mut self, now: i64) {
        let ready: Vec<BrokerId> = self
            .brokers
            .iter()
            .filter(|b| b.crashed && b.heartbeats() && b.fenced)
            .map(|b| b.id)
            .collect();
        for id in ready {
            self.remove_uncleanly_shutdown(id);
            if let Ok(b) = self.broker_mut(id) {
                b.crashed = false;
                b.last_heartbeat_ms = now;
                b.fenced = false;
            }
        }
    }

    /// The partition changes for a broker that shut down uncleanly: it leaves the ISR (a new
    /// leader is elected if it led) and the ELR.
    fn remove_uncleanly_shutdown(&mut self, id: BrokerId) {
        self.for_each_partition(|p, brokers, cfg| {
            if !p.isr.contains(&id) && !p.elr.contains(&id) {
                return;
            }
            let target = p.isr.iter().copied().filter(|r| *r != id).collect();
            let change = Change {
                unclean_shutdown: Some(id),
                ..cfg.change(target)
            };
            let acceptable = |r: BrokerId| r != id && replication::can_lead(brokers, r);
            partition_change::apply(p, change, &acceptable);
        });
        self.collect_truncations();
    }

    fn replication_config(&self, topic: &Topic) -> ReplicationConfig {
        let (min_isr, unclean) = self.replication_settings(topic);
        ReplicationConfig::new(
            min_isr,
            topic.replication_factor(),
            unclean,
            self.has_controller(),
        )
    }

    /// The topic's `min.insync.replicas` and `unclean.leader.election.enable`, as resolved
    /// through its configs and the broker's.
    fn replication_settings(&self, topic: &Topic) -> (usize, bool) {
        let min_isr = self.long_config(topic, MIN_INSYNC_REPLICAS, 1).max(1) as usize;
        let unclean = self
            .topic_config_str(topic, "unclean.leader.election.enable")
            .is_some_and(|v| v == "true");
        (min_isr, unclean)
    }

    /// Runs `f` on every partition with the broker view and the topic's replication settings.
    fn for_each_partition(
        &mut self,
        mut f: impl FnMut(&mut Partition, &Brokers, ReplicationConfig),
    ) {
        let brokers = Brokers(&self.brokers);
        let configs: Vec<(String, ReplicationConfig)> = self
            .topics
            .values()
            .map(|t| (t.name.clone(), self.replication_config(t)))
            .collect();
        for (name, cfg) in configs {
            if let Some(t) = self.topics.get_mut(&name) {
                for p in &mut t.partitions {
                    f(p, &brokers, cfg);
                }
            }
        }
    }

    fn replicate_all(&mut self, now: i64) {
        self.for_each_partition(|p, brokers, cfg| replication::step(p, brokers, now, cfg));
    }

    fn partitions_per_topic(&self) -> VecMap<String, i32> {
        VecMap::from_iter(
            self.topics
                .values()
                .map(|t| (t.name.clone(), t.partitions.len() as i32)),
        )
    }

    pub fn rng(&mut self) -> &mut Rng {
        &mut self.rng
    }

    // ---- brokers ----------------------------------------------------------------------------

    pub fn brokers(&self) -> &[Broker] {
        &self.brokers
    }

    pub fn broker_ids(&self) -> Vec<BrokerId> {
        self.brokers.iter().map(|b| b.id).collect()
    }

    pub fn broker(&self, id: BrokerId) -> Option<&Broker> {
        self.brokers.iter().find(|b| b.id == id)
    }

    fn broker_mut(&mut self, id: BrokerId) -> Result<&mut Broker, String> {
        self.brokers
            .iter_mut()
            .find(|b| b.id == id)
            .ok_or_else(|| format!("There is no broker {id}."))
    }

    /// Controlled shutdown: the broker hands over leadership and leaves every ISR at once.
    pub fn stop_broker(&mut self, id: BrokerId) -> Result<(), String> {
        let b = self.broker_mut(id)?;
        if !b.running {
            return Err(format!("Broker {id} is not running."));
        }
        // The controller handles the controlled shutdown while the broker is still up: it is
        // fenced, leaves every ISR and hands its leaderships over. Without a controller the
        // broker gives up waiting and stops as if it had crashed.
        if self.has_controller() {
            self.fence(id);
            let now = self.now_ms();
            self.replicate_all(now);
            self.collect_truncations();
            self.sync_metadata();
        }
        self.broker_mut(id)?.running = false;
        self.tick();
        Ok(())
    }

    /// A crash (`kill -9`): nothing is handed over; the controller notices only when the
    /// broker's session times out (9 s), and until then its partitions have a dead leader. No
    /// clean-shutdown marker is written, so its next registration counts as unclean.
    pub fn kill_broker(&mut self, id: BrokerId) -> Result<(), String> {
        let b = self.broker_mut(id)?;
        if !b.running {
            return Err(format!("Broker {id} is not running."));
        }
        b.running = false;
        b.crashed = true;
        self.tick();
        Ok(())
    }

    /// Starts a stopped broker: it registers, the controller unfences it (once there is an
    /// active controller), and its replicas catch up and rejoin the ISR. After a crash it
    /// registers only once its old session has run out, as an unclean shutdown.
    pub fn start_broker(&mut self, id: BrokerId) -> Result<(), String> {
        let now = self.now_ms();
        let b = self.broker_mut(id)?;
        if b.running {
            return Err(format!("Broker {id} is already running."));
        }
        b.running = true;
        if !b.crashed {
            b.last_heartbeat_ms = now;
        }
        self.tick();
        self.elect_offline_partitions();
        Ok(())
    }

    /// Cuts the broker off from the others and the controller; `heal` reconnects it.
    pub fn isolate_broker(&mut self, id: BrokerId, isolated: bool) -> Result<(), String> {
        let now = self.now_ms();
        let b = self.broker_mut(id)?;
        b.isolated = isolated;
        if !isolated && b.running {
            // Its heartbeats reach the controller again, which unfences it.
            b.last_heartbeat_ms = now;
        }
        self.tick();
        if !isolated {
            self.elect_offline_partitions();
        }
        Ok(())
    }

    /// Makes the broker's followers stop (or resume) fetching.
    pub fn slow_broker(&mut self, id: BrokerId, slow: bool) -> Result<(), String> {
        self.broker_mut(id)?.slow = slow;
        self.tick();
        Ok(())
    }

    /// Adds a broker with the next node id (it hosts nothing until topics are created or
    /// partitions reassigned, as in Kafka).
    pub fn add_broker(&mut self) -> Result<BrokerId, String> {
        if self.brokers.len() as i32 >= MAX_BROKERS {
            return Err(format!(
                "The playground runs at most {MAX_BROKERS} brokers."
            ));
        }
        let id = self.brokers.iter().map(|b| b.id).max().unwrap_or(0) + 1;
        let now = self.now_ms();
        let mut broker = Broker::new(id, now);
        // It registers fenced; the controller unfences it once its heartbeats arrive.
        broker.fenced = !self.has_controller();
        self.brokers.push(broker);
        self.tick();
        Ok(id)
    }

    /// Removes (unregisters) a broker that hosts no replica.
    pub fn remove_broker(&mut self, id: BrokerId) -> Result<(), String> {
        self.broker_mut(id)?;
        if self.brokers.len() == 1 {
            return Err("The last broker cannot be removed.".into());
        }
        if !self.has_controller() {
            return Err(
                "There is no active controller to unregister it: start enough brokers for a majority of the controllers first."
                    .into(),
            );
        }
        let hosted = self
            .topics
            .values()
            .flat_map(|t| t.partitions.iter())
            .filter(|p| p.replicas.contains(&id))
            .count();
        if hosted > 0 {
            return Err(format!(
                "Broker {id} still hosts {hosted} replica(s); move them away first (kafka-reassign-partitions.sh)."
            ));
        }
        self.brokers.retain(|b| b.id != id);
        self.tick();
        Ok(())
    }

    /// Partitions left without a leader get one if a replica can now lead.
    fn elect_offline_partitions(&mut self) {
        self.for_each_partition(|p, brokers, cfg| {
            if p.leader.is_none() && cfg.controller {
                replication::elect_leader(p, brokers, cfg);
            }
        });
        self.tick();
    }

    // ---- topics -----------------------------------------------------------------------------

    pub fn topic(&self, name: &str) -> Option<&Topic> {
        self.topics.get(name)
    }

    /// All topics, by name in Java `String` order (byte order: names are ASCII).
    pub fn topics(&self) -> impl Iterator<Item = &Topic> {
        self.topics.values()
    }

    pub fn topic_by_id(&self, id: &str) -> Option<&Topic> {
        self.topics.values().find(|t| t.id.to_string() == id)
    }

    /// `CreateTopics` as the KRaft controller handles it, with its validation order and texts.
    pub fn create_topic(&mut self, name: &str, new: NewTopic) -> Result<&Topic, KafkaError> {
        self.require_controller()?;
        self.check_new_topic_name(name)?;
        let partitions = new.partitions.unwrap_or(NUM_PARTITIONS);
        if partitions <= 0 {
            return Err(KafkaError::new(
                ErrorCode::InvalidPartitions,
                "Number of partitions was set to an invalid non-positive value.",
            ));
        }
        let rf = new.replication_factor.unwrap_or(DEFAULT_REPLICATION_FACTOR);
        if rf <= 0 {
            return Err(KafkaError::new(
                ErrorCode::InvalidReplicationFactor,
                "Replication factor must be larger than 0, or -1 to use the default value.",
            ));
        }
        let configs = validated_configs(&new.configs)?;
        let assignment = self.place_replicas(partitions, rf, 0).map_err(|why| {
            KafkaError::new(
                ErrorCode::InvalidReplicationFactor,
                format!("Unable to replicate the partition {rf} time(s): {why}"),
            )
        })?;
        self.insert_topic(name, assignment, configs);
        self.sync_metadata();
        self.topics
            .get(name)
            .ok_or_else(|| KafkaError::bare(ErrorCode::UnknownTopicOrPartition))
    }

    /// The controller's name checks: valid, new, and not colliding with an existing name once
    /// `.` and `_` are unified.
    fn check_new_topic_name(&self, name: &str) -> Result<(), KafkaError> {
        validate_name(name)?;
        if self.topics.contains_key(name) {
            return Err(KafkaError::new(
                ErrorCode::TopicAlreadyExists,
                format!("Topic '{name}' already exists."),
            ));
        }
        if !has_collision_chars(name) {
            return Ok(());
        }
        let unified = unify_collision_chars(name);
        match self
            .topics
            .keys()
            .find(|t| has_collision_chars(t) && unify_collision_chars(t) == unified)
        {
            Some(existing) => Err(KafkaError::new(
                ErrorCode::InvalidTopicException,
                format!("Topic '{name}' collides with existing topic: {existing}"),
            )),
            None => Ok(()),
        }
    }

    /// Registers a topic with its replica lists (the topic id comes from the generator).
    fn insert_topic(
        &mut self,
        name: &str,
        assignment: Vec<Vec<BrokerId>>,
        configs: VecMap<String, String>,
    ) {
        let topic = Topic {
            name: name.to_string(),
            id: TopicId::random(&mut self.rng),
            partitions: assignment
                .into_iter()
                .enumerate()
                .map(|(i, replicas)| self.new_partition(i as i32, replicas))
                .collect(),
            configs,
        };
        self.topics.insert(name.to_string(), topic);
    }

    /// A new partition as the controller registers it: the ISR is the replicas on unfenced
    /// brokers and its first member leads (epoch 0). The placer puts an unfenced broker first.
    fn new_partition(&self, index: i32, replicas: Vec<BrokerId>) -> Partition {
        let mut p = Partition::new(index, replicas);
        let unfenced = |b: &BrokerId| self.broker(*b).is_some_and(|x| !x.fenced);
        p.isr.retain(unfenced);
        p.leader = p.isr.first().copied();
        p
    }

    /// `CreateTopics` with a manual replica assignment (`--replica-assignment 1:2,2:3`).
    pub fn create_topic_with_assignment(
        &mut self,
        name: &str,
        assignment: Vec<Vec<BrokerId>>,
        new: NewTopic,
    ) -> Result<(), KafkaError> {
        self.require_controller()?;
        self.check_new_topic_name(name)?;
        for id in assignment.iter().flatten() {
            if self.broker(*id).is_none() {
                return Err(KafkaError::new(
                    ErrorCode::InvalidReplicaAssignment,
                    format!(
                        "The manual partition assignment includes broker {id}, but no broker with that ID is registered."
                    ),
                ));
            }
        }
        // Each partition needs an unfenced replica to lead (ReplicationControlManager).
        let unfenced = |b: &BrokerId| self.broker(*b).is_some_and(|x| !x.fenced);
        if let Some(i) = assignment.iter().position(|r| !r.iter().any(unfenced)) {
            return Err(KafkaError::new(
                ErrorCode::InvalidReplicaAssignment,
                format!(
                    "All brokers specified in the manual partition assignment for partition {i} are fenced or in controlled shutdown."
                ),
            ));
        }
        let configs = validated_configs(&new.configs)?;
        self.insert_topic(name, assignment, configs);
        self.tick();
        Ok(())
    }

    /// Replica lists for new partitions over every registered broker, unfenced ones first and
    /// as leaders: rack-aware when every unfenced broker has a `broker.rack` (Kafka refuses a
    /// mix), rack-unaware otherwise. The error is the placer's text.
    fn place_replicas(
        &mut self,
        partitions: i32,
        rf: i16,
        first: i32,
    ) -> Result<Vec<Vec<BrokerId>>, String> {
        let candidates: Vec<Candidate> = self
            .brokers
            .iter()
            .map(|b| Candidate {
                id: b.id,
                rack: b.rack.clone(),
                fenced: b.fenced,
            })
            .collect();
        place(&candidates, partitions, rf, first, &mut self.rng)
    }

    /// Sets (or clears) a broker's `broker.rack`.
    pub fn set_rack(&mut self, id: BrokerId, rack: Option<String>) -> Result<(), String> {
        self.broker_mut(id)?.rack = rack;
        Ok(())
    }

    /// What a broker with `auto.create.topics.enable=true` does when a client asks for metadata
    /// of a missing topic: create it with the broker defaults. Returns true if it was created.
    pub fn auto_create_topic(&mut self, name: &str) -> Result<bool, KafkaError> {
        if self.topics.contains_key(name) {
            return Ok(false);
        }
        self.create_topic(name, NewTopic::default())?;
        Ok(true)
    }

    /// Creates `__consumer_offsets` the first time a group coordinator is looked up.
    pub fn ensure_offsets_topic(&mut self) {
        if self.topics.contains_key(OFFSETS_TOPIC) {
            return;
        }
        let rf = self.brokers.len().min(3) as i16;
        let new = NewTopic {
            partitions: Some(OFFSETS_TOPIC_PARTITIONS),
            replication_factor: Some(rf),
            configs: vec![
                ("compression.type".into(), "producer".into()),
                ("cleanup.policy".into(), "compact".into()),
                ("segment.bytes".into(), "104857600".into()),
            ],
        };
        // Cannot fail: the name is valid, new, and rf ≤ brokers.
        let _ = self.create_topic(OFFSETS_TOPIC, new);
    }

    pub fn delete_topic(&mut self, name: &str) -> Result<(), KafkaError> {
        self.require_controller()?;
        match self.topics.remove(name) {
            Some(_) => {
                self.offsets.remove_topic(name);
                self.sync_metadata();
                Ok(())
            }
            None => Err(KafkaError::bare(ErrorCode::UnknownTopicOrPartition)),
        }
    }

    /// `CreatePartitions`: grow a topic to `total` partitions (never shrink).
    pub fn create_partitions(&mut self, name: &str, total: i32) -> Result<(), KafkaError> {
        self.require_controller()?;
        let topic = self
            .topics
            .get(name)
            .ok_or_else(|| KafkaError::bare(ErrorCode::UnknownTopicOrPartition))?;
        let current = topic.partitions.len() as i32;
        if total < current {
            return Err(KafkaError::new(
                ErrorCode::InvalidPartitions,
                format!(
                    "The topic {name} currently has {current} partition(s); {total} would not be an increase."
                ),
            ));
        }
        if total == current {
            return Err(KafkaError::new(
                ErrorCode::InvalidPartitions,
                format!("Topic already has {current} partition(s)."),
            ));
        }
        let rf = topic.replication_factor() as i16;
        // `CreatePartitions` reports the placer's exception as it is, without the
        // "Unable to replicate" prefix `CreateTopics` adds.
        let added = self
            .place_replicas(total - current, rf, current)
            .map_err(|why| KafkaError::new(ErrorCode::InvalidReplicationFactor, why))?;
        let partitions: Vec<Partition> = added
            .into_iter()
            .enumerate()
            .map(|(i, replicas)| self.new_partition(current + i as i32, replicas))
            .collect();
        if let Some(topic) = self.topics.get_mut(name) {
            topic.partitions.extend(partitions);
        }
        self.tick();
        Ok(())
    }

    /// The effective value of a topic config: the topic override, the dynamic broker default,
    /// the static broker config, or the built-in default.
    pub fn topic_config(&self, topic: &Topic, name: &str) -> Option<String> {
        self.topic_config_str(topic, name).map(str::to_string)
    }

    /// The same resolution without allocating (the produce path asks for several per record).
    pub fn topic_config_str<'a>(&'a self, topic: &'a Topic, name: &str) -> Option<&'a str> {
        if let Some(v) = topic.configs.get(name) {
            return Some(v);
        }
        if let Some((broker, _)) = super::config::broker_synonym(name) {
            if let Some(v) = self.broker_defaults.get(broker) {
                return Some(v);
            }
        }
        if name == "segment.bytes" {
            return Some(STATIC_SEGMENT_BYTES);
        }
        super::config::topic_config(name).map(|k| k.default)
    }

    /// Where a topic config's value comes from, most specific first, as `DescribeConfigs`
    /// reports synonyms: (source, name, value).
    pub fn topic_config_sources(
        &self,
        topic: &Topic,
        name: &str,
    ) -> Vec<(&'static str, String, String)> {
        let mut out = Vec::new();
        if let Some(v) = topic.configs.get(name) {
            out.push(("DYNAMIC_TOPIC_CONFIG", name.to_string(), v.clone()));
        }
        match super::config::broker_synonym(name) {
            Some((broker, _)) => {
                if let Some(v) = self.broker_defaults.get(broker) {
                    out.push((
                        "DYNAMIC_DEFAULT_BROKER_CONFIG",
                        broker.to_string(),
                        v.clone(),
                    ));
                }
                if broker == "log.segment.bytes" {
                    out.push((
                        "STATIC_BROKER_CONFIG",
                        broker.to_string(),
                        STATIC_SEGMENT_BYTES.to_string(),
                    ));
                }
                if let Some(v) = super::config::broker_default(broker) {
                    out.push(("DEFAULT_CONFIG", broker.to_string(), v));
                }
            }
            None => {
                if let Some(k) = super::config::topic_config(name) {
                    out.push(("DEFAULT_CONFIG", name.to_string(), k.default.to_string()));
                }
            }
        }
        // retention.ms and friends have no broker default of their own; the built-in value
        // still applies.
        if out.is_empty() {
            if let Some(k) = super::config::topic_config(name) {
                return vec![("DEFAULT_CONFIG", name.to_string(), k.default.to_string())];
            }
        }
        out
    }

    /// `IncrementalAlterConfigs` on a topic: set and delete overrides (validated first, all or
    /// nothing).
    pub fn alter_topic_configs(
        &mut self,
        name: &str,
        set: &[(String, String)],
        delete: &[String],
    ) -> Result<(), KafkaError> {
        self.require_controller()?;
        if !self.topics.contains_key(name) {
            return Err(KafkaError::new(
                ErrorCode::UnknownTopicOrPartition,
                format!("The topic '{name}' does not exist."),
            ));
        }
        let mut checked = Vec::new();
        for (k, v) in set {
            let value = validate_topic_config(k, v)
                .map_err(|e| KafkaError::new(ErrorCode::InvalidConfig, e.to_string()))?;
            checked.push((k.clone(), value));
        }
        for k in delete {
            if super::config::topic_config(k).is_none() {
                return Err(KafkaError::new(
                    ErrorCode::InvalidConfig,
                    format!("Unknown topic config name: {k}"),
                ));
            }
        }
        self.produce_config = ProduceConfigCache::default();
        if let Some(topic) = self.topics.get_mut(name) {
            let min_isr_before = topic.configs.get(MIN_INSYNC_REPLICAS).cloned();
            for k in delete {
                topic.configs.remove(k);
            }
            topic.configs.extend(checked);
            // A new min.insync.replicas invalidates the ELR kept against the old one.
            if topic.configs.get(MIN_INSYNC_REPLICAS) != min_isr_before.as_ref() {
                topic
                    .partitions
                    .iter_mut()
                    .for_each(partition_change::clear_elr);
            }
        }
        self.tick();
        Ok(())
    }

    /// Dynamic configs of one broker (`None`: the cluster-wide default).
    pub fn broker_dynamic_configs(&self, broker: Option<BrokerId>) -> VecMap<String, String> {
        match broker {
            Some(id) => self.broker_configs.get(&id).cloned().unwrap_or_default(),
            None => self.broker_defaults.clone(),
        }
    }

    /// Sets and deletes dynamic broker configs, for one broker or as the cluster default.
    pub fn alter_broker_configs(
        &mut self,
        broker: Option<BrokerId>,
        set: &[(String, String)],
        delete: &[String],
    ) -> Result<(), KafkaError> {
        if let Some(id) = broker {
            if self.broker(id).is_none() {
                return Err(KafkaError::new(
                    ErrorCode::BrokerIdNotRegistered,
                    format!("No node with id {id} found."),
                ));
            }
        }
        let mut checked = Vec::new();
        for (k, v) in set {
            let Some((name, key)) = super::config::broker_config(k) else {
                return Err(KafkaError::new(
                    ErrorCode::InvalidRequest,
                    format!("Cannot update these configs dynamically: Set({k})"),
                ));
            };
            let value = match key {
                Some(key) => validate_topic_config(key.name, v).map_err(|e| {
                    KafkaError::new(
                        ErrorCode::InvalidConfig,
                        e.to_string().replace(key.name, name),
                    )
                })?,
                None => v.trim().to_string(),
            };
            checked.push((name.to_string(), value));
        }
        // The broker validates the change itself, then forwards it to the controller.
        self.require_controller()?;
        let min_isr_altered = checked.iter().any(|(k, _)| k == MIN_INSYNC_REPLICAS)
            || delete.iter().any(|k| k == MIN_INSYNC_REPLICAS);
        if min_isr_altered {
            elr_min_isr_check(broker, delete)?;
        }
        self.produce_config = ProduceConfigCache::default();
        let target = match broker {
            Some(id) => self.broker_configs.entry(id).or_default(),
            None => &mut self.broker_defaults,
        };
        for k in delete {
            target.remove(k);
        }
        target.extend(checked);
        if min_isr_altered {
            // The cluster default changed (it is written even when unchanged): every ELR was
            // kept against the old value (`ClearElrRecord` for all topics).
            self.topics
                .values_mut()
                .flat_map(|t| t.partitions.iter_mut())
                .for_each(partition_change::clear_elr);
        }
        self.tick();
        Ok(())
    }

    // ---- records ----------------------------------------------------------------------------

    /// Appends one record on the partition's leader, picking the partition as the Java producer
    /// would. The cluster clock stamps `CreateTime` unless the record has a timestamp.
    pub fn produce(
        &mut self,
        topic_name: &str,
        record: ProducerRecord,
        partitioner: &mut StickyPartitioner,
    ) -> Result<RecordMetadata, KafkaError> {
        self.produce_with_acks(topic_name, record, partitioner, Acks::All)
    }

    /// Produces with the given `acks` and answers at once: `Ok` only if the request is
    /// acknowledged without waiting (for `acks=all`: every in-sync replica already has the
    /// record), `REQUEST_TIMED_OUT` if it would have to wait.
    pub fn produce_with_acks(
        &mut self,
        topic_name: &str,
        record: ProducerRecord,
        partitioner: &mut StickyPartitioner,
        acks: Acks,
    ) -> Result<RecordMetadata, KafkaError> {
        if acks == Acks::All {
            let sent = self.send(topic_name, record, partitioner, acks)?;
            return self.await_acks(&sent, 0);
        }
        // Answered as soon as the leader has it: nothing stays in flight, so the log takes the
        // record itself rather than a copy.
        let (partition, timestamp) = self.place(topic_name, &record, partitioner)?;
        let appended = unplaced(record, timestamp);
        let a = self.append_record(topic_name, partition, appended, acks)?;
        Ok(RecordMetadata {
            partition,
            offset: a.offset,
            timestamp,
        })
    }

    /// A produce request: picks the partition as the Java producer would and appends the
    /// record on its leader, which must be available; `acks=all` also needs at least the
    /// effective min ISR in sync before anything is appended. The request is then in flight
    /// until [`Cluster::await_acks`] answers it. The cluster clock stamps `CreateTime` unless
    /// the record has a timestamp.
    pub fn send(
        &mut self,
        topic_name: &str,
        record: ProducerRecord,
        partitioner: &mut StickyPartitioner,
        acks: Acks,
    ) -> Result<InFlight, KafkaError> {
        let (partition, timestamp) = self.place(topic_name, &record, partitioner)?;
        let appended = unplaced(record, timestamp);
        self.append(TopicPartition::new(topic_name, partition), appended, acks)
    }

    /// Where a record goes and its `CreateTime`: the partition the Java producer picks (or the
    /// record's own, which must exist), refused on a compacted topic without a key.
    fn place(
        &mut self,
        topic_name: &str,
        record: &ProducerRecord,
        partitioner: &mut StickyPartitioner,
    ) -> Result<(i32, i64), KafkaError> {
        let (config, count) = self.produce_config(topic_name)?;
        let size = super::record::estimated_size(
            record.key.as_deref(),
            record.value.as_deref(),
            &record.headers,
        );
        let partition = match record.partition {
            Some(p) if (0..count).contains(&p) => p,
            Some(_) => return Err(KafkaError::bare(ErrorCode::UnknownTopicOrPartition)),
            None => partitioner.partition(
                topic_name,
                record.key.as_deref(),
                size,
                count,
                &mut self.rng,
            ),
        };
        if config.compact && record.key.is_none() {
            return Err(KafkaError::new(
                ErrorCode::InvalidRecord,
                format!(
                    "Compacted topic cannot accept message without key in topic partition {topic_name}-{partition}"
                ),
            ));
        }
        Ok((partition, record.timestamp.unwrap_or(self.now_ms())))
    }

    /// A retry of an in-flight request: the idempotent producer sends the same batch again. A
    /// leader that already has the record only waits for it once more; one that lost it (cut
    /// off by an election) appends it again.
    pub fn resend(&mut self, sent: &InFlight) -> Result<InFlight, KafkaError> {
        if !self.still_in_log(sent) {
            return self.append(sent.tp.clone(), sent.record.clone(), sent.acks);
        }
        let cfg = self.topic_replication_config(&sent.tp.topic)?;
        let p = self.served_partition(&sent.tp)?;
        if sent.acks == Acks::All && p.isr.len() < cfg.effective_min_isr {
            return Err(not_enough_replicas(p, cfg.effective_min_isr, &sent.tp));
        }
        Ok(InFlight {
            leader: p.leader.unwrap_or(sent.leader),
            leader_epoch: p.leader_epoch,
            ..sent.clone()
        })
    }

    fn topic_replication_config(&self, topic: &str) -> Result<ReplicationConfig, KafkaError> {
        self.topics
            .get(topic)
            .map(|t| self.replication_config(t))
            .ok_or_else(|| KafkaError::bare(ErrorCode::UnknownTopicOrPartition))
    }

    /// Appends one record on the partition's leader; followers that can fetch do so at once.
    /// The request stays in flight with a copy of the record: a retry may append it again.
    fn append(
        &mut self,
        tp: TopicPartition,
        record: Record,
        acks: Acks,
    ) -> Result<InFlight, KafkaError> {
        let kept = record.clone();
        let appended = self.append_record(&tp.topic, tp.partition, record, acks)?;
        Ok(InFlight {
            metadata: RecordMetadata {
                partition: tp.partition,
                offset: appended.offset,
                timestamp: kept.timestamp,
            },
            tp,
            acks,
            leader: appended.leader,
            leader_epoch: appended.leader_epoch,
            record: Record {
                offset: appended.offset,
                ..kept
            },
        })
    }

    /// Appends `record` to the log of the partition's leader, which keeps it (see
    /// [`Cluster::append`]).
    fn append_record(
        &mut self,
        topic: &str,
        partition: i32,
        record: Record,
        acks: Acks,
    ) -> Result<Appended, KafkaError> {
        self.admit_record_data(&record)?;
        let now = self.now_ms();
        let (config, _) = self.produce_config(topic)?;
        let controller = self.has_controller();
        let brokers = Brokers(&self.brokers);
        let Some(t) = self.topics.get_mut(topic) else {
            return Err(KafkaError::bare(ErrorCode::UnknownTopicOrPartition));
        };
        let cfg = ReplicationConfig::new(
            config.min_isr,
            t.replication_factor(),
            config.unclean_leader_election,
            controller,
        );
        let Some(p) = t.partition_mut(partition) else {
            return Err(KafkaError::bare(ErrorCode::UnknownTopicOrPartition));
        };
        leader_serves(p, &brokers)?;
        if acks == Acks::All && p.isr.len() < cfg.effective_min_isr {
            let tp = TopicPartition::new(topic, partition);
            return Err(not_enough_replicas(p, cfg.effective_min_isr, &tp));
        }
        // A batch larger than max.message.bytes is refused (UnifiedLog's "The record batch
        // size in the append to t-0 is N bytes which exceeds the maximum configured value of
        // M."); ReplicaManager sends MESSAGE_TOO_LARGE without that text, so the client shows
        // the error's default message. A record travels in a batch of its own here.
        let batch_size = super::record::single_record_batch_size(
            record.key.as_deref(),
            record.value.as_deref(),
            &record.headers,
        );
        if batch_size as i64 > config.max_message_bytes {
            return Err(KafkaError::bare(ErrorCode::MessageTooLarge));
        }
        let (leader, leader_epoch) = (p.leader.unwrap_or_default(), p.leader_epoch);
        // The ISR before replication (at most one entry per broker: no allocation).
        let isr_before = IsrCopy::of(&p.isr);
        let offset = p.log.append_rolling(
            record.timestamp,
            record.key.as_deref(),
            record.value.as_deref(),
            record.headers,
            Some(config.roll),
        );
        replication::step(p, &brokers, now, cfg);
        if !isr_before.is(&p.isr) {
            self.sync_metadata();
        }
        Ok(Appended {
            offset,
            leader,
            leader_epoch,
        })
    }

    /// The configs a produce request reads of its topic, resolved once and reused until a
    /// topic or broker config changes (or the topic is another one, or was deleted and made
    /// again): each record asked for six of them, each a search through Kafka's config tables.
    /// With them, the topic's partition count, from the same lookup (a search by name, paid
    /// once per record here rather than by every step).
    fn produce_config(&mut self, topic: &str) -> Result<(ProduceConfig, i32), KafkaError> {
        let Some(t) = self.topics.get(topic) else {
            return Err(KafkaError::bare(ErrorCode::UnknownTopicOrPartition));
        };
        let count = t.partitions.len() as i32;
        if let Some((name, id, config)) = &self.produce_config.0 {
            if name == topic && *id == t.id {
                return Ok((*config, count));
            }
        }
        let (min_isr, unclean_leader_election) = self.replication_settings(t);
        let config = ProduceConfig {
            min_isr,
            unclean_leader_election,
            compact: self.has_policy(t, "compact"),
            roll: super::log::RollPolicy {
                segment_bytes: self.long_config(t, "segment.bytes", 1 << 30) as u64,
                segment_ms: self.long_config(t, "segment.ms", 604_800_000),
            },
            // The topic's max.message.bytes, else the broker's message.max.bytes.
            max_message_bytes: self.long_config(t, "max.message.bytes", 1_048_588),
        };
        self.produce_config = ProduceConfigCache(Some((topic.to_string(), t.id, config)));
        Ok((config, count))
    }

    /// Waits, moving the clock, until an in-flight request is answered or `timeout_ms` has
    /// passed (`REQUEST_TIMED_OUT`). `acks=0`/`1` are answered at once; `acks=all` waits in the
    /// leader's purgatory until every in-sync replica has the record — which may take until
    /// a lagging follower drops out of the ISR (`replica.lag.time.max.ms`). A leader that
    /// loses its leadership meanwhile answers `NOT_LEADER_OR_FOLLOWER`, one that dies drops
    /// the connection (`NETWORK_EXCEPTION`), and one cut off from the cluster never answers.
    pub fn await_acks(
        &mut self,
        sent: &InFlight,
        timeout_ms: i64,
    ) -> Result<RecordMetadata, KafkaError> {
        let deadline = self.now_ms().saturating_add(timeout_ms.max(0));
        loop {
            match self.ack_status(sent) {
                AckStatus::Acknowledged => return Ok(sent.metadata),
                AckStatus::Failed(code) => return Err(KafkaError::bare(code)),
                AckStatus::Waiting if self.now_ms() >= deadline => {
                    return Err(KafkaError::bare(ErrorCode::RequestTimedOut));
                }
                AckStatus::Waiting => {}
            }
            let now = self.now_ms();
            let next = self
                .next_deadline()
                .filter(|t| *t > now && *t < deadline)
                .unwrap_or(deadline);
            self.advance_to(next);
        }
    }

    fn ack_status(&self, sent: &InFlight) -> AckStatus {
        if sent.acks != Acks::All {
            return AckStatus::Acknowledged;
        }
        let Some(p) = self
            .topics
            .get(&sent.tp.topic)
            .and_then(|t| t.partition(sent.tp.partition))
        else {
            return AckStatus::Failed(ErrorCode::UnknownTopicOrPartition);
        };
        if committed(p, sent) {
            return AckStatus::Acknowledged;
        }
        let still_leading = p.leader == Some(sent.leader) && p.leader_epoch == sent.leader_epoch;
        match self.broker(sent.leader) {
            Some(b) if !b.running => AckStatus::Failed(ErrorCode::NetworkException),
            // Cut off, it learns nothing and never answers: the client times out.
            Some(b) if b.isolated => AckStatus::Waiting,
            _ if still_leading => AckStatus::Waiting,
            _ => AckStatus::Failed(ErrorCode::NotLeaderOrFollower),
        }
    }

    /// The record of an in-flight request is still in its partition's log where it was
    /// appended (no election cut it off).
    pub fn still_in_log(&self, sent: &InFlight) -> bool {
        self.topics
            .get(&sent.tp.topic)
            .and_then(|t| t.partition(sent.tp.partition))
            .is_some_and(|p| {
                p.log
                    .read(sent.metadata.offset, 1)
                    .first()
                    .is_some_and(|r| r == sent.record)
            })
    }

    /// Records of one partition from `offset`, at most `max`, up to the high watermark. Only
    /// the leader serves them: an offline partition (`Leader: none`) or a dead leader answers
    /// with an error and no records.
    pub fn fetch(
        &self,
        tp: &TopicPartition,
        offset: i64,
        max: usize,
    ) -> Result<Records<'_>, KafkaError> {
        let partition = self.served_partition(tp)?;
        let visible = (partition.high_watermark() - offset).max(0) as usize;
        Ok(partition.log.read(offset, max.min(visible)))
    }

    /// A partition whose leader can answer client requests (`Fetch`, `ListOffsets`).
    fn served_partition(&self, tp: &TopicPartition) -> Result<&Partition, KafkaError> {
        let partition = self
            .topics
            .get(&tp.topic)
            .and_then(|t| t.partition(tp.partition))
            .ok_or_else(|| KafkaError::bare(ErrorCode::UnknownTopicOrPartition))?;
        leader_serves(partition, &Brokers(&self.brokers))?;
        Ok(partition)
    }

    /// `DeleteRecords`: moves the log start of a partition up to `offset` (-1 = the high
    /// watermark); returns the new low watermark.
    pub fn delete_records(&mut self, tp: &TopicPartition, offset: i64) -> Result<i64, KafkaError> {
        let topic = self
            .topics
            .get(&tp.topic)
            .ok_or_else(|| KafkaError::bare(ErrorCode::UnknownTopicOrPartition))?;
        let compact_only = self
            .topic_config(topic, "cleanup.policy")
            .is_some_and(|p| p.split(',').all(|x| x == "compact"));
        let p = self
            .topics
            .get_mut(&tp.topic)
            .and_then(|t| t.partition_mut(tp.partition))
            .ok_or_else(|| KafkaError::bare(ErrorCode::UnknownTopicOrPartition))?;
        if compact_only {
            return Err(KafkaError::bare(ErrorCode::PolicyViolation));
        }
        let hw = p.high_watermark();
        let target = if offset == -1 { hw } else { offset };
        if target < 0 || target > hw {
            return Err(KafkaError::bare(ErrorCode::OffsetOutOfRange));
        }
        p.log.advance_start(target);
        Ok(p.log_start_offset())
    }

    /// `ListOffsets` by timestamp: the first offset whose record's timestamp is ≥ `ts`, among
    /// visible records (none while the partition has no leader).
    pub fn offset_for_timestamp(&self, tp: &TopicPartition, ts: i64) -> Option<i64> {
        let p = self.served_partition(tp).ok()?;
        p.log
            .records()
            .iter()
            .take_while(|r| r.offset < p.high_watermark())
            .find(|r| r.timestamp >= ts)
            .map(|r| r.offset)
    }

    /// `ListOffsets` with `MAX_TIMESTAMP`: the offset of the record with the largest timestamp.
    pub fn offset_of_max_timestamp(&self, tp: &TopicPartition) -> Option<i64> {
        let p = self.served_partition(tp).ok()?;
        p.log
            .records()
            .iter()
            .take_while(|r| r.offset < p.high_watermark())
            .fold(None, |best: Option<RecordRef<'_>>, r| match best {
                Some(b) if b.timestamp >= r.timestamp => Some(b),
                _ => Some(r),
            })
            .map(|r| r.offset)
    }

    /// `ListOffsets` for earliest and latest: (log start offset, high watermark). Answered by
    /// the leader only, like `fetch`.
    pub fn offsets_of(&self, tp: &TopicPartition) -> Result<(i64, i64), KafkaError> {
        let p = self.served_partition(tp)?;
        Ok((p.log_start_offset(), p.high_watermark()))
    }

    // ---- committed offsets ------------------------------------------------------------------

    pub fn committed_offset(&self, group: &str, tp: &TopicPartition) -> Option<i64> {
        self.offsets.committed(group, tp).map(|o| o.offset)
    }

    /// Commits a group's offset: kept by the coordinator and written, as Kafka does, to the
    /// group's partition of `__consumer_offsets`.
    pub fn commit_offset(&mut self, group: &str, tp: TopicPartition, offset: i64) {
        let now = self.now_ms();
        // The broker answers UNKNOWN_TOPIC_OR_PARTITION for a partition that does not exist
        // (KafkaApis.handleOffsetCommitRequest) and stores nothing: a consumer still running
        // when its topic is deleted must not bring the deleted topic's offsets back. (Found by
        // the invariant tests.)
        let Some(epoch) = self
            .topics
            .get(&tp.topic)
            .and_then(|t| t.partition(tp.partition))
            .map(|p| p.leader_epoch)
        else {
            return;
        };
        let value = super::offsets::offset_commit_value(offset, epoch, now);
        self.append_offsets_record(group, &tp, Some(value));
        self.offsets.commit(group, tp, offset, now);
    }

    /// Appends an offset-commit record (or a tombstone) to the group's `__consumer_offsets`
    /// partition, straight to the coordinator's log.
    fn append_offsets_record(&mut self, group: &str, tp: &TopicPartition, value: Option<Vec<u8>>) {
        self.ensure_offsets_topic();
        let now = self.now_ms();
        let key = super::offsets::offset_commit_key(group, tp);
        let brokers = Brokers(&self.brokers);
        let controller = self.has_controller();
        if let Some(topic) = self.topics.get_mut(OFFSETS_TOPIC) {
            let index = super::group::coordinator_partition(group, topic.partitions.len() as i32);
            let cfg = ReplicationConfig {
                effective_min_isr: 1,
                unclean_leader_election: false,
                controller,
            };
            if let Some(p) = topic.partition_mut(index) {
                p.log.append(now, Some(&key), value.as_deref(), Vec::new());
                replication::step(p, &brokers, now, cfg);
            }
        }
    }

    pub fn offset_store(&self) -> &OffsetStore {
        &self.offsets
    }

    // ---- consumer groups --------------------------------------------------------------------

    /// A consumer joins `group_id` (creating `__consumer_offsets` on first use, as the
    /// coordinator lookup does). The rebalance completes as the clock moves on.
    pub fn join_group(&mut self, group_id: &str, request: JoinRequest) -> Result<(), KafkaError> {
        if group_id.is_empty() {
            return Err(KafkaError::bare(ErrorCode::InvalidGroupId));
        }
        self.ensure_offsets_topic();
        // `group.min.session.timeout.ms` and `group.max.session.timeout.ms`.
        if !(6_000..=1_800_000).contains(&request.session_timeout_ms) {
            return Err(KafkaError::bare(ErrorCode::InvalidSessionTimeout));
        }
        let now = self.now_ms();
        self.groups
            .join(group_id, request, now)
            .map_err(|JoinError::InconsistentGroupProtocol| {
                KafkaError::new(
                    ErrorCode::InconsistentGroupProtocol,
                    "The group member's supported protocols are incompatible with those of existing members or first group member tried to join with empty protocol type or empty protocol list.",
                )
            })?;
        self.tick();
        Ok(())
    }

    pub fn leave_group(&mut self, group_id: &str, member_id: &str) {
        let now = self.now_ms();
        self.groups.leave(group_id, member_id, now);
        self.tick();
    }

    /// All client processes ended without a goodbye (the browser page was reloaded).
    pub fn clients_gone(&mut self) {
        self.groups.stop_all_heartbeats();
    }

    /// The member's process died without leaving (`kill -9`, or a static member closing).
    pub fn stop_heartbeats(&mut self, group_id: &str, member_id: &str) {
        self.groups.stop_heartbeats(group_id, member_id);
    }

    pub fn heartbeat(&mut self, group_id: &str, member_id: &str) {
        let now = self.now_ms();
        self.groups.heartbeat(group_id, member_id, now);
    }

    /// `DeleteGroups`: only a group without members can go; its committed offsets go with it.
    pub fn delete_group(&mut self, group_id: &str) -> Result<(), KafkaError> {
        let live = self.groups.group(group_id);
        if live.is_some_and(|g| !g.members.is_empty()) {
            return Err(KafkaError::bare(ErrorCode::NonEmptyGroup));
        }
        if live.is_none() && !self.offsets.has_group(group_id) {
            return Err(KafkaError::bare(ErrorCode::GroupIdNotFound));
        }
        for tp in self.offsets.partitions(group_id) {
            self.append_offsets_record(group_id, &tp, None);
        }
        self.groups.delete(group_id);
        self.offsets.remove_group(group_id);
        Ok(())
    }

    /// `OffsetDelete`: forgets a group's committed offsets for these partitions (tombstones).
    pub fn delete_offsets(&mut self, group_id: &str, tps: &[TopicPartition]) {
        for tp in tps {
            self.append_offsets_record(group_id, tp, None);
        }
        self.offsets.remove_offsets(group_id, tps);
    }

    /// The broker coordinating a group: the leader of its `__consumer_offsets` partition.
    pub fn coordinator(&self, group_id: &str) -> Option<BrokerId> {
        let topic = self.topics.get(OFFSETS_TOPIC)?;
        let p = super::group::coordinator_partition(group_id, topic.partitions.len() as i32);
        topic.partition(p)?.leader
    }

    pub fn group(&self, group_id: &str) -> Option<&Group> {
        self.groups.group(group_id)
    }

    /// Every group id known to the coordinator: groups with members and groups with only
    /// committed offsets, sorted.
    pub fn group_ids(&self) -> Vec<String> {
        let mut ids = VecSet::from_iter(self.groups.groups().map(|g| g.group_id.clone()));
        ids.extend(self.offsets.group_ids().map(str::to_string));
        ids.into_iter().collect()
    }
}

// ---- the playground's memory limit -------------------------------------------------------------

/// The record data a new playground may hold: 256 MB of keys and values.
pub const DEFAULT_RECORD_DATA_LIMIT: u64 = 256 * 1024 * 1024;

fn default_record_data_limit() -> u64 {
    DEFAULT_RECORD_DATA_LIMIT
}

/// What a produce request reads of its topic's configs (see [`Cluster::produce_config`]).
#[derive(Debug, Clone, Copy)]
struct ProduceConfig {
    /// `min.insync.replicas` as configured (the effective one also depends on the replicas).
    min_isr: usize,
    unclean_leader_election: bool,
    /// `cleanup.policy` includes `compact`: records need keys.
    compact: bool,
    roll: super::log::RollPolicy,
    max_message_bytes: i64,
}

/// The last topic's [`ProduceConfig`], by name and id. Part of no state, like [`DataBound`].
#[derive(Debug, Clone, Default)]
struct ProduceConfigCache(Option<(String, TopicId, ProduceConfig)>);

impl PartialEq for ProduceConfigCache {
    fn eq(&self, _: &ProduceConfigCache) -> bool {
        true
    }
}

/// Where an appended record landed and which leader took it.
struct Appended {
    offset: i64,
    leader: BrokerId,
    leader_epoch: i32,
}

/// A copy of an ISR on the stack: a cluster has at most [`MAX_BROKERS`] brokers.
struct IsrCopy {
    ids: [BrokerId; MAX_BROKERS as usize],
    len: usize,
}

impl IsrCopy {
    fn of(isr: &[BrokerId]) -> IsrCopy {
        let mut ids = [0; MAX_BROKERS as usize];
        let len = isr.len().min(ids.len());
        ids[..len].copy_from_slice(&isr[..len]);
        IsrCopy { ids, len }
    }

    /// Whether `isr` is still the same (a longer one never is).
    fn is(&self, isr: &[BrokerId]) -> bool {
        isr.len() <= self.ids.len() && self.ids[..self.len] == *isr
    }
}

/// A cached upper bound of the record data the logs hold, and whether the playground already
/// said why produces are refused (once until one is accepted again). It is part of no state:
/// two clusters compare equal whatever their caches say, and a snapshot starts without one.
#[derive(Debug, Clone, Copy, Default)]
struct DataBound {
    bytes: Option<u64>,
    told: bool,
}

impl PartialEq for DataBound {
    fn eq(&self, _: &DataBound) -> bool {
        true
    }
}

impl Cluster {
    /// The key and value bytes of every record the partitions hold. Each log keeps its own
    /// count up to date as records come and go, so this adds one number per partition.
    pub fn record_data_bytes(&self) -> u64 {
        self.topics
            .values()
            .flat_map(|t| t.partitions.iter())
            .map(|p| p.log.data_bytes())
            .sum()
    }

    /// How much record data the playground holds before it refuses produces.
    pub fn record_data_limit(&self) -> u64 {
        self.record_data_limit
    }

    /// Sets the limit; the next refusal is explained again.
    pub fn set_record_data_limit(&mut self, bytes: u64) {
        self.record_data_limit = bytes;
        self.record_data_bound.told = false;
    }

    /// Checks that `record` fits under the memory limit before it is appended. Appends raise a
    /// cached upper bound of the data held; only when that bound would pass the limit are the
    /// partitions' counts added up again (records may have gone since: retention, compaction,
    /// deleted topics). A record that does not fit is refused as a broker whose log directory
    /// is full refuses it (`KAFKA_STORAGE_ERROR`), and the playground says why.
    fn admit_record_data(&mut self, record: &Record) -> Result<(), KafkaError> {
        let size = super::log::data_size(record);
        let limit = self.record_data_limit;
        let mut bound = match self.record_data_bound.bytes {
            Some(b) => b,
            None => self.record_data_bytes(),
        };
        if bound.saturating_add(size) > limit {
            bound = self.record_data_bytes();
        }
        if bound.saturating_add(size) > limit {
            let told = self.record_data_bound.told;
            self.record_data_bound = DataBound {
                bytes: Some(bound),
                told: true,
            };
            if !told {
                self.notices.push(format!(
                    "Produce refused: the cluster holds {} of record data (keys and values) and the playground's memory limit is {}, so the brokers answer KAFKA_STORAGE_ERROR, as brokers whose disks are full do. Free space (retention.ms or retention.bytes, kafka-delete-records.sh, deleting topics) or raise the limit, e.g. playground memory {}",
                    format_size(bound),
                    format_size(limit),
                    format_size(limit.saturating_mul(2).max(1024 * 1024)).replace(' ', "")
                ));
            }
            return Err(KafkaError::bare(ErrorCode::KafkaStorageError));
        }
        self.record_data_bound = DataBound {
            bytes: Some(bound + size),
            told: false,
        };
        Ok(())
    }
}

/// A size as the playground shows it: `512 bytes`, `64 KB`, `1.5 MB`, `2 GB` (powers of 1024).
pub fn format_size(bytes: u64) -> String {
    const UNITS: [(&str, u64); 3] = [("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)];
    for (unit, size) in UNITS {
        if bytes >= size {
            let value = bytes as f64 / size as f64;
            let text = format!("{value:.1}");
            let text = text.strip_suffix(".0").unwrap_or(&text);
            return format!("{text} {unit}");
        }
    }
    format!("{bytes} bytes")
}

/// A produced record as the log takes it: its offset is given when it is appended.
fn unplaced(record: ProducerRecord, timestamp: i64) -> Record {
    Record {
        offset: -1,
        timestamp,
        key: record.key,
        value: record.value,
        headers: record.headers,
    }
}

#[cfg(test)]
mod memory_tests {
    use super::*;

    fn produce(c: &mut Cluster, topic: &str, value: usize) -> Result<RecordMetadata, KafkaError> {
        let record = ProducerRecord {
            key: Some(b"k".to_vec()),
            value: Some(vec![b'v'; value]),
            ..Default::default()
        };
        c.produce(topic, record, &mut StickyPartitioner::new())
    }

    #[test]
    fn produces_are_refused_at_the_memory_limit_until_space_is_freed() {
        let mut c = Cluster::new(ClusterConfig::default());
        assert_eq!(c.record_data_limit(), 256 * 1024 * 1024);
        c.create_topic("t", NewTopic::default()).unwrap();
        c.set_record_data_limit(1_000);
        for _ in 0..9 {
            produce(&mut c, "t", 99).unwrap();
        }
        assert_eq!(c.record_data_bytes(), 900);
        // 900 + 1 + 100 would pass 1000 bytes: refused, and explained once.
        let err = produce(&mut c, "t", 100).unwrap_err();
        assert_eq!(err.code, ErrorCode::KafkaStorageError);
        assert_eq!(
            err.to_string(),
            "org.apache.kafka.common.errors.KafkaStorageException: Disk error when trying to access log file on the disk."
        );
        assert!(produce(&mut c, "t", 100).is_err());
        let notices = c.take_notices();
        assert_eq!(notices.len(), 1, "{notices:?}");
        assert!(
            notices[0].starts_with("Produce refused: the cluster holds 900 bytes of record data")
                && notices[0].ends_with("playground memory 1MB"),
            "{}",
            notices[0]
        );
        // A smaller record still fits; deleting records makes room for more.
        produce(&mut c, "t", 99).unwrap();
        c.delete_records(&TopicPartition::new("t", 0), 5).unwrap();
        assert_eq!(c.record_data_bytes(), 500);
        produce(&mut c, "t", 400).unwrap();
        // Deleting the topic frees everything; a raised limit takes effect at once.
        c.delete_topic("t").unwrap();
        assert_eq!(c.record_data_bytes(), 0);
        c.create_topic("u", NewTopic::default()).unwrap();
        c.set_record_data_limit(3_000);
        produce(&mut c, "u", 2_000).unwrap();
        assert!(c.take_notices().is_empty());
    }

    #[test]
    fn the_limit_is_saved_and_the_cache_is_not_state() {
        let mut c = Cluster::new(ClusterConfig::default());
        c.create_topic("t", NewTopic::default()).unwrap();
        c.set_record_data_limit(5_000);
        produce(&mut c, "t", 10).unwrap();
        let json = serde_json::to_string(&c).unwrap();
        let read: Cluster = serde_json::from_str(&json).unwrap();
        assert_eq!(read, c);
        assert_eq!(
            (read.record_data_limit(), read.record_data_bytes()),
            (5_000, 11)
        );
        // Snapshots from before the limit existed get the default.
        let mut value: serde_json::Value = serde_json::from_str(&json).unwrap();
        if let serde_json::Value::Object(fields) = &mut value {
            fields.remove("record_data_limit").unwrap();
        }
        let old: Cluster = serde_json::from_str(&value.to_string()).unwrap();
        assert_eq!(old.record_data_limit(), DEFAULT_RECORD_DATA_LIMIT);
    }

    #[test]
    fn sizes_read_as_the_playground_shows_them() {
        assert_eq!(format_size(900), "900 bytes");
        assert_eq!(format_size(64 * 1024), "64 KB");
        assert_eq!(format_size(1536 * 1024), "1.5 MB");
        assert_eq!(format_size(DEFAULT_RECORD_DATA_LIMIT), "256 MB");
        assert_eq!(format_size(3 << 30), "3 GB");
    }
}

/// What the playground tells about records an election cut off (no Kafka tool prints it).
fn truncation_notice(topic: &str, partition: i32, cut: super::partition::Truncation) -> String {
    let (leader, from, last, n) = (cut.leader, cut.from, cut.end - 1, cut.end - cut.from);
    if cut.clean {
        format!(
            "Leader election: broker {leader} became the leader of {topic}-{partition} without offsets {from} to {last}, which only the old leader had and were never committed; those {n} record(s) are gone."
        )
    } else {
        format!(
            "Unclean leader election: broker {leader} became the leader of {topic}-{partition} without offsets {from} to {last}; those {n} record(s) are lost."
        )
    }
}

/// Whether the partition's leader can answer clients: `LEADER_NOT_AVAILABLE` while it has
/// none, `NOT_LEADER_OR_FOLLOWER` while its leader is down or fenced.
fn leader_serves(p: &Partition, brokers: &Brokers) -> Result<(), KafkaError> {
    match p.leader {
        None => Err(KafkaError::bare(ErrorCode::LeaderNotAvailable)),
        Some(l) if brokers.get(&l).is_some_and(Broker::is_available) => Ok(()),
        Some(_) => Err(KafkaError::bare(ErrorCode::NotLeaderOrFollower)),
    }
}

/// The request's record is committed: below the high watermark and still the one appended
/// (or already removed by retention, which only ever deletes committed records).
fn committed(p: &Partition, sent: &InFlight) -> bool {
    let offset = sent.metadata.offset;
    if p.high_watermark() <= offset {
        return false;
    }
    offset < p.log_start_offset()
        || p.log
            .read(offset, 1)
            .first()
            .is_some_and(|r| r == sent.record)
}

/// Topic configs as `CreateTopics` validates them (canonical values).
fn validated_configs(configs: &[(String, String)]) -> Result<VecMap<String, String>, KafkaError> {
    let mut out = VecMap::new();
    for (k, v) in configs {
        let value = validate_topic_config(k, v)
            .map_err(|e| KafkaError::new(ErrorCode::InvalidConfig, e.to_string()))?;
        out.insert(k.clone(), value);
    }
    Ok(out)
}

/// The leader's refusal of an `acks=all` write below min ISR, with the message
/// `Partition.appendRecordsToLeader` gives it (the ISR printed as the Scala set it is).
/// With ELR enabled the controller refuses a broker-level `min.insync.replicas` and the removal
/// of the cluster-level one (`ConfigurationControlManager`): min ISR must be the same for the
/// controller and every broker.
fn elr_min_isr_check(broker: Option<BrokerId>, delete: &[String]) -> Result<(), KafkaError> {
    let message = match broker {
        Some(_) => "Broker-level min.insync.replicas cannot be altered while ELR is enabled.",
        None if delete.iter().any(|k| k == MIN_INSYNC_REPLICAS) => {
            "Cluster-level min.insync.replicas cannot be removed while ELR is enabled."
        }
        None => return Ok(()),
    };
    Err(KafkaError::new(ErrorCode::InvalidConfig, message))
}

fn not_enough_replicas(p: &Partition, min_isr: usize, tp: &TopicPartition) -> KafkaError {
    let isr: Vec<String> = p.isr.iter().map(|b| b.to_string()).collect();
    KafkaError::new(
        ErrorCode::NotEnoughReplicas,
        format!(
            "The size of the current ISR Set({}) is insufficient to satisfy the min.isr requirement of {min_isr} for partition {tp}",
            isr.join(", ")
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cluster() -> Cluster {
        Cluster::new(ClusterConfig::default())
    }

    fn keyed(key: &str, value: &str) -> ProducerRecord {
        ProducerRecord {
            key: Some(key.as_bytes().to_vec()),
            value: Some(value.as_bytes().to_vec()),
            ..Default::default()
        }
    }

    #[test]
    fn create_and_produce_by_key() {
        let mut c = cluster();
        let t = c
            .create_topic(
                "orders",
                NewTopic {
                    partitions: Some(3),
                    replication_factor: Some(3),
                    configs: vec![],
                },
            )
            .unwrap();
        assert_eq!((t.partitions.len(), t.replication_factor()), (3, 3));
        let mut sp = StickyPartitioner::new();
        let m = c.produce("orders", keyed("carol", "1"), &mut sp).unwrap();
        assert_eq!((m.partition, m.offset), (2, 0));
        let m = c.produce("orders", keyed("carol", "2"), &mut sp).unwrap();
        assert_eq!((m.partition, m.offset), (2, 1));
        let tp = TopicPartition::new("orders", 2);
        assert_eq!(c.offsets_of(&tp), Ok((0, 2)));
        assert_eq!(c.fetch(&tp, 1, 10).unwrap().len(), 1);
    }

    #[test]
    fn an_offline_partition_serves_nothing() {
        let mut c = cluster();
        c.create_topic_with_assignment("solo", vec![vec![1]], NewTopic::default())
            .unwrap();
        c.produce("solo", keyed("k", "v"), &mut StickyPartitioner::new())
            .unwrap();
        let tp = TopicPartition::new("solo", 0);
        c.stop_broker(1).unwrap();
        let code = |r: Result<Records<'_>, KafkaError>| r.map(|r| r.len()).map_err(|e| e.code);
        assert_eq!(
            code(c.fetch(&tp, 0, 10)),
            Err(ErrorCode::LeaderNotAvailable)
        );
        assert_eq!(
            c.offsets_of(&tp).map_err(|e| e.code),
            Err(ErrorCode::LeaderNotAvailable)
        );
        assert_eq!(c.offset_for_timestamp(&tp, 0), None);
        c.start_broker(1).unwrap();
        assert_eq!(code(c.fetch(&tp, 0, 10)), Ok(1));
        assert_eq!(c.offsets_of(&tp), Ok((0, 1)));
    }

    #[test]
    fn the_controller_restores_preferred_leaders_every_five_minutes() {
        let mut c = cluster();
        let rf3 = NewTopic {
            replication_factor: Some(3),
            ..Default::default()
        };
        c.create_topic("t", rf3).unwrap();
        let leader = |c: &Cluster| c.topic("t").unwrap().partitions[0].leader;
        let preferred = leader(&c).unwrap();
        c.stop_broker(preferred).unwrap();
        c.start_broker(preferred).unwrap();
        assert_ne!(leader(&c), Some(preferred));
        c.advance(LEADER_IMBALANCE_CHECK_INTERVAL_MS - 1);
        assert_ne!(leader(&c), Some(preferred), "not before the check");
        c.advance(1);
        assert_eq!(leader(&c), Some(preferred));
    }

    #[test]
    fn the_quorum_elects_a_new_leader_and_keeps_it() {
        let mut c = cluster();
        assert_eq!(c.active_controller(), Some(1));
        let hw = c.metadata_quorum().high_watermark();
        c.create_topic("t", three_partitions()).unwrap();
        assert_eq!(
            c.metadata_quorum().high_watermark(),
            hw + 4,
            "a topic record and one per partition"
        );
        c.stop_broker(1).unwrap();
        assert_eq!(c.active_controller(), Some(2));
        assert_eq!(c.metadata_quorum().epoch(), 2);
        c.start_broker(1).unwrap();
        assert_eq!(
            c.active_controller(),
            Some(2),
            "Raft keeps the current leader"
        );
        assert_eq!(c.metadata_quorum().epoch(), 2);
    }

    #[test]
    fn without_a_majority_nothing_changes_the_metadata() {
        let mut c = cluster();
        c.create_topic("t", three_partitions()).unwrap();
        c.kill_broker(2).unwrap();
        c.kill_broker(3).unwrap();
        assert_eq!(c.active_controller(), None);
        let code = |r: Result<(), KafkaError>| r.map_err(|e| e.code);
        let no_controller = Err(ErrorCode::NotController);
        assert_eq!(
            code(c.create_topic("u", NewTopic::default()).map(|_| ())),
            no_controller
        );
        assert_eq!(code(c.delete_topic("t")), no_controller);
        assert_eq!(code(c.create_partitions("t", 4)), no_controller);
        let set = vec![("retention.ms".to_string(), "1".to_string())];
        assert_eq!(code(c.alter_topic_configs("t", &set, &[])), no_controller);
        let tp = TopicPartition::new("t", 0);
        assert_eq!(code(c.elect_leader(&tp, false).map(|_| ())), no_controller);
        let hw = c.metadata_quorum().high_watermark();
        c.advance(60_000);
        assert!(
            c.brokers().iter().all(|b| !b.fenced),
            "no controller fences the crashed brokers"
        );
        assert_eq!(c.metadata_quorum().high_watermark(), hw);
        c.start_broker(2).unwrap();
        assert!(c.active_controller().is_some());
        c.advance(BROKER_SESSION_TIMEOUT_MS);
        assert!(
            c.broker(3).unwrap().fenced,
            "fenced a session after the failover"
        );
    }

    fn three_partitions() -> NewTopic {
        NewTopic {
            partitions: Some(3),
            replication_factor: Some(3),
            ..Default::default()
        }
    }

    #[test]
    fn controller_errors() {
        let mut c = cluster();
        c.create_topic("foo_bar", NewTopic::default()).unwrap();
        let msg = |r: Result<&Topic, KafkaError>| r.unwrap_err().message().to_string();
        assert_eq!(
            msg(c.create_topic("foo.bar", NewTopic::default())),
            "Topic 'foo.bar' collides with existing topic: foo_bar"
        );
        assert_eq!(
            msg(c.create_topic("foo_bar", NewTopic::default())),
            "Topic 'foo_bar' already exists."
        );
        let rf4 = NewTopic {
            replication_factor: Some(4),
            ..Default::default()
        };
        assert_eq!(
            msg(c.create_topic("x", rf4)),
            "Unable to replicate the partition 4 time(s): The target replication factor of 4 cannot be reached because only 3 broker(s) are registered."
        );
    }

    #[test]
    fn read_only_broker_configs_are_refused() {
        let mut c = cluster();
        let set = |k: &str, v: &str| vec![(k.to_string(), v.to_string())];
        for name in [
            "auto.create.topics.enable",
            "log.retention.check.interval.ms",
        ] {
            let err = c
                .alter_broker_configs(None, &set(name, "1"), &[])
                .unwrap_err();
            assert_eq!(err.code, ErrorCode::InvalidRequest);
            assert_eq!(
                err.message(),
                format!("Cannot update these configs dynamically: Set({name})")
            );
        }
        assert_eq!(
            c.broker_dynamic_configs(None).keys().collect::<Vec<_>>(),
            [MIN_INSYNC_REPLICAS],
            "nothing was stored beside the cluster-level min ISR that ELR writes"
        );
        c.alter_broker_configs(Some(1), &set("log.cleaner.threads", "2"), &[])
            .unwrap();
    }

    #[test]
    fn new_partitions_are_led_by_unfenced_brokers() {
        let mut c = cluster();
        c.stop_broker(3).unwrap();
        let rf3 = NewTopic {
            partitions: Some(6),
            replication_factor: Some(3),
            ..Default::default()
        };
        let t = c.create_topic("t", rf3).unwrap().clone();
        for p in &t.partitions {
            assert_eq!(
                p.replicas.len(),
                3,
                "the stopped broker still gets a replica"
            );
            assert_ne!(p.replicas[0], 3, "but never leads: {:?}", p.replicas);
            assert_eq!(p.leader, Some(p.replicas[0]));
            assert_eq!(p.leader_epoch, 0);
            assert!(!p.isr.contains(&3));
        }
        c.create_partitions("t", 8).unwrap();
        let added = &c.topic("t").unwrap().partitions[6..];
        assert!(
            added
                .iter()
                .all(|p| p.leader != Some(3) && !p.isr.contains(&3))
        );
        let err = c
            .create_topic_with_assignment("m", vec![vec![3]], NewTopic::default())
            .unwrap_err();
        assert_eq!(
            err.message(),
            "All brokers specified in the manual partition assignment for partition 0 are fenced or in controlled shutdown."
        );
        c.create_topic_with_assignment("m", vec![vec![3, 1]], NewTopic::default())
            .unwrap();
        assert_eq!(c.topic("m").unwrap().partitions[0].leader, Some(1));
    }

    #[test]
    fn partitions_only_grow() {
        let mut c = cluster();
        let three = NewTopic {
            partitions: Some(3),
            ..Default::default()
        };
        c.create_topic("orders", three).unwrap();
        let err = c.create_partitions("orders", 1).unwrap_err();
        assert_eq!(
            err.message(),
            "The topic orders currently has 3 partition(s); 1 would not be an increase."
        );
        assert_eq!(
            c.create_partitions("orders", 3).unwrap_err().message(),
            "Topic already has 3 partition(s)."
        );
        c.create_partitions("orders", 5).unwrap();
        assert_eq!(c.topic("orders").unwrap().partitions.len(), 5);
    }

    #[test]
    fn compacted_topics_refuse_null_keys() {
        let mut c = cluster();
        let compact = NewTopic {
            configs: vec![("cleanup.policy".into(), "compact".into())],
            ..Default::default()
        };
        c.create_topic("users", compact).unwrap();
        let rec = ProducerRecord {
            value: Some(b"v".to_vec()),
            ..Default::default()
        };
        let err = c
            .produce("users", rec, &mut StickyPartitioner::new())
            .unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidRecord);
    }

    #[test]
    fn same_seed_same_cluster() {
        let build = || {
            let mut c = cluster();
            c.create_topic(
                "a",
                NewTopic {
                    partitions: Some(4),
                    replication_factor: Some(2),
                    ..Default::default()
                },
            )
            .unwrap();
            c
        };
        assert_eq!(build(), build());
    }
}
