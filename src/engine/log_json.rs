//! A partition log in the saved session: its offsets, segments and records, as serde writes
//! and reads them. Kept apart from `log.rs` and `record.rs` and written against the log's
//! public API (iterate its records, rebuild it from them), so how a log stores its records can
//! change without touching the format. Records are most of a snapshot, so they are read
//! straight into the log's batches, one at a time: a key or value without escapes is borrowed
//! from the text and copied into its batch, with no allocation of its own a record.
//!
//! Keys and values are written as a JSON string when they are UTF-8 text (nearly always in the
//! playground), else as an array of byte values, the form snapshots had before; both are read.
//! A string is a quarter of the array's size and parses many times faster.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::ser::{SerializeStruct, Serializer};
use serde::{Deserialize, Serialize};

use super::log::{Log, LogFields, Segment};
use super::producer_batch::BatchHeader;
use super::record::Header;
use super::record_batch::{Batches, RecordRef};

/// `{"log_start_offset", "log_end_offset", "records", "segments", "cleaner_checkpoint"}`, as
/// the log was written when it was a list of records.
impl Serialize for Log {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let headers = self.batch_headers();
        let fields = if headers.is_empty() { 5 } else { 6 };
        let mut log = s.serialize_struct("Log", fields)?;
        log.serialize_field("log_start_offset", &self.log_start_offset())?;
        log.serialize_field("log_end_offset", &self.log_end_offset())?;
        log.serialize_field("records", &SavedRecords(self))?;
        log.serialize_field("segments", self.segments())?;
        log.serialize_field("cleaner_checkpoint", &self.cleaner_checkpoint())?;
        // Left out when there are none, as in snapshots from before producer batches.
        if !headers.is_empty() {
            log.serialize_field("batches", headers)?;
        }
        log.end()
    }
}

struct SavedRecords<'a>(&'a Log);

impl Serialize for SavedRecords<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.records().iter().map(SavedRecord))
    }
}

/// `{"offset", "timestamp", "key", "value", "headers" (left out when empty)}`, as a `Record`
/// was written before the log kept batches.
struct SavedRecord<'a>(RecordRef<'a>);

impl Serialize for SavedRecord<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let r = &self.0;
        let fields = if r.headers.is_empty() { 4 } else { 5 };
        let mut record = s.serialize_struct("Record", fields)?;
        record.serialize_field("offset", &r.offset)?;
        record.serialize_field("timestamp", &r.timestamp)?;
        record.serialize_field("key", &Data(r.key))?;
        record.serialize_field("value", &Data(r.value))?;
        if !r.headers.is_empty() {
            record.serialize_field("headers", r.headers)?;
        }
        record.end()
    }
}

/// A key or value: `null`, text, or bytes that are not UTF-8.
struct Data<'a>(Option<&'a [u8]>);

impl Serialize for Data<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            None => s.serialize_none(),
            Some(bytes) => match std::str::from_utf8(bytes) {
                Ok(text) => s.serialize_str(text),
                Err(_) => s.serialize_bytes(bytes),
            },
        }
    }
}

/// A saved log; the first three fields are required.
#[derive(Deserialize)]
struct SavedLog {
    log_start_offset: i64,
    log_end_offset: i64,
    #[serde(deserialize_with = "records")]
    records: Batches,
    #[serde(default)]
    segments: Vec<Segment>,
    #[serde(default)]
    cleaner_checkpoint: i64,
    #[serde(default)]
    batches: Vec<BatchHeader>,
}

impl<'de> Deserialize<'de> for Log {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Log, D::Error> {
        let f = SavedLog::deserialize(d)?;
        Ok(Log::from(LogFields {
            log_start_offset: f.log_start_offset,
            log_end_offset: f.log_end_offset,
            records: f.records,
            segments: f.segments,
            cleaner_checkpoint: f.cleaner_checkpoint,
            batch_headers: f.batches,
        }))
    }
}

