//! The benchmark workloads, written once for both faces: `benches/workloads.rs` runs them
//! natively and `examples/bench_wasm.rs` in headless Chromium (`scripts/bench.sh` runs both).
//!
//! Each workload builds its cluster, then times only the part it measures on the clock the face
//! lends (`Instant` natively, `performance.now()` in the page: the engine never reads one), and
//! checks its result, so a workload that got faster by doing less fails instead of winning.
//! The unit tests run each at 1,000 records, so the code the benchmark uses cannot rot.

mod alloc;
mod records;

pub use alloc::{CountingAlloc, live_bytes};
use records::Records;

use crate::clients::config::Properties;
use crate::clients::producer::config::ProducerConfig;
use crate::clients::producer::{Completed, KafkaProducer};
use crate::console::script::run_script;
use crate::console::{Playground, Terminal};
use crate::engine::{Acks, Cluster, ClusterConfig, NewTopic, StickyPartitioner, TopicPartition};

/// What a face lends the workloads: a clock in milliseconds (any origin) and, where the face
/// counts allocations ([`CountingAlloc`]), the bytes allocated and not yet freed.
#[derive(Clone, Copy)]
pub struct Lent {
    pub now_ms: fn() -> f64,
    pub live_bytes: fn() -> Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Workload {
    /// Keyed 100-byte records to a 6-partition topic, `acks=1`, through the client's producer
    /// (batched by its accumulator).
    Produce,
    /// The same without keys (the sticky partitioner): what `kafka-producer-perf-test.sh`
    /// sends, so its figure in the console can be compared with this one.
    ProduceUnkeyed,
    /// `kafka-producer-perf-test.sh … --record-size 100 --throughput -1 --producer-props
    /// acks=1` run through the console as the browser runs it, timed by the lent clock and by
    /// the tool itself (its summary line).
    PerfTest,
    /// Every record of that topic, fetched 500 at a time (`max.poll.records`).
    Consume,
    /// `kafka-consumer-groups.sh --describe` of a group committed on 100 partitions, with the
    /// records spread over them in the cluster.
    DescribeGroup,
    /// The log cleaner's pass over a compacted topic whose records have 10,000 keys.
    Compaction,
    /// The playground serialized as the browser saves (and exports) it: JSON.
    SnapshotSave,
    /// The same JSON read back.
    SnapshotRestore,
    /// 2,000 pasted `echo` lines entered through the session, as the page enters a paste's
    /// slice, over a cluster holding the records (at most `undo::UNDO_MAX_RECORDS`, so every
    /// line keeps a copy for `undo`).
    Paste,
    /// 200 topics of 50 partitions created through the session, one command each.
    ManyPartitions,
}

/// Keys of the compaction workload.
pub const COMPACTION_KEYS: u64 = 10_000;
const PARTITIONS: i32 = 6;
const DESCRIBE_PARTITIONS: i32 = 100;
/// How many describes are timed (their mean is reported).
const DESCRIBES: u64 = 20;
pub const VALUE_BYTES: usize = 100;
pub const KEY_BYTES: usize = 8;
const TOPIC: &str = "bench";

impl Workload {
    pub const ALL: [Workload; 10] = [
        Workload::Produce,
        Workload::ProduceUnkeyed,
        Workload::PerfTest,
        Workload::Consume,
        Workload::DescribeGroup,
        Workload::Compaction,
        Workload::SnapshotSave,
        Workload::SnapshotRestore,
        Workload::Paste,
        Workload::ManyPartitions,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Workload::Produce => "produce",
            Workload::ProduceUnkeyed => "produce-unkeyed",
            Workload::PerfTest => "perf-test",
            Workload::Consume => "consume",
            Workload::DescribeGroup => "describe-group",
            Workload::Compaction => "compaction",
            Workload::SnapshotSave => "snapshot-save",
            Workload::SnapshotRestore => "snapshot-restore",
            Workload::Paste => "paste",
            Workload::ManyPartitions => "many-partitions",
        }
    }

    pub fn parse(name: &str) -> Option<Workload> {
        Workload::ALL.into_iter().find(|w| w.name() == name)
    }
}

