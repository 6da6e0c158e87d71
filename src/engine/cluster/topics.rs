//! Topics as the controller creates, grows and deletes them (`CreateTopics`,
//! `CreatePartitions`, `DeleteTopics`).

use super::{
    Cluster, DEFAULT_REPLICATION_FACTOR, NUM_PARTITIONS, NewTopic, OFFSETS_TOPIC,
    OFFSETS_TOPIC_PARTITIONS,
};
use crate::engine::BrokerId;
use crate::engine::config::validate_topic_config;
use crate::engine::error::{ErrorCode, KafkaError};
use crate::engine::partition::Partition;
use crate::engine::placement::{Candidate, place};
use crate::engine::topic::{
    Topic, TopicId, has_collision_chars, unify_collision_chars, validate_name,
};
use crate::vec_map::VecMap;

impl Cluster {
    pub fn topic(&self, name: &str) -> Option<&Topic> {
        self.topics.get(name)
    }

    /// All topics, by name in Java `String` order (byte order: names are ASCII).
    pub fn topics(&self) -> impl Iterator<Item = &Topic> {
        self.topics.values()
    }

    pub fn topic_by_id(&self, id: &str) -> Option<&Topic> {
        self.topics.values().find(|t| t.id.to_string() == id)
    }

    /// `CreateTopics` as the KRaft controller handles it, with its validation order and texts.
    pub fn create_topic(&mut self, name: &str, new: NewTopic) -> Result<&Topic, KafkaError> {
        self.require_controller()?;
        self.check_new_topic_name(name)?;
        let partitions = new.partitions.unwrap_or(NUM_PARTITIONS);
        if partitions <= 0 {
            return Err(KafkaError::new(
                ErrorCode::InvalidPartitions,
                "Number of partitions was set to an invalid non-positive value.",
            ));
        }
        let rf = new.replication_factor.unwrap_or(DEFAULT_REPLICATION_FACTOR);
        if rf <= 0 {
            return Err(KafkaError::new(
                ErrorCode::InvalidReplicationFactor,
                "Replication factor must be larger than 0, or -1 to use the default value.",
            ));
        }
        let configs = validated_configs(&new.configs)?;
        let assignment = self.place_replicas(partitions, rf, 0).map_err(|why| {
            KafkaError::new(
                ErrorCode::InvalidReplicationFactor,
                format!("Unable to replicate the partition {rf} time(s): {why}"),
            )
        })?;
        self.insert_topic(name, assignment, configs);
        self.sync_metadata();
        self.topics
            .get(name)
            .ok_or_else(|| KafkaError::bare(ErrorCode::UnknownTopicOrPartition))
    }

    /// The controller's name checks: valid, new, and not colliding with an existing name once
    /// `.` and `_` are unified.
    fn check_new_topic_name(&self, name: &str) -> Result<(), KafkaError> {
        validate_name(name)?;
        if self.topics.contains_key(name) {
            return Err(KafkaError::new(
                ErrorCode::TopicAlreadyExists,
                format!("Topic '{name}' already exists."),
            ));
        }
        if !has_collision_chars(name) {
            return Ok(());
        }
        let unified = unify_collision_chars(name);
        match self
            .topics
            .keys()
            .find(|t| has_collision_chars(t) && unify_collision_chars(t) == unified)
        {
            Some(existing) => Err(KafkaError::new(
                ErrorCode::InvalidTopicException,
                format!("Topic '{name}' collides with existing topic: {existing}"),
            )),
            None => Ok(()),
        }
    }

    /// Registers a topic with its replica lists (the topic id comes from the generator).
    fn insert_topic(
        &mut self,
        name: &str,
        assignment: Vec<Vec<BrokerId>>,
        configs: VecMap<String, String>,
    ) {
        let topic = Topic {
            name: name.to_string(),
            id: TopicId::random(&mut self.rng),
            partitions: assignment
                .into_iter()
                .enumerate()
                .map(|(i, replicas)| self.new_partition(i as i32, replicas))
                .collect(),
            configs,
        };
        self.topics.insert(name.to_string(), topic);
    }

