//! The broker engine: a pure, deterministic model of a Kafka cluster.
//!
//! Invariant: no web dependencies, no wall clock, no global randomness. Every change enters
//! through a method on [`Cluster`]; time comes from its [`Clock`], randomness from its seeded
//! [`Rng`]. The same seed and the same calls give the same state, byte for byte.

pub mod acls;
pub mod assignor;
pub mod broker;
pub mod clock;
pub mod cluster;
pub mod config;
pub mod consumer_group;
pub mod error;
pub mod events;
pub mod features;
pub mod group;
pub mod log;
mod log_json;
pub mod murmur2;
pub mod offsets;
pub mod partition;
pub mod partition_change;
pub mod partitioner;
pub mod placement;
pub mod producer_batch;
pub mod producer_state;
pub mod quorum;
pub mod quotas;
pub mod record;
pub mod record_batch;
pub mod replication;
pub mod rng;
pub mod server_assignor;
pub mod share_group;
pub mod share_partition;
pub mod topic;
pub mod transaction_coordinator;

pub use clock::Clock;
pub use cluster::{
    Acks, Cluster, ClusterConfig, InFlight, NewTopic, ProducerRecord, RecordMetadata,
};
pub use error::KafkaError;
pub use partition::Partition;
pub use partitioner::StickyPartitioner;
pub use record::{Header, Record};
pub use record_batch::{RecordRef, Records};
pub use rng::Rng;
pub use topic::{Topic, TopicId, TopicPartition};

/// A broker's node id, as in `node.id` (1..N in the playground).
pub type BrokerId = i32;