/// One timed run.
#[derive(Debug, Clone, PartialEq)]
pub struct Measurement {
    pub workload: Workload,
    /// Records in the cluster.
    pub records: u64,
    /// What was timed: records for most workloads, describes for `describe-group`.
    pub items: u64,
    pub elapsed_ms: f64,
    /// Bytes held per record beyond its key and value (only `produce` measures it, and only
    /// where the face counts allocations).
    pub overhead_bytes_per_record: Option<f64>,
    /// What the tool itself printed (`perf-test`: its summary's records/sec).
    pub reported_per_second: Option<f64>,
}

impl Measurement {
    pub fn per_second(&self) -> f64 {
        self.items as f64 * 1000.0 / self.elapsed_ms.max(1e-9)
    }

    /// One line of JSON (the faces print it; `benches/table.mjs` reads it), keys in sorted
    /// order.
    pub fn to_json(&self) -> String {
        serde_json::json!({
            "workload": self.workload.name(),
            "records": self.records,
            "items": self.items,
            "elapsed_ms": self.elapsed_ms,
            "per_second": self.per_second(),
            "overhead_bytes_per_record": self.overhead_bytes_per_record,
            "reported_per_second": self.reported_per_second,
        })
        .to_string()
    }
}

/// Runs `workload` with `records` records in the cluster. `Err` says what came out wrong.
pub fn run(workload: Workload, records: u64, lent: Lent) -> Result<Measurement, String> {
    match workload {
        Workload::Produce => produce(records, lent),
        Workload::ProduceUnkeyed => produce_unkeyed(records, lent),
        Workload::PerfTest => perf_test(records, lent),
        Workload::Consume => consume(records, lent),
        Workload::DescribeGroup => describe_group(records, lent),
        Workload::Compaction => compaction(records, lent),
        Workload::SnapshotSave => snapshot(records, lent, true),
        Workload::SnapshotRestore => snapshot(records, lent, false),
        Workload::Paste => paste(records, lent),
        Workload::ManyPartitions => many_partitions(records, lent),
    }
}

/// Lines of the paste workload: one slice of a paste in the page.
const PASTED_LINES: usize = crate::session::PASTE_SLICE_LINES;

fn paste(records: u64, lent: Lent) -> Result<Measurement, String> {
    let records = records.min(crate::session::UNDO_MAX_RECORDS as u64);
    let mut wb = crate::session::Workbench::new(0.0);
    let cluster = produced(records, PARTITIONS, records)?;
    wb.playground.cluster = cluster;
    let text = vec!["echo pasted"; PASTED_LINES].join("\n");
    let start = (lent.now_ms)();
    wb.apply(crate::session::Action::Paste(text));
    let elapsed_ms = (lent.now_ms)() - start;
    let entered = wb.tabs[0].terminal.history().len();
    if entered != PASTED_LINES || wb.pasted_waiting() != 0 {
        return Err(format!("{entered} lines entered of {PASTED_LINES}"));
    }
    Ok(Measurement {
        workload: Workload::Paste,
        records,
        items: PASTED_LINES as u64,
        elapsed_ms,
        overhead_bytes_per_record: None,
        reported_per_second: None,
    })
}

/// Topics of the many-partitions workload, and partitions of each.
const MANY_TOPICS: usize = 200;
const MANY_PARTITIONS: usize = 50;

fn many_partitions(records: u64, lent: Lent) -> Result<Measurement, String> {
    let mut wb = crate::session::Workbench::new(0.0);
    let start = (lent.now_ms)();
    for i in 0..MANY_TOPICS {
        wb.apply(crate::session::Action::Enter(format!(
            "kafka-topics.sh --bootstrap-server localhost:9092 --create --topic t{i} --partitions {MANY_PARTITIONS}"
        )));
    }
    let elapsed_ms = (lent.now_ms)() - start;
    let partitions: usize = (0..MANY_TOPICS)
        .filter_map(|i| wb.playground.cluster.topic(&format!("t{i}")))
        .map(|t| t.partitions().len())
        .sum();
    if partitions != MANY_TOPICS * MANY_PARTITIONS {
        return Err(format!("{partitions} partitions created"));
    }
    Ok(Measurement {
        workload: Workload::ManyPartitions,
        records,
        items: MANY_TOPICS as u64,
        elapsed_ms,
        overhead_bytes_per_record: None,
        reported_per_second: None,
    })
}

