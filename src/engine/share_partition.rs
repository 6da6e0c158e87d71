//! A share-partition (KIP-932): one share group's view of one topic-partition. Records from
//! the share-partition start offset (SPSO) up to the end of what was ever acquired are
//! "in flight", each `Available`, `Acquired` (by one member, under a lock), `Acknowledged` or
//! `Archived`; records past the end are available and never delivered. The SPSO moves up
//! over the leading records that are done (acknowledged or archived).
//!
//! Invariant: every offset in `records` lies in `start_offset..end_offset`; an `Acquired`
//! record has an owner and a lock deadline, no other state has either.

use crate::vec_map::VecMap;

/// `group.share.delivery.count.limit`: deliveries after which a released or expired record is
/// archived instead of made available again.
pub const DELIVERY_COUNT_LIMIT: i32 = 5;
/// `group.share.record.lock.duration.ms`: how long an acquired record stays locked to its
/// member before it becomes available again.
pub const RECORD_LOCK_DURATION_MS: i64 = 30_000;

/// `group.share.partition.max.record.locks`: the most records in flight past the SPSO; a
/// share-partition acquires nothing beyond it until its start offset moves.
pub const MAX_RECORD_LOCKS: i64 = 2_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum RecordState {
    Available,
    Acquired,
    Acknowledged,
    Archived,
}

impl RecordState {
    /// Whether the record needs nothing more (the SPSO may pass it).
    fn is_done(self) -> bool {
        matches!(self, RecordState::Acknowledged | RecordState::Archived)
    }
}

/// `AcknowledgeType`: what a share consumer says of a record it got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcknowledgeType {
    /// Processed: the record is done.
    Accept,
    /// Not processed: deliver it again (to any member), unless its deliveries are used up.
    Release,
    /// Unprocessable: never deliver it again.
    Reject,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct InFlightRecord {
    pub state: RecordState,
    pub delivery_count: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(default)]
    pub lock_until_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct SharePartition {
    /// SPSO: the first offset not yet done.
    pub start_offset: i64,
    /// One past the last offset ever acquired (at least the SPSO).
    pub end_offset: i64,
    /// The leader epoch the state was written with (`--describe --verbose`).
    #[serde(default)]
    pub leader_epoch: i32,
    records: VecMap<i64, InFlightRecord>,
}

impl SharePartition {
    /// A share-partition starting at `offset` (from `share.auto.offset.reset`, or a reset).
    pub fn starting_at(offset: i64, leader_epoch: i32) -> SharePartition {
        SharePartition {
            start_offset: offset,
            end_offset: offset,
            leader_epoch,
            records: VecMap::new(),
        }
    }

    /// The state of the record at `offset`, as the broker sees it.
    pub fn state_of(&self, offset: i64) -> RecordState {
        if offset < self.start_offset {
            return RecordState::Acknowledged;
        }
        self.records
            .get(&offset)
            .map_or(RecordState::Available, |r| r.state)
    }

    pub fn record(&self, offset: i64) -> Option<&InFlightRecord> {
        self.records.get(&offset)
    }

    /// Records acquired by `member` right now.
    pub fn acquired_by(&self, member: &str) -> usize {
        self.records
            .values()
            .filter(|r| r.state == RecordState::Acquired && r.owner.as_deref() == Some(member))
            .count()
    }

    /// Records in each state from the SPSO to `high_watermark` (not-yet-delivered ones count as
    /// available): (available, acquired, acknowledged, archived).
    pub fn counts(&self, high_watermark: i64) -> (i64, i64, i64, i64) {
        let (mut acquired, mut acked, mut archived, mut tracked) = (0, 0, 0, 0);
        for r in self.records.values() {
            tracked += 1;
            match r.state {
                RecordState::Acquired => acquired += 1,
                RecordState::Acknowledged => acked += 1,
                RecordState::Archived => archived += 1,
                RecordState::Available => tracked -= 1,
            }
        }
        let total = (high_watermark - self.start_offset).max(0);
        ((total - tracked).max(0), acquired, acked, archived)
    }

    /// Records from the SPSO to `high_watermark` not yet done: the share-partition's lag.
    pub fn lag(&self, high_watermark: i64) -> i64 {
        let (available, acquired, _, _) = self.counts(high_watermark);
        available + acquired
    }

    /// Acquires up to `max` available offsets below `high_watermark` for `member`, lowest
    /// first (redeliveries before new records). `log_start` skips offsets deleted from the log.
    pub fn acquire(
        &mut self,
        member: &str,
        log_start: i64,
        high_watermark: i64,
        max: usize,
        now: i64,
        lock_ms: i64,
    ) -> Vec<i64> {
        self.skip_below(log_start);
        let mut acquired = Vec::new();
        let mut offset = self.start_offset;
        let limit = high_watermark.min(self.start_offset.saturating_add(MAX_RECORD_LOCKS));
        while offset < limit && acquired.len() < max {
            let entry = self.records.get(&offset).cloned();
            let take = match &entry {
                None => true,
                Some(r) => r.state == RecordState::Available,
            };
            if take {
                let delivery_count = entry.map_or(0, |r| r.delivery_count) + 1;
                self.records.insert(
                    offset,
                    InFlightRecord {
                        state: RecordState::Acquired,
                        delivery_count,
                        owner: Some(member.to_string()),
                        lock_until_ms: now.saturating_add(lock_ms),
                    },
                );
                acquired.push(offset);
                self.end_offset = self.end_offset.max(offset + 1);
            }
            offset += 1;
        }
        acquired
    }

