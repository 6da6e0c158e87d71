//! A partition log in the saved session: its offsets, segments and records, as JSON (see
//! [`crate::json`]). Kept apart from `log.rs` and `record.rs` and written against the log's
//! public API (iterate its records, rebuild it from them), so how a log stores its records can
//! change without touching the format. Records are most of a snapshot, so they are read and
//! written by hand, without the per-field bookkeeping of `json_struct!`, and read straight into
//! the log's batches: a key or value without escapes is copied from the text, with no
//! allocation of its own a record. (A record's keys are matched inline, not through
//! `json_struct!`'s shared `json::next_field`: that was 0.3 KB smaller gzipped but restored
//! snapshots 10% slower.)
//!
//! Keys and values are written as a JSON string when they are UTF-8 text (nearly always in the
//! playground), else as an array of byte values, the form snapshots had before; both are read.
//! A string is a quarter of the array's size and parses many times faster.

use std::borrow::Cow;

use crate::json::{self, Error, Json, Reader, Writer, json_struct};

use super::log::{Log, LogFields, Segment};
use super::record::Header;
use super::record_batch::{Batches, RecordRef};

json_struct!(Segment {
    base_offset: req,
    first_timestamp: req,
    max_timestamp: req,
    size_bytes: req,
    cleaned_at_ms: default,
});

json_struct!(Header {
    key: req,
    value: req,
});

impl Json for Log {
    fn write_json(&self, w: &mut Writer) {
        w.begin_object();
        w.field("log_start_offset");
        w.i64(self.log_start_offset());
        w.field("log_end_offset");
        w.i64(self.log_end_offset());
        w.field("records");
        w.begin_array();
        for record in self.records() {
            w.item();
            write_record(w, record);
        }
        w.end_array();
        w.field("segments");
        w.begin_array();
        for segment in self.segments() {
            w.item();
            segment.write_json(w);
        }
        w.end_array();
        w.field("cleaner_checkpoint");
        w.i64(self.cleaner_checkpoint());
        w.end_object();
    }

    fn read_json(r: &mut Reader) -> Result<Self, Error> {
        // As `json_struct!` reads (see there why this way): the first three are required.
        const NAMES: &[&str] = &[
            "log_start_offset",
            "log_end_offset",
            "records",
            "segments",
            "cleaner_checkpoint",
        ];
        let mut log = LogFields {
            log_start_offset: 0,
            log_end_offset: 0,
            records: Batches::default(),
            segments: Vec::new(),
            cleaner_checkpoint: 0,
        };
        let mut seen = 0;
        r.begin_object()?;
        while let Some(index) = json::next_field(r, NAMES, &mut seen)? {
            match index {
                0 => log.log_start_offset = r.i64()?,
                1 => log.log_end_offset = r.i64()?,
                2 => log.records = read_records(r)?,
                3 => log.segments = Json::read_json(r)?,
                _ => log.cleaner_checkpoint = r.i64()?,
            }
        }
        json::check_required(r, NAMES, seen, 0b111)?;
        Ok(Log::from(log))
    }
}

/// A key or value: `null`, text, or bytes that are not UTF-8.
fn write_data(w: &mut Writer, data: Option<&[u8]>) {
    match data {
        None => w.null(),
        Some(bytes) => match std::str::from_utf8(bytes) {
            Ok(text) => w.string(text),
            Err(_) => w.bytes(bytes),
        },
    }
}

/// Borrowed from the text when it is a string without escapes.
#[inline]
fn read_data<'a>(r: &mut Reader<'a>) -> Result<Option<Cow<'a, [u8]>>, Error> {
    match r.peek() {
        Some(b'n') => r.null().map(|_| None),
        Some(b'"') => Ok(Some(match r.string()? {
            Cow::Borrowed(text) => Cow::Borrowed(text.as_bytes()),
            Cow::Owned(text) => Cow::Owned(text.into_bytes()),
        })),
        Some(b'[') => Vec::<u8>::read_json(r).map(|b| Some(Cow::Owned(b))),
        _ => Err(r.error("invalid type: expected null, a string or an array of bytes")),
    }
}

/// A field read at most once.
#[inline]
fn once<'a, T>(
    r: &mut Reader<'a>,
    slot: &mut Option<T>,
    name: &str,
    read: impl FnOnce(&mut Reader<'a>) -> Result<T, Error>,
) -> Result<(), Error> {
    if slot.is_some() {
        return Err(r.error(format!("duplicate field `{name}`")));
    }
    *slot = Some(read(r)?);
    Ok(())
}

/// `{"offset", "timestamp", "key", "value", "headers" (left out when empty)}`, as a `Record`
/// was written before the log kept batches.
fn write_record(w: &mut Writer, record: RecordRef<'_>) {
    w.begin_object();
    w.field("offset");
    w.i64(record.offset);
    w.field("timestamp");
    w.i64(record.timestamp);
    w.field("key");
    write_data(w, record.key);
    w.field("value");
    write_data(w, record.value);
    if !record.headers.is_empty() {
        w.field("headers");
        w.begin_array();
        for header in record.headers {
            w.item();
            header.write_json(w);
        }
        w.end_array();
    }
    w.end_object();
}

/// A snapshot's list of records, appended to batches one at a time as they are read.
fn read_records(r: &mut Reader<'_>) -> Result<Batches, Error> {
    let mut batches = Batches::default();
    r.begin_array()?;
    while r.next_item()? {
        let (mut offset, mut timestamp, mut key, mut value, mut headers) =
            (None, None, None, None, None);
        r.begin_object()?;
        while let Some(name) = r.next_key()? {
            match &*name {
                "offset" => once(r, &mut offset, "offset", |r| r.i64())?,
                "timestamp" => once(r, &mut timestamp, "timestamp", |r| r.i64())?,
                "key" => once(r, &mut key, "key", read_data)?,
                "value" => once(r, &mut value, "value", read_data)?,
                "headers" => json::field(r, &mut headers, "headers")?,
                _ => r.skip_value()?,
            }
        }
        let offset: i64 = json::required(r, offset, "offset")?;
        let timestamp: i64 = json::required(r, timestamp, "timestamp")?;
        batches.push(
            offset,
            timestamp,
            key.flatten().as_deref(),
            value.flatten().as_deref(),
            headers.unwrap_or_default(),
            false,
        );
    }
    Ok(batches)
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
        let written = json::to_string(&log, 0);
        assert!(
            written.contains(r#""records":[{"offset":0,"timestamp":7,"key":"k\"1","value":"vé"},{"offset":1,"timestamp":8,"key":null,"value":[255,0],"headers":[{"key":"h","value":null}]}]"#),
            "{written}"
        );
        assert_eq!(json::from_str::<Log>(&written), Ok(log));
        // Snapshots from before: keys and values as byte arrays, or left out.
        let old = json::from_str::<Log>(&log_of(r#"{"offset":1,"timestamp":2,"value":[104,105]}"#));
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
            assert!(json::from_str::<Log>(&log_of(bad)).is_err(), "{bad}");
        }
        let missing = r#"{"log_start_offset":0,"records":[]}"#;
        assert!(json::from_str::<Log>(missing).is_err());
    }
}
