//! Checks: one-line statements about the cluster's state, evaluated by read-only queries.
//!
//! ```text
//! topic orders exists                  partition orders 0 leader != 1
//! topic orders partitions 3            partition orders 0 isr >= 2
//! topic orders replication-factor 3    partition orders 0 log-start > 0
//! topic orders records >= 5            key alice in orders 1
//! topic users config cleanup.policy = compact
//! group billing state Stable           group billing lag orders 0
//! group billing members 2              group billing committed orders 0 >= 3
//! broker 2 down                        brokers 4
//! ran kafka-consumer-groups.sh --describe
//! not topic scratch exists
//! ```
//!
//! Every check says why it fails ("topic orders has 1 partition, expected 3"), so the panel
//! can tell the learner what is still missing.

use crate::engine::{Cluster, TopicPartition};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Ge,
    Le,
    Gt,
    Lt,
}

impl Op {
    fn parse(word: &str) -> Option<Op> {
        Some(match word {
            "=" | "==" => Op::Eq,
            "!=" => Op::Ne,
            ">=" => Op::Ge,
            "<=" => Op::Le,
            ">" => Op::Gt,
            "<" => Op::Lt,
            _ => return None,
        })
    }

    fn holds(self, actual: i64, expected: i64) -> bool {
        match self {
            Op::Eq => actual == expected,
            Op::Ne => actual != expected,
            Op::Ge => actual >= expected,
            Op::Le => actual <= expected,
            Op::Gt => actual > expected,
            Op::Lt => actual < expected,
        }
    }

    fn text(self) -> &'static str {
        match self {
            Op::Eq => "",
            Op::Ne => "other than ",
            Op::Ge => "at least ",
            Op::Le => "at most ",
            Op::Gt => "more than ",
            Op::Lt => "fewer than ",
        }
    }
}

/// A number compared with an operator: `3`, `>= 3`, `!= 1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cmp {
    pub op: Op,
    pub value: i64,
}

impl Cmp {
    fn describe(&self) -> String {
        format!("{}{}", self.op.text(), self.value)
    }
}

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
pub enum Statement {
    TopicExists(String),
    TopicPartitions(String, Cmp),
    TopicReplicationFactor(String, Cmp),
    TopicRecords(String, Cmp),
    TopicConfig {
        topic: String,
        key: String,
        equal: bool,
        value: String,
    },
    Partition(TopicPartition, PartitionAttr, Cmp),
    KeyIn {
        key: String,
        tp: TopicPartition,
    },
    GroupExists(String),
    GroupState(String, String),
    GroupMembers(String, Cmp),
    GroupLag {
        group: String,
        topic: String,
        cmp: Cmp,
    },
    GroupCommitted {
        group: String,
        tp: TopicPartition,
        cmp: Cmp,
    },
    BrokerUp(i32, bool),
    Brokers(Cmp),
    Ran(Vec<String>),
}

/// One check line: a statement, possibly negated with `not`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// The line as written (shown in the panel).
    pub text: String,
    pub negated: bool,
    pub statement: Statement,
}

/// The result of a check: pass, or fail with what the cluster shows instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Pass,
    Fail(String),
}

impl Outcome {
    pub fn passed(&self) -> bool {
        *self == Outcome::Pass
    }
}

/// What a check may look at: the cluster and the commands run since the lesson started.
pub struct Context<'a> {
    pub cluster: &'a Cluster,
    pub commands: &'a [String],
}

fn number(word: Option<&&str>, what: &str) -> Result<i64, String> {
    let w = word.ok_or_else(|| format!("expected {what}"))?;
    w.parse().map_err(|_| format!("expected {what}, not '{w}'"))
}

/// `[op] N` at the end of a statement.
fn cmp(rest: &[&str]) -> Result<Cmp, String> {
    match rest {
        [n] => Ok(Cmp {
            op: Op::Eq,
            value: number(Some(n), "a number")?,
        }),
        [op, n] => Ok(Cmp {
            op: Op::parse(op)
                .ok_or_else(|| format!("unknown comparison '{op}' (=, !=, >=, <=, >, <)"))?,
            value: number(Some(n), "a number")?,
        }),
        [] => Err("expected a number".into()),
        _ => Err(format!(
            "unexpected words after the number: '{}'",
            rest.join(" ")
        )),
    }
}

