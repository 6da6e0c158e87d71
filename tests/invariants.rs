//! Invariant tests over generated sequences of console commands and failures, typed into a
//! terminal exactly as a learner would: topics created, altered and deleted; keyed records
//! produced with acks 0, 1 and all; consumers in groups, in the foreground and as background
//! jobs (`&`, `kill %N`, `kill -9 %N`); `sleep`; offset resets; delete-records; config alters;
//! brokers stopped, killed, started, isolated and healed; `playground advance`.
//!
//! After every command:
//! - each partition's offsets are increasing, and dense unless the topic was ever compacted;
//! - the high watermark is at most every in-sync replica's log end (and the log end);
//! - committed offsets lie within `[0, log end]` of a partition that exists;
//! - in a Stable group, every partition of every subscribed topic is assigned to exactly one
//!   member;
//! - no record acknowledged with `acks=all` is lost (elections are clean: no unclean election
//!   is ever asked for), unless deleted on purpose (delete-records, retention, topic deletion);
//! - the playground survives a snapshot: its JSON decodes to an equal state.
//!
//! And per sequence: the same seed and commands give the same transcript, also when the
//! playground is replaced mid-way by its own JSON round trip (what a browser reload does).
//!
//! The sequences are `proptest` strategies: a failure shrinks to the shortest sequence of
//! commands that still breaks an invariant, printed with its transcript. The test command runs
//! 10,000 sequences; `PROPTEST_CASES=100000 cargo test --release --test invariants` runs that
//! many per test (`PROPTEST_RNG_SEED` picks another series).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::collections::{BTreeMap, BTreeSet};

use kafka_playground::console::{Playground, Terminal};
use kafka_playground::engine::group::GroupState;
use kafka_playground::engine::{Cluster, ClusterConfig, TopicId};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::{Index, select};
use proptest::strategy::Union;
use proptest::test_runner::TestCaseError;

const TOPICS: &[&str] = &["a", "b", "c"];
const GROUPS: &[&str] = &["g1", "g2"];
const BOOTSTRAP: &str = "--bootstrap-server localhost:9092";

/// A record the console producer acknowledged with `acks=all`, and where it landed.
#[derive(Debug, Clone)]
struct Acked {
    topic: String,
    topic_id: TopicId,
    partition: i32,
    offset: i64,
    value: String,
}

/// One run of a sequence: the playground, the terminal, what was printed, what was promised.
struct World {
    pg: Playground,
    terminal: Terminal,
    transcript: String,
    acked: Vec<Acked>,
    /// Topics (by id) that were compacted at some point: their offsets may have gaps and their
    /// acknowledged records may have been replaced by later ones with the same key.
    ever_compacted: BTreeSet<TopicId>,
    /// Each topic's identity and partition count, and when it last changed (creation,
    /// deletion, added partitions): a group's consumers learn of it at their next metadata
    /// refresh, so until then a Stable group may still hold the older assignment.
    topic_shapes: BTreeMap<String, (Option<TopicId>, usize, i64)>,
    next_value: u64,
    /// Whether consumers join groups. Sequences without groups read by partition and never
    /// create `__consumer_offsets`, whose 50 partitions make every step of the cluster's
    /// clock ten times dearer (in a debug build).
    groups: bool,
}

/// How long a Stable group's assignment may lag a topic change: the consumers' metadata
/// refresh (`metadata.max.age.ms`, 5 min) plus a session timeout (45 s) for members that died
/// without leaving.
const METADATA_LAG_MS: i64 = 300_000 + 45_000;

impl World {
    fn new(seed: u64, groups: bool) -> Self {
        World {
            pg: Playground::scripted(Cluster::new(ClusterConfig {
                seed,
                ..ClusterConfig::default()
            })),
            terminal: Terminal::batch(),
            transcript: String::new(),
            acked: Vec::new(),
            ever_compacted: BTreeSet::new(),
            topic_shapes: BTreeMap::new(),
            next_value: 0,
            groups,
        }
    }

