//! The event log's entries that come from comparing the partitions with how they were last
//! seen (leaders, ISRs), and the log itself as the cluster shows it.

use super::Cluster;
use crate::engine::BrokerId;
use crate::engine::events::{EventKind, EventLog, WatchedTopic};

/// A partition whose leader or ISR changed: (internal topic, topic, index, before, after).
type Change<'a> = (
    bool,
    &'a str,
    i32,
    &'a (Option<BrokerId>, Vec<BrokerId>),
    (Option<BrokerId>, &'a [BrokerId]),
);

impl Cluster {
    /// What happened to the cluster, oldest first (at most `events::MAX_EVENTS`).
    pub fn events(&self) -> &EventLog {
        &self.events
    }

    /// Takes the partitions as they are now as the last seen (a snapshot just read back: its
    /// state is what was last seen before it was saved).
    pub fn watch_from_here(&mut self) {
        self.watch.0 = Some(self.watched());
    }

    pub(super) fn record_event(&mut self, what: EventKind) {
        let now = self.now_ms();
        self.events.push(now, what);
    }

    /// Compares every partition's leader and ISR with how they were last seen and records
    /// what changed. Called wherever the controller writes its metadata, so a change is
    /// stamped with the moment it happened.
    pub(super) fn watch_partitions(&mut self) {
        let Some(old) = self.watch.0.take() else {
            self.watch.0 = Some(self.watched());
            return;
        };
        let mut changes: Vec<Change> = Vec::new();
        let mut rebuild = old.len() != self.topics.len();
        for t in self.topics.values() {
            let Ok(i) = old.binary_search_by(|w| w.name.as_str().cmp(&t.name)) else {
                rebuild = true;
                continue;
            };
            let seen = &old[i].partitions;
            rebuild |= seen.len() != t.partitions.len();
            for (p, before) in t.partitions.iter().zip(seen) {
                if before.0 != p.leader || before.1 != p.isr {
                    changes.push((
                        t.is_internal(),
                        &t.name,
                        p.index,
                        before,
                        (p.leader, &p.isr),
                    ));
                }
            }
        }
        // The learner's own topics first: a broker stopping moves the internal topics'
        // leaderships too, and the feed names one partition.
        changes.sort_by_key(|c| c.0);
        let now = self.now_ms();
        let mut events = Vec::new();
        let leaders: Vec<&Change> = changes.iter().filter(|c| c.3.0 != c.4.0).collect();
        if let Some((_, topic, partition, before, after)) = leaders.first() {
            events.push(EventKind::LeaderChanged {
                topic: topic.to_string(),
                partition: *partition,
                from: before.0,
                to: after.0,
                more: leaders.len() - 1,
            });
        }
        let removed = |c: &Change| -> Vec<BrokerId> {
            c.3.1
                .iter()
                .filter(|b| !c.4.1.contains(b))
                .copied()
                .collect()
        };
        let added = |c: &Change| -> Vec<BrokerId> {
            c.4.1
                .iter()
                .filter(|b| !c.3.1.contains(b))
                .copied()
                .collect()
        };
        let shrank: Vec<&Change> = changes.iter().filter(|c| !removed(c).is_empty()).collect();
        if let Some(c) = shrank.first() {
            events.push(EventKind::IsrShrank {
                topic: c.1.to_string(),
                partition: c.2,
                removed: removed(c),
                isr: c.4.1.to_vec(),
                more: shrank.len() - 1,
            });
        }
        let expanded: Vec<&Change> = changes.iter().filter(|c| !added(c).is_empty()).collect();
        if let Some(c) = expanded.first() {
            events.push(EventKind::IsrExpanded {
                topic: c.1.to_string(),
                partition: c.2,
                added: added(c),
                isr: c.4.1.to_vec(),
                more: expanded.len() - 1,
            });
        }
        rebuild |= !changes.is_empty();
        for e in events {
            self.events.push(now, e);
        }
        self.watch.0 = Some(if rebuild { self.watched() } else { old });
    }

    fn watched(&self) -> Vec<WatchedTopic> {
        // The topics map iterates in name order, so the watch can be searched by name.
        self.topics
            .values()
            .map(|t| WatchedTopic {
                name: t.name.clone(),
                partitions: t
                    .partitions
                    .iter()
                    .map(|p| (p.leader, p.isr.clone()))
                    .collect(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{cluster, keyed};
    use crate::engine::events::EventKind;
    use crate::engine::{NewTopic, StickyPartitioner};

    fn kinds(c: &crate::engine::Cluster) -> Vec<EventKind> {
        c.events().iter().map(|e| e.what.clone()).collect()
    }

    #[test]
    fn a_stopped_broker_moves_leaders_and_shrinks_isrs() {
        let mut c = cluster();
        let topic = NewTopic {
            partitions: Some(1),
            replication_factor: Some(3),
            ..Default::default()
        };
        c.create_topic("t", topic).unwrap();
        assert!(
            c.events().is_empty(),
            "creating a topic changes no partition"
        );
        let leader = c.topic("t").unwrap().partitions()[0].leader().unwrap();
        c.stop_broker(leader).unwrap();
        let events = kinds(&c);
        assert_eq!(
            events[0],
            EventKind::BrokerStopped {
                broker: leader,
                crashed: false
            }
        );
        assert!(events.iter().any(|e| matches!(e,
            EventKind::LeaderChanged { topic, partition: 0, from, .. }
                if topic == "t" && *from == Some(leader))));
        assert!(events.iter().any(|e| matches!(e,
            EventKind::IsrShrank { topic, removed, .. } if topic == "t" && removed == &vec![leader])));
        c.start_broker(leader).unwrap();
        c.advance(30_000);
        assert!(
            kinds(&c).iter().any(|e| matches!(e,
            EventKind::IsrExpanded { topic, added, .. } if topic == "t" && added == &vec![leader]))
        );
        assert!(kinds(&c).contains(&EventKind::BrokerStarted { broker: leader }));
    }

    #[test]
    fn retention_deleting_segments_is_an_event_at_the_check() {
        let mut c = cluster();
        let topic = NewTopic {
            configs: vec![
                ("retention.ms".into(), "60000".into()),
                ("segment.ms".into(), "10000".into()),
            ],
            ..Default::default()
        };
        c.create_topic("short", topic).unwrap();
        for i in 0..3 {
            c.produce(
                "short",
                keyed("k", &i.to_string()),
                &mut StickyPartitioner::new(),
            )
            .unwrap();
            c.advance(20_000);
        }
        c.advance(86_400_000);
        let deleted: Vec<_> = c
            .events()
            .iter()
            .filter(
                |e| matches!(&e.what, EventKind::SegmentsDeleted { topic, .. } if topic == "short"),
            )
            .collect();
        assert!(!deleted.is_empty(), "{:?}", kinds(&c));
        // On the retention check's 5-minute grid from the cluster's start.
        let start = crate::engine::clock::DEFAULT_START_MS;
        assert_eq!((deleted[0].at_ms - start) % 300_000, 0);
    }
}
