//! A partition log in the saved session: its offsets, segments and records, as JSON (see
//! [`crate::json`]). Kept apart from `log.rs` and `record.rs` and written against the log's
//! public API (iterate its records, rebuild it from them), so how a log stores its records can
//! change without touching the format. Records are most of a snapshot, so [`Record`] is read
//! and written by hand, without the per-field bookkeeping of `json_struct!`.
//!
//! Keys and values are written as a JSON string when they are UTF-8 text (nearly always in the
//! playground), else as an array of byte values, the form snapshots had before; both are read.
//! A string is a quarter of the array's size and parses many times faster.

use crate::json::{self, Error, Json, Reader, Writer, json_struct};

use super::log::{Log, LogFields, Segment};
use super::record::{Header, Record};

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
            record.write_json(w);
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
        let (mut start, mut end, mut records, mut segments, mut checkpoint) =
            (None, None, None, None, None);
        r.begin_object()?;
        while let Some(key) = r.next_key()? {
            match &*key {
                "log_start_offset" => json::field(r, &mut start, "log_start_offset")?,
                "log_end_offset" => json::field(r, &mut end, "log_end_offset")?,
                "records" => json::field(r, &mut records, "records")?,
                "segments" => json::field(r, &mut segments, "segments")?,
                "cleaner_checkpoint" => json::field(r, &mut checkpoint, "cleaner_checkpoint")?,
                _ => r.skip_value()?,
            }
        }
        Ok(Log::from(LogFields {
            log_start_offset: json::required(r, start, "log_start_offset")?,
            log_end_offset: json::required(r, end, "log_end_offset")?,
            records: json::required(r, records, "records")?,
            segments: segments.unwrap_or_default(),
            cleaner_checkpoint: checkpoint.unwrap_or_default(),
        }))
    }
}

/// A key or value: `null`, text, or bytes that are not UTF-8.
fn write_data(w: &mut Writer, data: &Option<Vec<u8>>) {
    match data {
        None => w.null(),
        Some(bytes) => match std::str::from_utf8(bytes) {
            Ok(text) => w.string(text),
            Err(_) => w.bytes(bytes),
        },
    }
}

#[inline]
fn read_data(r: &mut Reader) -> Result<Option<Vec<u8>>, Error> {
    match r.peek() {
        Some(b'n') => r.null().map(|_| None),
        Some(b'"') => Ok(Some(r.string()?.into_owned().into_bytes())),
        Some(b'[') => Vec::<u8>::read_json(r).map(Some),
        _ => Err(r.error("invalid type: expected null, a string or an array of bytes")),
    }
}

/// A field read at most once.
#[inline]
fn once<T>(
    r: &mut Reader,
    slot: &mut Option<T>,
    name: &str,
    read: impl FnOnce(&mut Reader) -> Result<T, Error>,
) -> Result<(), Error> {
    if slot.is_some() {
        return Err(r.error(format!("duplicate field `{name}`")));
    }
    *slot = Some(read(r)?);
    Ok(())
}

impl Json for Record {
    fn write_json(&self, w: &mut Writer) {
        w.begin_object();
        w.field("offset");
        w.i64(self.offset);
        w.field("timestamp");
        w.i64(self.timestamp);
        w.field("key");
        write_data(w, &self.key);
        w.field("value");
        write_data(w, &self.value);
        if !self.headers.is_empty() {
            w.field("headers");
            self.headers.write_json(w);
        }
        w.end_object();
    }

    fn read_json(r: &mut Reader) -> Result<Self, Error> {
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
        Ok(Record {
            offset: json::required(r, offset, "offset")?,
            timestamp: json::required(r, timestamp, "timestamp")?,
            key: key.flatten(),
            value: value.flatten(),
            headers: headers.unwrap_or_default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_values_are_text_or_bytes() {
        let text = Record {
            offset: 3,
            timestamp: 7,
            key: Some(b"k".to_vec()),
            value: Some("vé".as_bytes().to_vec()),
            headers: Vec::new(),
        };
        let written = json::to_string(&text, 0);
        assert_eq!(
            written,
            r#"{"offset":3,"timestamp":7,"key":"k","value":"vé"}"#
        );
        assert_eq!(json::from_str::<Record>(&written), Ok(text));
        let binary = Record {
            offset: 0,
            timestamp: 0,
            key: None,
            value: Some(vec![0xff, 0]),
            headers: vec![Header {
                key: "h".into(),
                value: None,
            }],
        };
        let written = json::to_string(&binary, 0);
        assert_eq!(
            written,
            r#"{"offset":0,"timestamp":0,"key":null,"value":[255,0],"headers":[{"key":"h","value":null}]}"#
        );
        assert_eq!(json::from_str::<Record>(&written), Ok(binary));
        // Snapshots from before: keys and values as byte arrays, or left out.
        let old = r#"{"offset":1,"timestamp":2,"value":[104,105]}"#;
        assert_eq!(
            json::from_str::<Record>(old).map(|r| (r.key, r.value)),
            Ok((None, Some(b"hi".to_vec())))
        );
        for bad in [
            r#"{"offset":1,"timestamp":2,"value":[256]}"#,
            r#"{"offset":1,"timestamp":2,"value":1}"#,
            r#"{"offset":1,"timestamp":2,"value":{}}"#,
            r#"{"offset":1,"value":"x"}"#,
            r#"{"offset":1,"offset":1,"timestamp":2}"#,
        ] {
            assert!(json::from_str::<Record>(bad).is_err(), "{bad}");
        }
    }
}
