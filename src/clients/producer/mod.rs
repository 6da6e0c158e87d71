//! `KafkaProducer`: `send` puts a record in its partition's batch (after the metadata and the
//! size checks), batches go out when full, after `linger.ms`, or on `flush`/`close`. An
//! idempotent producer (the default) gets its producer id from the broker on its first batch
//! and numbers each partition's records from 0; a batch that fails for good bumps its epoch
//! and starts the numbers again (KIP-360).

pub mod config;
pub mod partitioner;
pub mod record_accumulator;
pub mod sender;
pub mod transaction_manager;

use crate::clients::LogLine;
use crate::engine::error::ErrorCode;
use crate::engine::producer_batch::{
    NO_PRODUCER_EPOCH, NO_PRODUCER_ID, NO_SEQUENCE, ProducerBatch,
};
use crate::engine::{Cluster, ProducerRecord, Record, RecordMetadata, TopicPartition};
use crate::vec_map::{VecMap, VecSet};
use config::ProducerConfig;
use partitioner::StickyPartitioner;
use record_accumulator::RecordAccumulator;
use transaction_manager::TransactionManager;

const NETWORK_CLIENT_LOGGER: &str = "org.apache.kafka.clients.NetworkClient";

/// The error code a failed batch's exception names (its class), for the transaction's
/// error state.
fn error_code_of(exception: &str) -> Option<ErrorCode> {
    [ErrorCode::ProducerFenced, ErrorCode::InvalidProducerEpoch]
        .into_iter()
        .find(|c| exception.starts_with(c.exception_class()))
}

/// Records whose send failed, and the exception their callbacks get.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendFailure {
    pub topic: String,
    /// Its partition, once one was chosen (not for a record refused before).
    pub partition: Option<i32>,
    pub records: Vec<Record>,
    pub exception: String,
}

/// What a send or a drain reports: batches acknowledged and sends that failed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Completed {
    pub acknowledged: Vec<(RecordMetadata, usize)>,
    pub failed: Vec<SendFailure>,
    /// What `send` threw instead of taking the record (a transactional producer used out of
    /// order): `Exception: message`.
    pub thrown: Option<String>,
}

impl Completed {
    fn merge(&mut self, other: Completed) {
        self.acknowledged.extend(other.acknowledged);
        self.failed.extend(other.failed);
        self.thrown = self.thrown.take().or(other.thrown);
    }
}

#[derive(Debug, Clone)]
pub struct KafkaProducer {
    pub config: ProducerConfig,
    accumulator: RecordAccumulator,
    partitioner: StickyPartitioner,
    /// Topics whose metadata it has.
    metadata: VecSet<String>,
    correlation_id: i64,
    /// From `InitProducerId`, once asked (idempotent producers only).
    producer_id_and_epoch: Option<(i64, i16)>,
    /// The next sequence number per partition.
    sequences: VecMap<TopicPartition, i32>,
    /// The partitions it sent to, and the last record's.
    partitions: Vec<TopicPartition>,
    last_partition: i32,
    logs: Vec<LogLine>,
    /// With a `transactional.id`: the transaction's state machine.
    transactions: Option<TransactionManager>,
}

impl KafkaProducer {
    pub fn new(config: ProducerConfig) -> KafkaProducer {
        let mut partitioner = StickyPartitioner::new();
        partitioner.batch_size = config.batch_size;
        let transactions = config
            .transactional_id
            .clone()
            .map(|id| TransactionManager::new(id, config.transaction_timeout_ms));
        KafkaProducer {
            accumulator: RecordAccumulator::new(
                config.batch_size,
                config.linger_ms,
                config.compression,
            ),
            partitioner,
            config,
            metadata: VecSet::new(),
            correlation_id: 0,
            producer_id_and_epoch: None,
            sequences: VecMap::new(),
            partitions: Vec::new(),
            last_partition: -1,
            logs: Vec::new(),
            transactions,
        }
    }

    /// What it logged since the last call, oldest first.
    pub fn take_logs(&mut self) -> Vec<LogLine> {
        std::mem::take(&mut self.logs)
    }

    fn log(&mut self, cluster: &Cluster, level: &'static str, message: String) {
        self.logs.push(LogLine {
            time_ms: cluster.now_ms(),
            level,
            message,
            logger: NETWORK_CLIENT_LOGGER,
        });
    }

