//! The transaction coordinator's state (Kafka's `TransactionStateManager` and
//! `TransactionMetadata`): for each `transactional.id`, its producer id and epoch, its timeout,
//! its state and the partitions its open transaction wrote to. The state lives in the
//! `__transaction_state` partition the id hashes to; that partition's leader coordinates it.
//!
//! Invariant: an id's epoch only grows (fencing older producers of the same id); only an
//! `Ongoing` transaction has partitions.

use crate::vec_map::VecMap;

use super::topic::TopicPartition;

pub const TRANSACTION_STATE_TOPIC: &str = "__transaction_state";
/// `transaction.state.log.num.partitions`.
pub const TRANSACTION_STATE_PARTITIONS: i32 = 50;
/// `transaction.max.timeout.ms`: 15 minutes.
pub const MAX_TRANSACTION_TIMEOUT_MS: i64 = 900_000;
/// `transaction.abort.timed.out.transaction.cleanup.interval.ms`: 10 seconds.
pub const ABORT_TIMED_OUT_INTERVAL_MS: i64 = 10_000;

/// `TransactionState`, named as the admin client prints it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum TransactionState {
    #[default]
    Empty,
    Ongoing,
    PrepareCommit,
    PrepareAbort,
    CompleteCommit,
    CompleteAbort,
    PrepareEpochFence,
    Dead,
}

impl TransactionState {
    /// `TransactionState.toString()` in the admin client (`kafka-transactions.sh`).
    pub fn name(self) -> &'static str {
        match self {
            TransactionState::Empty => "Empty",
            TransactionState::Ongoing => "Ongoing",
            TransactionState::PrepareCommit => "PrepareCommit",
            TransactionState::PrepareAbort => "PrepareAbort",
            TransactionState::CompleteCommit => "CompleteCommit",
            TransactionState::CompleteAbort => "CompleteAbort",
            TransactionState::PrepareEpochFence => "PrepareEpochFence",
            TransactionState::Dead => "Dead",
        }
    }

    /// The status byte `TransactionLogValue` stores (`TransactionState.id`).
    pub fn id(self) -> i8 {
        match self {
            TransactionState::Empty => 0,
            TransactionState::Ongoing => 1,
            TransactionState::PrepareCommit => 2,
            TransactionState::PrepareAbort => 3,
            TransactionState::CompleteCommit => 4,
            TransactionState::CompleteAbort => 5,
            TransactionState::Dead => 6,
            TransactionState::PrepareEpochFence => 7,
        }
    }
}

/// `TransactionMetadata`: one transactional id.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TransactionMetadata {
    pub producer_id: i64,
    pub producer_epoch: i16,
    pub timeout_ms: i64,
    pub state: TransactionState,
    /// The partitions the open transaction added, in the order added.
    #[serde(default)]
    pub partitions: Vec<TopicPartition>,
    /// `txnStartTimestamp`: when the current (or last) transaction began; -1 before any.
    pub start_ms: i64,
    pub last_update_ms: i64,
}

impl TransactionMetadata {
    /// `TransactionLogValue` v0 as the coordinator writes it to `__transaction_state`.
    pub fn log_value(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(64);
        v.extend_from_slice(&0i16.to_be_bytes());
        v.extend_from_slice(&self.producer_id.to_be_bytes());
        v.extend_from_slice(&self.producer_epoch.to_be_bytes());
        v.extend_from_slice(&(self.timeout_ms as i32).to_be_bytes());
        v.push(self.state.id() as u8);
        // The partitions grouped by topic, in the order first added.
        let mut topics: Vec<(&str, Vec<i32>)> = Vec::new();
        for tp in &self.partitions {
            match topics.iter_mut().find(|(t, _)| *t == tp.topic) {
                Some((_, ps)) => ps.push(tp.partition),
                None => topics.push((&tp.topic, vec![tp.partition])),
            }
        }
        v.extend_from_slice(&(topics.len() as i32).to_be_bytes());
        for (topic, partitions) in topics {
            v.extend_from_slice(&(topic.len() as i16).to_be_bytes());
            v.extend_from_slice(topic.as_bytes());
            v.extend_from_slice(&(partitions.len() as i32).to_be_bytes());
            for p in partitions {
                v.extend_from_slice(&p.to_be_bytes());
            }
        }
        v.extend_from_slice(&self.last_update_ms.to_be_bytes());
        v.extend_from_slice(&self.start_ms.to_be_bytes());
        v
    }
}

/// `TransactionLogKey` v0: the record key of an id's state in `__transaction_state`.
pub fn log_key(transactional_id: &str) -> Vec<u8> {
    let mut k = 0i16.to_be_bytes().to_vec();
    k.extend_from_slice(&(transactional_id.len() as i16).to_be_bytes());
    k.extend_from_slice(transactional_id.as_bytes());
    k
}

