//! Quantities a check can compare: a number read from the cluster ("the log end offset of
//! orders-0", "the lag of billing on orders"), from the learner's answer, or a literal.
//!
//! ```text
//! topic T partitions | replication-factor | rf | records
//! partition T P leader | isr | records | log-start | log-end | high-watermark | hw
//! key K records in T          (records with key K in T, all partitions)
//! key K partition in T        (the partition K's records went to)
//! group G members             group G lag T [P]          group G committed T P
//! brokers                     quorum leader              answer
//! ```
//!
//! Any two of them can be compared (`partition t 0 log-end > partition t 1 log-end`), so a
//! lesson can ask about relations the learner caused, not only about fixed numbers.

use crate::engine::{Cluster, TopicPartition};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartitionAttr {
    Leader,
    Isr,
    Records,
    LogStart,
    LogEnd,
    HighWatermark,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Quantity {
    TopicPartitions(String),
    TopicReplicationFactor(String),
    TopicRecords(String),
    Partition(TopicPartition, PartitionAttr),
    KeyRecords {
        key: String,
        topic: String,
    },
    KeyPartition {
        key: String,
        topic: String,
    },
    GroupMembers(String),
    GroupLag {
        group: String,
        topic: String,
        partition: Option<i32>,
    },
    GroupCommitted {
        group: String,
        tp: TopicPartition,
    },
    Brokers,
    QuorumLeader,
    /// The learner's answer to the step's question, as a number.
    Answer,
}

/// What a quantity is read from besides the cluster.
pub struct Inputs<'a> {
    pub cluster: &'a Cluster,
    /// The learner's latest answer to the step's question, if any.
    pub answer: Option<&'a str>,
}

pub(super) fn number(word: Option<&&str>, what: &str) -> Result<i64, String> {
    let w = word.ok_or_else(|| format!("expected {what}"))?;
    w.parse().map_err(|_| format!("expected {what}, not '{w}'"))
}

pub(super) fn word<'a>(words: &[&'a str], i: usize, what: &str) -> Result<&'a str, String> {
    words
        .get(i)
        .copied()
        .ok_or_else(|| format!("expected {what}"))
}

/// Whether `words` start a quantity (rather than a number).
pub(super) fn starts_quantity(words: &[&str]) -> bool {
    matches!(
        words.first(),
        Some(&("topic" | "partition" | "key" | "group" | "brokers" | "quorum" | "answer"))
    )
}

