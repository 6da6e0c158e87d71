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

/// Approximate size of a record on the wire and on disk: key, value, headers, plus the v2
/// record framing (varints, attributes, deltas) of roughly 14 bytes.
pub fn estimated_size(key: Option<&[u8]>, value: Option<&[u8]>, headers: &[Header]) -> usize {
    let headers: usize = headers
        .iter()
        .map(|h| h.key.len() + h.value.as_ref().map_or(0, Vec::len))
        .sum();
    key.map_or(0, <[u8]>::len) + value.map_or(0, <[u8]>::len) + headers + 14
}

impl Record {
    /// Approximate size on the wire/disk (batch accounting, segment sizes).
    pub fn size_in_bytes(&self) -> usize {
        estimated_size(self.key.as_deref(), self.value.as_deref(), &self.headers)
    }
}