/// A record of a snapshot's list, its key and value borrowed from the text when they can be.
#[derive(Deserialize)]
struct ReadRecord<'a> {
    offset: i64,
    timestamp: i64,
    #[serde(borrow, default, deserialize_with = "data")]
    key: Option<Cow<'a, [u8]>>,
    #[serde(borrow, default, deserialize_with = "data")]
    value: Option<Cow<'a, [u8]>>,
    #[serde(default)]
    headers: Vec<Header>,
}

/// A snapshot's list of records, appended to batches one at a time as they are read: no list
/// of a million records in between.
fn records<'de, D: Deserializer<'de>>(d: D) -> Result<Batches, D::Error> {
    struct ListVisitor;

    impl<'de> Visitor<'de> for ListVisitor {
        type Value = Batches;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a list of records")
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Batches, A::Error> {
            let mut batches = Batches::default();
            while let Some(r) = seq.next_element::<ReadRecord<'de>>()? {
                batches.push(
                    r.offset,
                    r.timestamp,
                    r.key.as_deref(),
                    r.value.as_deref(),
                    r.headers,
                    false,
                );
            }
            Ok(batches)
        }
    }

    d.deserialize_seq(ListVisitor)
}

/// `null`, a string (borrowed from the text when it has no escapes) or an array of bytes.
fn data<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Cow<'de, [u8]>>, D::Error> {
    d.deserialize_option(OptionVisitor)
}

struct OptionVisitor;

impl<'de> Visitor<'de> for OptionVisitor {
    type Value = Option<Cow<'de, [u8]>>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
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

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
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
        // The size hint comes from the input: capped, as serde's own impls do.
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(b) = seq.next_element::<u8>()? {
            out.push(b);
        }
        Ok(Cow::Owned(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log_of(records: &str) -> String {
        format!(r#"{{"log_start_offset":0,"log_end_offset":9,"records":[{records}]}}"#)
    }

    #[test]
    fn keys_and_values_are_text_or_bytes() {
        let mut log = Log::default();
        log.append(7, Some(b"k\"1"), Some("vé".as_bytes()), Vec::new());
        log.append(
            8,
            None,
            Some(&[0xff, 0]),
            vec![Header {
                key: "h".into(),
                value: None,
            }],
        );
        let written = serde_json::to_string(&log).unwrap();
        assert!(
            written.contains(r#""records":[{"offset":0,"timestamp":7,"key":"k\"1","value":"vé"},{"offset":1,"timestamp":8,"key":null,"value":[255,0],"headers":[{"key":"h","value":null}]}]"#),
            "{written}"
        );
        assert_eq!(serde_json::from_str::<Log>(&written).ok(), Some(log));
        // Snapshots from before: keys and values as byte arrays, or left out.
        let old =
            serde_json::from_str::<Log>(&log_of(r#"{"offset":1,"timestamp":2,"value":[104,105]}"#));
        let first = old
            .as_ref()
            .ok()
            .and_then(|l| l.records().first().map(|r| r.to_record()));
        assert_eq!(
            first.map(|r| (r.key, r.value)),
            Some((None, Some(b"hi".to_vec())))
        );
        for bad in [
            r#"{"offset":1,"timestamp":2,"value":[256]}"#,
            r#"{"offset":1,"timestamp":2,"value":1}"#,
            r#"{"offset":1,"timestamp":2,"value":{}}"#,
            r#"{"offset":1,"value":"x"}"#,
            r#"{"offset":1,"offset":1,"timestamp":2}"#,
            r#"{"offset":1,"timestamp":2,"key":"\u12"}"#,
        ] {
            assert!(serde_json::from_str::<Log>(&log_of(bad)).is_err(), "{bad}");
        }
        let missing = r#"{"log_start_offset":0,"records":[]}"#;
        assert!(serde_json::from_str::<Log>(missing).is_err());
    }
}
