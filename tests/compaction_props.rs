//! Property test for log compaction: a compacted topic (small segments, a low dirty ratio, a
//! short `delete.retention.ms`, all generated) gets any sequence of keyed records and
//! tombstones over simulated time while the log cleaner runs, and after every step:
//!
//! 1. a consumer reading from the beginning sees, for every key whose latest record lies in the
//!    cleaned part of the log, only that latest record (and, once the tombstone's
//!    `delete.retention.ms` has passed and the cleaner ran again, nothing for a deleted key);
//! 2. offsets strictly increase, and every surviving record is the very record produced at
//!    that offset (same key, value and timestamp);
//! 3. no record of the active segment, and no latest value of a key, is ever removed;
//! 4. the log end offset never decreases and equals the number of records produced.
//!
//! The cases are `proptest` strategies: a failure shrinks to the smallest topic settings and
//! shortest sequence of steps that still break a property, and is printed as those.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::collections::HashMap;

use kafka_playground::engine::{
    Acks, Cluster, ClusterConfig, NewTopic, ProducerRecord, Record, StickyPartitioner,
    TopicPartition,
};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::{TestCaseError, TestError, TestRunner};

/// The cleaner's backoff (`log.cleaner.backoff.ms`): a pass every 15 s.
const CLEANER_BACKOFF_MS: i64 = 15_000;

/// What was produced to one partition, in offset order (offset = index).
#[derive(Default)]
struct Model {
    produced: Vec<(i64, Vec<u8>, Option<Vec<u8>>)>,
    /// The highest log end offset seen so far.
    last_end: i64,
}

impl Model {
    /// Offset of the latest record of each key.
    fn latest(&self) -> HashMap<&[u8], usize> {
        let mut latest = HashMap::new();
        for (i, (_, k, _)) in self.produced.iter().enumerate() {
            latest.insert(k.as_slice(), i);
        }
        latest
    }
}

/// A topic's settings and what happens to it.
#[derive(Debug, Clone)]
struct Case {
    brokers: i32,
    partitions: i32,
    delete_retention_ms: i64,
    min_cleanable_dirty_ratio: &'static str,
    segment_ms: i64,
    min_compaction_lag_ms: i64,
    /// Big values can keep the dirty ratio low for long: `max.compaction.lag.ms` then forces a
    /// pass.
    max_compaction_lag_ms: i64,
    /// How many distinct keys the records use.
    keys: u32,
    steps: Vec<Step>,
}

#[derive(Debug, Clone)]
enum Step {
    /// A record to partition `partition % partitions` with key `k{key % keys}`: a tombstone, or
    /// a value of `size` bytes.
    Produce {
        partition: i32,
        key: u32,
        tombstone: bool,
        size: usize,
    },
    Advance(i64),
}

fn case() -> impl Strategy<Value = Case> {
    // Mostly small values; now and then a big one, so `segment.bytes` rolls too.
    let size = prop_oneof![9 => 1..=40usize, 1 => 200_000..500_000usize];
    let produce = (0..2i32, 0..14u32, prop::bool::weighted(0.2), size).prop_map(
        |(partition, key, tombstone, size)| Step::Produce {
            partition,
            key,
            tombstone,
            size,
        },
    );
    let step = prop_oneof![
        6 => produce,
        2 => (0..2_000i64).prop_map(Step::Advance),
        1 => (0..20_000i64).prop_map(Step::Advance),
        1 => (0..90_000i64).prop_map(Step::Advance),
    ];
    (
        (1..=3i32, 1..=2i32),
        select(vec![0, 1_000, 20_000, 60_000]),
        select(vec!["0.01", "0.1", "0.3"]),
        select(vec![200, 1_000, 5_000]),
        prop_oneof![3 => Just(0), 1 => Just(3_000)],
        select(vec![30_000, 120_000]),
        2..14u32,
        vec(step, 1..=200),
    )
        .prop_map(
            |(
                (brokers, partitions),
                delete_retention_ms,
                ratio,
                segment_ms,
                min_lag,
                max_lag,
                keys,
                steps,
            )| Case {
                brokers,
                partitions,
                delete_retention_ms,
                min_cleanable_dirty_ratio: ratio,
                segment_ms,
                min_compaction_lag_ms: min_lag,
                max_compaction_lag_ms: max_lag,
                keys,
                steps,
            },
        )
}

/// Everything a consumer sees from the beginning of a partition.
fn consume(c: &Cluster, partition: i32) -> Vec<Record> {
    let tp = TopicPartition::new("t", partition);
    let (mut next, end) = c.offsets_of(&tp).expect("partition exists");
    let mut seen = Vec::new();
    while next < end {
        let batch = c.fetch(&tp, next, 100).expect("fetch");
        let Some(last) = batch.last() else { break };
        next = last.offset + 1;
        seen.extend(batch.iter().map(|r| r.to_record()));
    }
    seen
}

