//! Feature flags (KIP-584/KIP-1022): `metadata.version` and the production features of Kafka 4.3,
//! their supported ranges, the level each release bootstraps with, their dependencies, and the
//! controller's checks when `UpdateFeatures` changes a finalized level.
//!
//! Kafka: server-common/src/main/java/org/apache/kafka/server/common/MetadataVersion.java,
//! Feature.java, KRaftVersion.java, TransactionVersion.java, GroupVersion.java,
//! EligibleLeaderReplicasVersion.java, ShareVersion.java, StreamsVersion.java;
//! metadata/src/main/java/org/apache/kafka/controller/FeatureControlManager.java, QuorumFeatures.java.

use crate::vec_map::VecMap;

pub const METADATA_VERSION: &str = "metadata.version";

/// `MetadataVersion` from `MINIMUM_VERSION` (3.3-IV3, level 7) to `LATEST_PRODUCTION`
/// (4.3-IV0, level 30): (feature level, version, didMetadataChange).
pub const METADATA_VERSIONS: &[(i16, &str, bool)] = &[
    (7, "3.3-IV3", true),
    (8, "3.4-IV0", true),
    (9, "3.5-IV0", false),
    (10, "3.5-IV1", false),
    (11, "3.5-IV2", true),
    (12, "3.6-IV0", false),
    (13, "3.6-IV1", true),
    (14, "3.6-IV2", true),
    (15, "3.7-IV0", true),
    (16, "3.7-IV1", false),
    (17, "3.7-IV2", true),
    (18, "3.7-IV3", false),
    (19, "3.7-IV4", false),
    (20, "3.8-IV0", false),
    (21, "3.9-IV0", false),
    (22, "4.0-IV0", false),
    (23, "4.0-IV1", true),
    (24, "4.0-IV2", false),
    (25, "4.0-IV3", false),
    (26, "4.1-IV0", true),
    (27, "4.1-IV1", true),
    (28, "4.2-IV0", true),
    (29, "4.2-IV1", false),
    (30, "4.3-IV0", true),
];

/// `MetadataVersion.LATEST_PRODUCTION`.
pub const LATEST_PRODUCTION: i16 = 30;
/// `MetadataVersion.MINIMUM_VERSION`.
pub const MINIMUM_VERSION: i16 = 7;

/// One production feature (`Feature.PRODUCTION_FEATURES`, in its order).
pub struct FeatureSpec {
    pub name: &'static str,
    /// `LATEST_PRODUCTION` of the feature: the highest level a 4.3 node supports.
    pub max: i16,
    /// Each level above 0: (level, the metadata.version level that bootstraps it, the
    /// metadata.version level it depends on, if any).
    pub levels: &'static [(i16, i16, Option<i16>)],
}

pub const FEATURES: &[FeatureSpec] = &[
    FeatureSpec {
        name: "kraft.version",
        max: 1,
        levels: &[(1, 21, None)],
    },
    FeatureSpec {
        name: "transaction.version",
        max: 2,
        levels: &[(1, 24, None), (2, 24, None)],
    },
    FeatureSpec {
        name: "group.version",
        max: 1,
        levels: &[(1, 22, Some(22))],
    },
    FeatureSpec {
        name: "eligible.leader.replicas.version",
        max: 1,
        levels: &[(1, 26, Some(23))],
    },
    FeatureSpec {
        name: "share.version",
        max: 1,
        levels: &[(1, 28, None)],
    },
    FeatureSpec {
        name: "streams.version",
        max: 1,
        levels: &[(1, 29, None)],
    },
];

/// The version string of a metadata.version level.
pub fn metadata_version_name(level: i16) -> Option<&'static str> {
    METADATA_VERSIONS
        .iter()
        .find(|(l, ..)| *l == level)
        .map(|(_, v, _)| *v)
}

