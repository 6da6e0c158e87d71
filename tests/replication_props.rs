//! Property test: for random sequences of produces (acks=all and acks=1, answered at once or
//! after waiting for the in-sync replicas), broker stops, crashes, restarts, isolation and slow
//! followers — with clean elections only, from the ISR or the eligible leader replicas — every
//! record acknowledged with acks=all is still in the log at its offset, offsets stay dense and
//! increasing, and the high watermark never passes an in-sync or eligible replica's log end.
//! The ISR, ELR and last known ELR never share a member, and the ELR is empty while the ISR has
//! min ISR members.

use kafka_playground::engine::{
    Acks, Cluster, ClusterConfig, NewTopic, ProducerRecord, Rng, StickyPartitioner, TopicPartition,
};

fn check_invariants(c: &Cluster, acked: &[(i32, i64, Vec<u8>)], step: usize) {
    let topic = c.topic("t").expect("the topic exists");
    for p in topic.partitions() {
        let records = p.log().records();
        for (i, r) in records.iter().enumerate() {
            assert_eq!(
                r.offset,
                p.log_start_offset() + i as i64,
                "step {step}: offsets dense"
            );
        }
        assert_eq!(
            p.log_end_offset(),
            p.log_start_offset() + records.len() as i64
        );
        assert!(
            p.high_watermark() <= p.log_end_offset(),
            "step {step}: hw ≤ log end"
        );
        for b in p.isr().iter().chain(p.elr()) {
            assert!(
                p.high_watermark() <= p.replica_log_end(*b),
                "step {step}: hw {} beyond ISR/ELR member {b}'s log end {}",
                p.high_watermark(),
                p.replica_log_end(*b)
            );
        }
        check_elr(p, step);
    }
    for (partition, offset, value) in acked {
        let tp = TopicPartition::new("t", *partition);
        let p = topic.partition(*partition).expect("partition");
        let found = p.log().read(*offset, 1);
        assert!(
            found
                .first()
                .is_some_and(|r| r.offset == *offset && r.value == Some(value.as_slice())),
            "step {step}: acknowledged record {tp}@{offset} was lost"
        );
    }
}

/// KIP-966's shape of a partition: no ISR member is in the ELR or is the last known leader
/// (which may itself still be eligible), the ELR is empty at min ISR (2) or above, and only a
/// partition without a leader remembers one.
fn check_elr(p: &kafka_playground::engine::Partition, step: usize) {
    let mut all: Vec<i32> = p.isr().iter().chain(p.elr()).copied().collect();
    let count = all.len();
    all.sort_unstable();
    all.dedup();
    assert_eq!(all.len(), count, "step {step}: ISR and ELR overlap: {p:?}");
    assert!(
        p.last_known_elr().iter().all(|b| !p.isr().contains(b)),
        "step {step}: last known leader in the ISR: {p:?}"
    );
    assert!(
        p.elr().is_empty() || p.isr().len() < 2,
        "step {step}: ELR {:?} with ISR {:?}",
        p.elr(),
        p.isr()
    );
    assert!(
        p.last_known_elr().is_empty() || p.leader().is_none(),
        "step {step}: a last known leader while led by {:?}",
        p.leader()
    );
}

#[test]
fn acknowledged_acks_all_records_survive_clean_elections() {
    // Three nodes: two down leave no controller quorum. Seven nodes with the replicas on the
    // first three: the controller stays while every replica is down, so the ISR empties and
    // leaders come from the ELR or the last known leader.
    for (brokers, seeds) in [(3, 0..40u64), (7, 100..130u64)] {
        for seed in seeds {
            random_walk(brokers, seed);
        }
    }
}

fn random_walk(brokers: i32, seed: u64) {
    let mut rng = Rng::seeded(seed);
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
    for step in 0..300 {
        let broker = 1 + rng.below(3) as i32;
        match rng.below(12) {
            0..=4 => {
                let value = format!("s{seed}-{step}").into_bytes();
                let acks = if rng.below(3) == 0 {
                    Acks::Leader
                } else {
                    Acks::All
                };
                let record = ProducerRecord {
                    key: Some(vec![rng.below(10) as u8]),
                    value: Some(value.clone()),
                    ..Default::default()
                };
                // Half the requests are answered at once, half wait up to the producer's
                // request.timeout.ms (the clock moves while they wait).
                let answer = if rng.below(2) == 0 {
                    c.produce_with_acks("t", record, &mut partitioner, acks)
                } else {
                    c.send("t", record, &mut partitioner, acks)
                        .and_then(|sent| c.await_acks(&sent, 30_000))
                };
                if let Ok(m) = answer {
                    if acks == Acks::All {
                        acked.push((m.partition, m.offset, value));
                    }
                }
            }
            5 => {
                let _ = c.stop_broker(broker);
            }
            6 => {
                let _ = c.kill_broker(broker);
            }
            7 | 8 => {
                let _ = c.start_broker(broker);
            }
            9 => {
                let _ = c.isolate_broker(broker, rng.below(2) == 0);
            }
            10 => {
                let _ = c.slow_broker(broker, rng.below(2) == 0);
            }
            _ => c.advance(rng.below(40_000) as i64),
        }
        check_invariants(&c, &acked, step);
    }
}
