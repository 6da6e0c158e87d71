//! Property test for log compaction: for random seeds, a compacted topic (small segments, a low
//! dirty ratio, a short `delete.retention.ms`) gets random keyed records and tombstones over
//! simulated time while the log cleaner runs, and after every step:
//!
//! 1. a consumer reading from the beginning sees, for every key whose latest record lies in the
//!    cleaned part of the log, only that latest record (and, once the tombstone's
//!    `delete.retention.ms` has passed and the cleaner ran again, nothing for a deleted key);
//! 2. offsets strictly increase, and every surviving record is the very record produced at
//!    that offset (same key, value and timestamp);
//! 3. no record of the active segment, and no latest value of a key, is ever removed;
//! 4. the log end offset never decreases and equals the number of records produced.

use std::collections::HashMap;

use kafka_playground::engine::{
    Acks, Cluster, ClusterConfig, NewTopic, ProducerRecord, Record, Rng, StickyPartitioner,
    TopicPartition,
};

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

struct Case {
    seed: u64,
    delete_retention_ms: i64,
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

fn check(c: &Cluster, case: &Case, models: &mut [Model], step: &str) {
    let ctx = |what: &str| format!("seed {} {step}: {what}", case.seed);
    let now = c.now_ms();
    let topic = c.topic("t").expect("topic");
    for (partition, model) in models.iter_mut().enumerate() {
        let p = topic.partition(partition as i32).expect("partition");
        let log = p.log();

        // (4) The log end offset never goes back, and counts every record produced.
        let end = log.log_end_offset();
        assert!(end >= model.last_end, "{}", ctx("log end offset decreased"));
        assert_eq!(
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
            assert!(pair[0] < pair[1], "{}", ctx("offsets strictly increase"));
        }
        for r in records {
            let (ts, key, value) = &model.produced[r.offset as usize];
            assert!(
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
            assert!(
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
            assert!(
                value.is_none(),
                "{}",
                ctx(&format!(
                    "the latest value of a key (offset {i}) was removed"
                ))
            );
            assert!(
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
                Some(value) => assert!(
                    got.len() == 1
                        && got[0].offset == i as i64
                        && got[0].value.as_ref() == Some(value),
                    "{}",
                    ctx(&format!(
                        "key with latest offset {i}: consumer saw {:?}",
                        offsets(got)
                    ))
                ),
                None => assert!(
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
}

fn offsets(records: &[&Record]) -> Vec<i64> {
    records.iter().map(|r| r.offset).collect()
}

/// Runs one seed; returns (records compacted away, tombstones dropped) at the end.
fn run_case(seed: u64) -> (usize, usize) {
    let mut rng = Rng::seeded(seed);
    let brokers = 1 + rng.below(3) as i32;
    let mut c = Cluster::new(ClusterConfig {
        brokers,
        seed,
        ..ClusterConfig::default()
    });
    let partitions = 1 + rng.below(2) as i32;
    let delete_retention_ms = [0, 1_000, 20_000, 60_000][rng.below(4) as usize];
    let ratio = ["0.01", "0.1", "0.3"][rng.below(3) as usize];
    let segment_ms = [200, 1_000, 5_000][rng.below(3) as usize];
    let min_lag = if rng.below(4) == 0 { 3_000 } else { 0 };
    // Big values can keep the dirty ratio low for long: `max.compaction.lag.ms` then forces a pass.
    let max_lag = [30_000, 120_000][rng.below(2) as usize];
    let configs = vec![
        ("cleanup.policy".to_string(), "compact".to_string()),
        ("segment.bytes".to_string(), "1048576".to_string()),
        ("segment.ms".to_string(), segment_ms.to_string()),
        ("min.cleanable.dirty.ratio".to_string(), ratio.to_string()),
        (
            "delete.retention.ms".to_string(),
            delete_retention_ms.to_string(),
        ),
        ("min.compaction.lag.ms".to_string(), min_lag.to_string()),
        ("max.compaction.lag.ms".to_string(), max_lag.to_string()),
    ];
    let new = NewTopic {
        partitions: Some(partitions),
        replication_factor: Some(brokers.min(2) as i16),
        configs,
    };
    c.create_topic("t", new).expect("created");
    let case = Case {
        seed,
        delete_retention_ms,
    };
    let mut models: Vec<Model> = (0..partitions).map(|_| Model::default()).collect();
    let mut partitioner = StickyPartitioner::new();
    let keys = 2 + rng.below(12);

    let mut produce = |c: &mut Cluster,
                       models: &mut [Model],
                       rng: &mut Rng,
                       partition: i32,
                       key: Vec<u8>,
                       tombstone: bool| {
        let value = (!tombstone).then(|| {
            // Mostly small values; now and then a big one, so `segment.bytes` rolls too.
            let size = if rng.below(10) == 0 {
                200_000 + rng.below(300_000) as usize
            } else {
                1 + rng.below(40) as usize
            };
            let mut v = vec![0u8; size];
            rng.fill(&mut v);
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
        assert_eq!(m.offset, model.produced.len() as i64, "seed {seed}: offset");
        model.produced.push((m.timestamp, key, value));
    };

    for step in 0..200 {
        match rng.below(10) {
            0..=5 => {
                let partition = rng.below(partitions as u32) as i32;
                let key = format!("k{}", rng.below(keys)).into_bytes();
                let tombstone = rng.below(5) == 0;
                produce(&mut c, &mut models, &mut rng, partition, key, tombstone);
            }
            6 | 7 => c.advance(rng.below(2_000) as i64),
            8 => c.advance(rng.below(20_000) as i64),
            _ => c.advance(rng.below(90_000) as i64),
        }
        check(&c, &case, &mut models, &format!("step {step}"));
    }

    // Roll every partition's active segment (a fresh key after segment.ms), let the cleaner
    // (forced by max.compaction.lag.ms at the latest) clean everything before it, then wait out delete.retention.ms so it drops the tombstones.
    c.advance(segment_ms + min_lag);
    for partition in 0..partitions {
        produce(
            &mut c,
            &mut models,
            &mut rng,
            partition,
            b"sentinel".to_vec(),
            false,
        );
    }
    c.advance(min_lag.max(max_lag) + 2 * CLEANER_BACKOFF_MS);
    check(&c, &case, &mut models, "after the roll");
    c.advance(delete_retention_ms + 2 * CLEANER_BACKOFF_MS);
    check(&c, &case, &mut models, "after delete.retention.ms");
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
        assert_eq!(
            offsets(&seen.iter().collect::<Vec<_>>()),
            expected,
            "seed {seed}: after cleaning, a consumer sees exactly the latest live value per key"
        );
    }
    (removed, tombstones_dropped)
}

#[test]
fn compaction_keeps_latest_values_and_offsets() {
    let (mut removed, mut tombstones_dropped) = (0, 0);
    for seed in 0..100u64 {
        let (r, t) = run_case(seed);
        removed += r;
        tombstones_dropped += t;
    }
    // The cases really exercise the cleaner.
    assert!(removed > 1_000, "only {removed} records compacted away");
    assert!(
        tombstones_dropped > 50,
        "only {tombstones_dropped} tombstones dropped"
    );
}
