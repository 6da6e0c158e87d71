//! Transactions on the cluster: the coordinator's requests (`InitProducerId` for a
//! transactional id, `AddPartitionsToTxn`, `EndTxn`), the markers it writes on each partition
//! (`WriteTxnMarkers`), the abort of transactions past their timeout, and fetching with an
//! isolation level. Each id's state is written to its `__transaction_state` partition, whose
//! leader is the id's coordinator.

use super::Cluster;
use crate::engine::broker::Brokers;
use crate::engine::error::{ErrorCode, KafkaError};
use crate::engine::producer_batch::{ControlRecordType, ProducerBatch};
use crate::engine::record_batch::RecordRef;
use crate::engine::replication::{self, ReplicationConfig};
use crate::engine::topic::TopicPartition;
use crate::engine::transaction_coordinator::{
    ABORT_TIMED_OUT_INTERVAL_MS, MAX_TRANSACTION_TIMEOUT_MS, TRANSACTION_STATE_PARTITIONS,
    TRANSACTION_STATE_TOPIC, TransactionCoordinator, TransactionMetadata, TransactionState,
    log_key,
};
use crate::engine::{BrokerId, NewTopic};

/// What a fetch with an isolation level returns: the records a consumer is given (no control
/// records; under `read_committed` none of an aborted transaction and none past the last
/// stable offset) and the offset to fetch from next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched<'a> {
    pub records: Vec<RecordRef<'a>>,
    pub next_offset: i64,
}

impl Cluster {
    pub fn transaction_coordinator(&self) -> &TransactionCoordinator {
        &self.transactions
    }

    /// The `__transaction_state` partition holding `transactional_id`.
    pub fn transaction_state_partition(transactional_id: &str) -> i32 {
        crate::engine::group::coordinator_partition(transactional_id, TRANSACTION_STATE_PARTITIONS)
    }

    /// The broker coordinating `transactional_id` (the leader of its partition) and that
    /// partition's leader epoch, the coordinator epoch markers carry.
    pub fn transaction_coordinator_of(&self, transactional_id: &str) -> Option<(BrokerId, i32)> {
        let p = self
            .topic(TRANSACTION_STATE_TOPIC)?
            .partition(Self::transaction_state_partition(transactional_id))?;
        Some((p.leader()?, p.leader_epoch()))
    }

    /// `FindCoordinator` for a transactional id: creates `__transaction_state` if missing and
    /// answers the id's coordinator.
    pub fn find_transaction_coordinator(&mut self, transactional_id: &str) -> Option<BrokerId> {
        self.ensure_transaction_state_topic();
        self.transaction_coordinator_of(transactional_id)
            .map(|(b, _)| b)
    }

    /// Creates `__transaction_state` the first time a transactional id is used
    /// (`TransactionStateManager.transactionTopicConfigs`).
    fn ensure_transaction_state_topic(&mut self) {
        if self.topics.contains_key(TRANSACTION_STATE_TOPIC) {
            return;
        }
        let rf = self.brokers.len().min(3) as i16;
        let new = NewTopic {
            partitions: Some(TRANSACTION_STATE_PARTITIONS),
            replication_factor: Some(rf),
            configs: vec![
                ("unclean.leader.election.enable".into(), "false".into()),
                ("compression.type".into(), "uncompressed".into()),
                ("cleanup.policy".into(), "compact".into()),
                ("min.insync.replicas".into(), "1".into()),
                ("segment.bytes".into(), "104857600".into()),
            ],
        };
        // Cannot fail: the name is valid, new, and rf ≤ brokers.
        let _ = self.create_topic(TRANSACTION_STATE_TOPIC, new);
    }

