//! Checks: one-line statements about the cluster's state, evaluated by read-only queries.
//!
//! ```text
//! topic orders exists                  partition orders 0 leader != 1
//! topic orders partitions 3            partition orders 0 isr >= 2
//! topic orders replication-factor 3    partition orders 0 log-start > 0
//! topic orders records >= 5            key alice in orders 1
//! topic users config cleanup.policy = compact
//! key alice latest in users = 42       key alice records in users 3
//! group billing state Stable           group billing lag orders 0
//! group billing members 2              group billing committed orders 0 >= 3
//! group billing lag orders 2 > 0       group billing assigns orders 1 to alice
//! broker 2 down                        brokers 4
//! broker 1 config log.retention.ms = 60000
//! quorum leader != 1                   answer = key erin partition in orders
//! partition t 0 log-end > partition t 1 log-end
//! ran kafka-topics.sh --create --partitions 3
//! topic a exists or topic b exists     not topic scratch exists
//! ```
//!
//! A number on the right may be another quantity (see [`super::quantity`]). `or` joins
//! alternatives; `not` negates one. Every check says why it fails ("the number of partitions of
//! orders is 1, expected 3"), so the panel can tell the learner what is still missing; a lesson
//! can replace that text with its own (`message:`).

pub use super::quantity::PartitionAttr;
use super::quantity::{Inputs, NO_ANSWER, Quantity, number, starts_quantity, word};
use crate::engine::{Cluster, TopicPartition, config};

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

/// What a quantity is compared with: a number, or another quantity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operand {
    Number(i64),
    Quantity(Quantity),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Statement {
    TopicExists(String),
    TopicConfig {
        topic: String,
        key: String,
        equal: bool,
        value: String,
    },
    KeyIn {
        key: String,
        tp: TopicPartition,
    },
    /// The value of the latest record with this key (what a compacted topic keeps).
    KeyLatest {
        key: String,
        topic: String,
        equal: bool,
        value: String,
    },
    GroupExists(String),
    GroupState(String, String),
    /// The member (by client id, `group.instance.id` or member id) that owns a partition.
    GroupAssigns {
        group: String,
        tp: TopicPartition,
        member: String,
    },
    BrokerUp(i32, bool),
    /// A broker config's effective value: per-broker dynamic, cluster-wide dynamic, default.
    BrokerConfig {
        broker: i32,
        key: String,
        equal: bool,
        value: String,
    },
    /// A command the learner ran, that did not fail.
    Ran(Vec<String>),
    /// The learner's answer, as text (case and surrounding spaces ignored).
    AnswerIs(String),
    Compare {
        left: Quantity,
        op: Op,
        right: Operand,
    },
}

/// One check line: alternatives joined by `or`, each possibly negated with `not`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// The line as written (shown in the panel).
    pub text: String,
    pub alternatives: Vec<(bool, Statement)>,
    /// The lesson's own words for a failure (`message:` under the check).
    pub message: Option<String>,
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

/// A console line the learner ran since the lesson started, and whether it failed (exited
/// with a status other than 0 or an interrupt's).
#[derive(Debug, Clone, Copy)]
pub struct Ran<'a> {
    pub line: &'a str,
    pub failed: bool,
}

/// What a check may look at: the cluster and the commands run since the lesson started.
pub struct Context<'a> {
    pub cluster: &'a Cluster,
    pub commands: &'a [Ran<'a>],
}

impl Context<'_> {
    /// The learner's latest answer: the last `playground answer …` line (the panel's Answer
    /// button types the same line, so answers are in the journal like every command).
    pub fn answer(&self) -> Option<&str> {
        self.commands.iter().rev().find_map(|c| answer_of(c.line))
    }
}

/// The answer a `playground answer TEXT` line gives, if it is one.
pub fn answer_of(line: &str) -> Option<&str> {
    let rest = line.trim().strip_prefix("playground")?;
    let rest = rest.trim_start().strip_prefix("answer")?;
    let answer = unquote(rest.trim());
    (rest.starts_with(char::is_whitespace) && !answer.is_empty()).then_some(answer)
}

fn unquote(s: &str) -> &str {
    for q in ['"', '\''] {
        if let Some(inner) = s.strip_prefix(q).and_then(|s| s.strip_suffix(q)) {
            return inner;
        }
    }
    s
}

