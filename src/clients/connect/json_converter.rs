//! `JsonConverter`: Connect data to and from the bytes in Kafka. With `schemas.enable=true`
//! each value travels in an envelope, `{"schema":…,"payload":…}`; without, the bare value.
//!
//! Invariant: only the string schema (what the file connectors carry) is written; any JSON
//! is read back, and what is not JSON is the converter's `DataException`.

// Kafka: connect/json/src/main/java/org/apache/kafka/connect/json/JsonConverter.java

/// `fromConnectData` of a string value: `null` stays a null record.
pub fn from_string(value: Option<&str>, schemas_enable: bool) -> Option<Vec<u8>> {
    let value = value?;
    let payload = serde_json::Value::String(value.to_string()).to_string();
    Some(
        if schemas_enable {
            format!(r#"{{"schema":{{"type":"string","optional":false}},"payload":{payload}}}"#)
        } else {
            payload
        }
        .into_bytes(),
    )
}

/// `toConnectData`, then the value as `FileStreamSinkTask` prints it (`String.valueOf`).
pub fn to_text(data: Option<&[u8]>, schemas_enable: bool) -> Result<String, String> {
    let Some(data) = data else {
        return Ok("null".into());
    };
    let parsed: serde_json::Value = serde_json::from_slice(data).map_err(|_| {
        "org.apache.kafka.connect.errors.DataException: Converting byte[] to Kafka Connect data failed due to serialization error: ".to_string()
    })?;
    let payload = if schemas_enable {
        let envelope = parsed
            .as_object()
            .filter(|o| o.len() == 2 && o.contains_key("schema") && o.contains_key("payload"));
        match envelope {
            Some(o) => o.get("payload").cloned().unwrap_or(serde_json::Value::Null),
            None => {
                return Err("org.apache.kafka.connect.errors.DataException: JsonConverter with schemas.enable requires \"schema\" and \"payload\" fields and may not contain additional fields. If you are trying to deserialize plain JSON data, set schemas.enable=false in your converter configuration.".into());
            }
        }
    } else {
        parsed
    };
    Ok(java_string(&payload))
}

/// A JSON value as Java prints the Connect value it becomes (`Map`/`List` `toString`).
fn java_string(v: &serde_json::Value) -> String {
    use serde_json::Value;
    match v {
        Value::Null => "null".into(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(java_string).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(o) => format!(
            "{{{}}}",
            o.iter()
                .map(|(k, v)| format!("{k}={}", java_string(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_travel_in_the_schema_envelope() {
        // Kafka: docs/quickstart.html (step 6: what the console consumer shows).
        let bytes = from_string(Some("foo"), true).unwrap_or_default();
        assert_eq!(
            String::from_utf8_lossy(&bytes),
            r#"{"schema":{"type":"string","optional":false},"payload":"foo"}"#
        );
        assert_eq!(to_text(Some(&bytes), true), Ok("foo".into()));
        assert_eq!(
            from_string(Some("a\"b"), false),
            Some(br#""a\"b""#.to_vec())
        );
        assert_eq!(from_string(None, true), None);
        assert!(to_text(Some(b"hello"), true).is_err());
        assert!(to_text(Some(b"\"x\""), true).is_err());
        assert_eq!(to_text(Some(b"\"x\""), false), Ok("x".into()));
    }
}