    /// A new partition as the controller registers it: the ISR is the replicas on unfenced
    /// brokers and its first member leads (epoch 0). The placer puts an unfenced broker first.
    fn new_partition(&self, index: i32, replicas: Vec<BrokerId>) -> Partition {
        let mut p = Partition::new(index, replicas);
        let unfenced = |b: &BrokerId| self.broker(*b).is_some_and(|x| !x.fenced);
        p.isr.retain(unfenced);
        p.leader = p.isr.first().copied();
        p
    }

    /// `CreateTopics` with a manual replica assignment (`--replica-assignment 1:2,2:3`).
    pub fn create_topic_with_assignment(
        &mut self,
        name: &str,
        assignment: Vec<Vec<BrokerId>>,
        new: NewTopic,
    ) -> Result<(), KafkaError> {
        self.require_controller()?;
        self.check_new_topic_name(name)?;
        // ReplicationControlManager.validateManualPartitionAssignment: each partition's
        // brokers in id order.
        for replicas in &assignment {
            let mut sorted = replicas.clone();
            crate::sort::sort(&mut sorted);
            if let Some(id) = sorted.iter().find(|id| self.broker(**id).is_none()) {
                return Err(KafkaError::new(
                    ErrorCode::InvalidReplicaAssignment,
                    format!(
                        "The manual partition assignment includes broker {id}, but no such broker is registered."
                    ),
                ));
            }
        }
        // Each partition needs an unfenced replica to lead (ReplicationControlManager).
        let unfenced = |b: &BrokerId| self.broker(*b).is_some_and(|x| !x.fenced);
        if let Some(i) = assignment.iter().position(|r| !r.iter().any(unfenced)) {
            return Err(KafkaError::new(
                ErrorCode::InvalidReplicaAssignment,
                format!(
                    "All brokers specified in the manual partition assignment for partition {i} are fenced or in controlled shutdown."
                ),
            ));
        }
        let configs = validated_configs(&new.configs)?;
        self.insert_topic(name, assignment, configs);
        self.tick();
        Ok(())
    }

    /// Replica lists for new partitions over every registered broker, unfenced ones first and
    /// as leaders: rack-aware when every unfenced broker has a `broker.rack` (Kafka refuses a
    /// mix), rack-unaware otherwise. The error is the placer's text.
    fn place_replicas(
        &mut self,
        partitions: i32,
        rf: i16,
        first: i32,
    ) -> Result<Vec<Vec<BrokerId>>, String> {
        let candidates: Vec<Candidate> = self
            .brokers
            .iter()
            .map(|b| Candidate {
                id: b.id,
                rack: b.rack.clone(),
                fenced: b.fenced,
            })
            .collect();
        place(&candidates, partitions, rf, first, &mut self.rng)
    }

    /// What a broker with `auto.create.topics.enable=true` does when a client asks for metadata
    /// of a missing topic: create it with the broker defaults. Returns true if it was created.
    pub fn auto_create_topic(&mut self, name: &str) -> Result<bool, KafkaError> {
        if self.topics.contains_key(name) {
            return Ok(false);
        }
        self.create_topic(name, NewTopic::default())?;
        Ok(true)
    }

    /// Creates `__consumer_offsets` the first time a group coordinator is looked up.
    pub fn ensure_offsets_topic(&mut self) {
        if self.topics.contains_key(OFFSETS_TOPIC) {
            return;
        }
        let rf = self.brokers.len().min(3) as i16;
        let new = NewTopic {
            partitions: Some(OFFSETS_TOPIC_PARTITIONS),
            replication_factor: Some(rf),
            configs: vec![
                ("compression.type".into(), "producer".into()),
                ("cleanup.policy".into(), "compact".into()),
                ("segment.bytes".into(), "104857600".into()),
            ],
        };
        // Cannot fail: the name is valid, new, and rf ≤ brokers.
        let _ = self.create_topic(OFFSETS_TOPIC, new);
    }