fn word<'a>(words: &[&'a str], i: usize, what: &str) -> Result<&'a str, String> {
    words
        .get(i)
        .copied()
        .ok_or_else(|| format!("expected {what}"))
}

impl Check {
    pub fn parse(line: &str) -> Result<Check, String> {
        let all: Vec<&str> = line.split_whitespace().collect();
        let (negated, words) = match all.split_first() {
            Some((&"not", rest)) => (true, rest),
            _ => (false, all.as_slice()),
        };
        let statement = Statement::parse(words)?;
        Ok(Check {
            text: line.trim().to_string(),
            negated,
            statement,
        })
    }

    pub fn evaluate(&self, ctx: &Context) -> Outcome {
        let result = self.statement.evaluate(ctx);
        match (self.negated, result) {
            (false, r) => r,
            (true, Outcome::Pass) => Outcome::Fail(format!(
                "expected not: {}",
                self.text.trim_start_matches("not").trim()
            )),
            (true, Outcome::Fail(_)) => Outcome::Pass,
        }
    }
}

impl Statement {
    fn parse(words: &[&str]) -> Result<Statement, String> {
        let kind = word(words, 0, "a statement such as 'topic orders exists'")?;
        match kind {
            "topic" => {
                let topic = word(words, 1, "a topic name")?.to_string();
                let attr = word(
                    words,
                    2,
                    "exists, partitions, replication-factor, records or config",
                )?;
                let rest = &words[3..];
                match attr {
                    "exists" if rest.is_empty() => Ok(Statement::TopicExists(topic)),
                    "partitions" => Ok(Statement::TopicPartitions(topic, cmp(rest)?)),
                    "replication-factor" | "rf" => {
                        Ok(Statement::TopicReplicationFactor(topic, cmp(rest)?))
                    }
                    "records" => Ok(Statement::TopicRecords(topic, cmp(rest)?)),
                    "config" => {
                        // `config key=value`, `config key = value` or `config key != value`.
                        let joined = rest.join(" ");
                        let (key, equal, value) = if let Some((k, v)) = joined.split_once("!=") {
                            (k, false, v)
                        } else if let Some((k, v)) = joined.split_once('=') {
                            (k, true, v)
                        } else {
                            return Err("expected 'config KEY = VALUE'".into());
                        };
                        let (key, value) = (key.trim(), value.trim_start_matches('=').trim());
                        if key.is_empty() {
                            return Err("expected 'config KEY = VALUE'".into());
                        }
                        Ok(Statement::TopicConfig {
                            topic,
                            key: key.to_string(),
                            equal,
                            value: value.to_string(),
                        })
                    }
                    other => Err(format!(
                        "unknown topic check '{other}' (exists, partitions, replication-factor, records, config)"
                    )),
                }
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
                Ok(Statement::Partition(
                    TopicPartition::new(topic, p),
                    attr,
                    cmp(&words[4..])?,
                ))
            }
            "key" => {
                // key K in T P
                let key = word(words, 1, "a key")?.to_string();
                if words.get(2) != Some(&"in") {
                    return Err("expected 'key KEY in TOPIC PARTITION'".into());
                }
                let topic = word(words, 3, "a topic name")?;
                let p = number(words.get(4), "a partition number")? as i32;
                if words.len() > 5 {
                    return Err("expected 'key KEY in TOPIC PARTITION'".into());
                }
                Ok(Statement::KeyIn {
                    key,
                    tp: TopicPartition::new(topic, p),
                })
            }
            "group" => {
                let group = word(words, 1, "a group id")?.to_string();
                let attr = word(words, 2, "exists, state, members, lag or committed")?;
                match attr {
                    "exists" if words.len() == 3 => Ok(Statement::GroupExists(group)),
                    "state" => Ok(Statement::GroupState(
                        group,
                        word(
                            words,
                            3,
                            "a state (Empty, Stable, PreparingRebalance, Dead)",
                        )?
                        .to_string(),
                    )),
                    "members" => Ok(Statement::GroupMembers(group, cmp(&words[3..])?)),
                    "lag" => Ok(Statement::GroupLag {
                        group,
                        topic: word(words, 3, "a topic name")?.to_string(),
                        cmp: cmp(&words[4..])?,
                    }),
                    "committed" => {
                        let topic = word(words, 3, "a topic name")?;
                        let p = number(words.get(4), "a partition number")? as i32;
                        Ok(Statement::GroupCommitted {
                            group,
                            tp: TopicPartition::new(topic, p),
                            cmp: cmp(&words[5..])?,
                        })
                    }
                    other => Err(format!(
                        "unknown group check '{other}' (exists, state, members, lag, committed)"
                    )),
                }
            }
            "broker" => {
                let id = number(words.get(1), "a broker id")? as i32;
                match (words.get(2).copied(), words.len()) {
                    (Some("up"), 3) => Ok(Statement::BrokerUp(id, true)),
                    (Some("down"), 3) => Ok(Statement::BrokerUp(id, false)),
                    _ => Err("expected 'broker N up' or 'broker N down'".into()),
                }
            }
            "brokers" => Ok(Statement::Brokers(cmp(&words[1..])?)),
            "ran" => {
                if words.len() < 2 {
                    return Err("expected 'ran TOOL [WORDS...]'".into());
                }
                Ok(Statement::Ran(
                    words[1..].iter().map(|w| w.to_string()).collect(),
                ))
            }
            other => Err(format!(
                "unknown check '{other}' (topic, partition, key, group, broker, brokers, ran)"
            )),
        }
    }