    /// `InitProducerId` with a transactional id: a new id gets a producer id and epoch 0; a
    /// known one keeps its producer id with the next epoch, which fences every producer
    /// started before. An open transaction is aborted first (with a bumped epoch, as
    /// `PrepareEpochFence` does), so the new producer gets the epoch after that.
    pub fn init_transactional_producer_id(
        &mut self,
        transactional_id: &str,
        timeout_ms: i64,
    ) -> Result<(i64, i16), KafkaError> {
        if !self.brokers.iter().any(|b| b.running) {
            return Err(KafkaError::bare(ErrorCode::NetworkException));
        }
        if timeout_ms > MAX_TRANSACTION_TIMEOUT_MS || timeout_ms <= 0 {
            return Err(KafkaError::bare(ErrorCode::InvalidTransactionTimeout));
        }
        self.ensure_transaction_state_topic();
        let now = self.now_ms();
        if self
            .transactions
            .get(transactional_id)
            .is_some_and(|m| m.state == TransactionState::Ongoing)
        {
            self.fence_and_abort(transactional_id);
        }
        let meta = match self.transactions.transactions.get_mut(transactional_id) {
            Some(m) => {
                m.producer_epoch = m.producer_epoch.saturating_add(1);
                m.state = TransactionState::Empty;
                m.partitions.clear();
                m.start_ms = -1;
                m.timeout_ms = timeout_ms;
                m.last_update_ms = now;
                m.clone()
            }
            None => {
                let id = self.next_producer_id;
                self.next_producer_id += 1;
                let m = TransactionMetadata {
                    producer_id: id,
                    producer_epoch: 0,
                    timeout_ms,
                    state: TransactionState::Empty,
                    partitions: Vec::new(),
                    start_ms: -1,
                    last_update_ms: now,
                };
                self.transactions
                    .transactions
                    .insert(transactional_id.to_string(), m.clone());
                m
            }
        };
        self.write_transaction_state(transactional_id);
        Ok((meta.producer_id, meta.producer_epoch))
    }

    /// Checks the producer's id and epoch against the coordinator's (`PRODUCER_FENCED` for an
    /// older epoch).
    fn current_transaction(
        &self,
        transactional_id: &str,
        producer_id: i64,
        producer_epoch: i16,
    ) -> Result<&TransactionMetadata, KafkaError> {
        let meta = self
            .transactions
            .get(transactional_id)
            .ok_or_else(|| KafkaError::bare(ErrorCode::TransactionalIdNotFound))?;
        if meta.producer_id != producer_id || meta.producer_epoch != producer_epoch {
            return Err(KafkaError::bare(ErrorCode::ProducerFenced));
        }
        Ok(meta)
    }

    /// `AddPartitionsToTxn`: the first one begins the transaction (its start time is now).
    pub fn add_partitions_to_txn(
        &mut self,
        transactional_id: &str,
        producer_id: i64,
        producer_epoch: i16,
        partitions: &[TopicPartition],
    ) -> Result<(), KafkaError> {
        self.current_transaction(transactional_id, producer_id, producer_epoch)?;
        for tp in partitions {
            if self
                .topic(&tp.topic)
                .and_then(|t| t.partition(tp.partition))
                .is_none()
            {
                return Err(KafkaError::bare(ErrorCode::UnknownTopicOrPartition));
            }
        }
        let now = self.now_ms();
        let Some(meta) = self.transactions.transactions.get_mut(transactional_id) else {
            return Err(KafkaError::bare(ErrorCode::TransactionalIdNotFound));
        };
        if meta.state != TransactionState::Ongoing {
            meta.state = TransactionState::Ongoing;
            meta.start_ms = now;
        }
        let mut added = false;
        for tp in partitions {
            if !meta.partitions.contains(tp) {
                meta.partitions.push(tp.clone());
                added = true;
            }
        }
        meta.last_update_ms = now;
        if added {
            self.write_transaction_state(transactional_id);
        }
        if self.transactions.next_abort_check_ms.is_none() {
            // The coordinator's scheduler runs on a grid of its interval.
            let next = (now / ABORT_TIMED_OUT_INTERVAL_MS + 1) * ABORT_TIMED_OUT_INTERVAL_MS;
            self.transactions.next_abort_check_ms = Some(next);
        }
        Ok(())
    }

    /// `EndTxn`: commits or aborts the open transaction, writing a marker on each of its
    /// partitions. A 4.x cluster runs `transaction.version=2` (KIP-890): the epoch is bumped
    /// at the end of every transaction, the markers carry the new one, and the answer hands it
    /// to the producer. Anything in the wrong state is `INVALID_TXN_STATE`.
    pub fn end_txn(
        &mut self,
        transactional_id: &str,
        producer_id: i64,
        producer_epoch: i16,
        commit: bool,
    ) -> Result<(i64, i16), KafkaError> {
        let state = self
            .current_transaction(transactional_id, producer_id, producer_epoch)?
            .state;
        if state != TransactionState::Ongoing {
            return Err(KafkaError::bare(ErrorCode::InvalidTxnState));
        }
        if let Some(m) = self.transactions.transactions.get_mut(transactional_id) {
            m.producer_epoch = m.producer_epoch.saturating_add(1);
        }
        self.complete_transaction(transactional_id, commit);
        self.transactions
            .get(transactional_id)
            .map(|m| (m.producer_id, m.producer_epoch))
            .ok_or_else(|| KafkaError::bare(ErrorCode::TransactionalIdNotFound))
    }

