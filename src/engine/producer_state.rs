//! What a partition's leader keeps of transactions (Kafka's `ProducerStateManager` and
//! `TransactionIndex`): the first offset of each producer's open transaction, which holds the
//! last stable offset back, and the offset ranges of aborted transactions, which a
//! `read_committed` fetch is told to skip.
//!
//! Invariant: every ongoing first offset and every aborted range lies below the log end; a
//! producer has at most one open transaction per partition.

use crate::vec_map::VecMap;

/// `AbortedTxn`: a producer's aborted transaction on this partition, from its first record
/// to its ABORT marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AbortedTxn {
    pub producer_id: i64,
    pub first_offset: i64,
    pub last_offset: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ProducerState {
    /// Producer id → the first offset of its open transaction here.
    #[serde(default)]
    ongoing: VecMap<i64, i64>,
    #[serde(default)]
    aborted: Vec<AbortedTxn>,
}

impl ProducerState {
    pub fn is_empty(&self) -> bool {
        self.ongoing.is_empty() && self.aborted.is_empty()
    }

    /// A transactional batch of `producer_id` was appended at `offset`: its transaction
    /// starts there unless it already started.
    pub fn begin(&mut self, producer_id: i64, offset: i64) {
        self.ongoing.entry(producer_id).or_insert(offset);
    }

    /// The producer's marker at `marker_offset` ends its transaction here.
    pub fn complete(&mut self, producer_id: i64, marker_offset: i64, commit: bool) {
        let first = self.ongoing.remove(&producer_id);
        if let (false, Some(first_offset)) = (commit, first) {
            self.aborted.push(AbortedTxn {
                producer_id,
                first_offset,
                last_offset: marker_offset,
            });
        }
    }

    /// The first offset of `producer_id`'s open transaction here.
    pub fn ongoing_first_offset(&self, producer_id: i64) -> Option<i64> {
        self.ongoing.get(&producer_id).copied()
    }

    /// `firstUnstableOffset`: the first offset of the oldest open transaction.
    pub fn first_unstable_offset(&self) -> Option<i64> {
        self.ongoing.values().copied().min()
    }

    /// The open transactions: producer id and first offset.
    pub fn ongoing(&self) -> impl Iterator<Item = (i64, i64)> + '_ {
        self.ongoing.iter().map(|(p, o)| (*p, *o))
    }

    /// Whether `offset`, written by `producer_id`, belongs to an aborted transaction.
    pub fn is_aborted(&self, producer_id: i64, offset: i64) -> bool {
        self.aborted.iter().any(|a| {
            a.producer_id == producer_id && a.first_offset <= offset && offset <= a.last_offset
        })
    }

    /// The aborted transactions overlapping `from..to` (what a fetch response lists).
    pub fn aborted_between(&self, from: i64, to: i64) -> impl Iterator<Item = &AbortedTxn> {
        self.aborted
            .iter()
            .filter(move |a| a.last_offset >= from && a.first_offset < to)
    }

    /// The log was cut at `end` (an election): what started at or after it is gone.
    pub fn truncate_to(&mut self, end: i64) {
        self.ongoing.retain(|_, first| *first < end);
        self.aborted.retain(|a| a.first_offset < end);
        for a in &mut self.aborted {
            a.last_offset = a.last_offset.min(end - 1);
        }
    }

    /// Retention or delete-records moved the log start to `start`.
    pub fn advance_start(&mut self, start: i64) {
        self.aborted.retain(|a| a.last_offset >= start);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_transactions_hold_the_stable_offset_and_aborts_are_indexed() {
        let mut s = ProducerState::default();
        s.begin(7, 3);
        s.begin(7, 5);
        s.begin(8, 4);
        assert_eq!(s.first_unstable_offset(), Some(3));
        s.complete(7, 6, false);
        assert_eq!(s.first_unstable_offset(), Some(4));
        assert!(s.is_aborted(7, 5));
        assert!(!s.is_aborted(8, 5));
        s.complete(8, 7, true);
        assert_eq!(s.first_unstable_offset(), None);
        assert_eq!(s.aborted_between(0, 10).count(), 1);
        s.truncate_to(3);
        assert!(s.is_empty());
    }
}
