//! Invariant tests over random sequences of console commands and failures, typed into a
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
//! `cargo test` runs [`SHORT_RUN`] sequences; `INVARIANT_SEQUENCES=100000 cargo test --release
//! --test invariants` runs more (`INVARIANT_SEED` picks another series).

use std::collections::{BTreeMap, BTreeSet};

use kafka_playground::console::{Playground, Terminal};
use kafka_playground::engine::group::GroupState;
use kafka_playground::engine::{Cluster, ClusterConfig, Rng, TopicId};

/// Sequences in the test command's run.
const SHORT_RUN: u64 = 10_000;

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
                .map_or((None, 0), |t| (Some(t.id), t.partitions.len()));
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
                self.ever_compacted.insert(t.id);
            }
        }
    }

    /// Where a just-acknowledged value is in its topic's log.
    fn locate(&self, topic: &str, value: &str) -> Option<Acked> {
        let t = self.pg.cluster.topic(topic)?;
        t.partitions.iter().find_map(|p| {
            p.log
                .records()
                .iter()
                .find(|r| r.value == Some(value.as_bytes()))
                .map(|r| Acked {
                    topic: topic.to_string(),
                    topic_id: t.id,
                    partition: p.index,
                    offset: r.offset,
                    value: value.to_string(),
                })
        })
    }
}

fn pick<'a>(rng: &mut Rng, list: &[&'a str]) -> &'a str {
    list[rng.below(list.len() as u32) as usize]
}

