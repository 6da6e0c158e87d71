//! A topic partition: its replicas, leader, in-sync replicas, eligible leader replicas, high
//! watermark and log.
//!
//! The log is the leader's; every follower holds a prefix of it, tracked by its log end offset
//! (`replica_leo`). Invariants: `log_start ≤ high_watermark ≤ every ISR member's log end`;
//! the leader is in the ISR; records at or above the high watermark are invisible to consumers.
//! The ISR, the ELR and the last known ELR never share a member (KIP-966); the ISR may be empty
//! (no leader then), and the ELR is empty while the ISR has at least min ISR members.

use crate::vec_map::VecMap;

use super::BrokerId;
use super::log::Log;
use super::producer_state::ProducerState;

/// Records an election cut off the log: offsets `from..end`, lost when `leader` took over.
/// In a clean election (the new leader was in the ISR or the ELR) they were never committed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Truncation {
    pub from: i64,
    pub end: i64,
    pub leader: BrokerId,
    pub clean: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Partition {
    pub(in crate::engine) index: i32,
    /// Assigned replicas; the first one is the preferred leader.
    pub(in crate::engine) replicas: Vec<BrokerId>,
    pub(in crate::engine) leader: Option<BrokerId>,
    pub(in crate::engine) isr: Vec<BrokerId>,
    /// Eligible Leader Replicas (KIP-966): replicas that left the ISR while it was below
    /// `min.insync.replicas`. The high watermark cannot move then, so they hold every committed
    /// record and may lead cleanly once the ISR is empty. Ascending, as the controller stores
    /// them (a Java `HashSet` of small ids).
    #[serde(default)]
    pub(in crate::engine) elr: Vec<BrokerId>,
    /// The last leader before the ISR became empty (Kafka 4.1 keeps only that one here): it may
    /// lead again, uncleanly, when neither the ISR nor the ELR has a live member.
    #[serde(default)]
    pub(in crate::engine) last_known_elr: Vec<BrokerId>,
    pub(in crate::engine) leader_epoch: i32,
    pub(in crate::engine) log: Log,
    /// Followers' log end offsets (the leader's is the log's).
    #[serde(default)]
    pub(in crate::engine) replica_leo: VecMap<BrokerId, i64>,
    /// When each follower was last caught up with the leader (`replica.lag.time.max.ms`).
    #[serde(default)]
    pub(in crate::engine) caught_up_ms: VecMap<BrokerId, i64>,
    #[serde(default)]
    pub(in crate::engine) high_watermark: i64,
    /// Set when an election cut records off the log. The cluster reports it once and clears it.
    #[serde(skip)]
    pub(in crate::engine) truncated: Option<Truncation>,
    /// A reassignment in progress: replicas being added and removed (`replicas` holds both).
    #[serde(default)]
    pub(in crate::engine) adding: Vec<BrokerId>,
    #[serde(default)]
    pub(in crate::engine) removing: Vec<BrokerId>,
    /// Open and aborted transactions on this partition.
    #[serde(default, skip_serializing_if = "ProducerState::is_empty")]
    pub(in crate::engine) producer_state: ProducerState,
}

impl Partition {
    pub fn new(index: i32, replicas: Vec<BrokerId>) -> Self {
        Partition {
            index,
            leader: replicas.first().copied(),
            isr: replicas.clone(),
            elr: Vec::new(),
            last_known_elr: Vec::new(),
            replica_leo: VecMap::from_iter(replicas.iter().map(|r| (*r, 0))),
            caught_up_ms: VecMap::new(),
            replicas,
            leader_epoch: 0,
            log: Log::default(),
            high_watermark: 0,
            truncated: None,
            adding: Vec::new(),
            removing: Vec::new(),
            producer_state: ProducerState::default(),
        }
    }

    /// The partition's number within its topic.
    pub fn index(&self) -> i32 {
        self.index
    }

    /// The assigned replicas, the preferred leader first (during a reassignment: the target
    /// replicas, then those being removed).
    pub fn replicas(&self) -> &[BrokerId] {
        &self.replicas
    }

    /// The broker that leads the partition; `None` while it is offline (`Leader: none`).
    pub fn leader(&self) -> Option<BrokerId> {
        self.leader
    }

    pub fn leader_epoch(&self) -> i32 {
        self.leader_epoch
    }

