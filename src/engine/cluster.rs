//! The cluster: brokers, topics and their partitions, committed offsets, the clock and the
//! seeded generator. Every state change enters through a method on [`Cluster`]; the methods
//! live in one file per concept under `cluster/`, this file holds the state and what they share.

mod brokers;
mod configs;
mod controller;
mod events;
mod features;
mod groups;
mod memory;
mod produce_batch;
mod produce_fetch;
mod replication_control;
mod shares;
mod time;
mod topics;
mod transactions;

pub use groups::PartitionLag;
pub use memory::format_size;
pub use shares::{SHARE_MAX_POLL_RECORDS, ShareError, share_version};
pub use transactions::Fetched;

use crate::vec_map::VecMap;

use super::BrokerId;
use super::clock::{Clock, DEFAULT_START_MS};
use super::error::ErrorCode;
use super::events::{EventLog, PartitionWatch};
use super::group::GroupCoordinator;
use super::offsets::OffsetStore;
use super::partition::Partition;
use super::quorum::Quorum;
use super::record::{Header, Record};
use super::rng::Rng;
use super::share_group::ShareCoordinator;
use super::topic::{Topic, TopicId, TopicPartition};
use super::transaction_coordinator::TransactionCoordinator;

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
use super::broker::Brokers;
use super::replication::ReplicationConfig;

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
    /// The request's (last) record, at its offset: acknowledged once it is committed.
    record: Record,
}

impl InFlight {
    /// The offset of the request's last record.
    pub fn last_offset(&self) -> i64 {
        self.record.offset
    }
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
    /// The cluster id the nodes' log directories were formatted with (`kafka-storage.sh
    /// format -t`), once a node started from them; before, the seed's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    formatted_cluster_id: Option<String>,
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
    /// What happened to the cluster, for the live view's feed (read-only outside the engine).
    #[serde(default, skip_serializing_if = "EventLog::is_empty")]
    events: EventLog,
    #[serde(skip)]
    watch: PartitionWatch,
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
    /// The finalized feature levels (`kafka-features.sh`); 4.3's defaults when absent.
    #[serde(
        default,
        skip_serializing_if = "super::features::FinalizedFeatures::is_default"
    )]
    features: super::features::FinalizedFeatures,
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
    /// The next producer id `InitProducerId` hands out (the controller's `ProducerIdControlManager`
    /// starts a new cluster at 0).
    #[serde(default, skip_serializing_if = "is_zero")]
    next_producer_id: i64,
    /// Share groups and their share-partitions (KIP-932).
    #[serde(default, skip_serializing_if = "ShareCoordinator::is_empty")]
    shares: ShareCoordinator,
    /// The transaction coordinators' state: every transactional id (see
    /// [`super::transaction_coordinator`]).
    #[serde(default, skip_serializing_if = "TransactionCoordinator::is_empty")]
    transactions: TransactionCoordinator,
    /// The authorizer and its ACLs (`kafka-acls.sh`).
    #[serde(default, skip_serializing_if = "super::acls::Acls::is_default")]
    acls: super::acls::Acls,
    /// Client quotas (users, client ids, IPs) the controller keeps.
    #[serde(default, skip_serializing_if = "super::quotas::ClientQuotas::is_empty")]
    client_quotas: super::quotas::ClientQuotas,
}

/// `log.retention.check.interval.ms` and `log.cleaner.backoff.ms`.
pub const RETENTION_CHECK_INTERVAL_MS: i64 = 300_000;
pub const CLEANER_BACKOFF_MS: i64 = 15_000;
/// `leader.imbalance.check.interval.seconds` (with `auto.leader.rebalance.enable=true`).
pub const LEADER_IMBALANCE_CHECK_INTERVAL_MS: i64 = 300_000;

impl Cluster {
    /// The authorizer and its ACLs.
    pub fn acls(&self) -> &super::acls::Acls {
        &self.acls
    }

    pub fn acls_mut(&mut self) -> &mut super::acls::Acls {
        &mut self.acls
    }

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
            formatted_cluster_id: None,
            clock: Clock::starting_at(config.start_ms),
            rng: Rng::seeded(config.seed),
            brokers,
            topics: VecMap::new(),
            offsets: OffsetStore::default(),
            groups: GroupCoordinator::default(),
            notices: Vec::new(),
            events: EventLog::default(),
            watch: PartitionWatch::default(),
            broker_configs: VecMap::new(),
            broker_defaults,
            next_retention_check_ms: config.start_ms + RETENTION_CHECK_INTERVAL_MS,
            next_cleaner_run_ms: config.start_ms + CLEANER_BACKOFF_MS,
            next_leader_balance_ms: None,
            quorum: Quorum::new(&ids, config.start_ms),
            record_data_limit: DEFAULT_RECORD_DATA_LIMIT,
            record_data_bound: DataBound::default(),
            produce_config: ProduceConfigCache::default(),
            next_producer_id: 0,
            shares: ShareCoordinator::default(),
            features: Default::default(),
            transactions: TransactionCoordinator::default(),
            acls: Default::default(),
            client_quotas: Default::default(),
        };
        // The brokers register with the first active controller.
        cluster.sync_metadata();
        cluster
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

    pub fn rng(&mut self) -> &mut Rng {
        &mut self.rng
    }
}

// ---- the playground's memory limit -------------------------------------------------------------

/// The record data a new playground may hold: 256 MB of keys and values.
pub const DEFAULT_RECORD_DATA_LIMIT: u64 = 256 * 1024 * 1024;

fn is_zero(n: &i64) -> bool {
    *n == 0
}

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

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn cluster() -> Cluster {
        Cluster::new(ClusterConfig::default())
    }

    pub(super) fn keyed(key: &str, value: &str) -> ProducerRecord {
        ProducerRecord {
            key: Some(key.as_bytes().to_vec()),
            value: Some(value.as_bytes().to_vec()),
            ..Default::default()
        }
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