/// One random step. Produces are one record per command so each acknowledgement is known
/// (the console producer prints nothing on success and an ERROR line on failure).
fn step(world: &mut World, rng: &mut Rng) -> String {
    let topic = pick(rng, TOPICS);
    let group = pick(rng, GROUPS);
    let broker = 1 + rng.below(3);
    match rng.below(40) {
        0..=4 => {
            let partitions = 1 + rng.below(4);
            let rf = 1 + rng.below(3);
            let config = match rng.below(6) {
                0 => " --config min.insync.replicas=2",
                1 => " --config cleanup.policy=compact",
                2 => " --config segment.bytes=200",
                _ => "",
            };
            world.run(&format!(
                "kafka-topics.sh {BOOTSTRAP} --create --topic {topic} --partitions {partitions} --replication-factor {rf}{config}"
            ))
        }
        5..=14 => {
            let acks = pick(rng, &["0", "1", "all", "all", "all"]);
            let key = rng.below(5);
            world.next_value += 1;
            let value = format!("v{}", world.next_value);
            // Mostly short client timeouts: a producer waiting out a 2-minute delivery timeout
            // for a leader runs the cluster's clock through hundreds of steps.
            let timeouts = if rng.below(5) == 0 {
                ""
            } else {
                " --producer-property request.timeout.ms=1500 --producer-property delivery.timeout.ms=3000 --producer-property max.block.ms=3000"
            };
            let out = world.run(&format!(
                "echo 'k{key}:{value}' | kafka-console-producer.sh {BOOTSTRAP} --topic {topic} --property parse.key=true --property key.separator=: --request-required-acks {acks}{timeouts}"
            ));
            let failed = out.contains("ERROR") || out.contains("Exception");
            if acks == "all" && !failed {
                match world.locate(topic, &value) {
                    Some(a) => world.acked.push(a),
                    None => panic!(
                        "an acknowledged record ({value}) is not in {topic}'s log\n{}",
                        world.transcript
                    ),
                }
            }
            out
        }
        15..=18 => {
            let from = if rng.below(2) == 0 {
                " --from-beginning"
            } else {
                ""
            };
            let limit = match rng.below(3) {
                0 => format!(" --max-messages {}", 1 + rng.below(5)),
                1 => format!(" --timeout-ms {}", 1000 * (1 + rng.below(10))),
                _ => String::new(),
            };
            let background = if rng.below(3) == 0 { " &" } else { "" };
            let source = if world.groups {
                format!("--group {group}")
            } else {
                format!("--partition {}", rng.below(3))
            };
            world.run(&format!(
                "kafka-console-consumer.sh {BOOTSTRAP} --topic {topic} {source}{from}{limit}{background}"
            ))
        }
        19 | 20 => {
            let jobs = world.terminal.jobs();
            let target = match jobs.get(rng.below(jobs.len().max(1) as u32) as usize) {
                Some((n, _)) => format!("%{n}"),
                None => "%1".to_string(),
            };
            let signal = if rng.below(2) == 0 { "-9 " } else { "" };
            world.run(&format!("kill {signal}{target}"))
        }
        21 | 22 => world.run(&format!("sleep {}", 1 + rng.below(20))),
        23 | 24 if world.groups => {
            let how = match rng.below(5) {
                0 => "--to-earliest".to_string(),
                1 => "--to-latest".to_string(),
                2 => format!("--shift-by -{}", rng.below(4)),
                3 => format!("--to-offset {}", rng.below(8)),
                _ => "--to-current".to_string(),
            };
            world.run(&format!(
                "kafka-consumer-groups.sh {BOOTSTRAP} --group {group} --reset-offsets {how} --topic {topic} --execute"
            ))
        }
        25 => {
            let partition = rng.below(3);
            let offset = rng.below(6);
            world.run(&format!(
                "echo '{{\"partitions\":[{{\"topic\":\"{topic}\",\"partition\":{partition},\"offset\":{offset}}}],\"version\":1}}' > d.json"
            ));
            world.run(&format!(
                "kafka-delete-records.sh {BOOTSTRAP} --offset-json-file d.json"
            ))
        }
        26 | 27 => {
            let change = pick(
                rng,
                &[
                    "--add-config min.insync.replicas=2",
                    "--add-config min.insync.replicas=1",
                    "--add-config cleanup.policy=compact",
                    "--add-config segment.bytes=150",
                    "--add-config retention.ms=3600000",
                    "--add-config max.message.bytes=60",
                    "--delete-config max.message.bytes",
                    "--delete-config min.insync.replicas",
                ],
            );
            world.run(&format!(
                "kafka-configs.sh {BOOTSTRAP} --alter --entity-type topics --entity-name {topic} {change}"
            ))
        }
        28 => world.run(&format!("playground broker stop {broker}")),
        29 => world.run(&format!("playground broker kill {broker}")),
        30 | 31 => world.run(&format!("playground broker start {broker}")),
        32 => world.run(&format!("playground broker isolate {broker}")),
        33 => world.run(&format!("playground broker heal {broker}")),
        34 | 35 => {
            let by = pick(rng, &["500ms", "5s", "20s", "1m", "10m", "2h"]);
            world.run(&format!("playground advance {by}"))
        }
        36 => world.run(&format!(
            "kafka-topics.sh {BOOTSTRAP} --alter --topic {topic} --partitions {}",
            2 + rng.below(4)
        )),
        37 => world.run(&format!(
            "kafka-topics.sh {BOOTSTRAP} --delete --topic {topic}"
        )),
        38 if world.groups => world.run(&format!(
            "kafka-consumer-groups.sh {BOOTSTRAP} --describe --group {group}"
        )),
        _ => world.run(&format!("kafka-topics.sh {BOOTSTRAP} --describe")),
    }
}

