//! Property test: for random sequences of produces (acks=all and acks=1, answered at once or
//! after waiting for the in-sync replicas), broker stops, crashes, restarts, isolation and slow
//! followers — with clean elections only — every record acknowledged with acks=all is still in
//! the log at its offset, offsets stay dense and increasing, and the high watermark never passes
//! an in-sync replica's log end.

use kafka_playground::engine::{
    Acks, Cluster, ClusterConfig, NewTopic, ProducerRecord, Rng, StickyPartitioner, TopicPartition,
};

fn check_invariants(c: &Cluster, acked: &[(i32, i64, Vec<u8>)], step: usize) {
    let topic = c.topic("t").expect("the topic exists");
    for p in &topic.partitions {
        let records = p.log.records();
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
        for b in &p.isr {
            assert!(
                p.high_watermark() <= p.replica_log_end(*b),
                "step {step}: hw {} beyond ISR member {b}'s log end {}",
                p.high_watermark(),
                p.replica_log_end(*b)
            );
        }
    }
    for (partition, offset, value) in acked {
        let tp = TopicPartition::new("t", *partition);
        let p = topic.partition(*partition).expect("partition");
        let found = p.log.read(*offset, 1);
        assert!(
            found.first().is_some_and(
                |r| r.offset == *offset && r.value.as_deref() == Some(value.as_slice())
            ),
            "step {step}: acknowledged record {tp}@{offset} was lost"
        );
    }
}

#[test]
fn acknowledged_acks_all_records_survive_clean_elections() {
    for seed in 0..40u64 {
        let mut rng = Rng::seeded(seed);
        let mut c = Cluster::new(ClusterConfig {
            seed,
            ..ClusterConfig::default()
        });
        let new = NewTopic {
            partitions: Some(2),
            replication_factor: Some(3),
            configs: vec![("min.insync.replicas".into(), "2".into())],
        };
        c.create_topic("t", new).expect("created");
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
}