fn cluster_with_topic(partitions: i32, configs: &[(&str, &str)]) -> Result<Cluster, String> {
    let mut cluster = Cluster::new(ClusterConfig::default());
    // The default limit (256 MB of keys and values) would refuse a large run.
    cluster.set_record_data_limit(u64::MAX);
    let topic = NewTopic {
        partitions: Some(partitions),
        replication_factor: None,
        configs: configs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    };
    cluster
        .create_topic(TOPIC, topic)
        .map_err(|e| format!("create topic: {e}"))?;
    Ok(cluster)
}

/// The client's producer with `acks=1` (idempotence then off), as the workloads send.
fn producer() -> Result<KafkaProducer, String> {
    let props = Properties::new(&[("acks".to_string(), "1".to_string())]);
    ProducerConfig::new(&props).map(KafkaProducer::new)
}

/// Sends through the producer: records go out a batch at a time.
fn send_all(
    cluster: &mut Cluster,
    records: u64,
    mut next: impl FnMut() -> crate::engine::ProducerRecord,
) -> Result<(), String> {
    let mut producer = producer()?;
    let check = |done: Completed| match done.failed.first() {
        Some(f) => Err(format!("produce: {}", f.exception)),
        None => Ok(()),
    };
    for _ in 0..records {
        check(producer.send(cluster, TOPIC, next()))?;
    }
    check(producer.flush(cluster))
}

fn produce_into(cluster: &mut Cluster, records: u64, keys: u64) -> Result<(), String> {
    let mut source = Records::new(keys);
    send_all(cluster, records, || source.next())
}

fn produced(records: u64, partitions: i32, keys: u64) -> Result<Cluster, String> {
    let mut cluster = cluster_with_topic(partitions, &[])?;
    produce_into(&mut cluster, records, keys)?;
    Ok(cluster)
}

fn produce(records: u64, lent: Lent) -> Result<Measurement, String> {
    let mut cluster = cluster_with_topic(PARTITIONS, &[])?;
    let before = (lent.live_bytes)();
    let start = (lent.now_ms)();
    produce_into(&mut cluster, records, records)?;
    let elapsed_ms = (lent.now_ms)() - start;
    let data = records * (KEY_BYTES + VALUE_BYTES) as u64;
    if cluster.record_data_bytes() != data {
        return Err(format!(
            "{} bytes of keys and values held, {data} produced",
            cluster.record_data_bytes()
        ));
    }
    let overhead = match (before, (lent.live_bytes)()) {
        (Some(b), Some(a)) if records > 0 => {
            Some((a as f64 - b as f64 - data as f64) / records as f64)
        }
        _ => None,
    };
    Ok(Measurement {
        workload: Workload::Produce,
        records,
        items: records,
        elapsed_ms,
        overhead_bytes_per_record: overhead,
        reported_per_second: None,
    })
}

fn produce_unkeyed(records: u64, lent: Lent) -> Result<Measurement, String> {
    let mut cluster = cluster_with_topic(PARTITIONS, &[])?;
    let mut source = Records::new(records);
    let start = (lent.now_ms)();
    send_all(&mut cluster, records, || source.next_unkeyed())?;
    let elapsed_ms = (lent.now_ms)() - start;
    let data = records * VALUE_BYTES as u64;
    if cluster.record_data_bytes() != data {
        return Err(format!(
            "{} bytes of values held, {data} produced",
            cluster.record_data_bytes()
        ));
    }
    Ok(Measurement {
        workload: Workload::ProduceUnkeyed,
        records,
        items: records,
        elapsed_ms,
        overhead_bytes_per_record: None,
        reported_per_second: None,
    })
}

fn perf_test(records: u64, lent: Lent) -> Result<Measurement, String> {
    let mut pg = Playground::scripted(cluster_with_topic(PARTITIONS, &[])?);
    pg.wall_clock = crate::console::session::WallClock::real(lent.now_ms);
    let command = format!(
        "kafka-producer-perf-test.sh --topic {TOPIC} --num-records {records} --record-size 100 --throughput -1 --producer-props bootstrap.servers=localhost:9092 acks=1"
    );
    let start = (lent.now_ms)();
    let out = run_script(&mut pg, &mut Terminal::batch(), &command, false).text();
    let elapsed_ms = (lent.now_ms)() - start;
    // `N records sent, X records/sec (Y MB/sec), …`
    let summary = out.lines().last().unwrap_or_default();
    let mut words = summary.split(' ');
    let sent = words.next().and_then(|n| n.parse::<u64>().ok());
    let rate = words.nth(2).and_then(|x| x.parse::<f64>().ok());
    if sent != Some(records) || rate.is_none() {
        return Err(format!("the perf test printed:\n{out}"));
    }
    Ok(Measurement {
        workload: Workload::PerfTest,
        records,
        items: records,
        elapsed_ms,
        overhead_bytes_per_record: None,
        reported_per_second: rate,
    })
}