/// Checks every invariant but the snapshot's; `Err` says which one broke and where.
fn check(world: &World) -> Result<(), String> {
    let c = &world.pg.cluster;
    for t in c.topics() {
        let gaps_allowed = world.ever_compacted.contains(&t.id);
        for p in &t.partitions {
            let tp = format!("{}-{}", t.name, p.index);
            let (start, end) = (p.log_start_offset(), p.log_end_offset());
            let mut previous = None;
            for (i, r) in p.log.records().iter().enumerate() {
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
            for b in &p.isr {
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
        if g.state != GroupState::Stable {
            continue;
        }
        let mut owners: BTreeMap<(String, i32), Vec<&str>> = BTreeMap::new();
        for m in g.members.values() {
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
        let rebalanced_at = g.history.last().map_or(i64::MIN, |r| r.at_ms);
        let subscribed: BTreeSet<&String> = g.members.values().flat_map(|m| &m.topics).collect();
        for topic in subscribed {
            let Some(t) = c.topic(topic) else { continue };
            let changed_at = world.topic_shapes.get(topic).map_or(i64::MIN, |s| s.2);
            if changed_at >= rebalanced_at && c.now_ms() - changed_at <= METADATA_LAG_MS {
                continue; // the members have not refreshed their metadata yet
            }
            for p in &t.partitions {
                let who = owners.get(&(topic.clone(), p.index)).map_or(0, Vec::len);
                if who != 1 {
                    return Err(format!(
                        "group {id} (Stable, generation {}): {topic}-{} assigned to {who} members",
                        g.generation_id, p.index
                    ));
                }
            }
        }
    }
    for a in &world.acked {
        let Some(t) = c.topic(&a.topic).filter(|t| t.id == a.topic_id) else {
            continue; // the topic was deleted
        };
        if world.ever_compacted.contains(&t.id) {
            continue;
        }
        let Some(p) = t.partition(a.partition) else {
            return Err(format!("{}-{} vanished", a.topic, a.partition));
        };
        if a.offset < p.log_start_offset() {
            continue; // deleted on purpose (delete-records, retention)
        }
        let found = p.log.read(a.offset, 1).first();
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
    /// None (a replay, compared by its transcript).
    Off,
    /// The invariants after every step, the snapshot at the end.
    Invariants,
    /// The invariants and the snapshot after every step.
    All,
}

/// Runs one sequence; with `reload_at`, the playground is replaced by its JSON round trip
/// before that step (when no job is running, as a reload loses running jobs).
fn run_sequence(
    seed: u64,
    groups: bool,
    steps: usize,
    reload_at: Option<usize>,
    checks: Checks,
) -> String {
    let mut rng = Rng::seeded(seed);
    let mut world = World::new(seed, groups);
    for i in 0..steps {
        if reload_at == Some(i) && world.terminal.jobs().is_empty() {
            let json = serde_json::to_string(&world.pg).unwrap();
            world.pg = serde_json::from_str(&json).expect("decodes");
        }
        step(&mut world, &mut rng);
        if checks == Checks::Off {
            continue;
        }
        let mut result = check(&world);
        if result.is_ok() && (checks == Checks::All || i + 1 == steps) {
            result = check_snapshot(&world);
        }
        if let Err(broken) = result {
            panic!(
                "seed {seed}, step {i}: {broken}\n--- transcript ---\n{}",
                world.transcript
            );
        }
    }
    world
        .transcript
        .push_str(&world.terminal.end_of_script(&mut world.pg).text());
    world.transcript
}

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

/// Runs sequence `n` of the series `base`; returns how many commands it ran.
fn run_numbered(base: u64, n: u64) -> usize {
    let seed = base.wrapping_mul(1_000_003).wrapping_add(n);
    let mut lengths = Rng::seeded(seed ^ 0x5eed);
    // Mostly short sequences, some long ones (state piles up: groups, jobs, failures).
    let steps = if n % 25 == 1 || n % 100 == 0 {
        20
    } else {
        3 + lengths.below(6) as usize
    };
    // A fifth of the sequences use consumer groups (see `World::groups`).
    let groups = n % 5 == 0;
    // Every tenth sequence also checks the snapshot after every step and is replayed: same
    // seed, same commands, same transcript — also across a reload from the snapshot. (A
    // snapshot and a replay cost more than the steps they check.)
    let thorough = n % 10 == 0;
    let checks = if thorough {
        Checks::All
    } else {
        Checks::Invariants
    };
    let first = run_sequence(seed, groups, steps, None, checks);
    if thorough {
        let reload_at = lengths.below(steps as u32) as usize;
        let again = run_sequence(seed, groups, steps, Some(reload_at), Checks::Off);
        assert_eq!(
            first, again,
            "seed {seed}: the replay (reloaded before step {reload_at}) printed something else"
        );
    }
    steps
}

#[test]
fn random_command_sequences_keep_every_invariant() {
    let sequences = env_number("INVARIANT_SEQUENCES").unwrap_or(SHORT_RUN);
    let base = env_number("INVARIANT_SEED").unwrap_or(0);
    let started = std::time::Instant::now();
    // Sequences are independent and seeded by their number, so they run on every core.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()) as u64;
    let commands: usize = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                scope.spawn(move || {
                    (t..sequences)
                        .step_by(threads as usize)
                        .map(|n| run_numbered(base, n))
                        .sum::<usize>()
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("a sequence failed (see its panic above)"))
            .sum()
    });
    eprintln!(
        "invariants: {sequences} sequences, {commands} commands, {:.1?}",
        started.elapsed()
    );
}
