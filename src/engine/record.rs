//! A record as stored in a partition log: offset, timestamp, key, value, headers.

use serde::{Deserialize, Serialize};

use super::record_batch::RecordRef;

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
    #[serde(default, with = "text_or_bytes")]
    pub key: Option<Vec<u8>>,
    /// `None` is a tombstone.
    #[serde(default, with = "text_or_bytes")]
    pub value: Option<Vec<u8>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<Header>,
}

/// Keys and values in a snapshot: as a JSON string when they are UTF-8 text (nearly always in
/// the playground), else as an array of byte values, the form snapshots had before. Both are
/// read. A string is a quarter of the array's size and parses many times faster: a million
/// records' snapshot took seconds to read as arrays.
pub(super) mod text_or_bytes {
    use std::borrow::Cow;

    use serde::de::{self, Deserializer, SeqAccess, Visitor};
    use serde::ser::Serializer;

    /// Also writes the log's borrowed records (`Option<&[u8]>`) exactly as owned ones.
    pub fn serialize<B: AsRef<[u8]>, S: Serializer>(
        bytes: &Option<B>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match bytes.as_ref().map(AsRef::as_ref) {
            None => s.serialize_none(),
            Some(b) => match std::str::from_utf8(b) {
                Ok(text) => s.serialize_str(text),
                Err(_) => s.serialize_bytes(b),
            },
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<u8>>, D::Error> {
        Ok(borrowed(d)?.map(Cow::into_owned))
    }

    /// The bytes as they are in the text being read when they can be (a string without
    /// escapes): a log being restored copies them into its batches, with no allocation of its
    /// own a record.
    pub fn borrowed<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Cow<'de, [u8]>>, D::Error> {
        d.deserialize_option(OptionVisitor)
    }

    struct OptionVisitor;

    impl<'de> Visitor<'de> for OptionVisitor {
        type Value = Option<Cow<'de, [u8]>>;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("null, a string or an array of bytes")
        }

        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(BytesVisitor).map(Some)
        }
    }

    struct BytesVisitor;

    impl<'de> Visitor<'de> for BytesVisitor {
        type Value = Cow<'de, [u8]>;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a string or an array of bytes")
        }

        fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
            Ok(Cow::Borrowed(v.as_bytes()))
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Cow::Owned(v.as_bytes().to_vec()))
        }

        fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
            Ok(Cow::Owned(v.into_bytes()))
        }

        fn visit_borrowed_bytes<E: de::Error>(self, v: &'de [u8]) -> Result<Self::Value, E> {
            Ok(Cow::Borrowed(v))
        }

        fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Self::Value, E> {
            Ok(Cow::Owned(v.to_vec()))
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
            while let Some(b) = seq.next_element::<u8>()? {
                out.push(b);
            }
            Ok(Cow::Owned(out))
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
    fn snapshots_keep_text_as_strings_and_other_bytes_as_arrays() {
        let record = |key: Option<&[u8]>, value: Option<&[u8]>| Record {
            offset: 7,
            timestamp: 1,
            key: key.map(<[u8]>::to_vec),
            value: value.map(<[u8]>::to_vec),
            headers: vec![],
        };
        let text = record(Some(b"k\"1"), Some("été".as_bytes()));
        let json = serde_json::to_string(&text).unwrap();
        assert_eq!(
            json,
            r#"{"offset":7,"timestamp":1,"key":"k\"1","value":"été"}"#
        );
        assert_eq!(serde_json::from_str::<Record>(&json).unwrap(), text);
        let binary = record(None, Some(&[0xff, 0]));
        let json = serde_json::to_string(&binary).unwrap();
        assert_eq!(
            json,
            r#"{"offset":7,"timestamp":1,"key":null,"value":[255,0]}"#
        );
        assert_eq!(serde_json::from_str::<Record>(&json).unwrap(), binary);
        // Snapshots from before: arrays and headers.
        let old = r#"{"offset":7,"timestamp":1,"key":[107],"value":null,"headers":[]}"#;
        assert_eq!(
            serde_json::from_str::<Record>(old).unwrap(),
            record(Some(b"k"), None)
        );
        for bad in [r#""key":5"#, r#""key":[256]"#, r#""key":{}"#] {
            let json = format!(r#"{{"offset":7,"timestamp":1,{bad},"value":null}}"#);
            assert!(serde_json::from_str::<Record>(&json).is_err(), "{bad}");
        }
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
