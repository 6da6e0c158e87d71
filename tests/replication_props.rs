//! Property test: for any sequence of produces (acks=all and acks=1, answered at once or
//! after waiting for the in-sync replicas), broker stops, crashes, restarts, isolation and slow
//! followers — with clean elections only, from the ISR or the eligible leader replicas — every
//! record acknowledged with acks=all is still in the log at its offset, offsets stay dense and
//! increasing, and the high watermark never passes an in-sync or eligible replica's log end.
//! The ISR, ELR and last known ELR never share a member, and the ELR is empty while the ISR has
//! min ISR members.
//!
//! The sequences are `proptest` strategies: a failure shrinks to the shortest sequence of
//! steps that still breaks the property, and is printed as those steps.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use kafka_playground::engine::{
    Acks, Cluster, ClusterConfig, NewTopic, ProducerRecord, StickyPartitioner, TopicPartition,
};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

/// One step of the walk. Brokers are 1 to 3: the partitions' replicas.
#[derive(Debug, Clone)]
enum Step {
    /// A keyed record; `wait`: the request waits up to the producer's `request.timeout.ms`
    /// for the in-sync replicas (the clock moves while it waits) instead of being answered at
    /// once.
    Produce {
        key: u8,
        acks: Acks,
        wait: bool,
    },
    Stop(i32),
    Kill(i32),
    Start(i32),
    Isolate(i32, bool),
    Slow(i32, bool),
    Advance(i64),
}

fn step() -> impl Strategy<Value = Step> {
    let broker = || 1..=3i32;
    let acks = prop_oneof![2 => Just(Acks::All), 1 => Just(Acks::Leader)];
    prop_oneof![
        5 => (0..10u8, acks, any::<bool>())
            .prop_map(|(key, acks, wait)| Step::Produce { key, acks, wait }),
        1 => broker().prop_map(Step::Stop),
        1 => broker().prop_map(Step::Kill),
        2 => broker().prop_map(Step::Start),
        1 => (broker(), any::<bool>()).prop_map(|(b, on)| Step::Isolate(b, on)),
        1 => (broker(), any::<bool>()).prop_map(|(b, on)| Step::Slow(b, on)),
        1 => (0..40_000i64).prop_map(Step::Advance),
    ]
}

fn check_invariants(
    c: &Cluster,
    acked: &[(i32, i64, Vec<u8>)],
    step: usize,
) -> Result<(), TestCaseError> {
    let topic = c.topic("t").expect("the topic exists");
    for p in topic.partitions() {
        let records = p.log().records();
        for (i, r) in records.iter().enumerate() {
            prop_assert_eq!(
                r.offset,
                p.log_start_offset() + i as i64,
                "step {}: offsets dense",
                step
            );
        }
        prop_assert_eq!(
            p.log_end_offset(),
            p.log_start_offset() + records.len() as i64
        );
        prop_assert!(
            p.high_watermark() <= p.log_end_offset(),
            "step {}: hw ≤ log end",
            step
        );
        for b in p.isr().iter().chain(p.elr()) {
            prop_assert!(
                p.high_watermark() <= p.replica_log_end(*b),
                "step {}: hw {} beyond ISR/ELR member {}'s log end {}",
                step,
                p.high_watermark(),
                b,
                p.replica_log_end(*b)
            );
        }
        check_elr(p, step)?;
    }
    for (partition, offset, value) in acked {
        let tp = TopicPartition::new("t", *partition);
        let p = topic.partition(*partition).expect("partition");
        let found = p.log().read(*offset, 1);
        prop_assert!(
            found
                .first()
                .is_some_and(|r| r.offset == *offset && r.value == Some(value.as_slice())),
            "step {}: acknowledged record {}@{} was lost",
            step,
            tp,
            offset
        );
    }
    Ok(())
}

/// KIP-966's shape of a partition: no ISR member is in the ELR or is the last known leader
/// (which may itself still be eligible), the ELR is empty at min ISR (2) or above, and only a
/// partition without a leader remembers one.
fn check_elr(p: &kafka_playground::engine::Partition, step: usize) -> Result<(), TestCaseError> {
    let mut all: Vec<i32> = p.isr().iter().chain(p.elr()).copied().collect();
    let count = all.len();
    all.sort_unstable();
    all.dedup();
    prop_assert_eq!(
        all.len(),
        count,
        "step {}: ISR and ELR overlap: {:?}",
        step,
        p
    );
    prop_assert!(
        p.last_known_elr().iter().all(|b| !p.isr().contains(b)),
        "step {}: last known leader in the ISR: {:?}",
        step,
        p
    );
    prop_assert!(
        p.elr().is_empty() || p.isr().len() < 2,
        "step {}: ELR {:?} with ISR {:?}",
        step,
        p.elr(),
        p.isr()
    );
    prop_assert!(
        p.last_known_elr().is_empty() || p.leader().is_none(),
        "step {}: a last known leader while led by {:?}",
        step,
        p.leader()
    );
    Ok(())
}

proptest! {
    // As many steps as 70 walks of 300 (the walks are 1 to 300 steps long).
    #![proptest_config(common::config(140))]

    /// Three nodes: two down leave no controller quorum. Seven nodes with the replicas on the
    /// first three: the controller stays while every replica is down, so the ISR empties and
    /// leaders come from the ELR or the last known leader.
    #[test]
    fn acknowledged_acks_all_records_survive_clean_elections(
        brokers in prop_oneof![4 => Just(3), 3 => Just(7)],
        seed in any::<u64>(),
        steps in vec(step(), 1..=300),
    ) {
        random_walk(brokers, seed, &steps)?;
    }
}

fn random_walk(brokers: i32, seed: u64, steps: &[Step]) -> Result<(), TestCaseError> {
    let mut c = Cluster::new(ClusterConfig {
        brokers,
        seed,
        ..ClusterConfig::default()
    });
    let new = NewTopic {
        configs: vec![("min.insync.replicas".into(), "2".into())],
        ..NewTopic::default()
    };
    let assignment = vec![vec![1, 2, 3], vec![2, 3, 1]];
    c.create_topic_with_assignment("t", assignment, new)
        .expect("created");
    let mut partitioner = StickyPartitioner::new();
    let mut acked: Vec<(i32, i64, Vec<u8>)> = Vec::new();
    for (i, step) in steps.iter().enumerate() {
        match *step {
            Step::Produce { key, acks, wait } => {
                let value = format!("v{i}").into_bytes();
                let record = ProducerRecord {
                    key: Some(vec![key]),
                    value: Some(value.clone()),
                    ..Default::default()
                };
                let answer = if wait {
                    c.send("t", record, &mut partitioner, acks)
                        .and_then(|sent| c.await_acks(&sent, 30_000))
                } else {
                    c.produce_with_acks("t", record, &mut partitioner, acks)
                };
                if let Ok(m) = answer {
                    if acks == Acks::All {
                        acked.push((m.partition, m.offset, value));
                    }
                }
            }
            Step::Stop(b) => {
                let _ = c.stop_broker(b);
            }
            Step::Kill(b) => {
                let _ = c.kill_broker(b);
            }
            Step::Start(b) => {
                let _ = c.start_broker(b);
            }
            Step::Isolate(b, on) => {
                let _ = c.isolate_broker(b, on);
            }
            Step::Slow(b, on) => {
                let _ = c.slow_broker(b, on);
            }
            Step::Advance(ms) => c.advance(ms),
        }
        check_invariants(&c, &acked, i)?;
    }
    Ok(())
}
