//! The cluster's clock: moving it, and the timed work that falls due on the way (fencing,
//! ISR expiry, rebalances, the retention check and the log cleaner).

use super::{CLEANER_BACKOFF_MS, Cluster, RETENTION_CHECK_INTERVAL_MS};
use crate::engine::broker::{BROKER_SESSION_TIMEOUT_MS, Brokers};
use crate::engine::events::EventKind;
use crate::engine::replication;

impl Cluster {
    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    /// Moves the clock forward; timed work that falls due on the way (broker fencing,
    /// rebalances, session timeouts) runs at its own moment, in order.
    pub fn advance(&mut self, ms: i64) {
        let target = self.now_ms().saturating_add(ms.max(0));
        self.advance_to(target);
    }

    pub fn advance_to(&mut self, target: i64) {
        // Each step runs what is due then; a step that schedules more work (a rebalance after
        // a session expiry) is picked up by the next iteration. The bound keeps a bad state
        // from spinning forever.
        for _ in 0..10_000 {
            match self.next_deadline() {
                Some(t) if t > self.now_ms() && t <= target => {
                    self.clock.advance_to(t);
                    self.tick();
                }
                _ => break,
            }
        }
        self.clock.advance_to(target);
        self.tick();
    }

    /// The next moment timed work falls due.
    pub(super) fn next_deadline(&self) -> Option<i64> {
        // Fencing and ISR changes are the controller's: nothing of the kind is due without one.
        let controller = self.has_controller();
        let fencing = self
            .brokers
            .iter()
            .filter(|b| controller && !b.heartbeats_accepted() && !b.fenced)
            .map(|b| b.last_heartbeat_ms + BROKER_SESSION_TIMEOUT_MS);
        // The retention check runs on its own schedule (every 5 minutes), so a jump of the clock
        // stops at each check. The cleaner's passes keep a 15 s grid too, and stop a jump while
        // a compacted log has dirty segments: a pass then cleans at the same moment whether the
        // clock moved in the page's 100 ms ticks or in a replay's one jump over an idle gap.
        let cleaner = self.cleaner_has_work().then_some(self.next_cleaner_run_ms);
        let tombstones = self.next_tombstone_pass();
        let brokers = Brokers(&self.brokers);
        let isr_expiry = self
            .topics
            .values()
            .flat_map(|t| t.partitions.iter())
            .filter(|_| controller)
            .filter_map(|p| replication::next_isr_expiry(p, &brokers));
        fencing
            .chain(isr_expiry)
            .chain(self.groups.next_deadline())
            .chain(Some(self.next_retention_check_ms))
            .chain(cleaner)
            .chain(tombstones)
            .chain(self.next_leader_balance_ms)
            .chain(self.shares.next_deadline())
            .chain(self.next_transaction_abort_ms())
            .min()
    }

    /// Runs whatever is due at the current time.
    pub fn tick(&mut self) {
        let now = self.now_ms();
        self.update_quorum(now);
        if self.has_controller() {
            self.update_fencing(now);
            self.register_restarted_brokers(now);
        }
        self.replicate_all(now);
        if self.has_controller() {
            self.complete_reassignments();
        }
        self.collect_truncations();
        if now >= self.next_retention_check_ms {
            // Keep the 5-minute grid from broker start, however far the clock jumped.
            // Saturating: a snapshot read back may hold any schedule (found by fuzzing).
            let behind =
                now.saturating_sub(self.next_retention_check_ms) / RETENTION_CHECK_INTERVAL_MS + 1;
            self.next_retention_check_ms = self
                .next_retention_check_ms
                .saturating_add(behind.saturating_mul(RETENTION_CHECK_INTERVAL_MS));
            self.run_retention(now);
        }
        if now >= self.next_cleaner_run_ms {
            // The next pass is on the grid from broker start however the clock got here, so
            // the schedule does not depend on the steps the clock moved in.
            let behind = now.saturating_sub(self.next_cleaner_run_ms) / CLEANER_BACKOFF_MS + 1;
            self.next_cleaner_run_ms = self
                .next_cleaner_run_ms
                .saturating_add(behind.saturating_mul(CLEANER_BACKOFF_MS));
            self.run_cleaner(now);
        }
        self.balance_leaders_when_due(now);
        self.abort_timed_out_transactions(now);
        let partitions = self.partitions_per_topic();
        self.groups.tick(now, &partitions);
        self.share_tick(now);
        self.sync_metadata();
    }