    /// Bumps the id's epoch (fencing its producer) and aborts its open transaction.
    fn fence_and_abort(&mut self, transactional_id: &str) {
        if let Some(m) = self.transactions.transactions.get_mut(transactional_id) {
            m.producer_epoch = m.producer_epoch.saturating_add(1);
            m.state = TransactionState::PrepareEpochFence;
        }
        self.complete_transaction(transactional_id, false);
    }

    /// Prepare, write the markers, complete: the coordinator's two-phase commit (or abort),
    /// here in one step.
    fn complete_transaction(&mut self, transactional_id: &str, commit: bool) {
        let now = self.now_ms();
        let (prepare, complete, kind) = if commit {
            (
                TransactionState::PrepareCommit,
                TransactionState::CompleteCommit,
                ControlRecordType::Commit,
            )
        } else {
            (
                TransactionState::PrepareAbort,
                TransactionState::CompleteAbort,
                ControlRecordType::Abort,
            )
        };
        let Some(meta) = self.transactions.transactions.get_mut(transactional_id) else {
            return;
        };
        meta.state = prepare;
        meta.last_update_ms = now;
        let (producer_id, epoch, partitions) = (
            meta.producer_id,
            meta.producer_epoch,
            meta.partitions.clone(),
        );
        self.write_transaction_state(transactional_id);
        let coordinator_epoch = self
            .transaction_coordinator_of(transactional_id)
            .map_or(0, |(_, e)| e);
        let controller = self.has_controller();
        let brokers = Brokers(&self.brokers);
        for tp in &partitions {
            let Some(p) = self
                .topics
                .get_mut(&tp.topic)
                .and_then(|t| t.partition_mut(tp.partition))
            else {
                continue;
            };
            let offset = p
                .log
                .append_control(producer_id, epoch, kind, coordinator_epoch, now);
            p.producer_state.complete(producer_id, offset, commit);
            let cfg = ReplicationConfig {
                effective_min_isr: 1,
                unclean_leader_election: false,
                controller,
            };
            replication::step(p, &brokers, now, cfg);
        }
        if let Some(meta) = self.transactions.transactions.get_mut(transactional_id) {
            meta.state = complete;
            meta.partitions.clear();
            meta.last_update_ms = now;
        }
        self.write_transaction_state(transactional_id);
        if !self.transactions.has_ongoing() {
            self.transactions.next_abort_check_ms = None;
        }
    }

    /// Appends the id's state to its `__transaction_state` partition.
    fn write_transaction_state(&mut self, transactional_id: &str) {
        let Some(value) = self
            .transactions
            .get(transactional_id)
            .map(|m| m.log_value())
        else {
            return;
        };
        let key = log_key(transactional_id);
        let now = self.now_ms();
        let index = Self::transaction_state_partition(transactional_id);
        let brokers = Brokers(&self.brokers);
        let controller = self.has_controller();
        if let Some(p) = self
            .topics
            .get_mut(TRANSACTION_STATE_TOPIC)
            .and_then(|t| t.partition_mut(index))
        {
            p.log.append(now, Some(&key), Some(&value), Vec::new());
            let cfg = ReplicationConfig {
                effective_min_isr: 1,
                unclean_leader_election: false,
                controller,
            };
            replication::step(p, &brokers, now, cfg);
        }
    }

    /// When the coordinator next looks for timed-out transactions.
    pub(super) fn next_transaction_abort_ms(&self) -> Option<i64> {
        self.transactions.next_abort_check_ms
    }

    /// `abortTimedOutTransactions`: every `transaction.abort.timed.out.transaction.cleanup.
    /// interval.ms`, a transaction open longer than its timeout is aborted with a bumped epoch
    /// (its producer is fenced).
    pub(super) fn abort_timed_out_transactions(&mut self, now: i64) {
        let Some(due) = self.transactions.next_abort_check_ms else {
            return;
        };
        if now < due {
            return;
        }
        for id in self.transactions.timed_out(now) {
            self.fence_and_abort(&id);
        }
        self.transactions.next_abort_check_ms = self.transactions.has_ongoing().then(|| {
            let behind = (now - due) / ABORT_TIMED_OUT_INTERVAL_MS + 1;
            due + behind * ABORT_TIMED_OUT_INTERVAL_MS
        });
    }

