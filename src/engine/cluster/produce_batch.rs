//! The producer's batches on the broker: `InitProducerId` (an id and epoch for an idempotent
//! producer) and a `Produce` request carrying one batch, appended whole on the partition's
//! leader; a retried batch the leader already has is recognised by its producer id, epoch and
//! sequence (`ProducerStateManager`) and answered with its first offset, not appended again.

use super::produce_fetch::{IsrCopy, leader_serves, not_enough_replicas};
use super::{Acks, Cluster, InFlight, RecordMetadata};
use crate::engine::broker::Brokers;
use crate::engine::error::{ErrorCode, KafkaError};
use crate::engine::producer_batch::{ProducerBatch, find_duplicate};
use crate::engine::record::Record;
use crate::engine::replication::{self, ReplicationConfig};
use crate::engine::topic::TopicPartition;

impl Cluster {
    /// `InitProducerId` without a transactional id: a new producer id, epoch 0. Any running
    /// broker answers (it takes ids from the controller's blocks, which the playground
    /// allocates one at a time).
    pub fn init_producer_id(&mut self) -> Result<(i64, i16), KafkaError> {
        if !self.brokers.iter().any(|b| b.running) {
            return Err(KafkaError::bare(ErrorCode::NetworkException));
        }
        let id = self.next_producer_id;
        self.next_producer_id += 1;
        Ok((id, 0))
    }

    /// A produce request with one batch for `tp`: checked as the leader checks a request
    /// (leader, min ISR for `acks=all`, `max.message.bytes` for the whole batch, keys on a
    /// compacted topic), then appended whole. The request is in flight until
    /// [`Cluster::await_acks`] answers it; its metadata is the batch's first record.
    pub fn send_batch(
        &mut self,
        tp: &TopicPartition,
        batch: &ProducerBatch,
        acks: Acks,
    ) -> Result<InFlight, KafkaError> {
        let (config, _) = self.produce_config(&tp.topic)?;
        if config.compact && batch.records.iter().any(|r| r.key.is_none()) {
            return Err(KafkaError::new(
                ErrorCode::InvalidRecord,
                format!(
                    "Compacted topic cannot accept message without key in topic partition {tp}"
                ),
            ));
        }
        let size = crate::engine::record::batch_size(&batch.records);
        if size as i64 > config.max_message_bytes {
            return Err(KafkaError::bare(ErrorCode::MessageTooLarge));
        }
        self.verify_transactional_batch(tp, batch)?;
        self.admit_batch_data(&batch.records)?;
        let now = self.now_ms();
        let controller = self.has_controller();
        let brokers = Brokers(&self.brokers);
        let Some(t) = self.topics.get_mut(&tp.topic) else {
            return Err(KafkaError::bare(ErrorCode::UnknownTopicOrPartition));
        };
        let cfg = ReplicationConfig::new(
            config.min_isr,
            t.replication_factor(),
            config.unclean_leader_election,
            controller,
        );
        let Some(p) = t.partition_mut(tp.partition) else {
            return Err(KafkaError::bare(ErrorCode::UnknownTopicOrPartition));
        };
        leader_serves(p, &brokers)?;
        if acks == Acks::All && p.isr.len() < cfg.effective_min_isr {
            return Err(not_enough_replicas(p, cfg.effective_min_isr, tp));
        }
        let (leader, leader_epoch) = (p.leader.unwrap_or_default(), p.leader_epoch);
        let timestamp = batch.records.first().map_or(now, |r| r.timestamp);
        let last_of = |p: &crate::engine::Partition, offset: i64| {
            p.log
                .read(offset, 1)
                .first()
                .map(|r| r.to_record())
                .unwrap_or_default()
        };
        if let Some(dup) = find_duplicate(p.log.batch_headers(), batch).copied() {
            let record = last_of(p, dup.last_offset);
            return Ok(InFlight {
                tp: tp.clone(),
                metadata: RecordMetadata {
                    partition: tp.partition,
                    offset: dup.base_offset,
                    timestamp,
                },
                acks,
                leader,
                leader_epoch,
                record,
            });
        }
        let isr_before = IsrCopy::of(&p.isr);
        let header = p.log.append_batch(batch, config.roll);
        if batch.is_transactional {
            p.producer_state
                .begin(batch.producer_id, header.base_offset);
        }
        replication::step(p, &brokers, now, cfg);
        let record: Record = last_of(p, header.last_offset);
        if !isr_before.is(&p.isr) {
            self.sync_metadata();
        }
        Ok(InFlight {
            tp: tp.clone(),
            metadata: RecordMetadata {
                partition: tp.partition,
                offset: header.base_offset,
                timestamp,
            },
            acks,
            leader,
            leader_epoch,
            record,
        })
    }

    /// A retry of a batch's request: the leader answers as for [`Cluster::resend`] if it
    /// still has the batch, else takes it again (or recognises it, see [`Cluster::send_batch`]).
    pub fn resend_batch(
        &mut self,
        sent: &InFlight,
        batch: &ProducerBatch,
    ) -> Result<InFlight, KafkaError> {
        if self.still_in_log(sent) {
            return self.resend(sent);
        }
        self.send_batch(&sent.tp, batch, sent.acks)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::cluster;
    use super::*;
    use crate::engine::NewTopic;
    use crate::engine::producer_batch::Compression;

    fn batch(pid: i64, seq: i32, values: &[&str]) -> ProducerBatch {
        ProducerBatch {
            producer_id: pid,
            producer_epoch: 0,
            base_sequence: seq,
            compression: Compression::Lz4,
            is_transactional: false,
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

    #[test]
    fn a_batch_is_appended_whole_and_a_retry_is_not_appended_again() {
        let mut c = cluster();
        c.create_topic("t", NewTopic::default()).unwrap();
        assert_eq!(c.init_producer_id(), Ok((0, 0)));
        assert_eq!(c.init_producer_id(), Ok((1, 0)));
        let tp = TopicPartition::new("t", 0);
        let sent = c
            .send_batch(&tp, &batch(1, 0, &["a", "b", "c"]), Acks::All)
            .unwrap();
        assert_eq!((sent.metadata.offset, sent.last_offset()), (0, 2));
        assert!(c.await_acks(&sent, 0).is_ok());
        // The same batch again (a retry after a lost answer) gets the same offsets.
        let again = c
            .send_batch(&tp, &batch(1, 0, &["a", "b", "c"]), Acks::All)
            .unwrap();
        assert_eq!(again.metadata.offset, 0);
        let next = c.send_batch(&tp, &batch(1, 3, &["d"]), Acks::All).unwrap();
        assert_eq!(next.metadata.offset, 3);
        let p = c.topic("t").unwrap().partition(0).unwrap();
        assert_eq!(p.log_end_offset(), 4);
        let headers = p.log().batch_headers();
        assert_eq!(headers.len(), 2);
        assert_eq!(
            (
                headers[0].base_offset,
                headers[0].last_offset,
                headers[0].last_sequence()
            ),
            (0, 2, 2)
        );
        assert_eq!(headers[1].compression, Compression::Lz4);
    }
}
