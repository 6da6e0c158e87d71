//! The producer's partitioner (`BuiltInPartitioner`, KIP-794): murmur2 for keys, sticky for
//! keyless records. The engine's `Cluster::produce` uses the same one, so it lives there.

pub use crate::engine::partitioner::{DEFAULT_BATCH_SIZE, StickyPartitioner};