    /// The broker's checks of a transactional batch before it is appended: the producer's
    /// epoch is its id's current one (`INVALID_PRODUCER_EPOCH` otherwise) and the partition
    /// was added to its open transaction (`INVALID_TXN_STATE` otherwise, KIP-890's check).
    pub(super) fn verify_transactional_batch(
        &self,
        tp: &TopicPartition,
        batch: &ProducerBatch,
    ) -> Result<(), KafkaError> {
        if !batch.is_transactional {
            return Ok(());
        }
        let Some((_, meta)) = self.transactions.by_producer_id(batch.producer_id) else {
            return Err(KafkaError::bare(ErrorCode::InvalidTxnState));
        };
        if batch.producer_epoch < meta.producer_epoch {
            return Err(KafkaError::bare(ErrorCode::InvalidProducerEpoch));
        }
        if meta.state != TransactionState::Ongoing || !meta.partitions.contains(tp) {
            return Err(KafkaError::bare(ErrorCode::InvalidTxnState));
        }
        Ok(())
    }

    /// `WriteTxnMarkers` for one partition, as `kafka-transactions.sh abort` sends it for a
    /// hanging transaction: an ABORT marker for the producer's open transaction there.
    pub fn abort_hanging_transaction(
        &mut self,
        tp: &TopicPartition,
        producer_id: i64,
        producer_epoch: i16,
        coordinator_epoch: i32,
    ) -> Result<(), KafkaError> {
        let now = self.now_ms();
        let controller = self.has_controller();
        let brokers = Brokers(&self.brokers);
        let p = self
            .topics
            .get_mut(&tp.topic)
            .and_then(|t| t.partition_mut(tp.partition))
            .ok_or_else(|| KafkaError::bare(ErrorCode::UnknownTopicOrPartition))?;
        let offset = p.log.append_control(
            producer_id,
            producer_epoch,
            ControlRecordType::Abort,
            coordinator_epoch,
            now,
        );
        p.producer_state.complete(producer_id, offset, false);
        let cfg = ReplicationConfig {
            effective_min_isr: 1,
            unclean_leader_election: false,
            controller,
        };
        replication::step(p, &brokers, now, cfg);
        Ok(())
    }

