//! The KRaft controller quorum: who is the active controller, and the metadata it writes.

use super::Cluster;
use crate::engine::BrokerId;
use crate::engine::error::{ErrorCode, KafkaError};
use crate::engine::quorum::{Quorum, digest, digest_fmt};
use crate::engine::rng::Rng;
use crate::engine::topic::TopicId;
use crate::vec_map::VecMap;

impl Cluster {
    /// Nodes that take part in the quorum: running and reachable.
    fn quorum_members(&self) -> (Vec<BrokerId>, Vec<BrokerId>) {
        let all = self.broker_ids();
        let alive = self
            .brokers
            .iter()
            .filter(|b| b.heartbeats())
            .map(|b| b.id)
            .collect();
        (all, alive)
    }

    pub(super) fn update_quorum(&mut self, now: i64) {
        let (all, alive) = self.quorum_members();
        if self.quorum.update(&all, &alive, now) {
            // A new active controller knows no heartbeats yet: every broker's session starts
            // afresh, so a dead broker is fenced a session timeout after the failover.
            for b in &mut self.brokers {
                b.last_heartbeat_ms = now;
            }
        }
    }

    /// Writes what changed in the metadata since the last write to the metadata log.
    pub(super) fn sync_metadata(&mut self) {
        let image = self.metadata_image();
        let (_, alive) = self.quorum_members();
        let now = self.now_ms();
        self.quorum.write_changes(image, &alive, now);
        self.watch_partitions();
    }

    /// The metadata the controller keeps, one digest per record-sized entry: brokers (their
    /// registration and fencing), topics, partitions (replicas, leader, epoch, ISR, ELR) and
    /// configs.
    fn metadata_image(&self) -> VecMap<String, u64> {
        // Listed in the map's order ("partition/t/10" before "partition/t/2", "config/a-b/…"
        // before "config/a/…"), so the map takes the list without sorting it: with 10,000
        // partitions the image is rebuilt on every tick. (Were the order wrong, the map would
        // sort it: slower, never wrong.)
        let mut brokers = Vec::new();
        for b in &self.brokers {
            let state = digest_fmt(format_args!("{}|{:?}", b.fenced, b.rack));
            brokers.push((format!("broker/{}", b.id), state));
        }
        crate::sort::sort_by(&mut brokers, |a, b| a.0.cmp(&b.0));
        let mut broker_configs = Vec::new();
        let owners = self
            .broker_configs
            .iter()
            .map(|(id, c)| (id.to_string(), c))
            .chain(Some(("default".to_string(), &self.broker_defaults)));
        for (owner, configs) in owners {
            for (k, v) in configs {
                broker_configs.push((format!("brokerconfig/{owner}/{k}"), digest(v)));
            }
        }
        crate::sort::sort_by(&mut broker_configs, |a, b| a.0.cmp(&b.0));
        let mut topics: Vec<&crate::engine::topic::Topic> = self.topics.values().collect();
        // "name/" order, as the keys below compare.
        crate::sort::sort_by(&mut topics, |a, b| {
            let a = a.name.bytes().chain(Some(b'/'));
            a.cmp(b.name.bytes().chain(Some(b'/')))
        });
        let mut configs = Vec::new();
        let mut partitions = Vec::new();
        let mut digits: Vec<[u8; 11]> = Vec::new();
        for t in &topics {
            for (k, v) in &t.configs {
                configs.push((format!("config/{}/{k}", t.name), digest(v)));
            }
            digits.clear();
            digits.extend(t.partitions.iter().map(|p| decimal(p.index)));
            let by_digits =
                crate::sort::sorted_order(digits.len(), &mut |i, j| digits[i].cmp(&digits[j]));
            for &i in &by_digits {
                let p = &t.partitions[i];
                let state = digest_fmt(format_args!(
                    "{:?}|{:?}|{}|{:?}|{:?}|{:?}|{:?}|{:?}",
                    p.replicas,
                    p.leader,
                    p.leader_epoch,
                    p.isr,
                    p.elr,
                    p.last_known_elr,
                    p.adding,
                    p.removing
                ));
                partitions.push((format!("partition/{}/{}", t.name, p.index), state));
            }
        }
        let topic_ids = self.topics.values().map(|t| {
            (
                format!("topic/{}", t.name),
                digest_fmt(format_args!("{}", t.id)),
            )
        });
        let mut image = brokers;
        image.extend(broker_configs);
        image.extend(configs);
        // A `FeatureLevelRecord` per feature changed since the bootstrap (the bootstrap's own
        // records are counted with the rest of the cluster's first records).
        image.extend(self.features.changed_from_default().map(|(name, level)| {
            (
                format!("feature/{name}"),
                digest_fmt(format_args!("{level}")),
            )
        }));
        image.extend(partitions);
        image.extend(topic_ids);
        debug_assert!(
            image.windows(2).all(|w| w[0].0 < w[1].0),
            "the image in order"
        );
        VecMap::from(image)
    }

    pub(super) fn has_controller(&self) -> bool {
        self.quorum.leader().is_some()
    }

    /// Metadata changes go through the active controller; without one (no majority of the
    /// controllers is up) the request is never answered.
    pub(super) fn require_controller(&self) -> Result<(), KafkaError> {
        if self.has_controller() {
            return Ok(());
        }
        Err(KafkaError::new(
            ErrorCode::NotController,
            "No active controller: a majority of the KRaft controllers is down.",
        ))
    }

