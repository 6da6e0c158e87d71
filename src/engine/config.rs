//! Topic configs as Kafka defines them (`LogConfig`'s `ConfigDef`): names, types, defaults,
//! validators, and the exact `ConfigException` texts for bad values.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigType {
    Boolean,
    Int,
    Long,
    Double,
    String,
    List,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Validator {
    None,
    AtLeast(i64),
    Between(f64, f64),
    OneOf(&'static [&'static str]),
    ListOf(&'static [&'static str]),
    /// `compression.gzip.level`: -1 or 1..=9.
    GzipLevel,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ConfigKey {
    pub name: &'static str,
    pub ty: ConfigType,
    /// The built-in default as Kafka prints it.
    pub default: &'static str,
    pub validator: Validator,
}

const MAX: &str = "9223372036854775807";
const COMPRESSION: &[&str] = &["uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"];

/// Every topic-level config, sorted by name.
pub const TOPIC_CONFIGS: &[ConfigKey] = &[
    key(
        "cleanup.policy",
        ConfigType::List,
        "delete",
        Validator::ListOf(&["compact", "delete"]),
    ),
    key(
        "compression.gzip.level",
        ConfigType::Int,
        "-1",
        Validator::GzipLevel,
    ),
    key(
        "compression.lz4.level",
        ConfigType::Int,
        "9",
        Validator::Between(1.0, 17.0),
    ),
    key(
        "compression.type",
        ConfigType::String,
        "producer",
        Validator::OneOf(COMPRESSION),
    ),
    key(
        "compression.zstd.level",
        ConfigType::Int,
        "3",
        Validator::Between(-131072.0, 22.0),
    ),
    key(
        "delete.retention.ms",
        ConfigType::Long,
        "86400000",
        Validator::AtLeast(0),
    ),
    key(
        "file.delete.delay.ms",
        ConfigType::Long,
        "60000",
        Validator::AtLeast(0),
    ),
    key(
        "flush.messages",
        ConfigType::Long,
        MAX,
        Validator::AtLeast(1),
    ),
    key("flush.ms", ConfigType::Long, MAX, Validator::AtLeast(0)),
    key(
        "follower.replication.throttled.replicas",
        ConfigType::List,
        "",
        Validator::None,
    ),
    key(
        "index.interval.bytes",
        ConfigType::Int,
        "4096",
        Validator::AtLeast(0),
    ),
    key(
        "leader.replication.throttled.replicas",
        ConfigType::List,
        "",
        Validator::None,
    ),
    key(
        "local.retention.bytes",
        ConfigType::Long,
        "-2",
        Validator::AtLeast(-2),
    ),
    key(
        "local.retention.ms",
        ConfigType::Long,
        "-2",
        Validator::AtLeast(-2),
    ),
    key(
        "max.compaction.lag.ms",
        ConfigType::Long,
        MAX,
        Validator::AtLeast(1),
    ),
    key(
        "max.message.bytes",
        ConfigType::Int,
        "1048588",
        Validator::AtLeast(0),
    ),
    key(
        "message.downconversion.enable",
        ConfigType::Boolean,
        "true",
        Validator::None,
    ),
    key(
        "message.timestamp.after.max.ms",
        ConfigType::Long,
        MAX,
        Validator::AtLeast(0),
    ),
    key(
        "message.timestamp.before.max.ms",
        ConfigType::Long,
        MAX,
        Validator::AtLeast(0),
    ),
    key(
        "message.timestamp.type",
        ConfigType::String,
        "CreateTime",
        Validator::OneOf(&["CreateTime", "LogAppendTime"]),
    ),
    key(
        "min.cleanable.dirty.ratio",
        ConfigType::Double,
        "0.5",
        Validator::Between(0.0, 1.0),
    ),
    key(
        "min.compaction.lag.ms",
        ConfigType::Long,
        "0",
        Validator::AtLeast(0),
    ),
    key(
        "min.insync.replicas",
        ConfigType::Int,
        "1",
        Validator::AtLeast(1),
    ),
    key("preallocate", ConfigType::Boolean, "false", Validator::None),
    key(
        "remote.log.copy.disable",
        ConfigType::Boolean,
        "false",
        Validator::None,
    ),
    key(
        "remote.log.delete.on.disable",
        ConfigType::Boolean,
        "false",
        Validator::None,
    ),
    key(
        "remote.storage.enable",
        ConfigType::Boolean,
        "false",
        Validator::None,
    ),
    key("retention.bytes", ConfigType::Long, "-1", Validator::None),
    key(
        "retention.ms",
        ConfigType::Long,
        "604800000",
        Validator::AtLeast(-1),
    ),
    key(
        "segment.bytes",
        ConfigType::Int,
        "1073741824",
        Validator::AtLeast(1_048_576),
    ),
    key(
        "segment.index.bytes",
        ConfigType::Int,
        "10485760",
        Validator::AtLeast(4),
    ),
    key(
        "segment.jitter.ms",
        ConfigType::Long,
        "0",
        Validator::AtLeast(0),
    ),
    key(
        "segment.ms",
        ConfigType::Long,
        "604800000",
        Validator::AtLeast(1),
    ),
    key(
        "unclean.leader.election.enable",
        ConfigType::Boolean,
        "false",
        Validator::None,
    ),
];