    /// A fetch as a consumer with `isolation.level` makes it: up to the high watermark
    /// (`read_uncommitted`) or the last stable offset (`read_committed`), at most `max`
    /// records; control records are never given, and under `read_committed` neither are
    /// records of aborted transactions (the consumer skips them using the fetch response's
    /// aborted transactions).
    pub fn fetch_isolated(
        &self,
        tp: &TopicPartition,
        offset: i64,
        max: usize,
        read_committed: bool,
    ) -> Result<Fetched<'_>, KafkaError> {
        let partition = self
            .topics
            .get(&tp.topic)
            .and_then(|t| t.partition(tp.partition))
            .ok_or_else(|| KafkaError::bare(ErrorCode::UnknownTopicOrPartition))?;
        // Only the leader answers (as `fetch`).
        self.fetch(tp, offset, 0)?;
        let limit = if read_committed {
            partition.last_stable_offset()
        } else {
            partition.high_watermark()
        };
        let visible = (limit - offset).max(0) as usize;
        let log = &partition.log;
        let state = &partition.producer_state;
        let mut records = Vec::new();
        let mut next_offset = offset;
        // The batch headers are walked beside the records (both by offset).
        let headers = log.batch_headers();
        let mut h = headers.partition_point(|h| h.last_offset < offset);
        for r in log.read(offset, visible) {
            // Compaction gaps make `visible` records reach past the limit.
            if records.len() >= max || r.offset >= limit {
                break;
            }
            next_offset = r.offset + 1;
            while headers.get(h).is_some_and(|x| x.last_offset < r.offset) {
                h += 1;
            }
            if let Some(x) = headers.get(h).filter(|x| x.base_offset <= r.offset) {
                if x.is_control
                    || (read_committed
                        && x.is_transactional
                        && state.is_aborted(x.producer_id, r.offset))
                {
                    continue;
                }
            }
            records.push(r);
        }
        Ok(Fetched {
            records,
            next_offset,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::cluster;
    use super::*;
    use crate::engine::Acks;
    use crate::engine::producer_batch::Compression;
    use crate::engine::record::Record;

    fn batch(pid: i64, epoch: i16, seq: i32, values: &[&str]) -> ProducerBatch {
        ProducerBatch {
            producer_id: pid,
            producer_epoch: epoch,
            base_sequence: seq,
            compression: Compression::None,
            is_transactional: true,
            records: values
                .iter()
                .map(|v| Record {
                    offset: -1,
                    timestamp: 5,
                    value: Some(v.as_bytes().to_vec()),
                    ..Default::default()
                })
                .collect(),
        }
    }

    fn values(f: &Fetched) -> Vec<String> {
        f.records
            .iter()
            .map(|r| String::from_utf8_lossy(r.value.unwrap_or_default()).into_owned())
            .collect()
    }

    // Kafka: core/src/main/scala/kafka/coordinator/transaction/TransactionCoordinator.scala
    // (handleInitProducerId, handleAddPartitionsToTransaction, handleEndTransaction),
    // storage/.../internals/log/ProducerStateManager.java (firstUnstableOffset).
    #[test]
    fn an_aborted_transaction_is_hidden_from_read_committed_only() {
        let mut c = cluster();
        c.create_topic("t", NewTopic::default()).unwrap();
        let tp = TopicPartition::new("t", 0);
        let (pid, epoch) = c.init_transactional_producer_id("tx", 60_000).unwrap();
        assert_eq!((pid, epoch), (0, 0));
        assert_eq!(
            c.topic(TRANSACTION_STATE_TOPIC).unwrap().partitions().len(),
            50
        );
        c.add_partitions_to_txn("tx", pid, epoch, std::slice::from_ref(&tp))
            .unwrap();
        let sent = c
            .send_batch(&tp, &batch(pid, epoch, 0, &["a", "b"]), Acks::All)
            .unwrap();
        c.await_acks(&sent, 0).unwrap();
        let p = c.topic("t").unwrap().partition(0).unwrap();
        assert_eq!((p.high_watermark(), p.last_stable_offset()), (2, 0));
        assert!(
            c.fetch_isolated(&tp, 0, 10, true)
                .unwrap()
                .records
                .is_empty()
        );
        assert_eq!(c.end_txn("tx", pid, epoch, false), Ok((0, 1)));
        let p = c.topic("t").unwrap().partition(0).unwrap();
        assert_eq!((p.high_watermark(), p.last_stable_offset()), (3, 3));
        let committed = c.fetch_isolated(&tp, 0, 10, true).unwrap();
        assert_eq!((values(&committed), committed.next_offset), (vec![], 3));
        let uncommitted = c.fetch_isolated(&tp, 0, 10, false).unwrap();
        assert_eq!(values(&uncommitted), ["a", "b"]);
        // A second producer with the same id fences the first.
        assert_eq!(c.init_transactional_producer_id("tx", 60_000), Ok((0, 2)));
        assert_eq!(
            c.add_partitions_to_txn("tx", pid, 1, std::slice::from_ref(&tp))
                .map_err(|e| e.code),
            Err(ErrorCode::ProducerFenced)
        );
        assert_eq!(
            c.init_transactional_producer_id("tx", 900_001)
                .map_err(|e| e.code),
            Err(ErrorCode::InvalidTransactionTimeout)
        );
    }

    #[test]
    fn a_transaction_past_its_timeout_is_aborted_on_the_clock() {
        let mut c = cluster();
        c.create_topic("t", NewTopic::default()).unwrap();
        let tp = TopicPartition::new("t", 0);
        let (pid, epoch) = c.init_transactional_producer_id("tx", 15_000).unwrap();
        c.add_partitions_to_txn("tx", pid, epoch, std::slice::from_ref(&tp))
            .unwrap();
        let sent = c
            .send_batch(&tp, &batch(pid, epoch, 0, &["a"]), Acks::All)
            .unwrap();
        c.await_acks(&sent, 0).unwrap();
        c.advance(15_000);
        assert_eq!(
            c.transaction_coordinator().get("tx").unwrap().state,
            TransactionState::Ongoing
        );
        // Checked every 10 s: at 20 s it has run past 15 s.
        c.advance(5_000);
        let m = c.transaction_coordinator().get("tx").unwrap();
        assert_eq!(
            (m.state, m.producer_epoch),
            (TransactionState::CompleteAbort, 1)
        );
        assert_eq!(
            c.end_txn("tx", pid, epoch, true).map_err(|e| e.code),
            Err(ErrorCode::ProducerFenced)
        );
        let p = c.topic("t").unwrap().partition(0).unwrap();
        assert_eq!(p.last_stable_offset(), 2);
    }
}
