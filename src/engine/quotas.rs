//! Client quotas as the controller's `ClientQuotaControlManager` keeps them: each entity (a user,
//! a client id, a user with a client id, or an IP; any name may be the default) maps quota keys
//! to doubles. Validation and error texts follow that manager.

use serde::{Deserialize, Serialize};

use super::error::{ErrorCode, KafkaError};

/// `QuotaConfig`'s user and client quota keys, and whether each is integral (`LONG`).
pub const USER_CLIENT_KEYS: &[(&str, bool)] = &[
    ("producer_byte_rate", true),
    ("consumer_byte_rate", true),
    ("request_percentage", false),
    ("controller_mutation_rate", false),
];
/// `QuotaConfig.ipConfigs()`: an `INT`.
pub const IP_KEY: &str = "connection_creation_rate";

/// One part of an entity: `None` is the default entity of that type.
pub type EntityName = Option<String>;

/// `ClientQuotaEntity`: the types that take part, each with its name (or the default).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotaEntity {
    #[serde(default, skip_serializing_if = "Option::is_none", with = "saved_name")]
    pub user: Option<EntityName>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "saved_name")]
    pub client_id: Option<EntityName>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "saved_name")]
    pub ip: Option<EntityName>,
}

/// A part of an entity as saved: the default entity is `""` (a name Kafka refuses), so that it
/// does not read back as an absent part.
mod saved_name {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(
        part: &Option<Option<String>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match part {
            Some(name) => s.serialize_str(name.as_deref().unwrap_or("")),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Option<String>>, D::Error> {
        let name = Option::<String>::deserialize(d)?;
        Ok(name.map(|n| (!n.is_empty()).then_some(n)))
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Entry {
    entity: QuotaEntity,
    /// Keys in the order they were first set.
    values: Vec<(String, f64)>,
}

/// A component of `ClientQuotaFilter.containsOnly`: an entity type with a name, the default,
/// or any name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Match {
    Name(String),
    Default,
    Any,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ClientQuotas {
    entries: Vec<Entry>,
}

fn invalid(message: String) -> KafkaError {
    KafkaError::new(ErrorCode::InvalidRequest, message)
}

impl ClientQuotas {
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The quotas of exactly this entity (empty when it has none).
    pub fn get(&self, entity: &QuotaEntity) -> Vec<(String, f64)> {
        self.entries
            .iter()
            .find(|e| e.entity == *entity)
            .map(|e| e.values.clone())
            .unwrap_or_default()
    }

    /// `describeClientQuotas(ClientQuotaFilter.containsOnly(..))`: entities with exactly the
    /// given types, each matching its component.
    pub fn describe(
        &self,
        user: Option<&Match>,
        client_id: Option<&Match>,
        ip: Option<&Match>,
    ) -> Vec<(QuotaEntity, Vec<(String, f64)>)> {
        fn fits(part: &Option<EntityName>, filter: Option<&Match>) -> bool {
            match (part, filter) {
                (None, None) => true,
                (Some(_), Some(Match::Any)) => true,
                (Some(None), Some(Match::Default)) => true,
                (Some(Some(n)), Some(Match::Name(m))) => n == m,
                _ => false,
            }
        }
        self.entries
            .iter()
            .filter(|e| {
                !e.values.is_empty()
                    && fits(&e.entity.user, user)
                    && fits(&e.entity.client_id, client_id)
                    && fits(&e.entity.ip, ip)
            })
            .map(|e| (e.entity.clone(), e.values.clone()))
            .collect()
    }

    /// `alterClientQuotas` for one entity: `Some(v)` sets a key, `None` removes it. Nothing
    /// changes when any key or value is refused.
    pub fn alter(
        &mut self,
        entity: &QuotaEntity,
        ops: &[(String, Option<f64>)],
    ) -> Result<(), KafkaError> {
        let is_ip = entity.ip.is_some();
        if is_ip && (entity.user.is_some() || entity.client_id.is_some()) {
            return Err(invalid(
                "Invalid quota entity combination, IP entity shouldnot be combined with User or ClientId"
                    .into(),
            ));
        }
        if !is_ip && entity.user.is_none() && entity.client_id.is_none() {
            return Err(invalid("Invalid empty client quota entity".into()));
        }
        for (key, value) in ops {
            let integral = if is_ip {
                (key == IP_KEY).then_some(true)
            } else {
                USER_CLIENT_KEYS
                    .iter()
                    .find(|(k, _)| k == key)
                    .map(|(_, i)| *i)
            };
            let Some(integral) = integral else {
                return Err(invalid(format!("Invalid configuration key {key}")));
            };
            let Some(v) = value else { continue };
            if *v <= 0.0 || v.is_nan() {
                return Err(invalid(format!("Quota {key} must be greater than 0")));
            }
            if integral {
                let max = if is_ip {
                    i32::MAX as f64
                } else {
                    i64::MAX as f64
                };
                if *v > max {
                    let kind = if is_ip { "an INT" } else { "a LONG" };
                    return Err(invalid(format!(
                        "Proposed value for {key} is too large for {kind}."
                    )));
                }
                if (v % 1.0).abs() > 1e-6 {
                    return Err(invalid(format!("{key} cannot be a fractional value.")));
                }
            }
        }
        let at = match self.entries.iter().position(|e| e.entity == *entity) {
            Some(i) => i,
            None => {
                self.entries.push(Entry {
                    entity: entity.clone(),
                    values: Vec::new(),
                });
                self.entries.len() - 1
            }
        };
        let values = &mut self.entries[at].values;
        for (key, value) in ops {
            match value {
                Some(v) => match values.iter_mut().find(|(k, _)| k == key) {
                    Some(slot) => slot.1 = *v,
                    None => values.push((key.clone(), *v)),
                },
                None => values.retain(|(k, _)| k != key),
            }
        }
        self.entries.retain(|e| !e.values.is_empty());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(name: &str) -> QuotaEntity {
        QuotaEntity {
            user: Some(Some(name.into())),
            ..QuotaEntity::default()
        }
    }

    // Kafka: metadata/src/main/java/org/apache/kafka/controller/ClientQuotaControlManager.java
    #[test]
    fn refuses_what_the_controller_refuses() {
        let mut q = ClientQuotas::default();
        let e = user("alice");
        let err = q.alter(&e, &[("producer_byte_rate".into(), Some(1.5))]);
        assert_eq!(
            err.map_err(|e| e.message),
            Err(Some(
                "producer_byte_rate cannot be a fractional value.".to_string()
            ))
        );
        let err = q.alter(&e, &[("request_percentage".into(), Some(0.0))]);
        assert_eq!(
            err.map_err(|e| e.message),
            Err(Some(
                "Quota request_percentage must be greater than 0".to_string()
            ))
        );
        let ip = QuotaEntity {
            ip: Some(None),
            ..QuotaEntity::default()
        };
        let err = q.alter(&ip, &[("producer_byte_rate".into(), Some(1.0))]);
        assert_eq!(
            err.map_err(|e| e.message),
            Err(Some(
                "Invalid configuration key producer_byte_rate".to_string()
            ))
        );
        assert!(q.is_empty());
    }

    #[test]
    fn survive_a_save_and_none_is_written_when_empty() {
        let mut q = ClientQuotas::default();
        assert_eq!(serde_json::to_string(&q).unwrap(), r#"{"entries":[]}"#);
        let both = QuotaEntity {
            user: Some(None),
            client_id: Some(Some("app".into())),
            ip: None,
        };
        q.alter(&both, &[("consumer_byte_rate".into(), Some(2048.0))])
            .unwrap();
        let text = serde_json::to_string(&q).unwrap();
        let back: ClientQuotas = serde_json::from_str(&text).unwrap();
        assert_eq!(
            back.get(&both),
            vec![("consumer_byte_rate".to_string(), 2048.0)]
        );
    }

    #[test]
    fn sets_and_removes_keys_per_entity() {
        let mut q = ClientQuotas::default();
        let e = user("alice");
        q.alter(
            &e,
            &[
                ("producer_byte_rate".into(), Some(1024.0)),
                ("request_percentage".into(), Some(12.5)),
            ],
        )
        .unwrap();
        assert_eq!(q.describe(Some(&Match::Any), None, None).len(), 1);
        assert!(q.describe(Some(&Match::Default), None, None).is_empty());
        q.alter(&e, &[("producer_byte_rate".into(), None)]).unwrap();
        assert_eq!(q.get(&e), vec![("request_percentage".to_string(), 12.5)]);
        q.alter(&e, &[("request_percentage".into(), None)]).unwrap();
        assert!(q.is_empty());
    }
}