/// `MetadataVersion.fromVersionString`: `4.3-IV0`, or a release (`4.3`, its last `-IV`).
pub fn metadata_version_level(text: &str) -> Option<i16> {
    let text = text.trim();
    METADATA_VERSIONS
        .iter()
        .find(|(_, v, _)| *v == text)
        .or_else(|| {
            METADATA_VERSIONS
                .iter()
                .rev()
                .find(|(_, v, _)| v.split_once("-IV").is_some_and(|(r, _)| r == text))
        })
        .map(|(l, ..)| *l)
}

pub fn feature(name: &str) -> Option<&'static FeatureSpec> {
    FEATURES.iter().find(|f| f.name == name)
}

/// `Feature.defaultLevel(metadataVersion)`: the highest level bootstrapped at or before it.
pub fn default_level(spec: &FeatureSpec, metadata_level: i16) -> i16 {
    spec.levels
        .iter()
        .filter(|(_, bootstrap, _)| *bootstrap <= metadata_level)
        .map(|(level, ..)| *level)
        .max()
        .unwrap_or(0)
}

/// The finalized feature levels of the cluster; a new cluster has 4.3's defaults.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FinalizedFeatures {
    levels: VecMap<String, i16>,
}

impl Default for FinalizedFeatures {
    fn default() -> Self {
        let mut levels = VecMap::new();
        levels.insert(METADATA_VERSION.to_string(), LATEST_PRODUCTION);
        for f in FEATURES {
            levels.insert(f.name.to_string(), default_level(f, LATEST_PRODUCTION));
        }
        FinalizedFeatures { levels }
    }
}

/// `FeatureUpdate.UpgradeType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpgradeType {
    Upgrade,
    SafeDowngrade,
    UnsafeDowngrade,
}

impl FinalizedFeatures {
    /// Whether every level is a new cluster's (the snapshot then leaves them out).
    pub fn is_default(&self) -> bool {
        *self == FinalizedFeatures::default()
    }

