//! A record as stored in a partition log: offset, timestamp, key, value, headers.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub key: String,
    /// A header value may be null (the console producer's `null.marker`).
    pub value: Option<Vec<u8>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub offset: i64,
    /// `CreateTime` as set by the producer (the simulated clock at send time).
    pub timestamp: i64,
    pub key: Option<Vec<u8>>,
    /// `None` is a tombstone.
    pub value: Option<Vec<u8>>,
    pub headers: Vec<Header>,
}

impl Record {
    /// Approximate size on the wire/disk, used by the sticky partitioner's batch accounting.
    pub fn size_in_bytes(&self) -> usize {
        let kv = self.key.as_ref().map_or(0, Vec::len) + self.value.as_ref().map_or(0, Vec::len);
        let headers: usize = self
            .headers
            .iter()
            .map(|h| h.key.len() + h.value.as_ref().map_or(0, Vec::len))
            .sum();
        // A v2 record has roughly this many bytes of framing (varints, attributes, deltas).
        kv + headers + 14
    }
}