    fn run(&mut self, command: &str) -> String {
        let out = self.terminal.enter(&mut self.pg, command).text();
        self.transcript.push_str("$ ");
        self.transcript.push_str(command);
        self.transcript.push('\n');
        self.transcript.push_str(&out);
        self.note_changes();
        out
    }

    fn note_changes(&mut self) {
        let c = &self.pg.cluster;
        let now = c.now_ms();
        for name in TOPICS {
            let shape = c
                .topic(name)
                .map_or((None, 0), |t| (Some(t.id()), t.partitions().len()));
            let known = self.topic_shapes.get(*name).map(|(id, n, _)| (*id, *n));
            if known.as_ref() != Some(&shape) {
                self.topic_shapes
                    .insert(name.to_string(), (shape.0, shape.1, now));
            }
        }
        for t in c.topics() {
            if c.topic_config_str(t, "cleanup.policy")
                .is_some_and(|p| p.contains("compact"))
            {
                self.ever_compacted.insert(t.id());
            }
        }
    }

    /// Where a just-acknowledged value is in its topic's log.
    fn locate(&self, topic: &str, value: &str) -> Option<Acked> {
        let t = self.pg.cluster.topic(topic)?;
        t.partitions().iter().find_map(|p| {
            p.log()
                .records()
                .iter()
                .find(|r| r.value == Some(value.as_bytes()))
                .map(|r| Acked {
                    topic: topic.to_string(),
                    topic_id: t.id(),
                    partition: p.index(),
                    offset: r.offset,
                    value: value.to_string(),
                })
        })
    }
}