    /// `send`: waits for the topic's metadata (up to `max.block.ms`), checks the record's size,
    /// picks its partition and appends it to the accumulator; then sends what is ready.
    pub fn send(
        &mut self,
        cluster: &mut Cluster,
        topic: &str,
        record: ProducerRecord,
    ) -> Completed {
        let failure = |records: Vec<Record>, exception: String| Completed {
            acknowledged: Vec::new(),
            failed: vec![SendFailure {
                topic: topic.to_string(),
                partition: None,
                records,
                exception,
            }],
            thrown: None,
        };
        let now = cluster.now_ms();
        let stored = Record {
            offset: -1,
            timestamp: record.timestamp.unwrap_or(now),
            key: record.key,
            value: record.value,
            headers: record.headers,
        };
        if let Err(e) = self.ensure_metadata(cluster, topic) {
            return failure(vec![stored], e);
        }
        if let Err(e) = self.ensure_valid_record_size(&stored) {
            return failure(vec![stored], e);
        }
        let count = cluster
            .topic(topic)
            .map_or(1, |t| t.partitions().len() as i32);
        let partition = match record.partition {
            Some(p) => p,
            None => {
                let size = stored.size_in_bytes();
                self.partitioner
                    .partition(topic, stored.key.as_deref(), size, count, cluster.rng())
            }
        };
        self.last_partition = partition;
        // One TopicPartition a partition, made once: this runs for every record.
        let i = match self
            .partitions
            .iter()
            .position(|tp| tp.partition == partition && tp.topic == topic)
        {
            Some(i) => i,
            None => {
                self.partitions.push(TopicPartition::new(topic, partition));
                self.partitions.len() - 1
            }
        };
        if let Some(tm) = &self.transactions {
            if let Err(e) = tm.check_send(&self.partitions[i]) {
                return Completed {
                    thrown: Some(e),
                    ..Completed::default()
                };
            }
        }
        let now = cluster.now_ms();
        if self.accumulator.append(&self.partitions[i], stored, now) {
            self.run_sender(cluster, false)
        } else {
            Completed::default()
        }
    }

    /// The partition of the last record `send` took.
    pub fn last_partition(&self) -> i32 {
        self.last_partition
    }

    /// Sends the batches that are full or have lingered (the Sender's loop as time passes).
    pub fn poll(&mut self, cluster: &mut Cluster) -> Completed {
        self.run_sender(cluster, false)
    }

    /// `flush`/`close`: sends every batch now, lingered or not.
    pub fn flush(&mut self, cluster: &mut Cluster) -> Completed {
        self.run_sender(cluster, true)
    }

    /// When the next batch's `linger.ms` runs out, while any waits.
    pub fn next_send_ms(&self) -> Option<i64> {
        self.accumulator.next_ready_ms()
    }

    /// `send(record).get()`: waits until the batches waiting are sent (`linger.ms` first).
    pub fn send_and_wait(
        &mut self,
        cluster: &mut Cluster,
        topic: &str,
        record: ProducerRecord,
    ) -> Completed {
        let mut done = self.send(cluster, topic, record);
        if let Some(at) = self.next_send_ms() {
            if at > cluster.now_ms() {
                cluster.advance_to(at);
            }
            done.merge(self.run_sender(cluster, false));
        }
        done
    }

    pub fn has_pending(&self) -> bool {
        !self.accumulator.is_empty()
    }

    fn run_sender(&mut self, cluster: &mut Cluster, flush: bool) -> Completed {
        let mut done = Completed::default();
        loop {
            let ready = self.accumulator.drain(cluster.now_ms(), flush);
            if ready.is_empty() {
                return done;
            }
            for open in ready {
                let (tp, created_ms) = (open.tp.clone(), open.created_ms);
                let batch = self.numbered(cluster, open);
                if let Err(exception) = self.add_partition_to_txn(cluster, &tp) {
                    done.failed.push(SendFailure {
                        partition: Some(tp.partition),
                        topic: tp.topic,
                        records: batch.records,
                        exception,
                    });
                    continue;
                }
                let mut attempt = sender::Attempt {
                    config: &self.config,
                    correlation_id: &mut self.correlation_id,
                    logs: &mut self.logs,
                };
                match attempt.send(cluster, &tp, created_ms, &batch) {
                    Ok(m) => done.acknowledged.push((m, batch.records.len())),
                    Err(exception) => {
                        match &mut self.transactions {
                            Some(tm) => tm.batch_failed(error_code_of(&exception), &exception),
                            None => self.bump_epoch(),
                        }
                        done.failed.push(SendFailure {
                            partition: Some(tp.partition),
                            topic: tp.topic,
                            records: batch.records,
                            exception,
                        });
                    }
                }
            }
        }
    }

