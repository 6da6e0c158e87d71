//! `ProducerConfig`: the producer's settings from its properties, with Kafka's defaults and its
//! `ConfigException`s, including the idempotence checks of
//! `postProcessAndValidateIdempotenceConfigs` (idempotence is on by default and quietly turned
//! off by a conflicting setting, unless it was asked for explicitly).

use crate::clients::config::{CONFIG_EXCEPTION, Properties, invalid};
use crate::engine::Acks;
use crate::engine::producer_batch::Compression;

/// `MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION_FOR_IDEMPOTENCE`.
const MAX_IN_FLIGHT_FOR_IDEMPOTENCE: i64 = 5;
/// The producer's timeouts are Java `int`s (max.block.ms a `long`, kept to the same bound).
const MAX_TIMEOUT_MS: i64 = i32::MAX as i64;
/// Retries the simulation makes at most: some errors are retried without backoff, and each
/// attempt is a step of the simulated clock.
const MAX_RETRIES: i64 = 10;

#[derive(Debug, Clone, PartialEq)]
pub struct ProducerConfig {
    pub client_id: String,
    pub acks: Acks,
    pub enable_idempotence: bool,
    pub retries: i64,
    pub compression: Compression,
    pub batch_size: usize,
    pub linger_ms: i64,
    pub request_timeout_ms: i64,
    pub delivery_timeout_ms: i64,
    pub max_block_ms: i64,
    pub max_request_size: i64,
    pub buffer_memory: i64,
    pub retry_backoff_ms: i64,
    pub max_in_flight: i64,
    /// `transactional.id`: the producer is transactional (`initTransactions` and the rest).
    pub transactional_id: Option<String>,
    /// `transaction.timeout.ms`: how long the coordinator lets a transaction stay open.
    pub transaction_timeout_ms: i64,
}

impl ProducerConfig {
    /// Reads the properties; `Err` is the exception's text as the tool prints it.
    pub fn new(props: &Properties) -> Result<ProducerConfig, String> {
        let retries = props.number("retries", i64::from(i32::MAX), true)?;
        let acks = match props.get("acks").unwrap_or("all") {
            "all" | "-1" => Acks::All,
            "1" => Acks::Leader,
            "0" => Acks::None,
            other => {
                return Err(invalid(
                    "acks",
                    other,
                    "String must be one of: all, -1, 0, 1",
                ));
            }
        };
        let compression = match props.get("compression.type") {
            None => Compression::None,
            Some(name) => Compression::parse(name).ok_or_else(|| {
                invalid(
                    "compression.type",
                    name,
                    "String must be one of: none, gzip, snappy, lz4, zstd",
                )
            })?,
        };
        let batch_size = props.number("batch.size", 16_384, true)?.max(0) as usize;
        // linger.ms: 5 since Kafka 4.0 (KIP-1030).
        let linger_ms = props.number("linger.ms", 5, false)?.max(0);
        let request_timeout_ms = props
            .number("request.timeout.ms", 30_000, true)?
            .clamp(1, MAX_TIMEOUT_MS);
        let max_in_flight = props.number("max.in.flight.requests.per.connection", 5, true)?;
        let user_idempotence = props.contains("enable.idempotence");
        let mut enable_idempotence = props.boolean("enable.idempotence", true)?;
        if enable_idempotence {
            let mut conflict = None;
            if retries == 0 {
                conflict = Some("Must set retries to non-zero when using the idempotent producer.");
            } else if acks != Acks::All {
                conflict = Some(
                    "Must set acks to all in order to use the idempotent producer. Otherwise we cannot guarantee idempotence.",
                );
            } else if max_in_flight > MAX_IN_FLIGHT_FOR_IDEMPOTENCE {
                conflict = Some(
                    "Must set max.in.flight.requests.per.connection to at most 5 to use the idempotent producer.",
                );
            }
            match conflict {
                Some(message) if user_idempotence => {
                    return Err(format!("{CONFIG_EXCEPTION}: {message}"));
                }
                Some(_) => enable_idempotence = false,
                None => {}
            }
        }
        if !enable_idempotence && props.contains("transactional.id") {
            return Err(format!(
                "{CONFIG_EXCEPTION}: Cannot set a transactional.id without also enabling idempotence."
            ));
        }
        Ok(ProducerConfig {
            client_id: props.get("client.id").unwrap_or("producer-1").to_string(),
            acks,
            enable_idempotence,
            retries: retries.clamp(0, MAX_RETRIES),
            compression,
            batch_size,
            linger_ms,
            request_timeout_ms,
            // The producer raises delivery.timeout.ms to cover one request when it is too short.
            delivery_timeout_ms: props
                .number("delivery.timeout.ms", 120_000, true)?
                .clamp(request_timeout_ms, MAX_TIMEOUT_MS),
            max_block_ms: props
                .number("max.block.ms", 60_000, false)?
                .clamp(0, MAX_TIMEOUT_MS),
            max_request_size: props.number("max.request.size", 1_048_576, true)?,
            buffer_memory: props.number("buffer.memory", 33_554_432, false)?,
            retry_backoff_ms: props.number("retry.backoff.ms", 100, false)?.max(0),
            max_in_flight,
            transactional_id: props.get("transactional.id").map(str::to_string),
            transaction_timeout_ms: props.number("transaction.timeout.ms", 60_000, false)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(pairs: &[(&str, &str)]) -> Result<ProducerConfig, String> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        ProducerConfig::new(&Properties::new(&pairs))
    }

    // Kafka: clients/src/main/java/org/apache/kafka/clients/producer/ProducerConfig.java
    // (postProcessAndValidateIdempotenceConfigs, the acks and compression.type validators)
    #[test]
    fn idempotence_conflicts_are_refused_only_when_asked_for() {
        let c = config(&[]).unwrap();
        assert!(c.enable_idempotence);
        assert_eq!((c.acks, c.linger_ms, c.batch_size), (Acks::All, 5, 16_384));
        assert!(!config(&[("acks", "1")]).unwrap().enable_idempotence);
        assert_eq!(
            config(&[("acks", "1"), ("enable.idempotence", "true")]),
            Err("org.apache.kafka.common.config.ConfigException: Must set acks to all in order to use the idempotent producer. Otherwise we cannot guarantee idempotence.".into())
        );
        assert_eq!(
            config(&[("retries", "0"), ("enable.idempotence", "true")]),
            Err("org.apache.kafka.common.config.ConfigException: Must set retries to non-zero when using the idempotent producer.".into())
        );
        assert_eq!(
            config(&[("max.in.flight.requests.per.connection", "6"), ("enable.idempotence", "true")]),
            Err("org.apache.kafka.common.config.ConfigException: Must set max.in.flight.requests.per.connection to at most 5 to use the idempotent producer.".into())
        );
        assert_eq!(
            config(&[("enable.idempotence", "false"), ("transactional.id", "t")]),
            Err("org.apache.kafka.common.config.ConfigException: Cannot set a transactional.id without also enabling idempotence.".into())
        );
        assert_eq!(
            config(&[("compression.type", "brotli")]),
            Err("org.apache.kafka.common.config.ConfigException: Invalid value brotli for configuration compression.type: String must be one of: none, gzip, snappy, lz4, zstd".into())
        );
        assert_eq!(
            config(&[("compression.type", "zstd")]).unwrap().compression,
            Compression::Zstd
        );
    }
}
