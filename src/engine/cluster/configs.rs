//! Topic and broker configs: how a value resolves (topic override, dynamic broker default,
//! static config, built-in default) and how `IncrementalAlterConfigs` changes them.

use super::{Cluster, MIN_INSYNC_REPLICAS, ProduceConfigCache, STATIC_SEGMENT_BYTES};
use crate::engine::BrokerId;
use crate::engine::config::validate_topic_config;
use crate::engine::error::{ErrorCode, KafkaError};
use crate::engine::partition_change;
use crate::engine::topic::Topic;
use crate::vec_map::VecMap;

impl Cluster {
    pub(super) fn long_config(&self, topic: &Topic, name: &str, fallback: i64) -> i64 {
        self.topic_config_str(topic, name)
            .and_then(|v| v.parse().ok())
            .unwrap_or(fallback)
    }

    pub(super) fn has_policy(&self, topic: &Topic, policy: &str) -> bool {
        self.topic_config_str(topic, "cleanup.policy")
            .is_some_and(|p| p.split(',').any(|x| x.trim() == policy))
    }

    /// The effective value of a topic config: the topic override, the dynamic broker default,
    /// the static broker config, or the built-in default.
    pub fn topic_config(&self, topic: &Topic, name: &str) -> Option<String> {
        self.topic_config_str(topic, name).map(str::to_string)
    }

    /// The same resolution without allocating (the produce path asks for several per record).
    pub fn topic_config_str<'a>(&'a self, topic: &'a Topic, name: &str) -> Option<&'a str> {
        if let Some(v) = topic.configs.get(name) {
            return Some(v);
        }
        if let Some((broker, _)) = crate::engine::config::broker_synonym(name) {
            if let Some(v) = self.broker_defaults.get(broker) {
                return Some(v);
            }
        }
        if name == "segment.bytes" {
            return Some(STATIC_SEGMENT_BYTES);
        }
        crate::engine::config::topic_config(name).map(|k| k.default)
    }

    /// Where a topic config's value comes from, most specific first, as `DescribeConfigs`
    /// reports synonyms: (source, name, value).
    pub fn topic_config_sources(
        &self,
        topic: &Topic,
        name: &str,
    ) -> Vec<(&'static str, String, String)> {
        let mut out = Vec::new();
        if let Some(v) = topic.configs.get(name) {
            out.push(("DYNAMIC_TOPIC_CONFIG", name.to_string(), v.clone()));
        }
        match crate::engine::config::broker_synonym(name) {
            Some((broker, _)) => {
                if let Some(v) = self.broker_defaults.get(broker) {
                    out.push((
                        "DYNAMIC_DEFAULT_BROKER_CONFIG",
                        broker.to_string(),
                        v.clone(),
                    ));
                }
                if broker == "log.segment.bytes" {
                    out.push((
                        "STATIC_BROKER_CONFIG",
                        broker.to_string(),
                        STATIC_SEGMENT_BYTES.to_string(),
                    ));
                }
                if let Some(v) = crate::engine::config::broker_default(broker) {
                    out.push(("DEFAULT_CONFIG", broker.to_string(), v));
                }
            }
            None => {
                if let Some(k) = crate::engine::config::topic_config(name) {
                    out.push(("DEFAULT_CONFIG", name.to_string(), k.default.to_string()));
                }
            }
        }
        // retention.ms and friends have no broker default of their own; the built-in value
        // still applies.
        if out.is_empty() {
            if let Some(k) = crate::engine::config::topic_config(name) {
                return vec![("DEFAULT_CONFIG", name.to_string(), k.default.to_string())];
            }
        }
        out
    }

    /// `IncrementalAlterConfigs` on a topic: set and delete overrides (validated first, all or
    /// nothing).
    pub fn alter_topic_configs(
        &mut self,
        name: &str,
        set: &[(String, String)],
        delete: &[String],
    ) -> Result<(), KafkaError> {
        self.require_controller()?;
        if !self.topics.contains_key(name) {
            return Err(KafkaError::new(
                ErrorCode::UnknownTopicOrPartition,
                format!("The topic '{name}' does not exist."),
            ));
        }
        let mut checked = Vec::new();
        for (k, v) in set {
            let value = validate_topic_config(k, v)
                .map_err(|e| KafkaError::new(ErrorCode::InvalidConfig, e.to_string()))?;
            checked.push((k.clone(), value));
        }
        for k in delete {
            if crate::engine::config::topic_config(k).is_none() {
                return Err(KafkaError::new(
                    ErrorCode::InvalidConfig,
                    format!("Unknown topic config name: {k}"),
                ));
            }
        }
        self.produce_config = ProduceConfigCache::default();
        if let Some(topic) = self.topics.get_mut(name) {
            let min_isr_before = topic.configs.get(MIN_INSYNC_REPLICAS).cloned();
            for k in delete {
                topic.configs.remove(k);
            }
            topic.configs.extend(checked);
            // A new min.insync.replicas invalidates the ELR kept against the old one.
            if topic.configs.get(MIN_INSYNC_REPLICAS) != min_isr_before.as_ref() {
                topic
                    .partitions
                    .iter_mut()
                    .for_each(partition_change::clear_elr);
            }
        }
        self.tick();
        Ok(())
    }