    /// The batch as sent: with the producer id, epoch and the partition's next sequence.
    fn numbered(
        &mut self,
        cluster: &mut Cluster,
        open: record_accumulator::OpenBatch,
    ) -> ProducerBatch {
        let mut batch = ProducerBatch {
            producer_id: NO_PRODUCER_ID,
            producer_epoch: NO_PRODUCER_EPOCH,
            base_sequence: NO_SEQUENCE,
            compression: self.config.compression,
            is_transactional: self.transactions.is_some(),
            records: open.records,
        };
        if !self.config.enable_idempotence {
            return batch;
        }
        if self.producer_id_and_epoch.is_none() && self.transactions.is_none() {
            self.producer_id_and_epoch = cluster.init_producer_id().ok();
        }
        let Some((id, epoch)) = self.producer_id_and_epoch else {
            return batch;
        };
        let next = self.sequences.get(&open.tp).copied().unwrap_or(0);
        let after = next.wrapping_add(batch.records.len() as i32) & i32::MAX;
        self.sequences.insert(open.tp, after);
        batch.producer_id = id;
        batch.producer_epoch = epoch;
        batch.base_sequence = next;
        batch
    }

    /// The Sender adds a partition to the transaction before its first batch there
    /// (`AddPartitionsToTxn`); `Err` is the exception the batch fails with.
    fn add_partition_to_txn(
        &mut self,
        cluster: &mut Cluster,
        tp: &TopicPartition,
    ) -> Result<(), String> {
        let Some(tm) = &mut self.transactions else {
            return Ok(());
        };
        if tm.is_added(tp) {
            return Ok(());
        }
        let Some((id, epoch)) = tm.producer_id_and_epoch() else {
            return Ok(());
        };
        let answer = cluster.add_partitions_to_txn(
            &tm.transactional_id,
            id,
            epoch,
            std::slice::from_ref(tp),
        );
        tm.partition_added(tp, answer)
    }

    /// The transaction's state machine, for a transactional producer.
    pub fn transaction_manager(&self) -> Option<&TransactionManager> {
        self.transactions.as_ref()
    }

    fn transactional(&mut self) -> Result<&mut TransactionManager, String> {
        self.transactions.as_mut().ok_or_else(|| {
            "java.lang.IllegalStateException: Transactional method invoked on a non-transactional producer.".to_string()
        })
    }

    /// `initTransactions`: the id's producer id and a new epoch from its coordinator (an older
    /// producer of the same id is fenced; its open transaction is aborted).
    pub fn init_transactions(&mut self, cluster: &mut Cluster) -> Result<(), String> {
        let tm = self.transactional()?;
        tm.begin_init()?;
        let answer = cluster.init_transactional_producer_id(&tm.transactional_id, tm.timeout_ms);
        tm.complete_init(answer)?;
        self.producer_id_and_epoch = tm.producer_id_and_epoch();
        self.sequences = VecMap::new();
        Ok(())
    }

    /// `beginTransaction`: local only; the coordinator hears of the transaction with its first
    /// partition.
    pub fn begin_transaction(&mut self) -> Result<(), String> {
        self.transactional()?.begin_transaction()
    }

    /// `commitTransaction`: flushes the transaction's batches, then asks the coordinator to
    /// write COMMIT markers. A transaction that wrote nothing completes without a request.
    pub fn commit_transaction(&mut self, cluster: &mut Cluster) -> Result<Completed, String> {
        self.transactional()?.maybe_fail_with_error()?;
        let done = self.flush(cluster);
        let tm = self.transactional()?;
        tm.begin_completing(true)?;
        let answer = match tm.producer_id_and_epoch() {
            Some((id, epoch)) if !tm.added_partitions().is_empty() => cluster
                .end_txn(&tm.transactional_id, id, epoch, true)
                .map(Some),
            _ => Ok(None),
        };
        let bumped = matches!(answer, Ok(Some(_)));
        tm.complete_transaction(answer)?;
        if bumped {
            // A new epoch numbers every partition from 0 again.
            self.producer_id_and_epoch = tm.producer_id_and_epoch();
            self.sequences = VecMap::new();
        }
        Ok(done)
    }

