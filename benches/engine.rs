//! Engine throughput: produce and consume 100-byte keyed records on a 6-partition topic.
//! Run with `cargo bench --bench engine`; criterion prints records/s (the "thrpt" line).

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use kafka_playground::engine::{
    Cluster, ClusterConfig, NewTopic, ProducerRecord, StickyPartitioner, TopicPartition,
};

const RECORDS: u64 = 100_000;

fn cluster_with_topic() -> Cluster {
    let mut cluster = Cluster::new(ClusterConfig::default());
    let topic = NewTopic {
        partitions: Some(6),
        replication_factor: Some(1),
        configs: vec![],
    };
    cluster
        .create_topic("bench", topic)
        .expect("a fresh cluster accepts the topic");
    cluster
}

fn produce_all(cluster: &mut Cluster) {
    let mut partitioner = StickyPartitioner::new();
    let value = vec![b'x'; 100];
    for i in 0..RECORDS {
        let record = ProducerRecord {
            key: Some(format!("key-{}", i % 10_000).into_bytes()),
            value: Some(value.clone()),
            ..Default::default()
        };
        cluster
            .produce("bench", record, &mut partitioner)
            .expect("the topic exists");
    }
}

fn produce(c: &mut Criterion) {
    let mut group = c.benchmark_group("engine");
    group.throughput(Throughput::Elements(RECORDS));
    group.sample_size(10);
    group.bench_function("produce 100k keyed 100-byte records", |b| {
        b.iter_batched(
            cluster_with_topic,
            |mut cl| produce_all(&mut cl),
            BatchSize::LargeInput,
        )
    });
    let mut full = cluster_with_topic();
    produce_all(&mut full);
    group.bench_function("consume 100k records", |b| {
        b.iter(|| {
            let mut bytes = 0usize;
            for p in 0..6 {
                let tp = TopicPartition::new("bench", p);
                let mut offset = 0;
                loop {
                    let batch = full.fetch(&tp, offset, 500).expect("the partition exists");
                    let Some(last) = batch.last() else { break };
                    offset = last.offset + 1;
                    bytes += batch
                        .iter()
                        .map(|r| r.value.map_or(0, <[u8]>::len))
                        .sum::<usize>();
                }
            }
            assert_eq!(bytes as u64, RECORDS * 100);
        })
    });
    group.finish();
}

criterion_group!(benches, produce);
criterion_main!(benches);
