//! A topic partition: its replicas, leader, in-sync replicas and log.

use serde::{Deserialize, Serialize};

use super::BrokerId;
use super::log::Log;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Partition {
    pub index: i32,
    /// Assigned replicas; the first one is the preferred leader.
    pub replicas: Vec<BrokerId>,
    pub leader: Option<BrokerId>,
    pub isr: Vec<BrokerId>,
    pub leader_epoch: i32,
    pub log: Log,
}

impl Partition {
    pub fn new(index: i32, replicas: Vec<BrokerId>) -> Self {
        Partition {
            index,
            leader: replicas.first().copied(),
            isr: replicas.clone(),
            replicas,
            leader_epoch: 0,
            log: Log::default(),
        }
    }

    /// The offset below which records are committed and visible to consumers. Every replica is
    /// in sync in this model so far, so it equals the log end offset.
    pub fn high_watermark(&self) -> i64 {
        self.log.log_end_offset()
    }

    pub fn log_start_offset(&self) -> i64 {
        self.log.log_start_offset()
    }
}