    /// `abortTransaction`: batches not yet sent fail without being sent; the coordinator
    /// writes ABORT markers where the transaction wrote.
    pub fn abort_transaction(&mut self, cluster: &mut Cluster) -> Result<Completed, String> {
        self.transactional()?.begin_completing(false)?;
        let mut done = Completed::default();
        for open in self.accumulator.drain(i64::MAX, true) {
            done.failed.push(SendFailure {
                partition: Some(open.tp.partition),
                topic: open.tp.topic.clone(),
                records: open.records,
                exception: "org.apache.kafka.common.KafkaException: Failing batch since transaction was aborted".into(),
            });
        }
        let tm = self.transactional()?;
        let answer = match tm.producer_id_and_epoch() {
            Some((id, epoch)) if !tm.added_partitions().is_empty() => cluster
                .end_txn(&tm.transactional_id, id, epoch, false)
                .map(Some),
            _ => Ok(None),
        };
        let bumped = matches!(answer, Ok(Some(_)));
        tm.complete_transaction(answer)?;
        if bumped {
            // A new epoch numbers every partition from 0 again.
            self.producer_id_and_epoch = tm.producer_id_and_epoch();
            self.sequences = VecMap::new();
        }
        Ok(done)
    }

    /// A transactional producer carried over from an earlier command (the playground's
    /// hands-on transactions): its id and epoch, its sequences, its open transaction.
    pub fn resume_transactional(
        config: ProducerConfig,
        manager: TransactionManager,
        sequences: VecMap<TopicPartition, i32>,
    ) -> KafkaProducer {
        let mut p = KafkaProducer::new(config);
        p.producer_id_and_epoch = manager.producer_id_and_epoch();
        p.transactions = Some(manager);
        p.sequences = sequences;
        p
    }

    /// The next sequence number of each partition it wrote to.
    pub fn sequences(&self) -> &VecMap<TopicPartition, i32> {
        &self.sequences
    }

    /// A batch failed for good: an idempotent producer bumps its epoch and numbers every
    /// partition from 0 again (`bumpIdempotentEpochAndResetIdIfNeeded`).
    fn bump_epoch(&mut self) {
        if let Some((_, epoch)) = &mut self.producer_id_and_epoch {
            *epoch = epoch.wrapping_add(1);
            self.sequences = VecMap::new();
        }
    }

    /// The first send to a topic fetches its metadata; a missing topic is auto-created by the
    /// broker, which the client notices as one `LEADER_NOT_AVAILABLE` warning.
    fn ensure_metadata(&mut self, cluster: &mut Cluster, topic: &str) -> Result<(), String> {
        if self.metadata.contains(topic) && cluster.topic(topic).is_some() {
            return Ok(());
        }
        self.metadata.insert(topic.to_string());
        self.correlation_id += 1;
        match cluster.auto_create_topic(topic) {
            Ok(false) => Ok(()),
            Ok(true) => {
                self.warn_leader_not_available(cluster, topic);
                Ok(())
            }
            Err(e) if e.code == ErrorCode::NotController => {
                self.metadata.remove(topic);
                Err(self.await_auto_creation(cluster, topic))
            }
            Err(_) => {
                let msg = format!(
                    "[Producer clientId={}] Error while fetching metadata with correlation id {} : {{{topic}=INVALID_TOPIC_EXCEPTION}}",
                    self.config.client_id, self.correlation_id
                );
                self.log(cluster, "WARN", msg);
                Err(format!(
                    "org.apache.kafka.common.errors.InvalidTopicException: Invalid topics: [{topic}]"
                ))
            }
        }
    }

    fn warn_leader_not_available(&mut self, cluster: &Cluster, topic: &str) {
        let msg = format!(
            "[Producer clientId={}] Error while fetching metadata with correlation id {} : {{{topic}=LEADER_NOT_AVAILABLE}}",
            self.config.client_id, self.correlation_id
        );
        self.log(cluster, "WARN", msg);
    }