    /// Dynamic configs of one broker (`None`: the cluster-wide default).
    pub fn broker_dynamic_configs(&self, broker: Option<BrokerId>) -> VecMap<String, String> {
        match broker {
            Some(id) => self.broker_configs.get(&id).cloned().unwrap_or_default(),
            None => self.broker_defaults.clone(),
        }
    }

    /// Sets and deletes dynamic broker configs, for one broker or as the cluster default.
    pub fn alter_broker_configs(
        &mut self,
        broker: Option<BrokerId>,
        set: &[(String, String)],
        delete: &[String],
    ) -> Result<(), KafkaError> {
        if let Some(id) = broker {
            if self.broker(id).is_none() {
                return Err(KafkaError::new(
                    ErrorCode::BrokerIdNotRegistered,
                    format!("No node with id {id} found."),
                ));
            }
        }
        let mut checked = Vec::new();
        for (k, v) in set {
            let Some((name, key)) = crate::engine::config::broker_config(k) else {
                return Err(KafkaError::new(
                    ErrorCode::InvalidRequest,
                    format!("Cannot update these configs dynamically: Set({k})"),
                ));
            };
            let value = match key {
                Some(key) => validate_topic_config(key.name, v).map_err(|e| {
                    KafkaError::new(
                        ErrorCode::InvalidConfig,
                        e.to_string().replace(key.name, name),
                    )
                })?,
                None => v.trim().to_string(),
            };
            checked.push((name.to_string(), value));
        }
        // The broker validates the change itself, then forwards it to the controller.
        self.require_controller()?;
        let min_isr_altered = checked.iter().any(|(k, _)| k == MIN_INSYNC_REPLICAS)
            || delete.iter().any(|k| k == MIN_INSYNC_REPLICAS);
        if min_isr_altered {
            elr_min_isr_check(broker, delete)?;
        }
        self.produce_config = ProduceConfigCache::default();
        let target = match broker {
            Some(id) => self.broker_configs.entry(id).or_default(),
            None => &mut self.broker_defaults,
        };
        for k in delete {
            target.remove(k);
        }
        target.extend(checked);
        if min_isr_altered {
            // The cluster default changed (it is written even when unchanged): every ELR was
            // kept against the old value (`ClearElrRecord` for all topics).
            self.topics
                .values_mut()
                .flat_map(|t| t.partitions.iter_mut())
                .for_each(partition_change::clear_elr);
        }
        self.tick();
        Ok(())
    }
}

/// The leader's refusal of an `acks=all` write below min ISR, with the message
/// `Partition.appendRecordsToLeader` gives it (the ISR printed as the Scala set it is).
/// With ELR enabled the controller refuses a broker-level `min.insync.replicas` and the removal
/// of the cluster-level one (`ConfigurationControlManager`): min ISR must be the same for the
/// controller and every broker.
fn elr_min_isr_check(broker: Option<BrokerId>, delete: &[String]) -> Result<(), KafkaError> {
    let message = match broker {
        Some(_) => "Broker-level min.insync.replicas cannot be altered while ELR is enabled.",
        None if delete.iter().any(|k| k == MIN_INSYNC_REPLICAS) => {
            "Cluster-level min.insync.replicas cannot be removed while ELR is enabled."
        }
        None => return Ok(()),
    };
    Err(KafkaError::new(ErrorCode::InvalidConfig, message))
}

impl Cluster {
    /// The client quotas (`describeClientQuotas` reads them).
    pub fn client_quotas(&self) -> &crate::engine::quotas::ClientQuotas {
        &self.client_quotas
    }

    /// `alterClientQuotas` for one entity.
    pub fn alter_client_quotas(
        &mut self,
        entity: &crate::engine::quotas::QuotaEntity,
        ops: &[(String, Option<f64>)],
    ) -> Result<(), KafkaError> {
        self.client_quotas.alter(entity, ops)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::cluster;
    use super::*;

    #[test]
    fn read_only_broker_configs_are_refused() {
        let mut c = cluster();
        let set = |k: &str, v: &str| vec![(k.to_string(), v.to_string())];
        for name in [
            "auto.create.topics.enable",
            "log.retention.check.interval.ms",
        ] {
            let err = c
                .alter_broker_configs(None, &set(name, "1"), &[])
                .unwrap_err();
            assert_eq!(err.code, ErrorCode::InvalidRequest);
            assert_eq!(
                err.message(),
                format!("Cannot update these configs dynamically: Set({name})")
            );
        }
        assert_eq!(
            c.broker_dynamic_configs(None).keys().collect::<Vec<_>>(),
            [MIN_INSYNC_REPLICAS],
            "nothing was stored beside the cluster-level min ISR that ELR writes"
        );
        c.alter_broker_configs(Some(1), &set("log.cleaner.threads", "2"), &[])
            .unwrap();
    }
}