const fn key(
    name: &'static str,
    ty: ConfigType,
    default: &'static str,
    validator: Validator,
) -> ConfigKey {
    ConfigKey {
        name,
        ty,
        default,
        validator,
    }
}

/// The broker config each topic config falls back to (`ServerTopicConfigSynonyms`), and whether
/// that broker config has a built-in default of its own (`log.retention.ms` and `log.roll.ms`
/// do not: their `…hours` synonyms hold the defaults, which Kafka's describe leaves out).
pub const TOPIC_TO_BROKER: &[(&str, &str, bool)] = &[
    ("cleanup.policy", "log.cleanup.policy", true),
    ("compression.type", "compression.type", true),
    (
        "delete.retention.ms",
        "log.cleaner.delete.retention.ms",
        true,
    ),
    ("file.delete.delay.ms", "log.segment.delete.delay.ms", true),
    ("flush.messages", "log.flush.interval.messages", true),
    ("flush.ms", "log.flush.interval.ms", false),
    ("index.interval.bytes", "log.index.interval.bytes", true),
    (
        "max.compaction.lag.ms",
        "log.cleaner.max.compaction.lag.ms",
        true,
    ),
    ("max.message.bytes", "message.max.bytes", true),
    ("message.timestamp.type", "log.message.timestamp.type", true),
    (
        "min.cleanable.dirty.ratio",
        "log.cleaner.min.cleanable.ratio",
        true,
    ),
    (
        "min.compaction.lag.ms",
        "log.cleaner.min.compaction.lag.ms",
        true,
    ),
    ("min.insync.replicas", "min.insync.replicas", true),
    ("preallocate", "log.preallocate", true),
    ("retention.bytes", "log.retention.bytes", true),
    ("retention.ms", "log.retention.ms", false),
    ("segment.bytes", "log.segment.bytes", true),
    ("segment.index.bytes", "log.index.size.max.bytes", true),
    ("segment.jitter.ms", "log.roll.jitter.ms", false),
    ("segment.ms", "log.roll.ms", false),
    (
        "unclean.leader.election.enable",
        "unclean.leader.election.enable",
        true,
    ),
];

/// The broker-level synonym of a topic config.
pub fn broker_synonym(topic_config: &str) -> Option<(&'static str, bool)> {
    TOPIC_TO_BROKER
        .iter()
        .find(|(t, _, _)| *t == topic_config)
        .map(|(_, b, has_default)| (*b, *has_default))
}

/// Broker configs the playground lets you change dynamically: the topic configs' synonyms
/// plus a few broker-only ones, with their built-in defaults and the topic key that validates
/// their values. Read-only configs (`auto.create.topics.enable`,
/// `log.retention.check.interval.ms`) are not here: Kafka's `DynamicBrokerConfig` refuses them
/// ("Cannot update these configs dynamically"), they change only in `server.properties`.
pub fn broker_config(name: &str) -> Option<(&'static str, Option<&'static ConfigKey>)> {
    if let Some((topic, broker, _)) = TOPIC_TO_BROKER.iter().find(|(_, b, _)| *b == name) {
        let key = topic_config(topic);
        return Some((broker, key));
    }
    // `DynamicBrokerConfig.AllDynamicConfigs`: the thread pools and the log cleaner.
    const DYNAMIC_EXTRA: &[&str] = &[
        "log.cleaner.threads",
        "num.io.threads",
        "num.network.threads",
        "num.replica.fetchers",
    ];
    DYNAMIC_EXTRA
        .iter()
        .find(|n| **n == name)
        .map(|n| (*n, None))
}

/// The built-in default of a broker config, as Kafka prints it.
pub fn broker_default(name: &str) -> Option<String> {
    let extra = match name {
        "log.cleaner.threads" => Some("1"),
        "num.io.threads" => Some("8"),
        "num.network.threads" => Some("3"),
        "num.replica.fetchers" => Some("1"),
        "log.retention.check.interval.ms" => Some("300000"),
        "auto.create.topics.enable" => Some("true"),
        _ => None,
    };
    if let Some(v) = extra {
        return Some(v.to_string());
    }
    let (topic, _, has_default) = TOPIC_TO_BROKER.iter().find(|(_, b, _)| *b == name)?;
    if !has_default {
        return None;
    }
    topic_config(topic).map(|k| k.default.to_string())
}

pub fn topic_config(name: &str) -> Option<&'static ConfigKey> {
    TOPIC_CONFIGS.iter().find(|k| k.name == name)
}