    /// The broker asks the controller to create the missing topic, but there is no active
    /// controller: every metadata refresh (with the retry backoff) answers LEADER_NOT_AVAILABLE
    /// until `max.block.ms` has passed.
    fn await_auto_creation(&mut self, cluster: &mut Cluster, topic: &str) -> String {
        let deadline = cluster.now_ms() + self.config.max_block_ms;
        let mut attempts = 0;
        loop {
            self.warn_leader_not_available(cluster, topic);
            let next = cluster.now_ms() + crate::clients::backoff::backoff(attempts);
            attempts += 1;
            if next > deadline {
                break;
            }
            cluster.advance_to(next);
            self.correlation_id += 1;
        }
        cluster.advance_to(deadline);
        format!(
            "org.apache.kafka.common.errors.TimeoutException: Topic {topic} not present in metadata after {} ms.",
            self.config.max_block_ms
        )
    }

    /// `KafkaProducer.ensureValidRecordSize`: after the metadata, before anything is sent, a
    /// record larger than `max.request.size` or `buffer.memory` fails (its callback logs it).
    fn ensure_valid_record_size(&self, record: &Record) -> Result<(), String> {
        let size = crate::engine::record::producer_size_upper_bound(
            record.key.as_deref(),
            record.value.as_deref(),
            &record.headers,
        ) as i64;
        const TOO_LARGE: &str = "org.apache.kafka.common.errors.RecordTooLargeException";
        if size > self.config.max_request_size {
            return Err(format!(
                "{TOO_LARGE}: The message is {size} bytes when serialized which is larger than {}, which is the value of the max.request.size configuration.",
                self.config.max_request_size
            ));
        }
        if size > self.config.buffer_memory {
            return Err(format!(
                "{TOO_LARGE}: The message is {size} bytes when serialized which is larger than the total memory buffer you have configured with the buffer.memory configuration."
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clients::config::Properties;
    use crate::engine::{ClusterConfig, NewTopic};

    fn producer(id: &str) -> KafkaProducer {
        let props = Properties::new(&[("transactional.id".to_string(), id.to_string())]);
        KafkaProducer::new(ProducerConfig::new(&props).unwrap())
    }

    fn record(v: &str) -> ProducerRecord {
        ProducerRecord {
            value: Some(v.as_bytes().to_vec()),
            ..Default::default()
        }
    }

    // Kafka: clients/src/main/java/org/apache/kafka/clients/producer/KafkaProducer.java
    // (initTransactions, beginTransaction, commitTransaction), TransactionManager.java
    // (EndTxnHandler: transaction.version=2 hands back the bumped epoch).
    #[test]
    fn a_committed_transaction_is_read_committed_and_a_fenced_producer_fails() {
        let mut c = Cluster::new(ClusterConfig::default());
        c.create_topic("t", NewTopic::default()).unwrap();
        let tp = TopicPartition::new("t", 0);
        let mut p = producer("tx");
        assert!(p.send(&mut c, "t", record("early")).thrown.is_some());
        p.init_transactions(&mut c).unwrap();
        p.begin_transaction().unwrap();
        p.send(&mut c, "t", record("a"));
        p.flush(&mut c);
        assert!(
            c.fetch_isolated(&tp, 0, 10, true)
                .unwrap()
                .records
                .is_empty()
        );
        p.commit_transaction(&mut c).unwrap();
        let read = c.fetch_isolated(&tp, 0, 10, true).unwrap();
        assert_eq!(read.records.len(), 1);
        assert_eq!(read.next_offset, 2);
        // The next transaction runs at the bumped epoch, numbered from 0.
        assert_eq!(
            p.transaction_manager().unwrap().producer_id_and_epoch(),
            Some((0, 1))
        );
        p.begin_transaction().unwrap();
        p.send(&mut c, "t", record("b"));
        p.flush(&mut c);
        let header = *c
            .topic("t")
            .unwrap()
            .partition(0)
            .unwrap()
            .log()
            .batch_headers()
            .last()
            .unwrap();
        assert_eq!((header.producer_epoch, header.base_sequence), (1, 0));
        // A newer producer of the same id fences this one.
        let mut newer = producer("tx");
        newer.init_transactions(&mut c).unwrap();
        assert_eq!(
            p.commit_transaction(&mut c),
            Err("org.apache.kafka.common.errors.ProducerFencedException: There is a newer producer with the same transactionalId which fences the current one.".into())
        );
        assert_eq!(
            c.fetch_isolated(&tp, 0, 10, true).unwrap().records.len(),
            1,
            "the fenced transaction was aborted"
        );
    }
}