    /// A member's acknowledgement of a record it holds; false when it does not hold it (the
    /// lock expired, or another member has it now).
    pub fn acknowledge(
        &mut self,
        member: &str,
        offset: i64,
        kind: AcknowledgeType,
        limit: i32,
    ) -> bool {
        let Some(r) = self.records.get_mut(&offset) else {
            return false;
        };
        if r.state != RecordState::Acquired || r.owner.as_deref() != Some(member) {
            return false;
        }
        r.owner = None;
        r.lock_until_ms = 0;
        r.state = match kind {
            AcknowledgeType::Accept => RecordState::Acknowledged,
            AcknowledgeType::Reject => RecordState::Archived,
            AcknowledgeType::Release if r.delivery_count >= limit => RecordState::Archived,
            AcknowledgeType::Release => RecordState::Available,
        };
        self.advance_start();
        true
    }

    /// Releases what `member` holds (it left the group, or its session ended).
    pub fn release_all(&mut self, member: &str, limit: i32) {
        let held: Vec<i64> = self
            .records
            .iter()
            .filter(|(_, r)| r.state == RecordState::Acquired && r.owner.as_deref() == Some(member))
            .map(|(o, _)| *o)
            .collect();
        for offset in held {
            self.acknowledge(member, offset, AcknowledgeType::Release, limit);
        }
    }

    /// Locks that ran out by `now` make their records available again (or archived once their
    /// deliveries are used up). True when one did.
    pub fn expire_locks(&mut self, now: i64, limit: i32) -> bool {
        let mut changed = false;
        for r in self.records.values_mut() {
            if r.state == RecordState::Acquired && r.lock_until_ms <= now {
                r.owner = None;
                r.lock_until_ms = 0;
                r.state = if r.delivery_count >= limit {
                    RecordState::Archived
                } else {
                    RecordState::Available
                };
                changed = true;
            }
        }
        if changed {
            self.advance_start();
        }
        changed
    }

    /// The earliest lock deadline.
    pub fn next_lock_expiry(&self) -> Option<i64> {
        self.records
            .values()
            .filter(|r| r.state == RecordState::Acquired)
            .map(|r| r.lock_until_ms)
            .min()
    }

    /// Offsets the log no longer holds are gone for the group too.
    fn skip_below(&mut self, log_start: i64) {
        if log_start > self.start_offset {
            self.start_offset = log_start;
            self.end_offset = self.end_offset.max(log_start);
            self.records.retain(|o, _| *o >= log_start);
        }
    }

    fn advance_start(&mut self) {
        while self
            .records
            .get(&self.start_offset)
            .is_some_and(|r| r.state.is_done())
        {
            self.records.remove(&self.start_offset);
            self.start_offset += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Kafka: core/src/main/java/kafka/server/share/SharePartition.java (acquire, acknowledge,
    // the acquisition lock timeout, the delivery count limit)
    #[test]
    fn records_move_through_their_states() {
        let mut sp = SharePartition::starting_at(0, 0);
        assert_eq!(sp.acquire("a", 0, 3, 500, 0, 30_000), vec![0, 1, 2]);
        assert_eq!(sp.acquire("b", 0, 3, 500, 0, 30_000), Vec::<i64>::new());
        assert!(sp.acknowledge("a", 0, AcknowledgeType::Accept, 5));
        assert_eq!(sp.start_offset, 1);
        assert!(sp.acknowledge("a", 2, AcknowledgeType::Reject, 5));
        assert_eq!(sp.state_of(2), RecordState::Archived);
        assert_eq!(sp.start_offset, 1, "offset 1 is still acquired");
        // b cannot acknowledge what a holds.
        assert!(!sp.acknowledge("b", 1, AcknowledgeType::Accept, 5));
        // The lock runs out: offset 1 is available again, and b gets it as a second delivery.
        assert!(sp.expire_locks(30_000, 5));
        assert_eq!(sp.acquire("b", 0, 3, 500, 30_000, 30_000), vec![1]);
        assert_eq!(sp.record(1).map(|r| r.delivery_count), Some(2));
        assert!(sp.acknowledge("b", 1, AcknowledgeType::Accept, 5));
        assert_eq!(sp.start_offset, 3);
        assert_eq!(sp.lag(3), 0);
    }

    #[test]
    fn records_in_flight_are_bounded_by_the_record_locks() {
        let mut sp = SharePartition::starting_at(0, 0);
        // Offset 0 stays acquired (its consumer hangs); everything after it is accepted.
        assert_eq!(sp.acquire("a", 0, 1, 500, 0, 30_000), vec![0]);
        let mut taken = 1;
        loop {
            let got = sp.acquire("b", 0, 10_000, 500, 0, 30_000);
            if got.is_empty() {
                break;
            }
            for o in &got {
                assert!(sp.acknowledge("b", *o, AcknowledgeType::Accept, 5));
            }
            taken += got.len() as i64;
        }
        assert_eq!(taken, MAX_RECORD_LOCKS);
        assert_eq!(sp.start_offset, 0);
        // Once offset 0 is done, the start offset jumps and acquisition goes on.
        assert!(sp.acknowledge("a", 0, AcknowledgeType::Accept, 5));
        assert_eq!(sp.start_offset, MAX_RECORD_LOCKS);
        assert_eq!(
            sp.acquire("b", 0, 10_000, 1, 0, 30_000),
            vec![MAX_RECORD_LOCKS]
        );
    }

    #[test]
    fn a_released_record_is_archived_after_the_delivery_limit() {
        let mut sp = SharePartition::starting_at(0, 0);
        for delivery in 1..=5 {
            assert_eq!(sp.acquire("a", 0, 1, 500, 0, 30_000), vec![0], "{delivery}");
            assert!(sp.acknowledge("a", 0, AcknowledgeType::Release, 5));
        }
        assert_eq!(sp.start_offset, 1);
        assert!(sp.acquire("a", 0, 1, 500, 0, 30_000).is_empty());
    }
}