fn consume(records: u64, lent: Lent) -> Result<Measurement, String> {
    let cluster = produced(records, PARTITIONS, records)?;
    let start = (lent.now_ms)();
    let mut count = 0u64;
    let mut bytes = 0u64;
    for p in 0..PARTITIONS {
        let tp = TopicPartition::new(TOPIC, p);
        let mut offset = 0;
        loop {
            let batch = cluster
                .fetch(&tp, offset, 500)
                .map_err(|e| format!("fetch {TOPIC}-{p}: {e}"))?;
            let Some(last) = batch.last() else { break };
            offset = last.offset + 1;
            count += batch.len() as u64;
            bytes += batch
                .iter()
                .map(|r| r.value.map_or(0, <[u8]>::len) as u64)
                .sum::<u64>();
        }
    }
    let elapsed_ms = (lent.now_ms)() - start;
    if (count, bytes) != (records, records * VALUE_BYTES as u64) {
        return Err(format!(
            "consumed {count} records ({bytes} value bytes) of {records}"
        ));
    }
    Ok(Measurement {
        workload: Workload::Consume,
        records,
        items: records,
        elapsed_ms,
        overhead_bytes_per_record: None,
        reported_per_second: None,
    })
}

fn describe_group(records: u64, lent: Lent) -> Result<Measurement, String> {
    let mut cluster = produced(records, DESCRIBE_PARTITIONS, records)?;
    for p in 0..DESCRIBE_PARTITIONS {
        let tp = TopicPartition::new(TOPIC, p);
        let (_, end) = cluster.offsets_of(&tp).map_err(|e| e.to_string())?;
        cluster.commit_offset("bench-group", tp, end / 2);
    }
    let mut pg = Playground::scripted(cluster);
    let mut terminal = Terminal::batch();
    let command =
        "kafka-consumer-groups.sh --bootstrap-server localhost:9092 --describe --group bench-group";
    let start = (lent.now_ms)();
    let mut text = String::new();
    for _ in 0..DESCRIBES {
        text = run_script(&mut pg, &mut terminal, command, false).text();
    }
    let elapsed_ms = (lent.now_ms)() - start;
    // The header, then one row per partition.
    let rows = text
        .lines()
        .filter(|l| l.starts_with("bench-group "))
        .count();
    if rows != DESCRIBE_PARTITIONS as usize {
        return Err(format!("the describe printed {rows} rows:\n{text}"));
    }
    Ok(Measurement {
        workload: Workload::DescribeGroup,
        records,
        items: DESCRIBES,
        elapsed_ms,
        overhead_bytes_per_record: None,
        reported_per_second: None,
    })
}

/// Keys of the compaction workload: 100 values per key, 10,000 keys at a million records.
pub fn compaction_keys(records: u64) -> u64 {
    (records / 100).clamp(1, COMPACTION_KEYS)
}

/// Segments each partition of the compaction workload rolls (by `segment.ms`).
const COMPACTION_SEGMENTS: u64 = 32;

fn compaction(records: u64, lent: Lent) -> Result<Measurement, String> {
    // Segments roll every millisecond and the clock moves 1 ms every 1/32 of the records, so
    // every partition has ~32 segments and only the active one is left uncleaned.
    let configs = [("cleanup.policy", "compact"), ("segment.ms", "1")];
    let mut cluster = cluster_with_topic(PARTITIONS, &configs)?;
    let keys = compaction_keys(records);
    let mut partitioner = StickyPartitioner::new();
    let every = (records / COMPACTION_SEGMENTS).max(1);
    let mut source = Records::new(keys);
    for i in 0..records {
        if i % every == 0 {
            cluster.advance(1);
        }
        cluster
            .produce_with_acks(TOPIC, source.next(), &mut partitioner, Acks::Leader)
            .map_err(|e| format!("produce record {i}: {e}"))?;
    }
    let start = (lent.now_ms)();
    // The cleaner runs every `log.cleaner.backoff.ms` (15 s).
    cluster.advance(crate::engine::cluster::CLEANER_BACKOFF_MS);
    let elapsed_ms = (lent.now_ms)() - start;
    check_compacted(&cluster, records, keys)?;
    Ok(Measurement {
        workload: Workload::Compaction,
        records,
        items: records,
        elapsed_ms,
        overhead_bytes_per_record: None,
        reported_per_second: None,
    })
}