fn check(c: &Cluster, case: &Case, models: &mut [Model], step: &str) -> Result<(), TestCaseError> {
    let ctx = |what: &str| format!("{step}: {what}");
    let now = c.now_ms();
    let topic = c.topic("t").expect("topic");
    for (partition, model) in models.iter_mut().enumerate() {
        let p = topic.partition(partition as i32).expect("partition");
        let log = p.log();

        // (4) The log end offset never goes back, and counts every record produced.
        let end = log.log_end_offset();
        prop_assert!(end >= model.last_end, "{}", ctx("log end offset decreased"));
        prop_assert_eq!(
            end,
            model.produced.len() as i64,
            "{}",
            ctx("log end offset")
        );
        model.last_end = end;

        // (2) Offsets strictly increase and each survivor is the record produced there.
        let records = log.records();
        let held: Vec<i64> = records.iter().map(|r| r.offset).collect();
        for pair in held.windows(2) {
            prop_assert!(pair[0] < pair[1], "{}", ctx("offsets strictly increase"));
        }
        for r in records {
            let (ts, key, value) = &model.produced[r.offset as usize];
            prop_assert!(
                r.timestamp == *ts && r.key == Some(key.as_slice()) && r.value == value.as_deref(),
                "{}",
                ctx(&format!("record at offset {} changed", r.offset))
            );
        }

        // (3) Nothing in the active segment is removed; neither is a key's latest value, nor a
        // latest tombstone before delete.retention.ms has passed.
        let present: std::collections::HashSet<i64> = records.iter().map(|r| r.offset).collect();
        let active_base = log.segments().last().map_or(0, |s| s.base_offset);
        for offset in active_base..end {
            prop_assert!(
                present.contains(&offset),
                "{}",
                ctx(&format!("offset {offset} removed from the active segment"))
            );
        }
        let latest = model.latest();
        for &i in latest.values() {
            let (ts, _, value) = &model.produced[i];
            if present.contains(&(i as i64)) {
                continue;
            }
            prop_assert!(
                value.is_none(),
                "{}",
                ctx(&format!(
                    "the latest value of a key (offset {i}) was removed"
                ))
            );
            prop_assert!(
                now - ts > case.delete_retention_ms,
                "{}",
                ctx(&format!(
                    "tombstone at {i} removed before delete.retention.ms"
                ))
            );
        }

        // (1) In the cleaned part a consumer sees only the latest record of each key.
        let cleaned_end = log
            .segments()
            .iter()
            .enumerate()
            .filter(|(_, s)| s.cleaned_at_ms.is_some())
            .map(|(i, _)| log.segment_end(i))
            .max()
            .unwrap_or(0);
        let seen = consume(c, partition as i32);
        let mut by_key: HashMap<&[u8], Vec<&Record>> = HashMap::new();
        for r in &seen {
            by_key
                .entry(r.key.as_deref().unwrap_or_default())
                .or_default()
                .push(r);
        }
        for (key, &i) in &latest {
            if i as i64 >= cleaned_end {
                continue;
            }
            let got = by_key.get(key).map(Vec::as_slice).unwrap_or_default();
            match &model.produced[i].2 {
                Some(value) => prop_assert!(
                    got.len() == 1
                        && got[0].offset == i as i64
                        && got[0].value.as_ref() == Some(value),
                    "{}",
                    ctx(&format!(
                        "key with latest offset {i}: consumer saw {:?}",
                        offsets(got)
                    ))
                ),
                None => prop_assert!(
                    got.is_empty() || (got.len() == 1 && got[0].offset == i as i64),
                    "{}",
                    ctx(&format!(
                        "deleted key (tombstone at {i}): consumer saw {:?}",
                        offsets(got)
                    ))
                ),
            }
        }
    }
    Ok(())
}

fn offsets(records: &[&Record]) -> Vec<i64> {
    records.iter().map(|r| r.offset).collect()
}

