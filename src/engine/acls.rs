//! ACLs as KRaft's `StandardAuthorizer` keeps them: bindings of a resource pattern to an access
//! control entry, stored in the metadata log (`AclControlManager`). The brokers answer the ACL
//! APIs only when `authorizer.class.name` names an authorizer; without one they answer
//! `SECURITY_DISABLED` (`AclApis`).

use serde::{Deserialize, Serialize};

/// `authorizer.class.name` of KRaft's built-in authorizer.
pub const STANDARD_AUTHORIZER: &str = "org.apache.kafka.metadata.authorizer.StandardAuthorizer";
/// `ResourcePattern.WILDCARD_RESOURCE`.
pub const WILDCARD_RESOURCE: &str = "*";
/// The only name the CLUSTER resource has (`Resource.CLUSTER_NAME`).
pub const CLUSTER_NAME: &str = "kafka-cluster";

/// `ResourcePattern(resourceType=…, name=…, patternType=…)`; the types are Kafka's enum names
/// (`TOPIC`, `LITERAL`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ResourcePattern {
    pub resource_type: String,
    pub name: String,
    pub pattern_type: String,
}

impl std::fmt::Display for ResourcePattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "ResourcePattern(resourceType={}, name={}, patternType={})",
            self.resource_type, self.name, self.pattern_type
        )
    }
}

/// `AccessControlEntry`: who (`User:alice`), from where, which operation, allowed or denied.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct AccessControlEntry {
    pub principal: String,
    pub host: String,
    pub operation: String,
    pub permission_type: String,
}

impl std::fmt::Display for AccessControlEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "(principal={}, host={}, operation={}, permissionType={})",
            self.principal, self.host, self.operation, self.permission_type
        )
    }
}

/// `ResourcePatternFilter`: a pattern type of `ANY` matches the name exactly whatever the
/// pattern type; `MATCH` matches every pattern that applies to the name (literal, the `*`
/// wildcard, prefixes of it).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ResourcePatternFilter {
    pub resource_type: String,
    pub name: String,
    pub pattern_type: String,
}

impl ResourcePatternFilter {
    pub fn matches(&self, pattern: &ResourcePattern) -> bool {
        if self.resource_type != "ANY" && self.resource_type != pattern.resource_type {
            return false;
        }
        let any = self.pattern_type == "ANY";
        let matching = self.pattern_type == "MATCH";
        if !any && !matching && self.pattern_type != pattern.pattern_type {
            return false;
        }
        if any || self.pattern_type == pattern.pattern_type {
            return self.name == pattern.name;
        }
        match pattern.pattern_type.as_str() {
            "LITERAL" => self.name == pattern.name || pattern.name == WILDCARD_RESOURCE,
            "PREFIXED" => self.name.starts_with(&pattern.name),
            _ => false,
        }
    }
}

impl std::fmt::Display for ResourcePatternFilter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "ResourcePattern(resourceType={}, name={}, patternType={})",
            self.resource_type, self.name, self.pattern_type
        )
    }
}

/// The authorizer and its ACLs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acls {
    /// `authorizer.class.name`; none by default, as in Kafka's quickstart `server.properties`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorizer: Option<String>,
    /// Every binding, each once, in the order they were created.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    bindings: Vec<(ResourcePattern, AccessControlEntry)>,
}

/// Why an ACL call fails: an exception class and its message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AclError {
    pub class: &'static str,
    pub message: String,
}

impl std::fmt::Display for AclError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "org.apache.kafka.common.errors.{}: {}",
            self.class, self.message
        )
    }
}

fn security_disabled(message: &str) -> AclError {
    AclError {
        class: "SecurityDisabledException",
        message: message.to_string(),
    }
}

impl Acls {
    pub fn is_default(&self) -> bool {
        *self == Acls::default()
    }

    /// `CreateAcls`: each binding once; a CLUSTER pattern must be named `kafka-cluster`.
    pub fn create(
        &mut self,
        bindings: &[(ResourcePattern, AccessControlEntry)],
    ) -> Result<(), AclError> {
        if self.authorizer.is_none() {
            // Kafka: core/src/main/scala/kafka/server/AclApis.scala (handleCreateAcls)
            return Err(security_disabled("No Authorizer is configured."));
        }
        for (pattern, _) in bindings {
            let message = if pattern.resource_type == "CLUSTER" && pattern.name != CLUSTER_NAME {
                format!("The only valid name for the CLUSTER resource is {CLUSTER_NAME}")
            } else if pattern.name.is_empty() {
                "Invalid empty resource name".to_string()
            } else {
                continue;
            };
            return Err(AclError {
                class: "InvalidRequestException",
                message,
            });
        }
        for binding in bindings {
            if !self.bindings.contains(binding) {
                self.bindings.push(binding.clone());
            }
        }
        Ok(())
    }

