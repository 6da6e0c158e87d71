//! A record as stored in a partition log: offset, timestamp, key, value, headers.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub key: String,
    /// A header value may be null (the console producer's `null.marker`).
    #[serde(with = "bytes_as_text")]
    pub value: Option<Vec<u8>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub offset: i64,
    /// `CreateTime` as set by the producer (the simulated clock at send time).
    pub timestamp: i64,
    #[serde(with = "bytes_as_text")]
    pub key: Option<Vec<u8>>,
    /// `None` is a tombstone.
    #[serde(with = "bytes_as_text")]
    pub value: Option<Vec<u8>>,
    pub headers: Vec<Header>,
}

/// Keys and values in a snapshot: as a string when they are UTF-8, as most are (a JSON list of
/// numbers takes three to four characters a byte, and browser storage holds about 5 MB), else
/// as a list of bytes. Both forms are read, so older snapshots still load.
mod bytes_as_text {
    use std::fmt;

    use serde::de::{self, SeqAccess, Visitor};
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &Option<Vec<u8>>, s: S) -> Result<S::Ok, S::Error> {
        match bytes {
            None => s.serialize_none(),
            Some(b) => match std::str::from_utf8(b) {
                Ok(text) => s.serialize_str(text),
                Err(_) => s.collect_seq(b),
            },
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<u8>>, D::Error> {
        d.deserialize_any(Bytes)
    }

    struct Bytes;

    impl<'de> Visitor<'de> for Bytes {
        type Value = Option<Vec<u8>>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("null, a string or a list of bytes")
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
            Ok(Some(text.as_bytes().to_vec()))
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut bytes = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1 << 20));
            while let Some(b) = seq.next_element::<u8>()? {
                bytes.push(b);
            }
            Ok(Some(bytes))
        }
    }
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshots_keep_text_as_text_and_read_both_forms() {
        let record = |key: Option<&[u8]>, value: Option<&[u8]>| Record {
            offset: 7,
            timestamp: 1,
            key: key.map(<[u8]>::to_vec),
            value: value.map(<[u8]>::to_vec),
            headers: vec![Header {
                key: "h".into(),
                value: Some(vec![0xff, 0]),
            }],
        };
        let text = record(Some(b"alice"), Some("caf\u{e9} \"quoted\"".as_bytes()));
        let json = serde_json::to_string(&text).unwrap();
        assert!(json.contains(r#""key":"alice""#), "{json}");
        assert!(
            json.contains(r#""value":[255,0]"#),
            "binary stays a list: {json}"
        );
        assert_eq!(serde_json::from_str::<Record>(&json).unwrap(), text);
        let tombstone = record(None, None);
        let json = serde_json::to_string(&tombstone).unwrap();
        assert_eq!(serde_json::from_str::<Record>(&json).unwrap(), tombstone);
        // Snapshots from before kept every key and value as a list of numbers.
        let older =
            r#"{"offset":7,"timestamp":1,"key":[97,108,105,99,101],"value":null,"headers":[]}"#;
        assert_eq!(
            serde_json::from_str::<Record>(older)
                .unwrap()
                .key
                .as_deref(),
            Some(&b"alice"[..])
        );
        assert!(
            serde_json::from_str::<Record>(
                r#"{"offset":7,"timestamp":1,"key":7,"value":null,"headers":[]}"#
            )
            .is_err()
        );
    }

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
