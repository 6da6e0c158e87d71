//! The console consumer's `MessageFormatter`s (`org.apache.kafka.tools.consumer`): the
//! `DefaultMessageFormatter` (fields chosen by `print.*`, keys, values and headers through
//! the deserializers Kafka ships), the `LoggingMessageFormatter` (the same, and an INFO log
//! line a record that the tools' WARN level hides), the `NoOpMessageFormatter` (nothing) and the `OffsetsMessageFormatter`
//! (`__consumer_offsets` commits as JSON).
//!
//! Invariant: a record that cannot be formatted leaves what was printed before the failing
//! field and the exception's text; nothing panics.

use crate::clients::consumer::deserializer::Deserializer;
use crate::console::output::Output;
use crate::engine::RecordRef;
use crate::engine::clock::format_log_timestamp;

const PACKAGE: &str = "org.apache.kafka.tools.consumer.";
const DEFAULT_LOGGER: &str = "org.apache.kafka.tools.consumer.DefaultMessageFormatter";

/// The formatter `--formatter` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum MessageFormatter {
    Default(DefaultMessageFormatter),
    Logging(DefaultMessageFormatter),
    NoOp,
    Offsets,
}

impl MessageFormatter {
    /// The class `name` configured with `props`, and what configuring it logged; `None` for a
    /// class Kafka does not ship.
    pub fn for_class(
        name: &str,
        props: &[(&str, &str)],
        now_ms: i64,
        out: &mut Output,
    ) -> Option<MessageFormatter> {
        Some(match name.strip_prefix(PACKAGE)? {
            "DefaultMessageFormatter" => {
                MessageFormatter::Default(DefaultMessageFormatter::configure(props, now_ms, out))
            }
            "LoggingMessageFormatter" => {
                MessageFormatter::Logging(DefaultMessageFormatter::configure(props, now_ms, out))
            }
            "NoOpMessageFormatter" => MessageFormatter::NoOp,
            "OffsetsMessageFormatter" => MessageFormatter::Offsets,
            _ => return None,
        })
    }

    /// `writeTo`: prints the record; `Err` is the exception a deserializer threw, after what
    /// was printed before it.
    pub fn write_to(
        &self,
        partition: i32,
        r: RecordRef<'_>,
        out: &mut Output,
    ) -> Result<(), String> {
        match self {
            MessageFormatter::Default(f) => f.write_to(partition, r, out),
            // It also logs each record at INFO, which the tools' log4j configuration
            // (config/tools-log4j.properties: rootLogger=WARN) does not print.
            MessageFormatter::Logging(f) => f.write_to(partition, r, out),
            MessageFormatter::NoOp => Ok(()),
            MessageFormatter::Offsets => {
                out.out(&format_offset_commit(r));
                Ok(())
            }
        }
    }
}

/// `DefaultMessageFormatter`'s settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct DefaultMessageFormatter {
    print_timestamp: bool,
    print_key: bool,
    print_offset: bool,
    print_partition: bool,
    print_epoch: bool,
    print_headers: bool,
    print_value: bool,
    key_separator: String,
    line_separator: String,
    headers_separator: String,
    null_literal: String,
    key_deserializer: Option<Deserializer>,
    value_deserializer: Option<Deserializer>,
    headers_deserializer: Option<Deserializer>,
}

impl DefaultMessageFormatter {
    /// `configure`: the last value of a property wins; a deserializer that cannot be loaded is
    /// logged and left out (`getDeserializerProperty`).
    pub fn configure(
        props: &[(&str, &str)],
        now_ms: i64,
        out: &mut Output,
    ) -> DefaultMessageFormatter {
        let get = |k: &str| {
            props
                .iter()
                .rev()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        };
        let flag = |k: &str, default: bool| {
            get(k).map_or(default, |v| v.trim().eq_ignore_ascii_case("true"))
        };
        let mut deserializer = |k: &str| {
            let name = get(k)?;
            let d = Deserializer::for_class(&name);
            if d.is_none() {
                out.errln(&format!(
                    "[{}] ERROR Unable to instantiate a deserializer from {name} ({DEFAULT_LOGGER})",
                    format_log_timestamp(now_ms)
                ));
                out.errln(&format!("java.lang.ClassNotFoundException: {name}"));
            }
            d
        };
        DefaultMessageFormatter {
            print_timestamp: flag("print.timestamp", false),
            print_key: flag("print.key", false),
            print_offset: flag("print.offset", false),
            print_partition: flag("print.partition", false),
            print_epoch: flag("print.epoch", false),
            print_headers: flag("print.headers", false),
            print_value: flag("print.value", true),
            key_separator: get("key.separator").unwrap_or_else(|| "\t".into()),
            line_separator: get("line.separator").unwrap_or_else(|| "\n".into()),
            headers_separator: get("headers.separator").unwrap_or_else(|| ",".into()),
            null_literal: get("null.literal").unwrap_or_else(|| "null".into()),
            key_deserializer: deserializer("key.deserializer"),
            value_deserializer: deserializer("value.deserializer"),
            headers_deserializer: deserializer("headers.deserializer"),
        }
    }