    /// The in-sync replicas.
    pub fn isr(&self) -> &[BrokerId] {
        &self.isr
    }

    /// The eligible leader replicas (KIP-966).
    pub fn elr(&self) -> &[BrokerId] {
        &self.elr
    }

    /// The last known leader while no replica is in sync (KIP-966).
    pub fn last_known_elr(&self) -> &[BrokerId] {
        &self.last_known_elr
    }

    /// Replicas a reassignment in progress adds (`Adding Replicas:`).
    pub fn adding_replicas(&self) -> &[BrokerId] {
        &self.adding
    }

    /// Replicas a reassignment in progress removes (`Removing Replicas:`).
    pub fn removing_replicas(&self) -> &[BrokerId] {
        &self.removing
    }

    /// A reassignment of this partition is in progress.
    pub fn is_reassigning(&self) -> bool {
        !self.adding.is_empty() || !self.removing.is_empty()
    }

    /// Fewer replicas are in sync than are assigned.
    pub fn is_under_replicated(&self) -> bool {
        self.isr.len() < self.replicas.len()
    }

    /// The leader's log, read-only: its segments and records (the uncommitted tail too).
    pub fn log(&self) -> &Log {
        &self.log
    }

    /// The offset below which records are committed and visible to consumers.
    pub fn high_watermark(&self) -> i64 {
        self.high_watermark
    }

    /// `lastStableOffset`: below the first open transaction's first record and the high
    /// watermark; a `read_committed` consumer reads up to here.
    pub fn last_stable_offset(&self) -> i64 {
        self.producer_state
            .first_unstable_offset()
            .map_or(self.high_watermark, |o| o.min(self.high_watermark))
    }

    /// Its open and aborted transactions.
    pub fn producer_state(&self) -> &ProducerState {
        &self.producer_state
    }

    pub fn log_start_offset(&self) -> i64 {
        self.log.log_start_offset()
    }

    pub fn log_end_offset(&self) -> i64 {
        self.log.log_end_offset()
    }

    /// A replica's log end offset: the log's for the leader, the tracked one for followers.
    pub fn replica_log_end(&self, broker: BrokerId) -> i64 {
        if self.leader == Some(broker) {
            self.log.log_end_offset()
        } else {
            self.replica_leo.get(&broker).copied().unwrap_or(0)
        }
    }

    /// Raises the high watermark to the smallest log end in the ISR — unless the ISR is
    /// smaller than `min_isr`, where Kafka (since 3.7) holds it still.
    pub fn update_high_watermark(&mut self, min_isr: usize) {
        if self.leader.is_none() || self.isr.len() < min_isr {
            return;
        }
        let hw = self
            .isr
            .iter()
            .map(|b| self.replica_log_end(*b))
            .min()
            .unwrap_or(self.high_watermark);
        self.high_watermark = self.high_watermark.max(hw).min(self.log.log_end_offset());
    }

    /// Makes `broker` the leader (new epoch). Its log is the truth: anything the old leader had
    /// beyond it is cut off, and no replica keeps more than the new leader has. `clean` says
    /// whether the new leader was known to hold every committed record (from the ISR or the
    /// ELR); the controller sets the ISR and ELR that go with the election.
    pub fn elect(&mut self, broker: BrokerId, clean: bool) {
        let leo = self.replica_log_end(broker);
        if let Some(old) = self.leader {
            let old_leo = self.log.log_end_offset();
            self.replica_leo.insert(old, old_leo);
        }
        if self.log.log_end_offset() > leo {
            self.truncated = Some(Truncation {
                from: leo,
                end: self.log.log_end_offset(),
                leader: broker,
                clean,
            });
        }
        self.log.truncate_to(leo);
        self.producer_state.truncate_to(leo);
        for end in self.replica_leo.values_mut() {
            *end = (*end).min(leo);
        }
        self.replica_leo.remove(&broker);
        self.leader = Some(broker);
        self.leader_epoch += 1;
        self.high_watermark = self.high_watermark.min(leo);
    }

    /// No replica can lead: `Leader: none` (new epoch). The controller sets the ISR and ELR.
    pub fn go_offline(&mut self) {
        if let Some(old) = self.leader.take() {
            let old_leo = self.log.log_end_offset();
            self.replica_leo.insert(old, old_leo);
            self.leader_epoch += 1;
        }
    }
}