    pub fn delete_topic(&mut self, name: &str) -> Result<(), KafkaError> {
        self.require_controller()?;
        match self.topics.remove(name) {
            Some(_) => {
                self.offsets.remove_topic(name);
                self.sync_metadata();
                Ok(())
            }
            None => Err(KafkaError::bare(ErrorCode::UnknownTopicOrPartition)),
        }
    }

    /// `CreatePartitions`: grow a topic to `total` partitions (never shrink).
    pub fn create_partitions(&mut self, name: &str, total: i32) -> Result<(), KafkaError> {
        self.create_partitions_with_assignment(name, total, None)
    }

    /// `CreatePartitions`, with the new partitions' replicas given (`--replica-assignment`) or
    /// placed by the controller.
    pub fn create_partitions_with_assignment(
        &mut self,
        name: &str,
        total: i32,
        assignment: Option<Vec<Vec<BrokerId>>>,
    ) -> Result<(), KafkaError> {
        self.require_controller()?;
        let topic = self
            .topics
            .get(name)
            .ok_or_else(|| KafkaError::bare(ErrorCode::UnknownTopicOrPartition))?;
        let current = topic.partitions.len() as i32;
        if total < current {
            return Err(KafkaError::new(
                ErrorCode::InvalidPartitions,
                format!(
                    "The topic {name} currently has {current} partition(s); {total} would not be an increase."
                ),
            ));
        }
        if total == current {
            return Err(KafkaError::new(
                ErrorCode::InvalidPartitions,
                format!("Topic already has {current} partition(s)."),
            ));
        }
        let rf = topic.replication_factor() as i16;
        let added = match assignment {
            Some(lists) => self.check_added_assignment(total - current, current, rf, lists)?,
            // `CreatePartitions` reports the placer's exception as it is, without the
            // "Unable to replicate" prefix `CreateTopics` adds.
            None => self
                .place_replicas(total - current, rf, current)
                .map_err(|why| KafkaError::new(ErrorCode::InvalidReplicationFactor, why))?,
        };
        let partitions: Vec<Partition> = added
            .into_iter()
            .enumerate()
            .map(|(i, replicas)| self.new_partition(current + i as i32, replicas))
            .collect();
        if let Some(topic) = self.topics.get_mut(name) {
            topic.partitions.extend(partitions);
        }
        self.tick();
        Ok(())
    }
}

impl Cluster {
    /// `ReplicationControlManager.createPartitions` with manual assignments: one per added
    /// partition, each valid (`validateManualPartitionAssignment`, the topic's replication
    /// factor) and with an unfenced broker to lead.
    fn check_added_assignment(
        &self,
        additional: i32,
        start: i32,
        rf: i16,
        lists: Vec<Vec<BrokerId>>,
    ) -> Result<Vec<Vec<BrokerId>>, KafkaError> {
        let invalid =
            |message: String| KafkaError::new(ErrorCode::InvalidReplicaAssignment, message);
        if lists.len() as i32 != additional {
            return Err(invalid(format!(
                "Attempted to add {additional} additional partition(s), but only {} assignment(s) were specified.",
                lists.len()
            )));
        }
        for (i, replicas) in lists.iter().enumerate() {
            if replicas.is_empty() {
                return Err(invalid(
                    "The manual partition assignment includes an empty replica list.".into(),
                ));
            }
            let mut sorted = replicas.clone();
            crate::sort::sort(&mut sorted);
            let mut previous = None;
            for id in &sorted {
                if self.broker(*id).is_none() {
                    return Err(invalid(format!(
                        "The manual partition assignment includes broker {id}, but no such broker is registered."
                    )));
                }
                if previous == Some(*id) {
                    return Err(invalid(format!(
                        "The manual partition assignment includes the broker {id} more than once."
                    )));
                }
                previous = Some(*id);
            }
            if sorted.len() != rf as usize {
                return Err(invalid(format!(
                    "The manual partition assignment includes a partition with {} replica(s), but this is not consistent with previous partitions, which have {rf} replica(s).",
                    sorted.len()
                )));
            }
            if !replicas
                .iter()
                .any(|b| self.broker(*b).is_some_and(|x| !x.fenced))
            {
                return Err(invalid(format!(
                    "All brokers specified in the manual partition assignment for partition {} are fenced or in controlled shutdown.",
                    start + i as i32
                )));
            }
        }
        Ok(lists)
    }
}