/// Why a config was refused, as Kafka words it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigError {
    /// `InvalidConfigurationException: Unknown topic config name: foo`
    UnknownName(String),
    /// `ConfigException: Invalid value v for configuration name: reason`
    InvalidValue {
        name: String,
        value: String,
        reason: String,
    },
}

impl ConfigError {
    pub fn exception_class(&self) -> &'static str {
        match self {
            ConfigError::UnknownName(_) => {
                "org.apache.kafka.common.errors.InvalidConfigurationException"
            }
            ConfigError::InvalidValue { .. } => "org.apache.kafka.common.config.ConfigException",
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::UnknownName(n) => write!(f, "Unknown topic config name: {n}"),
            ConfigError::InvalidValue {
                name,
                value,
                reason,
            } => write!(
                f,
                "Invalid value {value} for configuration {name}: {reason}"
            ),
        }
    }
}

/// Checks a topic config the way `ConfigDef.parse` + its validator do; returns the value as
/// Kafka stores it (trimmed).
pub fn validate_topic_config(name: &str, value: &str) -> Result<String, ConfigError> {
    let key = topic_config(name).ok_or_else(|| ConfigError::UnknownName(name.to_string()))?;
    let v = value.trim();
    let bad = |reason: String| ConfigError::InvalidValue {
        name: name.to_string(),
        value: value.to_string(),
        reason,
    };
    let number: Option<f64> = match key.ty {
        ConfigType::Boolean => {
            if !v.eq_ignore_ascii_case("true") && !v.eq_ignore_ascii_case("false") {
                return Err(bad("Expected value to be either true or false".into()));
            }
            None
        }
        ConfigType::Int => Some(
            v.parse::<i32>()
                .map_err(|_| bad("Not a number of type INT".into()))? as f64,
        ),
        ConfigType::Long => Some(
            v.parse::<i64>()
                .map_err(|_| bad("Not a number of type LONG".into()))? as f64,
        ),
        ConfigType::Double => Some(
            crate::decimal::parse_f64(v)
                .ok_or_else(|| bad("Not a number of type DOUBLE".into()))?,
        ),
        ConfigType::String | ConfigType::List => None,
    };
    match key.validator {
        Validator::None => {}
        Validator::AtLeast(min) => {
            if number.unwrap_or(0.0) < min as f64 {
                return Err(bad(format!("Value must be at least {min}")));
            }
        }
        Validator::Between(lo, hi) => {
            let n = number.unwrap_or(0.0);
            if n < lo {
                return Err(bad(format!("Value must be at least {}", java_number(lo))));
            }
            if n > hi {
                return Err(bad(format!(
                    "Value must be no more than {}",
                    java_number(hi)
                )));
            }
        }
        Validator::OneOf(valid) => {
            if !valid.contains(&v) {
                return Err(bad(format!("String must be one of: {}", valid.join(", "))));
            }
        }
        Validator::ListOf(valid) => {
            for item in v.split(',').map(str::trim) {
                if !valid.contains(&item) {
                    return Err(bad(format!("String must be one of: {}", valid.join(", "))));
                }
            }
        }
        Validator::GzipLevel => {
            let n = number.unwrap_or(0.0) as i64;
            if n != -1 && !(1..=9).contains(&n) {
                return Err(bad("Value must be between 1 and 9, or -1".into()));
            }
        }
    }
    Ok(match key.ty {
        ConfigType::Boolean => v.to_ascii_lowercase(),
        ConfigType::List => v.split(',').map(str::trim).collect::<Vec<_>>().join(","),
        _ => v.to_string(),
    })
}

/// Java prints the bounds of a `Range` validator as given: integers without a fraction.
fn java_number(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kafka_messages_for_bad_configs() {
        let err = |n: &str, v: &str| validate_topic_config(n, v).unwrap_err().to_string();
        assert_eq!(
            err("message.timestamp.type", "boom"),
            "Invalid value boom for configuration message.timestamp.type: String must be one of: CreateTime, LogAppendTime"
        );
        assert_eq!(err("foo", "1"), "Unknown topic config name: foo");
        assert_eq!(
            err("retention.ms", "abc"),
            "Invalid value abc for configuration retention.ms: Not a number of type LONG"
        );
        assert_eq!(
            err("min.insync.replicas", "0"),
            "Invalid value 0 for configuration min.insync.replicas: Value must be at least 1"
        );
        assert_eq!(
            err("cleanup.policy", "compacted"),
            "Invalid value compacted for configuration cleanup.policy: String must be one of: compact, delete"
        );
    }

    #[test]
    fn accepts_good_values() {
        assert_eq!(
            validate_topic_config("cleanup.policy", "compact, delete").unwrap(),
            "compact,delete"
        );
        assert_eq!(
            validate_topic_config("retention.ms", "1000").unwrap(),
            "1000"
        );
        assert_eq!(
            validate_topic_config("preallocate", "TRUE").unwrap(),
            "true"
        );
        assert!(validate_topic_config("min.cleanable.dirty.ratio", "0.1").is_ok());
    }
}