/// One command of a sequence (two for `DeleteRecords`: the offsets file, then the tool).
/// Produces are one record per command so each acknowledgement is known (the console producer
/// prints nothing on success and an ERROR line on failure).
#[derive(Debug, Clone)]
enum Step {
    CreateTopic {
        topic: &'static str,
        partitions: u32,
        replication_factor: u32,
        config: &'static str,
    },
    Produce {
        topic: &'static str,
        key: u32,
        acks: &'static str,
        /// Short client timeouts: a producer waiting out a 2-minute delivery timeout for a
        /// leader runs the cluster's clock through hundreds of steps.
        short_timeouts: bool,
    },
    /// Reads with `--group` in sequences with groups, else with `--partition`.
    Consume {
        topic: &'static str,
        group: &'static str,
        partition: u32,
        from_beginning: bool,
        limit: String,
        background: bool,
    },
    /// Kills one of the running jobs (`%1` when there is none).
    KillJob {
        job: Index,
        signal_9: bool,
    },
    Sleep(u32),
    ResetOffsets {
        group: &'static str,
        topic: &'static str,
        how: String,
    },
    DeleteRecords {
        topic: &'static str,
        partition: u32,
        offset: u32,
    },
    AlterConfig {
        topic: &'static str,
        change: &'static str,
    },
    Broker {
        action: &'static str,
        broker: u32,
    },
    Advance(&'static str),
    AddPartitions {
        topic: &'static str,
        partitions: u32,
    },
    DeleteTopic(&'static str),
    DescribeGroup(&'static str),
    DescribeTopics,
}

fn topic() -> impl Strategy<Value = &'static str> + Clone {
    select(TOPICS)
}

fn group() -> impl Strategy<Value = &'static str> + Clone {
    select(GROUPS)
}

/// The commands a learner types, weighted as they are typed. Offset resets and group
/// descriptions only in sequences with groups.
fn step(groups: bool) -> impl Strategy<Value = Step> {
    let create = (
        topic(),
        1..=4u32,
        1..=3u32,
        prop_oneof![
            3 => Just(""),
            1 => Just(" --config min.insync.replicas=2"),
            1 => Just(" --config cleanup.policy=compact"),
            1 => Just(" --config segment.bytes=200"),
        ],
    )
        .prop_map(
            |(topic, partitions, replication_factor, config)| Step::CreateTopic {
                topic,
                partitions,
                replication_factor,
                config,
            },
        );
    let produce = (
        topic(),
        0..5u32,
        select(&["0", "1", "all", "all", "all"][..]),
        prop::bool::weighted(0.8),
    )
        .prop_map(|(topic, key, acks, short_timeouts)| Step::Produce {
            topic,
            key,
            acks,
            short_timeouts,
        });
    let limit = prop_oneof![
        Just(String::new()),
        (1..=5u32).prop_map(|n| format!(" --max-messages {n}")),
        (1..=10u32).prop_map(|s| format!(" --timeout-ms {}", 1000 * s)),
    ];
    let consume = (
        topic(),
        group(),
        0..3u32,
        any::<bool>(),
        limit,
        prop::bool::weighted(1.0 / 3.0),
    )
        .prop_map(
            |(topic, group, partition, from_beginning, limit, background)| Step::Consume {
                topic,
                group,
                partition,
                from_beginning,
                limit,
                background,
            },
        );
    let kill =
        (any::<Index>(), any::<bool>()).prop_map(|(job, signal_9)| Step::KillJob { job, signal_9 });
    let how = prop_oneof![
        Just("--to-current".to_string()),
        Just("--to-earliest".to_string()),
        Just("--to-latest".to_string()),
        (0..4u32).prop_map(|n| format!("--shift-by -{n}")),
        (0..8u32).prop_map(|n| format!("--to-offset {n}")),
    ];
    let reset = (group(), topic(), how).prop_map(|(group, topic, how)| Step::ResetOffsets {
        group,
        topic,
        how,
    });
    let delete_records =
        (topic(), 0..3u32, 0..6u32).prop_map(|(topic, partition, offset)| Step::DeleteRecords {
            topic,
            partition,
            offset,
        });
    let change = select(
        &[
            "--add-config min.insync.replicas=2",
            "--add-config min.insync.replicas=1",
            "--add-config cleanup.policy=compact",
            "--add-config segment.bytes=150",
            "--add-config retention.ms=3600000",
            "--add-config max.message.bytes=60",
            "--delete-config max.message.bytes",
            "--delete-config min.insync.replicas",
        ][..],
    );
    let alter = (topic(), change).prop_map(|(topic, change)| Step::AlterConfig { topic, change });
    let broker = (
        select(&["stop", "kill", "start", "start", "isolate", "heal"][..]),
        1..=3u32,
    )
        .prop_map(|(action, broker)| Step::Broker { action, broker });
    let advance = select(&["500ms", "5s", "20s", "1m", "10m", "2h"][..]).prop_map(Step::Advance);
    let add_partitions = (topic(), 2..=5u32)
        .prop_map(|(topic, partitions)| Step::AddPartitions { topic, partitions });
    let mut options: Vec<(u32, BoxedStrategy<Step>)> = vec![
        // Without groups, the weight of the group commands goes to a description.
        (
            if groups { 1 } else { 4 },
            Just(Step::DescribeTopics).boxed(),
        ),
        (5, create.boxed()),
        (10, produce.boxed()),
        (4, consume.boxed()),
        (2, kill.boxed()),
        (2, (1..=20u32).prop_map(Step::Sleep).boxed()),
        (1, delete_records.boxed()),
        (2, alter.boxed()),
        (6, broker.boxed()),
        (2, advance.boxed()),
        (1, add_partitions.boxed()),
        (1, topic().prop_map(Step::DeleteTopic).boxed()),
    ];
    if groups {
        options.push((2, reset.boxed()));
        options.push((1, group().prop_map(Step::DescribeGroup).boxed()));
    }
    Union::new_weighted(options)
}

impl World {
    /// Types one step; `Err` when a record acknowledged with acks=all is not in its log.
    fn apply(&mut self, step: &Step) -> Result<(), String> {
        match step {
            Step::CreateTopic {
                topic,
                partitions,
                replication_factor,
                config,
            } => {
                self.run(&format!(
                    "kafka-topics.sh {BOOTSTRAP} --create --topic {topic} --partitions {partitions} --replication-factor {replication_factor}{config}"
                ));
            }
            Step::Produce {
                topic,
                key,
                acks,
                short_timeouts,
            } => {
                self.next_value += 1;
                let value = format!("v{}", self.next_value);
                let timeouts = if *short_timeouts {
                    " --producer-property request.timeout.ms=1500 --producer-property delivery.timeout.ms=3000 --producer-property max.block.ms=3000"
                } else {
                    ""
                };
                let out = self.run(&format!(
                    "echo 'k{key}:{value}' | kafka-console-producer.sh {BOOTSTRAP} --topic {topic} --property parse.key=true --property key.separator=: --request-required-acks {acks}{timeouts}"
                ));
                let failed = out.contains("ERROR") || out.contains("Exception");
                if *acks == "all" && !failed {
                    match self.locate(topic, &value) {
                        Some(a) => self.acked.push(a),
                        None => {
                            return Err(format!(
                                "an acknowledged record ({value}) is not in {topic}'s log"
                            ));
                        }
                    }
                }
            }
            Step::Consume {
                topic,
                group,
                partition,
                from_beginning,
                limit,
                background,
            } => {
                let from = if *from_beginning {
                    " --from-beginning"
                } else {
                    ""
                };
                let background = if *background { " &" } else { "" };
                let source = if self.groups {
                    format!("--group {group}")
                } else {
                    format!("--partition {partition}")
                };
                self.run(&format!(
                    "kafka-console-consumer.sh {BOOTSTRAP} --topic {topic} {source}{from}{limit}{background}"
                ));
            }
            Step::KillJob { job, signal_9 } => {
                let jobs = self.terminal.jobs();
                let target = if jobs.is_empty() {
                    "%1".to_string()
                } else {
                    format!("%{}", job.get(&jobs).0)
                };
                let signal = if *signal_9 { "-9 " } else { "" };
                self.run(&format!("kill {signal}{target}"));
            }
            Step::Sleep(seconds) => {
                self.run(&format!("sleep {seconds}"));
            }
            Step::ResetOffsets { group, topic, how } => {
                self.run(&format!(
                    "kafka-consumer-groups.sh {BOOTSTRAP} --group {group} --reset-offsets {how} --topic {topic} --execute"
                ));
            }
            Step::DeleteRecords {
                topic,
                partition,
                offset,
            } => {
                self.run(&format!(
                    "echo '{{\"partitions\":[{{\"topic\":\"{topic}\",\"partition\":{partition},\"offset\":{offset}}}],\"version\":1}}' > d.json"
                ));
                self.run(&format!(
                    "kafka-delete-records.sh {BOOTSTRAP} --offset-json-file d.json"
                ));
            }
            Step::AlterConfig { topic, change } => {
                self.run(&format!(
                    "kafka-configs.sh {BOOTSTRAP} --alter --entity-type topics --entity-name {topic} {change}"
                ));
            }
            Step::Broker { action, broker } => {
                self.run(&format!("playground broker {action} {broker}"));
            }
            Step::Advance(by) => {
                self.run(&format!("playground advance {by}"));
            }
            Step::AddPartitions { topic, partitions } => {
                self.run(&format!(
                    "kafka-topics.sh {BOOTSTRAP} --alter --topic {topic} --partitions {partitions}"
                ));
            }
            Step::DeleteTopic(topic) => {
                self.run(&format!(
                    "kafka-topics.sh {BOOTSTRAP} --delete --topic {topic}"
                ));
            }
            Step::DescribeGroup(group) => {
                self.run(&format!(
                    "kafka-consumer-groups.sh {BOOTSTRAP} --describe --group {group}"
                ));
            }
            Step::DescribeTopics => {
                self.run(&format!("kafka-topics.sh {BOOTSTRAP} --describe"));
            }
        }
        Ok(())
    }
}

/// Checks every invariant but the snapshot's; `Err` says which one broke and where.
fn check(world: &World) -> Result<(), String> {
    let c = &world.pg.cluster;
    for t in c.topics() {
        let gaps_allowed = world.ever_compacted.contains(&t.id());
        for p in t.partitions() {
            let tp = format!("{}-{}", t.name(), p.index());
            let (start, end) = (p.log_start_offset(), p.log_end_offset());
            let mut previous = None;
            for (i, r) in p.log().records().iter().enumerate() {
                if gaps_allowed {
                    if previous.is_some_and(|o| r.offset <= o) || r.offset < start {
                        return Err(format!("{tp}: offset {} out of order", r.offset));
                    }
                } else if r.offset != start + i as i64 {
                    return Err(format!(
                        "{tp}: offsets not dense: record {i} has offset {}, log start {start}",
                        r.offset
                    ));
                }
                previous = Some(r.offset);
            }
            if previous.is_some_and(|o| o >= end) || start > end {
                return Err(format!("{tp}: log start {start} / end {end} inconsistent"));
            }
            let hw = p.high_watermark();
            if hw > end || hw < start {
                return Err(format!(
                    "{tp}: high watermark {hw} outside [{start}, {end}]"
                ));
            }
            for b in p.isr() {
                if hw > p.replica_log_end(*b) {
                    return Err(format!(
                        "{tp}: high watermark {hw} beyond in-sync replica {b}'s log end {}",
                        p.replica_log_end(*b)
                    ));
                }
            }
        }
    }
    let store = c.offset_store();
    for group in store.group_ids() {
        for (tp, committed) in store.offsets(group) {
            let Some(p) = c.topic(&tp.topic).and_then(|t| t.partition(tp.partition)) else {
                return Err(format!("{group}: offset committed for missing {tp}"));
            };
            if committed.offset < 0 || committed.offset > p.log_end_offset() {
                return Err(format!(
                    "{group}: committed offset {} for {tp} outside [0, {}]",
                    committed.offset,
                    p.log_end_offset()
                ));
            }
        }
    }
    for id in c.group_ids() {
        let Some(g) = c.group(&id) else { continue };
        if g.state() != GroupState::Stable {
            continue;
        }
        let mut owners: BTreeMap<(String, i32), Vec<&str>> = BTreeMap::new();
        for m in g.members().values() {
            for tp in &m.assignment {
                owners
                    .entry((tp.topic.clone(), tp.partition))
                    .or_default()
                    .push(&m.member_id);
            }
        }
        for ((topic, partition), who) in &owners {
            if who.len() > 1 {
                return Err(format!(
                    "group {id} (Stable): {topic}-{partition} assigned to {} members",
                    who.len()
                ));
            }
        }
        let rebalanced_at = g.history().last().map_or(i64::MIN, |r| r.at_ms);
        let subscribed: BTreeSet<&String> = g.members().values().flat_map(|m| &m.topics).collect();
        for topic in subscribed {
            let Some(t) = c.topic(topic) else { continue };
            let changed_at = world.topic_shapes.get(topic).map_or(i64::MIN, |s| s.2);
            if changed_at >= rebalanced_at && c.now_ms() - changed_at <= METADATA_LAG_MS {
                continue; // the members have not refreshed their metadata yet
            }
            for p in t.partitions() {
                let who = owners.get(&(topic.clone(), p.index())).map_or(0, Vec::len);
                if who != 1 {
                    return Err(format!(
                        "group {id} (Stable, generation {}): {topic}-{} assigned to {who} members",
                        g.generation_id(),
                        p.index()
                    ));
                }
            }
        }
    }
    for a in &world.acked {
        let Some(t) = c.topic(&a.topic).filter(|t| t.id() == a.topic_id) else {
            continue; // the topic was deleted
        };
        if world.ever_compacted.contains(&t.id()) {
            continue;
        }
        let Some(p) = t.partition(a.partition) else {
            return Err(format!("{}-{} vanished", a.topic, a.partition));
        };
        if a.offset < p.log_start_offset() {
            continue; // deleted on purpose (delete-records, retention)
        }
        let found = p.log().read(a.offset, 1).first();
        if !found.is_some_and(|r| r.offset == a.offset && r.value == Some(a.value.as_bytes())) {
            return Err(format!(
                "acknowledged acks=all record {} at {}-{}@{} was lost",
                a.value, a.topic, a.partition, a.offset
            ));
        }
    }
    Ok(())
}

/// The playground's JSON snapshot decodes to an equal playground.
fn check_snapshot(world: &World) -> Result<(), String> {
    let json = serde_json::to_string(&world.pg).unwrap();
    let back: Playground = serde_json::from_str(&json).map_err(|e| e.to_string())?;
    if back != world.pg {
        return Err("the snapshot does not restore an equal playground".into());
    }
    Ok(())
}

/// How much a run checks.
#[derive(Clone, Copy, PartialEq)]
enum Checks {
    /// Only that acknowledged records are where they were acknowledged (a replay, compared by
    /// its transcript).
    Off,
    /// The invariants after every step, the snapshot at the end.
    Invariants,
    /// The invariants and the snapshot after every step.
    All,
}

/// Commands typed into a fresh playground whose cluster is seeded with `seed`.
#[derive(Debug, Clone)]
struct Sequence {
    seed: u64,
    steps: Vec<Step>,
}

fn sequence(groups: bool) -> impl Strategy<Value = Sequence> {
    // Mostly short sequences, some long ones (state piles up: groups, jobs, failures).
    let steps = prop_oneof![
        23 => vec(step(groups), 1..=10),
        2 => vec(step(groups), 1..=30),
    ];
    (any::<u64>(), steps).prop_map(|(seed, steps)| Sequence { seed, steps })
}

/// Runs a sequence and returns its transcript; with `reload_at`, the playground is replaced by
/// its JSON round trip before that step (when no job is running, as a reload loses running
/// jobs). `Err` says which invariant broke, after which step, and what was typed and printed.
fn run_sequence(
    sequence: &Sequence,
    groups: bool,
    reload_at: Option<usize>,
    checks: Checks,
) -> Result<String, TestCaseError> {
    let mut world = World::new(sequence.seed, groups);
    let steps = sequence.steps.len();
    for (i, step) in sequence.steps.iter().enumerate() {
        if reload_at == Some(i) && world.terminal.jobs().is_empty() {
            let json = serde_json::to_string(&world.pg).unwrap();
            world.pg = serde_json::from_str(&json).expect("decodes");
        }
        let mut result = world.apply(step);
        if checks != Checks::Off {
            result = result.and_then(|()| check(&world));
            if checks == Checks::All || i + 1 == steps {
                result = result.and_then(|()| check_snapshot(&world));
            }
        }
        if let Err(broken) = result {
            return Err(TestCaseError::fail(format!(
                "after step {i}: {broken}\n--- transcript ---\n{}",
                world.transcript
            )));
        }
    }
    world
        .transcript
        .push_str(&world.terminal.end_of_script(&mut world.pg).text());
    Ok(world.transcript)
}

proptest! {
    // Without groups: four fifths of the sequences (see `World::groups`).
    #![proptest_config(common::config(8_000))]

    #[test]
    fn command_sequences_keep_every_invariant(sequence in sequence(false)) {
        run_sequence(&sequence, false, None, Checks::Invariants)?;
    }
}

proptest! {
    #![proptest_config(common::config(1_000))]

    #[test]
    fn command_sequences_with_groups_keep_every_invariant(sequence in sequence(true)) {
        run_sequence(&sequence, true, None, Checks::Invariants)?;
    }

    /// The snapshot after every step, and the same seed and commands give the same
    /// transcript, also across a reload from the snapshot. (A snapshot and a replay cost more
    /// than the steps they check.)
    #[test]
    fn replays_print_the_same_transcript_also_across_a_reload(
        sequence in sequence(true),
        reload_at in any::<Index>(),
    ) {
        let first = run_sequence(&sequence, true, None, Checks::All)?;
        let reload_at = reload_at.index(sequence.steps.len());
        let again = run_sequence(&sequence, true, Some(reload_at), Checks::Off)?;
        prop_assert!(
            first == again,
            "the replay (reloaded before step {}) printed something else\n--- first ---\n{}\n--- replay ---\n{}",
            reload_at,
            first,
            again
        );
    }
}