    /// `deserialize`: a null is the null literal's bytes, which a deserializer then reads.
    fn field(
        &self,
        d: Option<Deserializer>,
        b: Option<&[u8]>,
        identity: u32,
    ) -> Result<String, String> {
        let bytes = b.unwrap_or(self.null_literal.as_bytes());
        match d {
            None => Ok(String::from_utf8_lossy(bytes).into_owned()),
            Some(d) => d.to_text(bytes, identity),
        }
    }

    /// One record, fields in Kafka's order, each followed by the key separator except the last
    /// (which the line separator follows).
    fn write_to(&self, partition: i32, r: RecordRef<'_>, out: &mut Output) -> Result<(), String> {
        let mut line = String::new();
        let result = self.fields(partition, r, &mut line);
        out.out(&line);
        result
    }

    fn fields(&self, partition: i32, r: RecordRef<'_>, line: &mut String) -> Result<(), String> {
        // Stands in for a `byte[]`'s identity hash code, which Java draws at random.
        let identity =
            (r.offset as u32).wrapping_mul(0x9E37_79B9) ^ (partition as u32) | 0x1000_0000;
        let wanted: Vec<Field> = [
            (self.print_timestamp, Field::Timestamp),
            (self.print_partition, Field::Partition),
            (self.print_offset, Field::Offset),
            (self.print_epoch, Field::Epoch),
            (self.print_headers, Field::Headers),
            (self.print_key, Field::Key),
            (self.print_value, Field::Value),
        ]
        .into_iter()
        .filter_map(|(on, f)| on.then_some(f))
        .collect();
        let n = wanted.len();
        for (i, f) in wanted.into_iter().enumerate() {
            match f {
                Field::Timestamp => line.push_str(&format!("CreateTime:{}", r.timestamp)),
                Field::Partition => line.push_str(&format!("Partition:{partition}")),
                Field::Offset => line.push_str(&format!("Offset:{}", r.offset)),
                Field::Epoch => line.push_str("Epoch:NOT_PRESENT"),
                Field::Headers if r.headers.is_empty() => line.push_str("NO_HEADERS"),
                Field::Headers => {
                    for (j, h) in r.headers.iter().enumerate() {
                        line.push_str(&format!("{}:", h.key));
                        let value = h.value.as_deref();
                        line.push_str(&self.field(self.headers_deserializer, value, identity)?);
                        if j + 1 < r.headers.len() {
                            line.push_str(&self.headers_separator);
                        }
                    }
                }
                Field::Key => line.push_str(&self.field(self.key_deserializer, r.key, identity)?),
                Field::Value => {
                    line.push_str(&self.field(self.value_deserializer, r.value, identity)?)
                }
            }
            line.push_str(if i + 1 < n {
                &self.key_separator
            } else {
                &self.line_separator
            });
        }
        Ok(())
    }
}

/// The fields `DefaultMessageFormatter` prints, in its order.
#[derive(Debug, Clone, Copy)]
enum Field {
    Timestamp,
    Partition,
    Offset,
    Epoch,
    Headers,
    Key,
    Value,
}

/// `OffsetsMessageFormatter`: one JSON object per offset commit; other records print nothing.
pub(super) fn format_offset_commit(r: RecordRef<'_>) -> String {
    let Some(key) = r.key else {
        return String::new();
    };
    let Some(c) = crate::engine::offsets::decode_offset_commit(key, r.value) else {
        return String::new();
    };
    let value = match c.value {
        None => "null".to_string(),
        Some((version, offset, epoch, metadata, ts)) => format!(
            "{{\"version\":{version},\"data\":{{\"offset\":{offset},\"leaderEpoch\":{epoch},\"metadata\":{},\"commitTimestamp\":{ts}}}}}",
            json_string(&metadata)
        ),
    };
    format!(
        "{{\"key\":{{\"version\":{},\"data\":{{\"group\":{},\"topic\":{},\"partition\":{}}}}},\"value\":{value}}}\n",
        c.key_version,
        json_string(&c.group),
        json_string(&c.topic),
        c.partition
    )
}

fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Header, Record};

    fn record(key: Option<&str>, value: Option<&str>, headers: &[(&str, &str)]) -> Record {
        Record {
            offset: 123,
            timestamp: 123,
            key: key.map(|k| k.as_bytes().to_vec()),
            value: value.map(|v| v.as_bytes().to_vec()),
            headers: headers
                .iter()
                .map(|(k, v)| Header {
                    key: k.to_string(),
                    value: Some(v.as_bytes().to_vec()),
                })
                .collect(),
        }
    }

    fn format(props: &[(&str, &str)], r: &Record) -> String {
        let mut log = Output::new();
        let f = DefaultMessageFormatter::configure(props, 0, &mut log);
        let mut out = Output::new();
        let _ = f.write_to(0, r.view(), &mut out);
        out.text()
    }

    // Kafka: tools/src/main/java/org/apache/kafka/tools/consumer/DefaultMessageFormatter.java
    // (deserialize: a null is the null literal's bytes; fields before a failing one are out)
    #[test]
    fn deserializers_and_their_failures() {
        const INT: &str = "org.apache.kafka.common.serialization.IntegerDeserializer";
        let r = record(Some("k"), Some("hello"), &[]);
        let mut log = Output::new();
        let f = DefaultMessageFormatter::configure(
            &[("print.key", "true"), ("value.deserializer", INT)],
            0,
            &mut log,
        );
        let mut out = Output::new();
        assert_eq!(
            f.write_to(0, r.view(), &mut out),
            Err("org.apache.kafka.common.errors.SerializationException: Size of data received by IntegerDeserializer is not 4".into())
        );
        assert_eq!(out.text(), "k\t");
        // "null" is four bytes: an IntegerDeserializer reads a tombstone as 0x6e756c6c.
        let tomb = record(None, None, &[]);
        assert_eq!(
            format(&[("value.deserializer", INT)], &tomb),
            "1853189228\n"
        );
        let mut log = Output::new();
        DefaultMessageFormatter::configure(&[("key.deserializer", "com.acme.Nope")], 0, &mut log);
        assert!(log.text().contains("ERROR Unable to instantiate a deserializer from com.acme.Nope (org.apache.kafka.tools.consumer.DefaultMessageFormatter)\njava.lang.ClassNotFoundException: com.acme.Nope"), "{}", log.text());
    }

    // Cases from Kafka's DefaultMessageFormatterTest.
    #[test]
    fn default_message_formatter() {
        let f = |props: &[(&str, &str)], r: &Record| format(props, r);
        let r = record(Some("key"), Some("value"), &[]);
        assert_eq!(f(&[], &r), "value\n");
        assert_eq!(f(&[("print.key", "true")], &r), "key\tvalue\n");
        assert_eq!(
            f(&[("print.key", "true"), ("print.partition", "true")], &r),
            "Partition:0\tkey\tvalue\n"
        );
        let all = [
            ("print.timestamp", "true"),
            ("print.partition", "true"),
            ("print.offset", "true"),
            ("print.headers", "true"),
            ("print.key", "true"),
        ];
        assert_eq!(
            f(&all, &r),
            "CreateTime:123\tPartition:0\tOffset:123\tNO_HEADERS\tkey\tvalue\n"
        );
        let h = record(Some("key"), Some("value"), &[("h1", "v1"), ("h2", "v2")]);
        let mut no_value = all.to_vec();
        no_value.push(("print.value", "false"));
        assert_eq!(
            f(&no_value, &h),
            "CreateTime:123\tPartition:0\tOffset:123\th1:v1,h2:v2\tkey\n"
        );
        let tomb = record(Some("key"), None, &[]);
        assert_eq!(f(&[("null.literal", "<null>")], &tomb), "<null>\n");
        assert_eq!(
            f(&[("print.key", "TRUE"), ("key.separator", " => ")], &r),
            "key => value\n"
        );
    }
}