    /// The log retention check (`cleanup.policy` containing `delete`).
    fn run_retention(&mut self, now: i64) {
        let plans: Vec<(String, i64, i64)> = self
            .topics
            .values()
            .filter(|t| self.has_policy(t, "delete"))
            .map(|t| {
                (
                    t.name.clone(),
                    self.long_config(t, "retention.ms", 604_800_000),
                    self.long_config(t, "retention.bytes", -1),
                )
            })
            .collect();
        for (name, ms, bytes) in plans {
            let (mut segments, mut partitions) = (0, 0);
            if let Some(t) = self.topics.get_mut(&name) {
                for p in &mut t.partitions {
                    let hw = p.high_watermark();
                    let deleted = p.log.apply_retention(now, ms, bytes, hw);
                    segments += deleted;
                    partitions += usize::from(deleted > 0);
                }
            }
            if segments > 0 {
                let topic = name;
                self.record_event(EventKind::SegmentsDeleted {
                    topic,
                    segments,
                    partitions,
                });
            }
        }
    }

    /// Whether a compacted log has records past its cleaner checkpoint in a segment that is no
    /// longer active: a pass may clean them. (Checked from the segments alone, in
    /// `next_deadline`, so it costs nothing per record.)
    fn cleaner_has_work(&self) -> bool {
        self.topics
            .values()
            .filter(|t| self.has_policy(t, "compact"))
            .flat_map(|t| t.partitions.iter())
            .any(|p| {
                let log = &p.log;
                log.segments()
                    .last()
                    .is_some_and(|active| log.cleaner_checkpoint() < active.base_offset)
            })
    }

    /// The cleaner's pass (on its 15 s grid) that finds tombstones past their delete horizon
    /// (`compact` drops them then even in a clean log): the clock stops there, so the pass
    /// drops them at the same moment however the clock got there (a page's ticks or a
    /// replay's jump).
    fn next_tombstone_pass(&self) -> Option<i64> {
        self.topics
            .values()
            .filter(|t| self.has_policy(t, "compact"))
            .filter_map(|t| {
                let retention = self.long_config(t, "delete.retention.ms", 86_400_000);
                t.partitions
                    .iter()
                    .filter_map(|p| p.log.latest_delete_horizon(retention))
                    .min()
            })
            .min()
            .map(|horizon| {
                // The first pass strictly after the horizon.
                let next = self.next_cleaner_run_ms;
                if next > horizon {
                    next
                } else {
                    let behind = (horizon - next) / CLEANER_BACKOFF_MS + 1;
                    next.saturating_add(behind.saturating_mul(CLEANER_BACKOFF_MS))
                }
            })
    }

    /// A log-cleaner pass over compacted topics.
    fn run_cleaner(&mut self, now: i64) {
        let plans: Vec<(String, f64, i64, i64, i64)> = self
            .topics
            .values()
            .filter(|t| self.has_policy(t, "compact"))
            .map(|t| {
                (
                    t.name.clone(),
                    self.topic_config(t, "min.cleanable.dirty.ratio")
                        .and_then(|v| crate::decimal::parse_f64(&v))
                        .unwrap_or(0.5),
                    self.long_config(t, "min.compaction.lag.ms", 0),
                    self.long_config(t, "max.compaction.lag.ms", i64::MAX),
                    self.long_config(t, "delete.retention.ms", 86_400_000),
                )
            })
            .collect();
        for (name, ratio, min_lag, max_lag, delete_retention) in plans {
            let (mut records, mut partitions) = (0, 0);
            if let Some(t) = self.topics.get_mut(&name) {
                for p in &mut t.partitions {
                    let hw = p.high_watermark();
                    let removed = p
                        .log
                        .compact(now, ratio, min_lag, max_lag, delete_retention, hw);
                    records += removed.unwrap_or(0);
                    partitions += usize::from(removed.is_some_and(|n| n > 0));
                }
            }
            if records > 0 {
                let topic = name;
                self.record_event(EventKind::LogCleaned {
                    topic,
                    records,
                    partitions,
                });
            }
        }
    }
}