impl Quantity {
    /// Reads a quantity from the front of `words`; returns it and how many words it took.
    pub fn parse(words: &[&str]) -> Result<(Quantity, usize), String> {
        let kind = word(words, 0, "a quantity such as 'topic orders partitions'")?;
        match kind {
            "topic" => {
                let topic = word(words, 1, "a topic name")?.to_string();
                let q = match word(words, 2, "partitions, replication-factor or records")? {
                    "partitions" => Quantity::TopicPartitions(topic),
                    "replication-factor" | "rf" => Quantity::TopicReplicationFactor(topic),
                    "records" => Quantity::TopicRecords(topic),
                    other => {
                        return Err(format!(
                            "unknown topic quantity '{other}' (partitions, replication-factor, records)"
                        ));
                    }
                };
                Ok((q, 3))
            }
            "partition" => {
                let topic = word(words, 1, "a topic name")?;
                let p = number(words.get(2), "a partition number")? as i32;
                let attr = match word(
                    words,
                    3,
                    "leader, isr, records, log-start, log-end or high-watermark",
                )? {
                    "leader" => PartitionAttr::Leader,
                    "isr" => PartitionAttr::Isr,
                    "records" => PartitionAttr::Records,
                    "log-start" => PartitionAttr::LogStart,
                    "log-end" => PartitionAttr::LogEnd,
                    "high-watermark" | "hw" => PartitionAttr::HighWatermark,
                    other => {
                        return Err(format!(
                            "unknown partition check '{other}' (leader, isr, records, log-start, log-end, high-watermark)"
                        ));
                    }
                };
                Ok((Quantity::Partition(TopicPartition::new(topic, p), attr), 4))
            }
            "key" => {
                // key K records in T | key K partition in T
                let key = word(words, 1, "a key")?.to_string();
                let what = word(words, 2, "records or partition")?;
                if words.get(3) != Some(&"in") {
                    return Err(format!("expected 'key KEY {what} in TOPIC'"));
                }
                let topic = word(words, 4, "a topic name")?.to_string();
                let q = match what {
                    "records" => Quantity::KeyRecords { key, topic },
                    "partition" => Quantity::KeyPartition { key, topic },
                    other => {
                        return Err(format!(
                            "unknown key quantity '{other}' (records, partition)"
                        ));
                    }
                };
                Ok((q, 5))
            }
            "group" => {
                let group = word(words, 1, "a group id")?.to_string();
                match word(words, 2, "members, lag or committed")? {
                    "members" => Ok((Quantity::GroupMembers(group), 3)),
                    "lag" => {
                        let topic = word(words, 3, "a topic name")?.to_string();
                        // `group g lag t 2` compares the total; `group g lag t 0 2` (a number
                        // followed by more words) names partition 0.
                        let partition = match (words.get(4), words.get(5)) {
                            (Some(p), Some(_)) => p.parse::<i32>().ok(),
                            _ => None,
                        };
                        let used = if partition.is_some() { 5 } else { 4 };
                        Ok((
                            Quantity::GroupLag {
                                group,
                                topic,
                                partition,
                            },
                            used,
                        ))
                    }
                    "committed" => {
                        let topic = word(words, 3, "a topic name")?;
                        let p = number(words.get(4), "a partition number")? as i32;
                        Ok((
                            Quantity::GroupCommitted {
                                group,
                                tp: TopicPartition::new(topic, p),
                            },
                            5,
                        ))
                    }
                    other => Err(format!(
                        "unknown group quantity '{other}' (members, lag, committed)"
                    )),
                }
            }
            "brokers" => Ok((Quantity::Brokers, 1)),
            "quorum" => match words.get(1) {
                Some(&"leader") => Ok((Quantity::QuorumLeader, 2)),
                _ => Err("expected 'quorum leader'".into()),
            },
            "answer" => Ok((Quantity::Answer, 1)),
            other => Err(format!("'{other}' is not a quantity")),
        }
    }

    /// What the panel calls it: "the log end offset of orders-0".
    pub fn describe(&self) -> String {
        match self {
            Quantity::TopicPartitions(t) => format!("the number of partitions of {t}"),
            Quantity::TopicReplicationFactor(t) => format!("the replication factor of {t}"),
            Quantity::TopicRecords(t) => format!("the number of records in {t}"),
            Quantity::Partition(tp, attr) => {
                let what = match attr {
                    PartitionAttr::Leader => "the leader",
                    PartitionAttr::Isr => "the ISR size",
                    PartitionAttr::Records => "the number of records",
                    PartitionAttr::LogStart => "the log start offset",
                    PartitionAttr::LogEnd => "the log end offset",
                    PartitionAttr::HighWatermark => "the high watermark",
                };
                format!("{what} of {tp}")
            }
            Quantity::KeyRecords { key, topic } => {
                format!("the number of records with key {key} in {topic}")
            }
            Quantity::KeyPartition { key, topic } => {
                format!("the partition of key {key} in {topic}")
            }
            Quantity::GroupMembers(g) => format!("the number of members of {g}"),
            Quantity::GroupLag {
                group,
                topic,
                partition: None,
            } => format!("the lag of {group} on {topic}"),
            Quantity::GroupLag {
                group,
                topic,
                partition: Some(p),
            } => format!("the lag of {group} on {topic}-{p}"),
            Quantity::GroupCommitted { group, tp } => {
                format!("the committed offset of {group} on {tp}")
            }
            Quantity::Brokers => "the number of brokers".into(),
            Quantity::QuorumLeader => "the quorum leader".into(),
            Quantity::Answer => "your answer".into(),
        }
    }