    /// The metadata quorum as `DescribeQuorum` reports it, with every change written.
    pub fn metadata_quorum(&mut self) -> &Quorum {
        self.sync_metadata();
        &self.quorum
    }

    /// The cluster id (`kafka-storage.sh format -t`), from the seed but not from the main
    /// generator, so it changes no other id.
    pub fn cluster_id(&self) -> String {
        if let Some(id) = &self.formatted_cluster_id {
            return id.clone();
        }
        let mut rng = Rng::seeded(self.config_seed ^ 0xC1u64);
        TopicId::random(&mut rng).to_string()
    }

    /// A node started from log directories formatted with `id`: the cluster takes it.
    pub fn set_cluster_id(&mut self, id: &str) {
        self.formatted_cluster_id = Some(id.to_string());
    }

    /// A node's metadata log directory id.
    pub fn directory_id(&self, node: BrokerId) -> String {
        let mut rng = Rng::seeded(self.config_seed ^ (0xD1_0000 + node as u64));
        TopicId::random(&mut rng).to_string()
    }

    /// The active controller: the leader of the KRaft quorum (every node is a combined
    /// broker and controller), none while a majority of the nodes is down or cut off.
    pub fn active_controller(&self) -> Option<BrokerId> {
        self.quorum.leader()
    }
}

/// The decimal digits of `n` (a partition index), zero-padded at the end, so they compare as
/// the image's keys compare ("10" before "2").
fn decimal(n: i32) -> [u8; 11] {
    let mut digits = [0u8; 11];
    let mut len = 0;
    let mut rest = n.unsigned_abs();
    loop {
        digits[len] = b'0' + (rest % 10) as u8;
        len += 1;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    digits[..len].reverse();
    digits
}

#[cfg(test)]
mod tests {
    use super::super::tests::cluster;
    use super::*;
    use crate::engine::broker::BROKER_SESSION_TIMEOUT_MS;
    use crate::engine::cluster::NewTopic;
    use crate::engine::topic::TopicPartition;

    #[test]
    fn the_image_is_listed_in_its_own_order() {
        // Names that sort differently with the "/" after them, and partitions past 9.
        let mut c = cluster();
        for name in ["a", "a-b", "ab", "a.b", "b"] {
            let topic = NewTopic {
                partitions: Some(12),
                configs: [("retention.ms".to_string(), "1000".to_string())].into(),
                ..NewTopic::default()
            };
            c.create_topic(name, topic).unwrap();
        }
        // `metadata_image` asserts (in debug builds) that it listed its entries in order.
        let image = c.metadata_image();
        assert!(image.contains_key("partition/a-b/11"));
        assert!(image.contains_key("config/a.b/retention.ms"));
    }

    #[test]
    fn the_quorum_elects_a_new_leader_and_keeps_it() {
        let mut c = cluster();
        assert_eq!(c.active_controller(), Some(1));
        let hw = c.metadata_quorum().high_watermark();
        c.create_topic("t", three_partitions()).unwrap();
        assert_eq!(
            c.metadata_quorum().high_watermark(),
            hw + 4,
            "a topic record and one per partition"
        );
        c.stop_broker(1).unwrap();
        assert_eq!(c.active_controller(), Some(2));
        assert_eq!(c.metadata_quorum().epoch(), 2);
        c.start_broker(1).unwrap();
        assert_eq!(
            c.active_controller(),
            Some(2),
            "Raft keeps the current leader"
        );
        assert_eq!(c.metadata_quorum().epoch(), 2);
    }

    #[test]
    fn without_a_majority_nothing_changes_the_metadata() {
        let mut c = cluster();
        c.create_topic("t", three_partitions()).unwrap();
        c.kill_broker(2).unwrap();
        c.kill_broker(3).unwrap();
        assert_eq!(c.active_controller(), None);
        let code = |r: Result<(), KafkaError>| r.map_err(|e| e.code);
        let no_controller = Err(ErrorCode::NotController);
        assert_eq!(
            code(c.create_topic("u", NewTopic::default()).map(|_| ())),
            no_controller
        );
        assert_eq!(code(c.delete_topic("t")), no_controller);
        assert_eq!(code(c.create_partitions("t", 4)), no_controller);
        let set = vec![("retention.ms".to_string(), "1".to_string())];
        assert_eq!(code(c.alter_topic_configs("t", &set, &[])), no_controller);
        let tp = TopicPartition::new("t", 0);
        assert_eq!(code(c.elect_leader(&tp, false).map(|_| ())), no_controller);
        let hw = c.metadata_quorum().high_watermark();
        c.advance(60_000);
        assert!(
            c.brokers().iter().all(|b| !b.fenced),
            "no controller fences the crashed brokers"
        );
        assert_eq!(c.metadata_quorum().high_watermark(), hw);
        c.start_broker(2).unwrap();
        assert!(c.active_controller().is_some());
        c.advance(BROKER_SESSION_TIMEOUT_MS);
        assert!(
            c.broker(3).unwrap().fenced,
            "fenced a session after the failover"
        );
    }

    fn three_partitions() -> NewTopic {
        NewTopic {
            partitions: Some(3),
            replication_factor: Some(3),
            ..Default::default()
        }
    }
}
