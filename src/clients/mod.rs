//! Kafka's Java clients, modelled on the simulated clock: the producer (partitioner, record
//! accumulator, sender, idempotence) and the consumer (group membership, positions, fetch,
//! auto-commit, deserializers). Tools configure a client from their options and print what it
//! reports; they never send, poll or commit on their own.
//!
//! Invariant: depends on the engine only; no wall clock, no randomness but the cluster's;
//! what a client logs is returned as [`LogLine`]s for the tool to print.

pub mod backoff;
pub mod config;
pub mod connect;
pub mod consumer;
pub mod producer;
pub mod streams;

/// A line a client logs (slf4j in Kafka), printed by the tool as its log4j layout does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    pub time_ms: i64,
    pub level: &'static str,
    pub message: String,
    pub logger: &'static str,
}