    /// Its value now, or why it has none ("there is no topic orders").
    pub fn value(&self, inputs: &Inputs) -> Result<i64, String> {
        let c = inputs.cluster;
        let topic = |t: &str| c.topic(t).ok_or_else(|| format!("there is no topic {t}"));
        match self {
            Quantity::TopicPartitions(t) => Ok(topic(t)?.partitions().len() as i64),
            Quantity::TopicReplicationFactor(t) => Ok(topic(t)?.replication_factor() as i64),
            Quantity::TopicRecords(t) => Ok(topic(t)?
                .partitions()
                .iter()
                .map(|p| p.log().len() as i64)
                .sum()),
            Quantity::Partition(tp, attr) => {
                let Some(p) = c.topic(&tp.topic).and_then(|t| t.partition(tp.partition)) else {
                    return Err(format!("there is no partition {tp}"));
                };
                Ok(match attr {
                    PartitionAttr::Leader => i64::from(p.leader().unwrap_or(-1)),
                    PartitionAttr::Isr => p.isr().len() as i64,
                    PartitionAttr::Records => p.log().len() as i64,
                    PartitionAttr::LogStart => p.log_start_offset(),
                    PartitionAttr::LogEnd => p.log_end_offset(),
                    PartitionAttr::HighWatermark => p.high_watermark(),
                })
            }
            Quantity::KeyRecords { key, topic: t } => Ok(topic(t)?
                .partitions()
                .iter()
                .flat_map(|p| p.log().records())
                .filter(|r| r.key == Some(key.as_bytes()))
                .count() as i64),
            Quantity::KeyPartition { key, topic: t } => topic(t)?
                .partitions()
                .iter()
                .find(|p| {
                    p.log()
                        .records()
                        .iter()
                        .any(|r| r.key == Some(key.as_bytes()))
                })
                .map(|p| i64::from(p.index()))
                .ok_or_else(|| format!("no record with key {key} in {t}")),
            Quantity::GroupMembers(g) => Ok(c.group(g).map_or(0, |grp| grp.members().len() as i64)),
            Quantity::GroupLag {
                group,
                topic: t,
                partition,
            } => {
                topic(t)?;
                let lags: Vec<_> = c
                    .group_lag(group)
                    .into_iter()
                    .filter(|l| l.tp.topic == *t && partition.is_none_or(|p| l.tp.partition == p))
                    .collect();
                if lags.is_empty() {
                    let on = match partition {
                        Some(p) => format!("{t}-{p}"),
                        None => t.clone(),
                    };
                    return Err(format!("group {group} has committed no offsets on {on}"));
                }
                let mut lag = 0;
                for l in &lags {
                    match l.lag() {
                        Some(n) => lag += n,
                        None => {
                            return Err(format!(
                                "the lag of {group} on {} is unknown: the partition has no leader",
                                l.tp
                            ));
                        }
                    }
                }
                Ok(lag)
            }
            Quantity::GroupCommitted { group, tp } => c
                .committed_offset(group, tp)
                .ok_or_else(|| format!("group {group} has no committed offset on {tp}")),
            Quantity::Brokers => Ok(c.brokers().len() as i64),
            Quantity::QuorumLeader => Ok(i64::from(c.active_controller().unwrap_or(-1))),
            Quantity::Answer => {
                let answer = inputs.answer.ok_or_else(|| NO_ANSWER.to_string())?;
                answer
                    .trim()
                    .parse()
                    .map_err(|_| format!("your answer '{}' is not a number", answer.trim()))
            }
        }
    }
}

pub(super) const NO_ANSWER: &str =
    "no answer yet: answer in the panel (or type `playground answer …`)";