/// Reads a `TransactionLogKey` back: its version and transactional id.
pub fn read_log_key(key: &[u8]) -> Option<(i16, String)> {
    let version = i16::from_be_bytes(key.get(0..2)?.try_into().ok()?);
    let len = i16::from_be_bytes(key.get(2..4)?.try_into().ok()?);
    let id = key.get(4..4 + usize::try_from(len).ok()?)?;
    Some((version, String::from_utf8_lossy(id).into_owned()))
}

/// Reads a `TransactionLogValue` v0 back (what [`TransactionMetadata::log_value`] wrote).
pub fn read_log_value(value: &[u8]) -> Option<TransactionMetadata> {
    let mut at = 2usize;
    let mut take = |n: usize| -> Option<&[u8]> {
        let bytes = value.get(at..at + n)?;
        at += n;
        Some(bytes)
    };
    let producer_id = i64::from_be_bytes(take(8)?.try_into().ok()?);
    let producer_epoch = i16::from_be_bytes(take(2)?.try_into().ok()?);
    let timeout_ms = i64::from(i32::from_be_bytes(take(4)?.try_into().ok()?));
    let state = match take(1)?[0] {
        0 => TransactionState::Empty,
        1 => TransactionState::Ongoing,
        2 => TransactionState::PrepareCommit,
        3 => TransactionState::PrepareAbort,
        4 => TransactionState::CompleteCommit,
        5 => TransactionState::CompleteAbort,
        6 => TransactionState::Dead,
        _ => TransactionState::PrepareEpochFence,
    };
    let topics = i32::from_be_bytes(take(4)?.try_into().ok()?);
    let mut partitions = Vec::new();
    for _ in 0..topics.clamp(0, 10_000) {
        let len = i16::from_be_bytes(take(2)?.try_into().ok()?);
        let topic = String::from_utf8_lossy(take(usize::try_from(len).ok()?)?).into_owned();
        let count = i32::from_be_bytes(take(4)?.try_into().ok()?);
        for _ in 0..count.clamp(0, 100_000) {
            let p = i32::from_be_bytes(take(4)?.try_into().ok()?);
            partitions.push(TopicPartition::new(&topic, p));
        }
    }
    let last_update_ms = i64::from_be_bytes(take(8)?.try_into().ok()?);
    let start_ms = i64::from_be_bytes(take(8)?.try_into().ok()?);
    Some(TransactionMetadata {
        producer_id,
        producer_epoch,
        timeout_ms,
        state,
        partitions,
        start_ms,
        last_update_ms,
    })
}

/// Every transactional id the coordinators know, and when timed-out transactions are next
/// looked for.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TransactionCoordinator {
    #[serde(default)]
    pub transactions: VecMap<String, TransactionMetadata>,
    /// The next run of the timed-out transaction abort, while any transaction is open.
    #[serde(default)]
    pub next_abort_check_ms: Option<i64>,
}

impl TransactionCoordinator {
    pub fn is_empty(&self) -> bool {
        self.transactions.is_empty()
    }

    pub fn get(&self, transactional_id: &str) -> Option<&TransactionMetadata> {
        self.transactions.get(transactional_id)
    }

    /// The id whose current producer id is `producer_id`.
    pub fn by_producer_id(&self, producer_id: i64) -> Option<(&String, &TransactionMetadata)> {
        self.transactions
            .iter()
            .find(|(_, m)| m.producer_id == producer_id)
    }

    /// The open transactions that have run past their timeout at `now`
    /// (`timedOutTransactions`).
    pub fn timed_out(&self, now: i64) -> Vec<String> {
        self.transactions
            .iter()
            .filter(|(_, m)| {
                m.state == TransactionState::Ongoing && m.start_ms + m.timeout_ms < now
            })
            .map(|(id, _)| id.clone())
            .collect()
    }

    pub fn has_ongoing(&self) -> bool {
        self.transactions
            .values()
            .any(|m| m.state == TransactionState::Ongoing)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_records_read_back() {
        let m = TransactionMetadata {
            producer_id: 7,
            producer_epoch: 2,
            timeout_ms: 60_000,
            state: TransactionState::Ongoing,
            partitions: vec![TopicPartition::new("a", 0), TopicPartition::new("a", 2)],
            start_ms: 5,
            last_update_ms: 6,
        };
        assert_eq!(read_log_value(&m.log_value()), Some(m));
        assert_eq!(read_log_key(&log_key("t1")), Some((0, "t1".to_string())));
        assert_eq!(read_log_value(&[0, 0, 1]), None);
    }
}