    /// `DescribeAcls`: the bindings whose pattern one of the filters matches.
    pub fn describe(
        &self,
        filters: &[ResourcePatternFilter],
    ) -> Result<Vec<(ResourcePattern, AccessControlEntry)>, AclError> {
        if self.authorizer.is_none() {
            // Kafka: core/src/main/scala/kafka/server/AclApis.scala (handleDescribeAcls)
            return Err(security_disabled(
                "No Authorizer is configured on the broker",
            ));
        }
        Ok(self
            .bindings
            .iter()
            .filter(|(p, _)| filters.is_empty() || filters.iter().any(|f| f.matches(p)))
            .cloned()
            .collect())
    }

    /// `DeleteAcls`: the bindings the filter's pattern matches and, when entries are given,
    /// whose entry is one of them; returns how many went.
    pub fn delete(
        &mut self,
        filter: &ResourcePatternFilter,
        entries: &[AccessControlEntry],
    ) -> Result<usize, AclError> {
        if self.authorizer.is_none() {
            // Kafka: core/src/main/scala/kafka/server/AclApis.scala (handleDeleteAcls)
            return Err(security_disabled("No Authorizer is configured."));
        }
        let before = self.bindings.len();
        self.bindings
            .retain(|(p, e)| !(filter.matches(p) && (entries.is_empty() || entries.contains(e))));
        Ok(before - self.bindings.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(t: &str, name: &str, pt: &str) -> ResourcePattern {
        ResourcePattern {
            resource_type: t.into(),
            name: name.into(),
            pattern_type: pt.into(),
        }
    }

    fn filter(t: &str, name: &str, pt: &str) -> ResourcePatternFilter {
        ResourcePatternFilter {
            resource_type: t.into(),
            name: name.into(),
            pattern_type: pt.into(),
        }
    }

    #[test]
    fn filters_match_as_resource_pattern_filter_does() {
        // Kafka: clients/src/main/java/org/apache/kafka/common/resource/ResourcePatternFilter.java
        let prefixed = pattern("TOPIC", "pay", "PREFIXED");
        let wildcard = pattern("TOPIC", "*", "LITERAL");
        assert!(filter("TOPIC", "payments", "MATCH").matches(&prefixed));
        assert!(filter("TOPIC", "payments", "MATCH").matches(&wildcard));
        assert!(!filter("TOPIC", "payments", "ANY").matches(&prefixed));
        assert!(filter("TOPIC", "pay", "ANY").matches(&prefixed));
        assert!(!filter("TOPIC", "pay", "LITERAL").matches(&prefixed));
        assert!(!filter("GROUP", "pay", "PREFIXED").matches(&prefixed));
    }

    #[test]
    fn without_an_authorizer_every_call_is_refused() {
        let mut acls = Acls::default();
        assert_eq!(
            acls.describe(&[]).unwrap_err().to_string(),
            "org.apache.kafka.common.errors.SecurityDisabledException: No Authorizer is configured on the broker"
        );
        assert_eq!(
            acls.create(&[]).unwrap_err().message,
            "No Authorizer is configured."
        );
        acls.authorizer = Some(STANDARD_AUTHORIZER.into());
        let entry = AccessControlEntry {
            principal: "User:alice".into(),
            host: "*".into(),
            operation: "READ".into(),
            permission_type: "ALLOW".into(),
        };
        let topic = pattern("TOPIC", "t", "LITERAL");
        assert!(acls.create(&[(topic.clone(), entry.clone())]).is_ok());
        assert!(acls.create(&[(topic.clone(), entry.clone())]).is_ok());
        assert_eq!(acls.describe(&[]).map(|b| b.len()), Ok(1));
        assert_eq!(
            acls.create(&[(pattern("CLUSTER", "c", "LITERAL"), entry.clone())])
                .unwrap_err()
                .message,
            "The only valid name for the CLUSTER resource is kafka-cluster"
        );
        assert_eq!(acls.delete(&filter("TOPIC", "t", "LITERAL"), &[]), Ok(1));
        assert_eq!(acls.describe(&[]).map(|b| b.len()), Ok(0));
    }

    #[test]
    fn acls_travel_in_the_snapshot_and_old_snapshots_have_none() {
        use crate::engine::{Cluster, ClusterConfig};
        let mut cluster = Cluster::new(ClusterConfig::default());
        let fresh = serde_json::to_string(&cluster).expect("serializes");
        assert!(!fresh.contains("\"acls\""), "a default is left out");
        cluster.acls_mut().authorizer = Some(STANDARD_AUTHORIZER.into());
        let entry = AccessControlEntry {
            principal: "User:alice".into(),
            host: "*".into(),
            operation: "READ".into(),
            permission_type: "ALLOW".into(),
        };
        let binding = (pattern("GROUP", "g", "PREFIXED"), entry);
        assert!(
            cluster
                .acls_mut()
                .create(std::slice::from_ref(&binding))
                .is_ok()
        );
        let text = serde_json::to_string(&cluster).expect("serializes");
        let back: Cluster = serde_json::from_str(&text).expect("reads back");
        assert_eq!(back.acls().describe(&[]), Ok(vec![binding]));
        let old: Cluster = serde_json::from_str(&fresh).expect("reads back");
        assert!(old.acls().authorizer.is_none());
    }
}
