//! What a running tool is waiting for, as a dim note the browser shows under it while it waits
//! (never console output: transcripts and kplay do not see it, and it goes when the wait ends).
//!
//! A first console consumer prints nothing for about 3 s: its group waits
//! `group.initial.rebalance.delay.ms` for more members. The quickstart's KRaft
//! `config/server.properties` does not set it, so a node started from it keeps Kafka's default
//! (3000 ms; only the old ZooKeeper-mode file set 0), and so does the playground.

use crate::engine::group::{GROUP_INITIAL_REBALANCE_DELAY_MS, GroupState};
use crate::engine::{Cluster, TopicPartition};

/// Why a consumer (in `group`, reading `assigned`) has nothing to show yet, if it is waiting.
pub fn consumer(
    cluster: &Cluster,
    group: Option<&str>,
    assigned: &[TopicPartition],
) -> Option<String> {
    if let Some(g) = group.and_then(|id| cluster.group(id)) {
        if g.state() == GroupState::PreparingRebalance {
            let left = g
                .rebalance_deadline_ms()
                .map_or(0, |d| (d - cluster.now_ms()).max(0));
            let id = crate::session::visible::visible(g.group_id()).into_owned();
            // A group rebalancing from Empty (no leader yet) waits the initial delay.
            return Some(if g.leader().is_none() {
                format!(
                    "[playground] waiting for group {id}'s first rebalance: the coordinator waits group.initial.rebalance.delay.ms ({GROUP_INITIAL_REBALANCE_DELAY_MS} ms, Kafka's default) for more members to join ({:.1} s left)",
                    left as f64 / 1000.0
                )
            } else {
                format!("[playground] group {id} is rebalancing; waiting for the new assignment")
            });
        }
    }
    let offline: Vec<String> = assigned
        .iter()
        .filter(|tp| {
            cluster
                .topic(&tp.topic)
                .and_then(|t| t.partition(tp.partition))
                .is_some_and(|p| p.leader().is_none())
        })
        .map(|tp| {
            format!(
                "{}-{}",
                crate::session::visible::visible(&tp.topic),
                tp.partition
            )
        })
        .collect();
    match offline.as_slice() {
        [] => None,
        [one] => Some(format!(
            "[playground] no leader for partition {one} (the brokers holding its replicas are down); waiting"
        )),
        many => Some(format!(
            "[playground] no leader for partitions {} (the brokers holding their replicas are down); waiting",
            many.join(", ")
        )),
    }
}

#[cfg(test)]
mod tests {
    use crate::console::{Playground, Terminal};
    use crate::engine::{Cluster, ClusterConfig};

    const BOOT: &str = "--bootstrap-server localhost:9092";

    #[test]
    fn a_first_consumer_says_it_waits_for_the_initial_rebalance_delay() {
        let mut pg = Playground::new(Cluster::new(ClusterConfig::default()));
        let mut term = Terminal::new();
        term.enter(
            &mut pg,
            &format!("kafka-topics.sh {BOOT} --create --topic t"),
        );
        let printed = term
            .enter(
                &mut pg,
                &format!("kafka-console-consumer.sh {BOOT} --topic t --group g"),
            )
            .text();
        assert!(term.is_running());
        let note = term.waiting(&pg).expect("a note while the group waits");
        assert!(
            note.starts_with("[playground] waiting for group g's first rebalance: the coordinator waits group.initial.rebalance.delay.ms (3000 ms, Kafka's default)"),
            "{note}"
        );
        // The note is not output: nothing was printed for it.
        assert!(!printed.contains("[playground]"), "{printed}");
        for _ in 0..31 {
            pg.cluster.advance(100);
            assert!(!term.poll(&mut pg).text().contains("[playground]"));
        }
        assert_eq!(term.waiting(&pg), None, "the group is Stable after 3 s");
    }

    #[test]
    fn a_consumer_of_an_offline_partition_says_there_is_no_leader() {
        let mut pg = Playground::new(Cluster::new(ClusterConfig::default()));
        let mut term = Terminal::new();
        term.enter(
            &mut pg,
            &format!("kafka-topics.sh {BOOT} --create --topic solo --replication-factor 1"),
        );
        let leader = pg
            .cluster
            .topic("solo")
            .and_then(|t| t.partition(0))
            .and_then(|p| p.leader());
        let leader = leader.expect("a leader");
        term.enter(&mut pg, &format!("playground broker stop {leader}"));
        term.enter(
            &mut pg,
            &format!("kafka-console-consumer.sh {BOOT} --topic solo --partition 0"),
        );
        assert!(term.is_running());
        assert_eq!(
            term.waiting(&pg).as_deref(),
            Some(
                "[playground] no leader for partition solo-0 (the brokers holding its replicas are down); waiting"
            )
        );
        term.enter(&mut pg, "");
        term.interrupt(&mut pg);
        assert_eq!(term.waiting(&pg), None);
    }
}
