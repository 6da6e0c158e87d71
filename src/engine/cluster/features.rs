//! `DescribeFeatures` and `UpdateFeatures`: the finalized feature levels the controller keeps.

use super::Cluster;
use crate::engine::error::KafkaError;
use crate::engine::features::{FinalizedFeatures, UpgradeType};

impl Cluster {
    pub fn finalized_features(&self) -> &FinalizedFeatures {
        &self.features
    }

    /// The epoch `DescribeFeatures` reports: the offset of the metadata image the answering
    /// broker has applied (the last committed record of the metadata log).
    pub fn finalized_features_epoch(&mut self) -> i64 {
        (self.metadata_quorum().high_watermark() - 1).max(0)
    }

    /// `UpdateFeatures`, checked by the active controller: each feature's error, if any
    /// (nothing changes unless all pass, and nothing with `validate_only`).
    pub fn update_features(
        &mut self,
        updates: &[(String, i16, UpgradeType)],
        validate_only: bool,
    ) -> Result<Vec<(String, Option<String>)>, KafkaError> {
        self.require_controller()?;
        let controller = self.active_controller().unwrap_or(1);
        let results = self.features.update(updates, controller, validate_only);
        self.tick();
        Ok(results)
    }
}