    /// The features whose level differs from a new cluster's, in name order.
    pub fn changed_from_default(&self) -> impl Iterator<Item = (&str, i16)> + '_ {
        let defaults = FinalizedFeatures::default();
        let changed: Vec<(&str, i16)> = self
            .levels
            .iter()
            .filter(|(name, level)| defaults.level(name) != **level)
            .map(|(name, level)| (name.as_str(), *level))
            .collect();
        changed.into_iter()
    }

    pub fn level(&self, name: &str) -> i16 {
        self.levels.get(name).copied().unwrap_or(0)
    }

    /// The supported range of a feature on every node: (min, max).
    pub fn supported(name: &str) -> Option<(i16, i16)> {
        if name == METADATA_VERSION {
            return Some((MINIMUM_VERSION, LATEST_PRODUCTION));
        }
        feature(name).map(|f| (0, f.max))
    }

    /// Every supported feature with its finalized level, sorted by name (as `describe` lists).
    pub fn all(&self) -> Vec<(&'static str, i16, i16, i16)> {
        let mut names: Vec<&'static str> = FEATURES.iter().map(|f| f.name).collect();
        names.push(METADATA_VERSION);
        crate::sort::sort(&mut names);
        names
            .into_iter()
            .filter_map(|n| {
                let (min, max) = Self::supported(n)?;
                Some((n, min, max, self.level(n)))
            })
            .collect()
    }

    /// `FeatureControlManager.updateFeatures` for one request (all or nothing): each update's
    /// error message, or `None` where it passes. `controller` names the node that checks.
    pub fn update(
        &mut self,
        updates: &[(String, i16, UpgradeType)],
        controller: i32,
        validate_only: bool,
    ) -> Vec<(String, Option<String>)> {
        let mut proposed = self.levels.clone();
        for (name, level, _) in updates {
            proposed.insert(name.clone(), *level);
        }
        let results: Vec<(String, Option<String>)> = updates
            .iter()
            .map(|(name, level, kind)| {
                (
                    name.clone(),
                    self.check(name, *level, *kind, controller, &proposed),
                )
            })
            .collect();
        if !validate_only && results.iter().all(|(_, e)| e.is_none()) {
            self.levels = proposed;
        }
        results
    }

    fn check(
        &self,
        name: &str,
        level: i16,
        kind: UpgradeType,
        controller: i32,
        proposed: &VecMap<String, i16>,
    ) -> Option<String> {
        let invalid = |message: &str| {
            Some(format!(
                "Invalid update version {level} for feature {name}. {message}"
            ))
        };
        let current = self.level(name);
        if level < 0 {
            return invalid("A feature version cannot be less than 0.");
        }
        // QuorumFeatures.reasonNotSupported: VersionRange prints `min-max`.
        match Self::supported(name) {
            None => {
                return invalid(&format!(
                    "Local controller {controller} does not support this feature."
                ));
            }
            Some((min, max)) if level < min || level > max => {
                return invalid(&format!(
                    "Local controller {controller} only supports versions {min}-{max}"
                ));
            }
            _ => {}
        }
        if level < current && kind == UpgradeType::Upgrade {
            return invalid(
                "Can't downgrade the version of this feature without setting the upgrade type to either safe or unsafe downgrade.",
            );
        }
        if level > current && kind != UpgradeType::Upgrade {
            return invalid("Can't downgrade to a newer version.");
        }
        if name == METADATA_VERSION {
            let metadata =
                |message: &str| Some(format!("Invalid metadata.version {level}. {message}"));
            if level < current {
                let changed = METADATA_VERSIONS
                    .iter()
                    .any(|(l, _, changed)| *l > level && *l <= current && *changed);
                if changed && kind == UpgradeType::UnsafeDowngrade {
                    return metadata("Unsafe metadata downgrade is not supported in this version.");
                }
                if changed {
                    return metadata(
                        "Refusing to perform the requested downgrade because it might delete metadata information.",
                    );
                }
            }
            return None;
        }
        // Features.validateVersion: the dependency on metadata.version.
        let spec = feature(name)?;
        let metadata_level = proposed.get(METADATA_VERSION).copied().unwrap_or(0);
        for (l, _, depends) in spec.levels.iter().filter(|(l, ..)| *l <= level) {
            if let Some(needed) = depends {
                if metadata_level < *needed && *l == level {
                    return invalid(&format!(
                        "{name} could not be set to {level} because it depends on metadata.version level {needed}"
                    ));
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_cluster_has_the_4_3_levels() {
        let f = FinalizedFeatures::default();
        let levels: Vec<(&str, i16)> = f.all().iter().map(|(n, _, _, l)| (*n, *l)).collect();
        assert_eq!(
            levels,
            [
                ("eligible.leader.replicas.version", 1),
                ("group.version", 1),
                ("kraft.version", 1),
                ("metadata.version", 30),
                ("share.version", 1),
                ("streams.version", 1),
                ("transaction.version", 2),
            ]
        );
        assert_eq!(metadata_version_level("4.3"), Some(30));
        assert_eq!(metadata_version_level("4.0"), Some(25));
        assert_eq!(metadata_version_level("3.3-IV3"), Some(7));
        assert_eq!(metadata_version_level("2.8"), None);
    }

    #[test]
    fn the_controller_refuses_what_kafka_refuses() {
        let mut f = FinalizedFeatures::default();
        let one = |name: &str, level, kind| vec![(name.to_string(), level, kind)];
        let r = f.update(
            &one(METADATA_VERSION, 29, UpgradeType::SafeDowngrade),
            1,
            false,
        );
        assert_eq!(
            r[0].1.as_deref(),
            Some(
                "Invalid metadata.version 29. Refusing to perform the requested downgrade because it might delete metadata information."
            )
        );
        let r = f.update(&one("group.version", 2, UpgradeType::Upgrade), 1, false);
        assert_eq!(
            r[0].1.as_deref(),
            Some(
                "Invalid update version 2 for feature group.version. Local controller 1 only supports versions 0-1"
            )
        );
        let r = f.update(
            &one("group.version", 0, UpgradeType::SafeDowngrade),
            1,
            true,
        );
        assert_eq!(r[0].1, None);
        assert_eq!(f.level("group.version"), 1, "validate only");
        f.update(
            &one("group.version", 0, UpgradeType::SafeDowngrade),
            1,
            false,
        );
        assert_eq!(f.level("group.version"), 0);
    }
}