/// `[op] N` or `[op] QUANTITY` at the end of a statement.
fn operand(rest: &[&str]) -> Result<(Op, Operand), String> {
    let (op, rest) = match rest.split_first() {
        Some((w, tail)) => match Op::parse(w) {
            Some(op) => (op, tail),
            None => (Op::Eq, rest),
        },
        None => return Err("expected a number".into()),
    };
    if starts_quantity(rest) {
        let (q, used) = Quantity::parse(rest)?;
        if used < rest.len() {
            return Err(format!(
                "unexpected words after the quantity: '{}'",
                rest[used..].join(" ")
            ));
        }
        return Ok((op, Operand::Quantity(q)));
    }
    match rest {
        [n] => Ok((op, Operand::Number(number(Some(n), "a number")?))),
        [] => Err("expected a number".into()),
        [first, ..] if Op::parse(first).is_none() && first.parse::<i64>().is_err() => Err(format!(
            "unknown comparison '{first}' (=, !=, >=, <=, >, <)"
        )),
        _ => Err(format!(
            "unexpected words after the number: '{}'",
            rest.join(" ")
        )),
    }
}

/// `= VALUE` or `!= VALUE` (the value may hold spaces).
fn equality(rest: &[&str], form: &str) -> Result<(bool, String), String> {
    let joined = rest.join(" ");
    let (equal, value) = if let Some(v) = joined.strip_prefix("!=") {
        (false, v)
    } else if let Some(v) = joined.strip_prefix("==").or(joined.strip_prefix('=')) {
        (true, v)
    } else {
        return Err(format!("expected '{form}'"));
    };
    Ok((equal, value.trim().to_string()))
}

/// `KEY = VALUE`, `KEY=VALUE` or `KEY != VALUE`.
fn config_entry(rest: &[&str]) -> Result<(String, bool, String), String> {
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
    Ok((key.to_string(), equal, value.to_string()))
}

impl Check {
    pub fn parse(line: &str) -> Result<Check, String> {
        let all: Vec<&str> = line.split_whitespace().collect();
        // `ran` takes any words, `or` among them; every other statement is split at `or`.
        let parts: Vec<&[&str]> = if all.first() == Some(&"ran") || all.get(1) == Some(&"ran") {
            vec![&all[..]]
        } else {
            all.split(|w| *w == "or").collect()
        };
        let alternatives = parts
            .into_iter()
            .map(|words| match words.split_first() {
                Some((&"not", rest)) => Ok((true, Statement::parse(rest)?)),
                _ => Ok((false, Statement::parse(words)?)),
            })
            .collect::<Result<Vec<_>, String>>()?;
        Ok(Check {
            text: line.trim().to_string(),
            alternatives,
            message: None,
        })
    }

    pub fn evaluate(&self, ctx: &Context) -> Outcome {
        let mut why = Vec::new();
        for (negated, statement) in &self.alternatives {
            match (*negated, statement.evaluate(ctx)) {
                (false, Outcome::Pass) | (true, Outcome::Fail(_)) => return Outcome::Pass,
                (false, Outcome::Fail(w)) => why.push(w),
                (true, Outcome::Pass) => why.push(format!(
                    "expected not: {}",
                    statement_text(&self.text, self.alternatives.len())
                )),
            }
        }
        Outcome::Fail(match &self.message {
            Some(m) => m.clone(),
            None => why.join("; and "),
        })
    }
}