    fn evaluate(&self, ctx: &Context) -> Outcome {
        let c = ctx.cluster;
        let fail = |s: String| Outcome::Fail(s);
        let compare = |what: String, actual: i64, cmp: &Cmp| {
            if cmp.op.holds(actual, cmp.value) {
                Outcome::Pass
            } else {
                fail(format!("{what} is {actual}, expected {}", cmp.describe()))
            }
        };
        let no_topic = |t: &str| fail(format!("there is no topic {t}"));
        match self {
            Statement::TopicExists(t) => match c.topic(t) {
                Some(_) => Outcome::Pass,
                None => no_topic(t),
            },
            Statement::TopicPartitions(t, cmp) => match c.topic(t) {
                Some(topic) => compare(
                    format!("the number of partitions of {t}"),
                    topic.partitions().len() as i64,
                    cmp,
                ),
                None => no_topic(t),
            },
            Statement::TopicReplicationFactor(t, cmp) => match c.topic(t) {
                Some(topic) => compare(
                    format!("the replication factor of {t}"),
                    topic.replication_factor() as i64,
                    cmp,
                ),
                None => no_topic(t),
            },
            Statement::TopicRecords(t, cmp) => match c.topic(t) {
                Some(topic) => compare(
                    format!("the number of records in {t}"),
                    topic
                        .partitions()
                        .iter()
                        .map(|p| p.log().len() as i64)
                        .sum(),
                    cmp,
                ),
                None => no_topic(t),
            },
            Statement::TopicConfig {
                topic,
                key,
                equal,
                value,
            } => match c.topic(topic) {
                Some(t) => {
                    let actual = c.topic_config(t, key).unwrap_or_default();
                    if (actual == *value) == *equal {
                        Outcome::Pass
                    } else {
                        fail(format!("{key} of {topic} is '{actual}'"))
                    }
                }
                None => no_topic(topic),
            },
            Statement::Partition(tp, attr, cmp) => {
                let Some(p) = c.topic(&tp.topic).and_then(|t| t.partition(tp.partition)) else {
                    return fail(format!("there is no partition {tp}"));
                };
                let (what, actual) = match attr {
                    PartitionAttr::Leader => ("the leader", i64::from(p.leader().unwrap_or(-1))),
                    PartitionAttr::Isr => ("the ISR size", p.isr().len() as i64),
                    PartitionAttr::Records => ("the number of records", p.log().len() as i64),
                    PartitionAttr::LogStart => ("the log start offset", p.log_start_offset()),
                    PartitionAttr::LogEnd => ("the log end offset", p.log_end_offset()),
                    PartitionAttr::HighWatermark => ("the high watermark", p.high_watermark()),
                };
                compare(format!("{what} of {tp}"), actual, cmp)
            }
            Statement::KeyIn { key, tp } => {
                let Some(topic) = c.topic(&tp.topic) else {
                    return no_topic(&tp.topic);
                };
                let has = |index: i32| {
                    topic.partition(index).is_some_and(|p| {
                        p.log()
                            .records()
                            .iter()
                            .any(|r| r.key == Some(key.as_bytes()))
                    })
                };
                if has(tp.partition) {
                    return Outcome::Pass;
                }
                match topic.partitions().iter().find(|p| has(p.index())) {
                    Some(p) => fail(format!(
                        "records with key {key} are in partition {}",
                        p.index()
                    )),
                    None => fail(format!("no record with key {key} in {}", tp.topic)),
                }
            }
            Statement::GroupExists(g) => {
                if c.group_ids().iter().any(|id| id == g) {
                    Outcome::Pass
                } else {
                    fail(format!("there is no group {g}"))
                }
            }
            Statement::GroupState(g, state) => {
                let actual = c.group(g).map_or(
                    if c.group_ids().contains(g) {
                        "Empty"
                    } else {
                        "Dead"
                    },
                    |grp| grp.state().name(),
                );
                if actual.eq_ignore_ascii_case(state) {
                    Outcome::Pass
                } else {
                    fail(format!("group {g} is {actual}"))
                }
            }
            Statement::GroupMembers(g, cmp) => compare(
                format!("the number of members of {g}"),
                c.group(g).map_or(0, |grp| grp.members().len() as i64),
                cmp,
            ),
            Statement::GroupLag { group, topic, cmp } => {
                if c.topic(topic).is_none() {
                    return no_topic(topic);
                }
                let lags: Vec<_> = c
                    .group_lag(group)
                    .into_iter()
                    .filter(|l| l.tp.topic == *topic)
                    .collect();
                if lags.is_empty() {
                    return fail(format!("group {group} has committed no offsets on {topic}"));
                }
                let mut lag = 0;
                for l in &lags {
                    match l.lag() {
                        Some(n) => lag += n,
                        None => {
                            return fail(format!(
                                "the lag of {group} on {} is unknown: the partition has no leader",
                                l.tp
                            ));
                        }
                    }
                }
                compare(format!("the lag of {group} on {topic}"), lag, cmp)
            }
            Statement::GroupCommitted { group, tp, cmp } => match c.committed_offset(group, tp) {
                Some(o) => compare(format!("the committed offset of {group} on {tp}"), o, cmp),
                None => fail(format!("group {group} has no committed offset on {tp}")),
            },
            Statement::BrokerUp(id, up) => match c.broker(*id) {
                Some(b) => {
                    let running = b.running && !b.isolated;
                    if running == *up {
                        Outcome::Pass
                    } else {
                        fail(format!(
                            "broker {id} is {}",
                            if running { "up" } else { "down" }
                        ))
                    }
                }
                None => fail(format!("there is no broker {id}")),
            },
            Statement::Brokers(cmp) => compare(
                "the number of brokers".into(),
                c.brokers().len() as i64,
                cmp,
            ),
            Statement::Ran(words) => {
                if ctx.commands.iter().any(|line| command_matches(line, words)) {
                    Outcome::Pass
                } else {
                    fail(format!(
                        "no command like '{}' has been run yet",
                        words.join(" ")
                    ))
                }
            }
        }
    }
}

