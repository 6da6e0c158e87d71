//! `Sender`: a batch from the accumulator goes to its partition's leader, and is retried as
//! the Java producer retries it, on the cluster's clock: each request waits for its answer up
//! to `request.timeout.ms`, retries follow `retry.backoff.ms`, and the batch expires
//! `delivery.timeout.ms` after it was created. A retried batch keeps its sequence numbers, so
//! a leader that already appended it answers without appending it again.

use super::config::ProducerConfig;
use crate::clients::LogLine;
use crate::clients::backoff::retry_until;
use crate::engine::error::ErrorCode;
use crate::engine::producer_batch::ProducerBatch;
use crate::engine::{BrokerId, Cluster, InFlight, KafkaError, RecordMetadata, TopicPartition};

pub const SENDER_LOGGER: &str = "org.apache.kafka.clients.producer.internals.Sender";

/// A failed produce attempt the producer retries.
struct Retriable {
    code: ErrorCode,
    /// The response's error message, printed after the error name.
    message: Option<String>,
    /// The exception the batch fails with when no retry is left.
    exception: String,
    /// Whether the retry waits `retry.backoff.ms`.
    backs_off: bool,
}

/// What the sender needs of its producer for one batch.
pub struct Attempt<'a> {
    pub config: &'a ProducerConfig,
    pub correlation_id: &'a mut i64,
    pub logs: &'a mut Vec<LogLine>,
}

impl Attempt<'_> {
    /// Sends `batch` (its records, producer id, epoch and base sequence in `sent`) until it is
    /// acknowledged or fails for good; `Err` is the exception its records fail with.
    pub fn send(
        &mut self,
        cluster: &mut Cluster,
        tp: &TopicPartition,
        created_ms: i64,
        batch: &ProducerBatch,
    ) -> Result<RecordMetadata, String> {
        let config = self.config;
        let n = batch.records.len();
        let mut attempts_left = config.retries;
        let expires_at = created_ms.saturating_add(config.delivery_timeout_ms);
        let mut in_flight: Option<InFlight> = None;
        loop {
            // Without a leader to send to, the batch waits in the accumulator.
            if !await_leader(cluster, tp, expires_at) {
                return Err(self.expired(tp, n));
            }
            *self.correlation_id += 1;
            let request = match &in_flight {
                Some(f) => cluster.resend_batch(f, batch),
                None => cluster.send_batch(tp, batch, config.acks),
            };
            let (err, leader) = match request {
                Ok(f) => {
                    let wait = config.request_timeout_ms.min(expires_at - cluster.now_ms());
                    match cluster.await_acks(&f, wait) {
                        Ok(m) => return Ok(m),
                        Err(e) => {
                            let leader = f.leader;
                            in_flight = Some(f);
                            (e, leader)
                        }
                    }
                }
                Err(e) => (e, -1),
            };
            let Some(response) = failed_response(&err, leader) else {
                return Err(err.to_string());
            };
            if cluster.now_ms() >= expires_at {
                return Err(self.expired(tp, n));
            }
            if attempts_left == 0 {
                return Err(response.exception);
            }
            self.warn_retry(cluster, tp, attempts_left, &response);
            attempts_left -= 1;
            if response.backs_off {
                cluster.advance(config.retry_backoff_ms);
            }
        }
    }

    fn expired(&self, tp: &TopicPartition, records: usize) -> String {
        format!(
            "org.apache.kafka.common.errors.TimeoutException: Expiring {records} record(s) for {tp}:{} ms has passed since batch creation",
            self.config.delivery_timeout_ms
        )
    }

    /// The Sender's warnings for a failed attempt that will be retried.
    fn warn_retry(
        &mut self,
        cluster: &Cluster,
        tp: &TopicPartition,
        attempts_left: i64,
        response: &Retriable,
    ) {
        let client = &self.config.client_id;
        let suffix = response
            .message
            .as_ref()
            .map_or(String::new(), |m| format!(". Error Message: {m}"));
        let mut warn = |message: String| {
            self.logs.push(LogLine {
                time_ms: cluster.now_ms(),
                level: "WARN",
                message,
                logger: SENDER_LOGGER,
            })
        };
        warn(format!(
            "[Producer clientId={client}] Got error produce response with correlation id {} on topic-partition {tp}, retrying ({} attempts left). Error: {}{suffix}",
            self.correlation_id,
            attempts_left - 1,
            response.code.name()
        ));
        if response.code == ErrorCode::NotLeaderOrFollower {
            warn(format!(
                "[Producer clientId={client}] Received invalid metadata error in produce request on partition {tp} due to {} Going to request metadata update now",
                response.exception
            ));
        }
    }
}

/// Waits for the partition to have a leader that can take the request, as the producer
/// refreshes its metadata; false once the batch has expired.
fn await_leader(cluster: &mut Cluster, tp: &TopicPartition, expires_at: i64) -> bool {
    let remaining = expires_at - cluster.now_ms() - 1;
    if remaining < 0 {
        return cluster.offsets_of(tp).is_ok();
    }
    retry_until(cluster, remaining, |c| c.offsets_of(tp).is_ok())
}

/// The answer a failed attempt gets, for the errors the producer retries.
fn failed_response(err: &KafkaError, leader: BrokerId) -> Option<Retriable> {
    let (message, backs_off) = match err.code {
        // The client gives up on the request and drops the connection.
        ErrorCode::RequestTimedOut => (
            Some(format!("Disconnected from node {leader} due to timeout")),
            true,
        ),
        ErrorCode::NetworkException => (Some(format!("Disconnected from node {leader}")), true),
        ErrorCode::NotLeaderOrFollower => (None, true),
        // The broker says why (ProduceResponse's error message, KIP-467); the retries come
        // one after another.
        ErrorCode::NotEnoughReplicas | ErrorCode::NotEnoughReplicasAfterAppend => {
            (err.message.clone(), false)
        }
        _ => return None,
    };
    let exception = match &message {
        Some(m) => format!("{}: {m}", err.code.exception_class()),
        None => err.to_string(),
    };
    Some(Retriable {
        code: err.code,
        message,
        exception,
        backs_off,
    })
}