/// The words of a negated check, for "expected not: …" (the whole line when it has one part).
fn statement_text(text: &str, parts: usize) -> String {
    if parts == 1 {
        text.trim_start_matches("not").trim().to_string()
    } else {
        text.to_string()
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
                    "config" => {
                        let (key, equal, value) = config_entry(rest)?;
                        Ok(Statement::TopicConfig {
                            topic,
                            key,
                            equal,
                            value,
                        })
                    }
                    "partitions" | "replication-factor" | "rf" | "records" => compare(words),
                    other => Err(format!(
                        "unknown topic check '{other}' (exists, partitions, replication-factor, records, config)"
                    )),
                }
            }
            "key" => {
                let key = word(words, 1, "a key")?.to_string();
                match words.get(2).copied() {
                    // key K in T P
                    Some("in") => {
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
                    // key K latest in T = VALUE
                    Some("latest") => {
                        let form = "key KEY latest in TOPIC = VALUE";
                        if words.get(3) != Some(&"in") {
                            return Err(format!("expected '{form}'"));
                        }
                        let topic = word(words, 4, "a topic name")?.to_string();
                        let (equal, value) = equality(&words[5.min(words.len())..], form)?;
                        Ok(Statement::KeyLatest {
                            key,
                            topic,
                            equal,
                            value,
                        })
                    }
                    Some("records" | "partition") => compare(words),
                    _ => Err(
                        "expected 'key KEY in TOPIC PARTITION', 'key KEY latest in TOPIC = VALUE', \
                         'key KEY records in TOPIC N' or 'key KEY partition in TOPIC N'"
                            .into(),
                    ),
                }
            }
            "group" => {
                let group = word(words, 1, "a group id")?.to_string();
                let attr = word(
                    words,
                    2,
                    "exists, state, members, lag, committed or assigns",
                )?;
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
                    // group G assigns T P to MEMBER
                    "assigns" => {
                        let form = "group GROUP assigns TOPIC PARTITION to MEMBER";
                        let topic = word(words, 3, "a topic name")?;
                        let p = number(words.get(4), "a partition number")? as i32;
                        match (words.get(5), words.get(6), words.len()) {
                            (Some(&"to"), Some(member), 7) => Ok(Statement::GroupAssigns {
                                group,
                                tp: TopicPartition::new(topic, p),
                                member: member.to_string(),
                            }),
                            _ => Err(format!("expected '{form}'")),
                        }
                    }
                    "members" | "lag" | "committed" => compare(words),
                    other => Err(format!(
                        "unknown group check '{other}' (exists, state, members, lag, committed, assigns)"
                    )),
                }
            }
            "broker" => {
                let id = number(words.get(1), "a broker id")? as i32;
                match (words.get(2).copied(), words.len()) {
                    (Some("up"), 3) => Ok(Statement::BrokerUp(id, true)),
                    (Some("down"), 3) => Ok(Statement::BrokerUp(id, false)),
                    (Some("config"), _) => {
                        let (key, equal, value) = config_entry(&words[3..])?;
                        Ok(Statement::BrokerConfig {
                            broker: id,
                            key,
                            equal,
                            value,
                        })
                    }
                    _ => Err(
                        "expected 'broker N up', 'broker N down' or 'broker N config KEY = VALUE'"
                            .into(),
                    ),
                }
            }
            "answer" if words.get(1) == Some(&"is") => {
                let text = words[2..].join(" ");
                if text.is_empty() {
                    return Err("expected 'answer is TEXT'".into());
                }
                Ok(Statement::AnswerIs(text))
            }
            "partition" | "brokers" | "quorum" | "answer" => compare(words),
            "ran" => {
                if words.len() < 2 {
                    return Err("expected 'ran TOOL [WORDS...]'".into());
                }
                Ok(Statement::Ran(
                    words[1..].iter().map(|w| w.to_string()).collect(),
                ))
            }
            other => Err(format!(
                "unknown check '{other}' (topic, partition, key, group, broker, brokers, quorum, answer, ran)"
            )),
        }
    }

    fn evaluate(&self, ctx: &Context) -> Outcome {
        let c = ctx.cluster;
        let fail = |s: String| Outcome::Fail(s);
        let no_topic = |t: &str| fail(format!("there is no topic {t}"));
        let inputs = Inputs {
            cluster: c,
            answer: ctx.answer(),
        };
        match self {
            Statement::TopicExists(t) => match c.topic(t) {
                Some(_) => Outcome::Pass,
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
            Statement::KeyLatest {
                key,
                topic,
                equal,
                value,
            } => {
                let Some(t) = c.topic(topic) else {
                    return no_topic(topic);
                };
                let latest = t
                    .partitions()
                    .iter()
                    .flat_map(|p| p.log().records())
                    .filter(|r| r.key == Some(key.as_bytes()))
                    .max_by_key(|r| (r.timestamp, r.offset));
                let Some(record) = latest else {
                    return fail(format!("no record with key {key} in {topic}"));
                };
                let actual = record
                    .value
                    .map(|v| String::from_utf8_lossy(v).into_owned());
                let shown = actual.as_deref().unwrap_or("null (a tombstone)");
                if (actual.as_deref() == Some(value.as_str())) == *equal {
                    Outcome::Pass
                } else {
                    fail(format!(
                        "the latest value of key {key} in {topic} is '{shown}'"
                    ))
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
            Statement::GroupAssigns { group, tp, member } => {
                let Some(grp) = c.group(group) else {
                    return fail(format!("group {group} has no members"));
                };
                let owner = grp.members().values().find(|m| {
                    grp.assignment_of(&m.member_id)
                        .is_some_and(|a| a.contains(tp))
                });
                match owner {
                    Some(m)
                        if m.client_id == *member
                            || m.member_id == *member
                            || m.group_instance_id.as_deref() == Some(member.as_str()) =>
                    {
                        Outcome::Pass
                    }
                    Some(m) => fail(format!(
                        "{tp} is assigned to {} (client id {})",
                        m.member_id, m.client_id
                    )),
                    None => fail(format!("no member of {group} owns {tp} now")),
                }
            }
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
            Statement::BrokerConfig {
                broker,
                key,
                equal,
                value,
            } => {
                if c.broker(*broker).is_none() {
                    return fail(format!("there is no broker {broker}"));
                }
                let actual = c
                    .broker_dynamic_configs(Some(*broker))
                    .get(key.as_str())
                    .cloned()
                    .or_else(|| c.broker_dynamic_configs(None).get(key.as_str()).cloned())
                    .or_else(|| config::broker_default(key))
                    .unwrap_or_default();
                if (actual == *value) == *equal {
                    Outcome::Pass
                } else {
                    fail(format!("{key} of broker {broker} is '{actual}'"))
                }
            }
            Statement::Ran(words) => {
                if ctx
                    .commands
                    .iter()
                    .any(|c| !c.failed && command_matches(c.line, words))
                {
                    Outcome::Pass
                } else {
                    fail(format!(
                        "no command like '{}' has been run yet (commands that failed do not count)",
                        words.join(" ")
                    ))
                }
            }
            Statement::AnswerIs(expected) => match inputs.answer {
                None => fail(NO_ANSWER.into()),
                Some(a) if same_text(a, expected) => Outcome::Pass,
                Some(a) => fail(format!("'{}' is not the answer", a.trim())),
            },
            Statement::Compare { left, op, right } => {
                let actual = match left.value(&inputs) {
                    Ok(v) => v,
                    Err(why) => return fail(why),
                };
                let (expected, expected_text) = match right {
                    Operand::Number(n) => (*n, n.to_string()),
                    Operand::Quantity(q) => match q.value(&inputs) {
                        Ok(v) => (v, format!("{} ({v})", q.describe())),
                        Err(why) => return fail(why),
                    },
                };
                if op.holds(actual, expected) {
                    Outcome::Pass
                } else if *left == Quantity::Answer {
                    // Never give the answer away.
                    fail(format!("{actual} is not the answer"))
                } else {
                    fail(format!(
                        "{} is {actual}, expected {}{expected_text}",
                        left.describe(),
                        op.text()
                    ))
                }
            }
        }
    }
}

/// A quantity compared: `topic t partitions >= 3`, `partition t 0 log-end > partition t 1 log-end`.
fn compare(words: &[&str]) -> Result<Statement, String> {
    let (left, used) = Quantity::parse(words)?;
    let (op, right) = operand(&words[used..])?;
    Ok(Statement::Compare { left, op, right })
}

fn same_text(a: &str, b: &str) -> bool {
    // The panel types a choice's ' as ’ (to keep it one quoted word): both mean the same.
    let norm = |s: &str| {
        s.replace('’', "'")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    norm(unquote(a.trim())).eq_ignore_ascii_case(&norm(b))
}

/// What a `ran` check asks of a command line: the tool, then words; an option followed by a
/// word that is not an option wants that value right after it (`--partitions 3` is met by
/// `--partitions 3` or `--partitions=3`, not by `--partitions 6 … 3`).
fn command_matches(line: &str, words: &[String]) -> bool {
    let base = |w: &str| {
        let w = w.rsplit('/').next().unwrap_or(w);
        w.strip_suffix(".sh").unwrap_or(w).to_string()
    };
    let Some((tool, wanted)) = words.split_first() else {
        return false;
    };
    let mut wants: Vec<(&str, Option<&str>)> = Vec::new();
    let mut i = 0;
    while i < wanted.len() {
        let w = wanted[i].as_str();
        if let Some((option, value)) = w.split_once('=').filter(|_| w.starts_with('-')) {
            wants.push((option, Some(value)));
            i += 1;
            continue;
        }
        match wanted.get(i + 1) {
            Some(v) if w.starts_with('-') && !v.starts_with('-') => {
                wants.push((w, Some(v.as_str())));
                i += 2;
            }
            _ => {
                wants.push((w, None));
                i += 1;
            }
        }
    }
    // `a | b`, `a; b` and `a && b` run several tools.
    let parts = line.split(['|', ';']).flat_map(|p| p.split("&&"));
    parts.into_iter().any(|part| {
        let tokens: Vec<&str> = part
            .split_whitespace()
            .map(|t| t.trim_matches(|c| c == '"' || c == '\''))
            .collect();
        let value_is = |t: &str, v: &str| t == v || t.split_once('=').is_some_and(|(k, _)| k == v);
        tokens.first().is_some_and(|t| base(t) == base(tool))
            && wants.iter().all(|(w, value)| match value {
                None => tokens.iter().any(|t| value_is(t, w)),
                Some(v) => {
                    tokens.windows(2).any(|p| p[0] == *w && value_is(p[1], v))
                        || tokens.iter().any(|t| {
                            t.split_once('=')
                                .is_some_and(|(k, rest)| k == *w && value_is(rest, v))
                        })
                }
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
        let ran: Vec<Ran> = commands
            .iter()
            .map(|line| Ran {
                line,
                failed: false,
            })
            .collect();
        eval_ran(pg, &ran, check)
    }

    fn eval_ran(pg: &Playground, ran: &[Ran], check: &str) -> Outcome {
        let check = Check::parse(check).expect("parses");
        check.evaluate(&Context {
            cluster: &pg.cluster,
            commands: ran,
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
    fn keys_latest_values_and_counts() {
        // Kafka's murmur2 partitioner (`BuiltInPartitioner.partitionForKey`) sends alice to
        // partition 0 and erin to partition 2 of 3, as `key … in` above relies on.
        let pg = cluster_after(
            "kafka-topics.sh --bootstrap-server localhost:9092 --create --topic users --partitions 3\n\
             printf 'alice:1\\nerin:5\\nalice:2\\nalice:3\\n' | kafka-console-producer.sh --bootstrap-server localhost:9092 --topic users --property parse.key=true --property key.separator=:",
        );
        assert!(eval(&pg, &[], "key alice latest in users = 3").passed());
        assert_eq!(
            eval(&pg, &[], "key alice latest in users = 1"),
            Outcome::Fail("the latest value of key alice in users is '3'".into())
        );
        assert!(eval(&pg, &[], "key alice latest in users != 1").passed());
        assert!(eval(&pg, &[], "key alice records in users 3").passed());
        assert!(eval(&pg, &[], "key erin records in users < 2").passed());
        let erin = eval(&pg, &[], "key erin partition in users 0");
        let Outcome::Fail(why) = erin else {
            panic!("erin is not in partition 0");
        };
        assert!(
            why.starts_with("the partition of key erin in users is "),
            "{why}"
        );
        assert_eq!(
            eval(&pg, &[], "key bob latest in users = 1"),
            Outcome::Fail("no record with key bob in users".into())
        );
    }

    #[test]
    fn quantities_compare_with_each_other() {
        let pg = cluster_after(
            "kafka-topics.sh --bootstrap-server localhost:9092 --create --topic a --partitions 1\n\
             kafka-topics.sh --bootstrap-server localhost:9092 --create --topic b --partitions 1\n\
             printf '1\\n2\\n3\\n' | kafka-console-producer.sh --bootstrap-server localhost:9092 --topic b\n\
             kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic b --group g --from-beginning --max-messages 1",
        );
        assert!(eval(&pg, &[], "partition b 0 log-end > partition a 0 log-end").passed());
        assert_eq!(
            eval(&pg, &[], "partition a 0 log-end >= partition b 0 log-end"),
            Outcome::Fail(
                "the log end offset of a-0 is 0, expected at least the log end offset of b-0 (3)"
                    .into()
            )
        );
        // Lag per partition: one of three records read.
        assert!(eval(&pg, &[], "group g lag b 0 2").passed());
        assert!(eval(&pg, &[], "group g lag b 0 > 1").passed());
        assert!(eval(&pg, &[], "group g lag b 2").passed());
        assert_eq!(
            eval(&pg, &[], "group g lag b 0 = 1"),
            Outcome::Fail("the lag of g on b-0 is 2, expected 1".into())
        );
        assert!(eval(&pg, &[], "group g lag b 0 = group g lag b").passed());
        assert!(eval(&pg, &[], "brokers >= quorum leader").passed());
        assert!(eval(&pg, &[], "quorum leader >= 1").passed());
    }

    #[test]
    fn alternatives_negation_and_messages() {
        let pg = cluster_after(
            "kafka-topics.sh --bootstrap-server localhost:9092 --create --topic b --partitions 1",
        );
        assert!(eval(&pg, &[], "topic a exists or topic b exists").passed());
        assert_eq!(
            eval(&pg, &[], "topic a exists or topic c exists"),
            Outcome::Fail("there is no topic a; and there is no topic c".into())
        );
        assert!(eval(&pg, &[], "topic a exists or not topic c exists").passed());
        let mut check = Check::parse("topic b partitions 3").expect("parses");
        check.message = Some("b needs three partitions for the three consumers".into());
        let outcome = check.evaluate(&Context {
            cluster: &pg.cluster,
            commands: &[],
        });
        assert_eq!(
            outcome,
            Outcome::Fail("b needs three partitions for the three consumers".into())
        );
    }

    #[test]
    fn broker_configs_are_effective_values() {
        // `kafka-configs.sh --alter --entity-type brokers --entity-default` sets the
        // cluster-wide dynamic default; a per-broker value wins over it (DynamicBrokerConfig).
        let pg = cluster_after(
            "kafka-configs.sh --bootstrap-server localhost:9092 --alter --entity-type brokers --entity-default --add-config log.retention.ms=60000\n\
             kafka-configs.sh --bootstrap-server localhost:9092 --alter --entity-type brokers --entity-name 2 --add-config log.retention.ms=1000",
        );
        assert!(eval(&pg, &[], "broker 1 config log.retention.ms = 60000").passed());
        assert!(eval(&pg, &[], "broker 2 config log.retention.ms = 1000").passed());
        assert_eq!(
            eval(&pg, &[], "broker 3 config log.retention.ms = 1000"),
            Outcome::Fail("log.retention.ms of broker 3 is '60000'".into())
        );
        // The built-in default (ServerLogConfigs.LOG_CLEANUP_POLICY_DEFAULT).
        assert!(eval(&pg, &[], "broker 1 config log.cleanup.policy = delete").passed());
    }

    #[test]
    fn group_assignment_names_the_owner() {
        // Typed line by line, so the background consumer is still running when checked.
        let mut pg = Playground::scripted(Cluster::new(ClusterConfig::default()));
        let mut terminal = Terminal::batch();
        for line in [
            "kafka-topics.sh --bootstrap-server localhost:9092 --create --topic t --partitions 2",
            "kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic t --group g &",
            "playground advance 5s",
        ] {
            terminal.enter(&mut pg, line);
        }
        // The console consumer's client id (ConsoleConsumerOptions: "console-consumer").
        assert!(eval(&pg, &[], "group g assigns t 0 to console-consumer").passed());
        assert!(eval(&pg, &[], "group g assigns t 1 to console-consumer").passed());
        let Outcome::Fail(why) = eval(&pg, &[], "group g assigns t 1 to bob") else {
            panic!("bob owns nothing");
        };
        assert!(why.starts_with("t-1 is assigned to "), "{why}");
        assert!(why.ends_with("(client id console-consumer)"), "{why}");
        assert_eq!(
            eval(&pg, &[], "group nope assigns t 0 to console-consumer"),
            Outcome::Fail("group nope has no members".into())
        );
    }

    #[test]
    fn ran_ties_values_to_options_and_skips_failures() {
        let pg = cluster_after("");
        let line = "kafka-topics.sh --bootstrap-server localhost:9092 --create --topic orders --partitions 6 --replication-factor 3";
        let ok = [Ran {
            line,
            failed: false,
        }];
        assert!(eval_ran(&pg, &ok, "ran kafka-topics.sh --create --partitions 6").passed());
        assert!(eval_ran(&pg, &ok, "ran kafka-topics.sh --partitions=6 --create").passed());
        assert!(!eval_ran(&pg, &ok, "ran kafka-topics.sh --partitions 3").passed());
        assert!(eval_ran(&pg, &ok, "ran kafka-topics.sh --topic orders").passed());
        // The old form: words anywhere.
        assert!(eval_ran(&pg, &ok, "ran kafka-topics.sh orders --create").passed());
        let eq = [Ran {
            line: "kafka-topics.sh --bootstrap-server localhost:9092 --create --topic=orders",
            failed: false,
        }];
        assert!(eval_ran(&pg, &eq, "ran kafka-topics.sh --topic orders").passed());
        let failed = [Ran {
            line: "kafka-topics.sh --bootstrap-server localhost:9092 --delete --topic scratch",
            failed: true,
        }];
        assert_eq!(
            eval_ran(&pg, &failed, "ran kafka-topics.sh --delete"),
            Outcome::Fail(
                "no command like 'kafka-topics.sh --delete' has been run yet (commands that failed do not count)"
                    .into()
            )
        );
        let props = [Ran {
            line: "kafka-console-consumer.sh --topic t --property print.key=true",
            failed: false,
        }];
        assert!(
            eval_ran(
                &pg,
                &props,
                "ran kafka-console-consumer.sh --property print.key"
            )
            .passed()
        );
        assert!(eval_ran(&pg, &props, "ran kafka-console-consumer.sh print.key").passed());
    }

    #[test]
    fn answers_are_judged_without_giving_them_away() {
        let pg = cluster_after(
            "kafka-topics.sh --bootstrap-server localhost:9092 --create --topic users --partitions 3\n\
             echo erin:1 | kafka-console-producer.sh --bootstrap-server localhost:9092 --topic users --property parse.key=true --property key.separator=:",
        );
        let check = "answer = key erin partition in users";
        assert_eq!(
            eval(&pg, &[], check),
            Outcome::Fail(
                "no answer yet: answer in the panel (or type `playground answer …`)".into()
            )
        );
        let Outcome::Pass = eval(&pg, &[], "key erin partition in users >= 0") else {
            panic!("erin was written");
        };
        let right = (0..3)
            .find(|p| eval(&pg, &[], &format!("key erin in users {p}")).passed())
            .expect("erin is somewhere");
        let wrong = (right + 1) % 3;
        let answered = |a: i32| vec![format!("playground answer {a}")];
        assert!(eval(&pg, &answered(right), check).passed());
        assert_eq!(
            eval(&pg, &answered(wrong), check),
            Outcome::Fail(format!("{wrong} is not the answer"))
        );
        // The latest answer counts.
        let both = vec![answered(wrong).remove(0), answered(right).remove(0)];
        assert!(eval(&pg, &both, check).passed());
        let text = vec!["playground answer  \"Log Compaction\"".to_string()];
        assert!(eval(&pg, &text, "answer is log compaction").passed());
        assert_eq!(
            eval(&pg, &text, "answer is retention"),
            Outcome::Fail("'Log Compaction' is not the answer".into())
        );
        let typed = vec!["playground answer 'An order’s events'".to_string()];
        assert!(eval(&pg, &typed, "answer is An order's events").passed());
        assert_eq!(answer_of("playground answer"), None);
        assert_eq!(answer_of("playground answers 2"), None);
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
        assert!(Check::parse("key a latest users = 1").is_err());
        assert!(Check::parse("group g assigns t 0 alice").is_err());
        assert!(Check::parse("quorum size 3").is_err());
        assert!(Check::parse("answer is").is_err());
        assert!(Check::parse("topic t partitions > topic").is_err());
        assert!(Check::parse("topic a exists or").is_err());
    }
}