/// Runs one case; returns (records compacted away, tombstones dropped) at the end.
fn run_case(case: &Case) -> Result<(usize, usize), TestCaseError> {
    let mut c = Cluster::new(ClusterConfig {
        brokers: case.brokers,
        ..ClusterConfig::default()
    });
    let (partitions, segment_ms) = (case.partitions, case.segment_ms);
    let (min_lag, max_lag) = (case.min_compaction_lag_ms, case.max_compaction_lag_ms);
    let configs = vec![
        ("cleanup.policy".to_string(), "compact".to_string()),
        ("segment.bytes".to_string(), "1048576".to_string()),
        ("segment.ms".to_string(), segment_ms.to_string()),
        (
            "min.cleanable.dirty.ratio".to_string(),
            case.min_cleanable_dirty_ratio.to_string(),
        ),
        (
            "delete.retention.ms".to_string(),
            case.delete_retention_ms.to_string(),
        ),
        ("min.compaction.lag.ms".to_string(), min_lag.to_string()),
        ("max.compaction.lag.ms".to_string(), max_lag.to_string()),
    ];
    let new = NewTopic {
        partitions: Some(partitions),
        replication_factor: Some(case.brokers.min(2) as i16),
        configs,
    };
    c.create_topic("t", new).expect("created");
    let mut models: Vec<Model> = (0..partitions).map(|_| Model::default()).collect();
    let mut partitioner = StickyPartitioner::new();
    let mut produced = 0usize;

    let mut produce = |c: &mut Cluster,
                       models: &mut [Model],
                       partition: i32,
                       key: Vec<u8>,
                       size: Option<usize>|
     -> Result<(), TestCaseError> {
        // Every value is different, so a record put at the wrong offset cannot go unseen.
        let value = size.map(|size| {
            produced += 1;
            let mut v = format!("{produced}.").into_bytes();
            v.resize(size.max(v.len()), b'v');
            v
        });
        let record = ProducerRecord {
            partition: Some(partition),
            key: Some(key.clone()),
            value: value.clone(),
            ..Default::default()
        };
        let m = c
            .produce_with_acks("t", record, &mut partitioner, Acks::Leader)
            .expect("produce");
        let model = &mut models[partition as usize];
        prop_assert_eq!(m.offset, model.produced.len() as i64, "offset");
        model.produced.push((m.timestamp, key, value));
        Ok(())
    };

    for (i, step) in case.steps.iter().enumerate() {
        match *step {
            Step::Produce {
                partition,
                key,
                tombstone,
                size,
            } => {
                let key = format!("k{}", key % case.keys).into_bytes();
                let size = (!tombstone).then_some(size);
                produce(&mut c, &mut models, partition % partitions, key, size)?;
            }
            Step::Advance(ms) => c.advance(ms),
        }
        check(&c, case, &mut models, &format!("step {i}"))?;
    }

    // Roll every partition's active segment (a fresh key after segment.ms), let the cleaner
    // (forced by max.compaction.lag.ms at the latest) clean everything before it, then wait
    // out delete.retention.ms so it drops the tombstones.
    c.advance(segment_ms + min_lag);
    for partition in 0..partitions {
        produce(
            &mut c,
            &mut models,
            partition,
            b"sentinel".to_vec(),
            Some(1),
        )?;
    }
    c.advance(min_lag.max(max_lag) + 2 * CLEANER_BACKOFF_MS);
    check(&c, case, &mut models, "after the roll")?;
    c.advance(case.delete_retention_ms + 2 * CLEANER_BACKOFF_MS);
    check(&c, case, &mut models, "after delete.retention.ms")?;
    let (mut removed, mut tombstones_dropped) = (0, 0);
    for (partition, model) in models.iter().enumerate() {
        let seen = consume(&c, partition as i32);
        let latest = model.latest();
        removed += model.produced.len() - seen.len();
        tombstones_dropped += latest
            .values()
            .filter(|&&i| model.produced[i].2.is_none())
            .count();
        let mut expected: Vec<i64> = latest
            .values()
            .filter(|&&i| model.produced[i].2.is_some())
            .map(|&i| i as i64)
            .collect();
        expected.sort_unstable();
        prop_assert_eq!(
            offsets(&seen.iter().collect::<Vec<_>>()),
            expected,
            "after cleaning, a consumer sees exactly the latest live value per key"
        );
    }
    Ok((removed, tombstones_dropped))
}

#[test]
fn compaction_keeps_latest_values_and_offsets() {
    // As many steps as 100 cases of 200 (the cases are 1 to 200 steps long).
    let mut runner = TestRunner::new(common::config(200).clone_with_source_file(file!()));
    let (removed, tombstones_dropped) = (std::cell::Cell::new(0), std::cell::Cell::new(0));
    let result = runner.run(&case(), |case| {
        let (r, t) = run_case(&case)?;
        removed.set(removed.get() + r);
        tombstones_dropped.set(tombstones_dropped.get() + t);
        Ok(())
    });
    match result {
        Ok(()) => {}
        Err(TestError::Fail(why, case)) => {
            panic!("{why}\nminimal failing case: {case:#?}\n{runner}")
        }
        Err(e) => panic!("{e}"),
    }
    // The cases really exercise the cleaner.
    let (removed, tombstones_dropped) = (removed.get(), tombstones_dropped.get());
    assert!(removed > 1_000, "only {removed} records compacted away");
    assert!(
        tombstones_dropped > 50,
        "only {tombstones_dropped} tombstones dropped"
    );
}
