//! A record as stored in a partition log: offset, timestamp, key, value, headers.

use super::record_batch::RecordRef;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Header {
    pub key: String,
    /// A header value may be null (the console producer's `null.marker`).
    pub value: Option<Vec<u8>>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
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

/// Bytes of a zig-zag varint (`ByteUtils.sizeOfVarint`/`sizeOfVarlong`).
pub fn varint_len(v: i64) -> usize {
    let mut u = ((v << 1) ^ (v >> 63)) as u64;
    let mut n = 1;
    while u >= 0x80 {
        u >>= 7;
        n += 1;
    }
    n
}

/// `DefaultRecord.sizeOf`: key, value and headers with their length prefixes (-1 for null).
fn fields_size(key: Option<&[u8]>, value: Option<&[u8]>, headers: &[Header]) -> usize {
    let bytes = |b: Option<&[u8]>| b.map_or(1, |b| varint_len(b.len() as i64) + b.len());
    bytes(key)
        + bytes(value)
        + varint_len(headers.len() as i64)
        + headers
            .iter()
            .map(|h| bytes(Some(h.key.as_bytes())) + bytes(h.value.as_deref()))
            .sum::<usize>()
}

/// The size of a v2 record batch holding this one record (`RecordBatch.sizeInBytes`): 61
/// bytes of batch header, the record's length, attributes, timestamp and offset deltas (0),
/// then its fields. What the broker compares with `max.message.bytes`.
pub fn single_record_batch_size(
    key: Option<&[u8]>,
    value: Option<&[u8]>,
    headers: &[Header],
) -> usize {
    let body = 3 + fields_size(key, value, headers);
    61 + varint_len(body as i64) + body
}

/// `DefaultRecord.sizeInBytes`: a record in a v2 batch, with its length prefix, at these
/// offset and timestamp deltas from the batch's first record.
pub fn size_in_batch(
    offset_delta: i64,
    timestamp_delta: i64,
    key: Option<&[u8]>,
    value: Option<&[u8]>,
    headers: &[Header],
) -> usize {
    let body = 1
        + varint_len(timestamp_delta)
        + varint_len(offset_delta)
        + fields_size(key, value, headers);
    varint_len(body as i64) + body
}

/// The size of a v2 record batch holding these records (`DefaultRecordBatch.sizeInBytes`):
/// 61 bytes of header, then each record with its length, attributes, its timestamp and offset
/// deltas from the first record's, and its fields.
pub fn batch_size(records: &[Record]) -> usize {
    let base_timestamp = records.first().map_or(0, |r| r.timestamp);
    let records: usize = records
        .iter()
        .enumerate()
        .map(|(i, r)| {
            size_in_batch(
                i as i64,
                r.timestamp.wrapping_sub(base_timestamp),
                r.key.as_deref(),
                r.value.as_deref(),
                &r.headers,
            )
        })
        .sum();
    61 + records
}

/// `DefaultRecordBatch.estimateBatchSizeUpperBound`: the producer's bound on a record's
/// serialized size (61 bytes of batch header, 21 of the most record overhead, the fields),
/// checked against `max.request.size` and `buffer.memory` before it is sent.
pub fn producer_size_upper_bound(
    key: Option<&[u8]>,
    value: Option<&[u8]>,
    headers: &[Header],
) -> usize {
    61 + 21 + fields_size(key, value, headers)
}

impl Record {
    /// Approximate size on the wire/disk (batch accounting, segment sizes).
    pub fn size_in_bytes(&self) -> usize {
        estimated_size(self.key.as_deref(), self.value.as_deref(), &self.headers)
    }

    /// The record as readers of a log see one.
    pub fn view(&self) -> RecordRef<'_> {
        RecordRef {
            offset: self.offset,
            timestamp: self.timestamp,
            key: self.key.as_deref(),
            value: self.value.as_deref(),
            headers: &self.headers,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_as_the_java_client_and_broker_count_them() {
        assert_eq!(varint_len(0), 1);
        assert_eq!(varint_len(-1), 1);
        assert_eq!(varint_len(63), 1);
        assert_eq!(varint_len(64), 2);
        // A 1 MiB value, no key: "The message is 1048664 bytes when serialized" (61 + 21,
        // 1 for the null key, 4 + 1048576 for the value, 1 for no headers).
        let value = vec![b'x'; 1 << 20];
        assert_eq!(
            producer_size_upper_bound(None, Some(&value), &[]),
            1_048_664
        );
        // "hello" with key "k": 61 + 1 (length) + 3 + 2 + 6 + 1 bytes.
        assert_eq!(
            single_record_batch_size(Some(b"k"), Some(b"hello"), &[]),
            61 + 1 + 12
        );
    }
}