/// The cleaned part of each log (all but the active segment) holds each key at most once,
/// every key's latest value is still there, and something was cleaned.
fn check_compacted(cluster: &Cluster, records: u64, keys: u64) -> Result<(), String> {
    let topic = cluster.topic(TOPIC).ok_or("the topic is gone")?;
    let mut latest: Vec<Option<u64>> = vec![None; keys as usize];
    let mut held = 0u64;
    for p in topic.partitions() {
        let active_base = p.log().segments().last().map_or(0, |s| s.base_offset);
        let mut seen = std::collections::HashSet::new();
        for r in p.log().records() {
            held += 1;
            let k = number(r.key.ok_or("a record without a key")?)
                .ok_or("a key that is not a number")?;
            let value = r.value.ok_or("a tombstone")?;
            let i = number(&value[..10]).ok_or("a value that does not start with its index")?;
            let slot = latest.get_mut(k as usize).ok_or("a key out of range")?;
            *slot = Some(slot.map_or(i, |j| j.max(i)));
            if r.offset < active_base && !seen.insert(k) {
                return Err(format!("key {k} twice in the cleaned part"));
            }
        }
    }
    if records > keys && held == records {
        return Err("nothing was compacted".into());
    }
    for (k, i) in latest.iter().enumerate().take(records.min(keys) as usize) {
        let k = k as u64;
        let expected = records - 1 - (records - 1 - k) % keys;
        if *i != Some(expected) {
            return Err(format!("key {k}: latest value {i:?}, expected {expected}"));
        }
    }
    Ok(())
}

fn number(digits: &[u8]) -> Option<u64> {
    std::str::from_utf8(digits).ok()?.parse().ok()
}

fn snapshot(records: u64, lent: Lent, save: bool) -> Result<Measurement, String> {
    let pg = Playground::scripted(produced(records, PARTITIONS, records)?);
    let start = (lent.now_ms)();
    let json = crate::console::session::to_json(&pg, pg.json_size_hint());
    let saved = (lent.now_ms)();
    let back: Playground = serde_json::from_str(&json).map_err(|e| e.to_string())?;
    let restored = (lent.now_ms)();
    if back != pg {
        return Err("the restored playground differs from the saved one".into());
    }
    Ok(Measurement {
        workload: if save {
            Workload::SnapshotSave
        } else {
            Workload::SnapshotRestore
        },
        records,
        items: records,
        elapsed_ms: if save {
            saved - start
        } else {
            restored - saved
        },
        overhead_bytes_per_record: None,
        reported_per_second: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A clock that never moves: these tests check results, never speed.
    fn stopped() -> f64 {
        0.0
    }

    fn uncounted() -> Option<usize> {
        None
    }

    const LENT: Lent = Lent {
        now_ms: stopped,
        live_bytes: uncounted,
    };

    #[test]
    fn every_workload_runs_and_checks_its_result_at_1000_records() {
        for w in Workload::ALL {
            let m = run(w, 1_000, LENT).unwrap_or_else(|e| panic!("{}: {e}", w.name()));
            assert_eq!((m.workload, m.records), (w, 1_000));
            assert_eq!(Workload::parse(w.name()), Some(w));
        }
    }

    /// The line is what serde_json's `json!` wrote before (`benches/table.mjs` reads it).
    #[test]
    fn measurements_are_written_as_before() {
        for (elapsed_ms, overhead, reported) in [
            (12.5, Some(3.25), None),
            (0.1, None, Some(123_456.789)),
            (1e-7, Some(f64::NAN), Some(1e300)),
        ] {
            let m = Measurement {
                workload: Workload::Produce,
                records: 1_000,
                items: 999,
                elapsed_ms,
                overhead_bytes_per_record: overhead,
                reported_per_second: reported,
            };
            let before = serde_json::json!({
                "workload": m.workload.name(),
                "records": m.records,
                "items": m.items,
                "elapsed_ms": m.elapsed_ms,
                "per_second": m.per_second(),
                "overhead_bytes_per_record": m.overhead_bytes_per_record,
                "reported_per_second": m.reported_per_second,
            });
            assert_eq!(m.to_json(), before.to_string());
        }
    }
}