/// Topic configs as `CreateTopics` validates them (canonical values).
fn validated_configs(configs: &[(String, String)]) -> Result<VecMap<String, String>, KafkaError> {
    let mut out = VecMap::new();
    for (k, v) in configs {
        let value = validate_topic_config(k, v)
            .map_err(|e| KafkaError::new(ErrorCode::InvalidConfig, e.to_string()))?;
        out.insert(k.clone(), value);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::super::tests::cluster;
    use super::*;

    #[test]
    fn controller_errors() {
        let mut c = cluster();
        c.create_topic("foo_bar", NewTopic::default()).unwrap();
        let msg = |r: Result<&Topic, KafkaError>| r.unwrap_err().message().to_string();
        assert_eq!(
            msg(c.create_topic("foo.bar", NewTopic::default())),
            "Topic 'foo.bar' collides with existing topic: foo_bar"
        );
        assert_eq!(
            msg(c.create_topic("foo_bar", NewTopic::default())),
            "Topic 'foo_bar' already exists."
        );
        let rf4 = NewTopic {
            replication_factor: Some(4),
            ..Default::default()
        };
        assert_eq!(
            msg(c.create_topic("x", rf4)),
            "Unable to replicate the partition 4 time(s): The target replication factor of 4 cannot be reached because only 3 broker(s) are registered."
        );
    }

    #[test]
    fn new_partitions_are_led_by_unfenced_brokers() {
        let mut c = cluster();
        c.stop_broker(3).unwrap();
        let rf3 = NewTopic {
            partitions: Some(6),
            replication_factor: Some(3),
            ..Default::default()
        };
        let t = c.create_topic("t", rf3).unwrap().clone();
        for p in &t.partitions {
            assert_eq!(
                p.replicas.len(),
                3,
                "the stopped broker still gets a replica"
            );
            assert_ne!(p.replicas[0], 3, "but never leads: {:?}", p.replicas);
            assert_eq!(p.leader, Some(p.replicas[0]));
            assert_eq!(p.leader_epoch, 0);
            assert!(!p.isr.contains(&3));
        }
        c.create_partitions("t", 8).unwrap();
        let added = &c.topic("t").unwrap().partitions[6..];
        assert!(
            added
                .iter()
                .all(|p| p.leader != Some(3) && !p.isr.contains(&3))
        );
        let err = c
            .create_topic_with_assignment("m", vec![vec![3]], NewTopic::default())
            .unwrap_err();
        assert_eq!(
            err.message(),
            "All brokers specified in the manual partition assignment for partition 0 are fenced or in controlled shutdown."
        );
        c.create_topic_with_assignment("m", vec![vec![3, 1]], NewTopic::default())
            .unwrap();
        assert_eq!(c.topic("m").unwrap().partitions[0].leader, Some(1));
    }

    #[test]
    fn partitions_only_grow() {
        let mut c = cluster();
        let three = NewTopic {
            partitions: Some(3),
            ..Default::default()
        };
        c.create_topic("orders", three).unwrap();
        let err = c.create_partitions("orders", 1).unwrap_err();
        assert_eq!(
            err.message(),
            "The topic orders currently has 3 partition(s); 1 would not be an increase."
        );
        assert_eq!(
            c.create_partitions("orders", 3).unwrap_err().message(),
            "Topic already has 3 partition(s)."
        );
        c.create_partitions("orders", 5).unwrap();
        assert_eq!(c.topic("orders").unwrap().partitions.len(), 5);
    }
}
