//! `ConsumerCoordinator`'s auto-commit timer: with `enable.auto.commit` (the default) a
//! consumer in a group commits the positions of its partitions every `auto.commit.interval.ms`
//! while it polls, whether or not it read anything since (a commit made on a rebalance or on
//! close leaves the timer as it was: `maybeAutoCommitOffsetsAsync` alone resets it).

use crate::clients::config::Properties;

/// `auto.commit.interval.ms`'s default.
pub const AUTO_COMMIT_INTERVAL_MS: i64 = 5_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AutoCommit {
    pub enabled: bool,
    pub interval_ms: i64,
    /// When the next commit is due.
    next_ms: i64,
}

impl AutoCommit {
    /// From the consumer's properties; `Err` is the `ConfigException` text.
    pub fn new(props: &Properties, now: i64) -> Result<AutoCommit, String> {
        let enabled = props.boolean("enable.auto.commit", true)?;
        let interval_ms = props
            .number("auto.commit.interval.ms", AUTO_COMMIT_INTERVAL_MS, true)?
            .max(0);
        Ok(AutoCommit {
            enabled,
            interval_ms,
            next_ms: now.saturating_add(interval_ms),
        })
    }

    /// Kafka's defaults: on, every 5 s from `now`.
    pub fn defaults(now: i64) -> AutoCommit {
        AutoCommit {
            enabled: true,
            interval_ms: AUTO_COMMIT_INTERVAL_MS,
            next_ms: now.saturating_add(AUTO_COMMIT_INTERVAL_MS),
        }
    }

    /// Whether a poll at `now` commits (`maybeAutoCommitOffsetsAsync`); if so the timer restarts.
    pub fn due(&mut self, now: i64) -> bool {
        if !self.enabled || now < self.next_ms {
            return false;
        }
        self.next_ms = now.saturating_add(self.interval_ms);
        true
    }

    /// When the next commit is due, if it commits at all.
    pub fn next_ms(&self) -> Option<i64> {
        self.enabled.then_some(self.next_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commits_every_interval_while_polled() {
        let props = Properties::new(&[("auto.commit.interval.ms".into(), "1000".into())]);
        let mut t = AutoCommit::new(&props, 0).unwrap();
        assert!(!t.due(999));
        assert!(t.due(1_000));
        assert!(!t.due(1_500));
        assert!(t.due(2_400));
        assert_eq!(t.next_ms(), Some(3_400));
        let off = Properties::new(&[("enable.auto.commit".into(), "false".into())]);
        let mut off = AutoCommit::new(&off, 0).unwrap();
        assert!(!off.due(10_000));
    }
}
