//! The cluster's event log: what happened to it and when, in simulated time, for the live
//! view's feed. The engine appends; everything else only reads it.
//!
//! Invariant: bounded ([`MAX_EVENTS`]), deterministic (each event is stamped with the moment
//! the change happened, never with the moment somebody looked), and saved with the cluster,
//! so a reload and a share link's replay show the same feed. It never changes what a tool
//! prints.

use super::BrokerId;

/// The most events kept; older ones are dropped first.
pub const MAX_EVENTS: usize = 200;

/// One thing that happened to the cluster.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Event {
    pub at_ms: i64,
    pub what: EventKind,
}

/// What happened. Changes of many partitions at once (a broker stopping moves every
/// leadership it held) are one event: the first partition, and how many more there were.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EventKind {
    /// The retention check deleted log segments of a topic (`retention.ms`/`retention.bytes`).
    SegmentsDeleted {
        topic: String,
        segments: usize,
        partitions: usize,
    },
    /// A log-cleaner pass removed records from a compacted topic.
    LogCleaned {
        topic: String,
        records: usize,
        partitions: usize,
    },
    LeaderChanged {
        topic: String,
        partition: i32,
        from: Option<BrokerId>,
        to: Option<BrokerId>,
        more: usize,
    },
    IsrShrank {
        topic: String,
        partition: i32,
        removed: Vec<BrokerId>,
        isr: Vec<BrokerId>,
        more: usize,
    },
    IsrExpanded {
        topic: String,
        partition: i32,
        added: Vec<BrokerId>,
        isr: Vec<BrokerId>,
        more: usize,
    },
    BrokerStopped {
        broker: BrokerId,
        crashed: bool,
    },
    BrokerStarted {
        broker: BrokerId,
    },
}

/// The bounded log, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct EventLog(Vec<Event>);

impl EventLog {
    pub fn push(&mut self, at_ms: i64, what: EventKind) {
        if self.0.len() >= MAX_EVENTS {
            let excess = self.0.len() + 1 - MAX_EVENTS;
            self.0.drain(..excess);
        }
        self.0.push(Event { at_ms, what });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Oldest first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &Event> {
        self.0.iter()
    }
}

/// Each partition's leader and ISR as last seen, to tell what changed. Part of no state: two
/// clusters compare equal whatever their watches hold, and a snapshot is saved without one.
/// A snapshot read back is watched from its own state (`Cluster::watch_from_here`, called
/// where saved sessions are read), so a change made right after a reload is still seen as
/// one; otherwise the first look takes the partitions as they are, with no events.
#[derive(Debug, Clone, Default)]
pub(crate) struct PartitionWatch(pub(crate) Option<Vec<WatchedTopic>>);

impl PartialEq for PartitionWatch {
    fn eq(&self, _: &PartitionWatch) -> bool {
        true
    }
}

#[derive(Debug, Clone)]
pub(crate) struct WatchedTopic {
    pub(crate) name: String,
    pub(crate) partitions: Vec<(Option<BrokerId>, Vec<BrokerId>)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_keeps_the_newest_events() {
        let mut log = EventLog::default();
        for i in 0..(MAX_EVENTS as i64 + 5) {
            log.push(i, EventKind::BrokerStarted { broker: 1 });
        }
        assert_eq!(log.iter().count(), MAX_EVENTS);
        assert_eq!(log.iter().next().map(|e| e.at_ms), Some(5));
    }
}