/// Whether a console line runs `words[0]` (a tool, with or without `bin/` and `.sh`) with every
/// other word among its arguments.
fn command_matches(line: &str, words: &[String]) -> bool {
    let base = |w: &str| {
        let w = w.rsplit('/').next().unwrap_or(w);
        w.strip_suffix(".sh").unwrap_or(w).to_string()
    };
    let Some((tool, wanted)) = words.split_first() else {
        return false;
    };
    line.split('|').any(|part| {
        let tokens: Vec<&str> = part.split_whitespace().collect();
        tokens.first().is_some_and(|t| base(t) == base(tool))
            && wanted.iter().all(|w| {
                tokens
                    .iter()
                    .any(|t| t == w || t.split_once('=').is_some_and(|(k, _)| k == w))
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::script::run_script;
    use crate::console::{Playground, Terminal};
    use crate::engine::ClusterConfig;

    fn cluster_after(script: &str) -> Playground {
        let mut pg = Playground::scripted(Cluster::new(ClusterConfig::default()));
        run_script(&mut pg, &mut Terminal::batch(), script, false);
        pg
    }

    fn eval(pg: &Playground, commands: &[String], check: &str) -> Outcome {
        let check = Check::parse(check).expect("parses");
        check.evaluate(&Context {
            cluster: &pg.cluster,
            commands,
        })
    }

    #[test]
    fn topic_and_partition_checks() {
        let pg = cluster_after(
            "kafka-topics.sh --bootstrap-server localhost:9092 --create --topic orders --partitions 3 --replication-factor 2\n\
             printf 'alice:1\\nbob:2\\n' | kafka-console-producer.sh --bootstrap-server localhost:9092 --topic orders --property parse.key=true --property key.separator=:",
        );
        assert!(eval(&pg, &[], "topic orders exists").passed());
        assert!(eval(&pg, &[], "topic orders partitions 3").passed());
        assert_eq!(
            eval(&pg, &[], "topic orders partitions >= 4"),
            Outcome::Fail("the number of partitions of orders is 3, expected at least 4".into())
        );
        assert!(eval(&pg, &[], "topic orders rf 2").passed());
        assert!(eval(&pg, &[], "topic orders records 2").passed());
        assert!(eval(&pg, &[], "not topic nope exists").passed());
        assert!(!eval(&pg, &[], "not topic orders exists").passed());
        assert!(eval(&pg, &[], "topic orders config cleanup.policy = delete").passed());
        assert!(eval(&pg, &[], "topic orders config cleanup.policy != compact").passed());
        // The Java client's murmur2 partitions: alice → 0, bob → 0 for 3 partitions.
        assert!(eval(&pg, &[], "key alice in orders 0").passed());
        assert_eq!(
            eval(&pg, &[], "key alice in orders 2"),
            Outcome::Fail("records with key alice are in partition 0".into())
        );
        assert!(eval(&pg, &[], "partition orders 0 isr 2").passed());
        assert!(eval(&pg, &[], "partition orders 0 log-end 2").passed());
        assert!(eval(&pg, &[], "brokers 3").passed());
        assert!(eval(&pg, &[], "broker 2 up").passed());
    }

    #[test]
    fn a_partition_without_a_leader_has_no_known_lag() {
        let mut pg = cluster_after(
            "kafka-topics.sh --bootstrap-server localhost:9092 --create --topic t --replica-assignment 2\n\
             seq 1 5 | kafka-console-producer.sh --bootstrap-server localhost:9092 --topic t\n\
             kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic t --group g --from-beginning --max-messages 3",
        );
        assert!(eval(&pg, &[], "group g lag t 2").passed());
        run_script(
            &mut pg,
            &mut Terminal::batch(),
            "playground broker stop 2",
            false,
        );
        assert_eq!(
            eval(&pg, &[], "group g lag t 2"),
            Outcome::Fail("the lag of g on t-0 is unknown: the partition has no leader".into())
        );
    }

    #[test]
    fn group_and_command_checks() {
        let pg = cluster_after(
            "kafka-topics.sh --bootstrap-server localhost:9092 --create --topic t --partitions 1\n\
             seq 1 5 | kafka-console-producer.sh --bootstrap-server localhost:9092 --topic t\n\
             kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic t --group g --from-beginning --max-messages 3",
        );
        assert!(eval(&pg, &[], "group g exists").passed());
        assert!(eval(&pg, &[], "group g state Empty").passed());
        assert!(eval(&pg, &[], "group g lag t 2").passed());
        assert!(eval(&pg, &[], "group g committed t 0 3").passed());
        assert!(!eval(&pg, &[], "group g lag t 0").passed());
        let commands = vec![
            "bin/kafka-consumer-groups.sh --bootstrap-server localhost:9092 --describe --group g"
                .to_string(),
        ];
        assert!(eval(&pg, &commands, "ran kafka-consumer-groups.sh --describe").passed());
        assert!(
            !eval(
                &pg,
                &commands,
                "ran kafka-consumer-groups.sh --reset-offsets"
            )
            .passed()
        );
        assert!(!eval(&pg, &[], "ran kafka-topics.sh").passed());
    }

    #[test]
    fn parse_errors_say_what_is_expected() {
        assert!(Check::parse("topic").is_err());
        assert!(Check::parse("topic t partitions x").is_err());
        assert!(Check::parse("topic t partitions ~ 3").is_err());
        assert!(Check::parse("broker 1 sideways").is_err());
        assert!(Check::parse("key a on t 0").is_err());
        assert!(Check::parse("wibble").is_err());
        assert!(Check::parse("").is_err());
    }
}
