//! The deserializers Kafka ships (`org.apache.kafka.common.serialization`), as the console
//! consumer's formatter uses them: the record's bytes become an object whose `toString()` is
//! printed. Their `SerializationException` texts are Kafka's.

const PACKAGE: &str = "org.apache.kafka.common.serialization.";
pub const SERIALIZATION_EXCEPTION: &str = "org.apache.kafka.common.errors.SerializationException";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deserializer {
    String,
    ByteArray,
    Bytes,
    ByteBuffer,
    Integer,
    Long,
    Short,
    Double,
    Float,
    Uuid,
    Boolean,
}

impl Deserializer {
    /// The class a name loads, if Kafka ships it.
    pub fn for_class(name: &str) -> Option<Deserializer> {
        Some(match name.trim().strip_prefix(PACKAGE)? {
            "StringDeserializer" => Deserializer::String,
            "ByteArrayDeserializer" => Deserializer::ByteArray,
            "BytesDeserializer" => Deserializer::Bytes,
            "ByteBufferDeserializer" => Deserializer::ByteBuffer,
            "IntegerDeserializer" => Deserializer::Integer,
            "LongDeserializer" => Deserializer::Long,
            "ShortDeserializer" => Deserializer::Short,
            "DoubleDeserializer" => Deserializer::Double,
            "FloatDeserializer" => Deserializer::Float,
            "UUIDDeserializer" => Deserializer::Uuid,
            "BooleanDeserializer" => Deserializer::Boolean,
            _ => return None,
        })
    }

    /// `deserialize(topic, headers, data).toString()`, or the exception's text. `identity` stands
    /// in for a `byte[]`'s identity hash code (`[B@…`), which Java draws at random.
    pub fn to_text(self, data: &[u8], identity: u32) -> Result<String, String> {
        let fixed = |n: usize, class: &str| -> Result<u64, String> {
            if data.len() != n {
                return Err(format!(
                    "{SERIALIZATION_EXCEPTION}: Size of data received by {class} is not {n}"
                ));
            }
            Ok(data.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b)))
        };
        Ok(match self {
            Deserializer::String => String::from_utf8_lossy(data).into_owned(),
            Deserializer::ByteArray => format!("[B@{identity:x}"),
            Deserializer::Bytes => bytes_to_string(data),
            Deserializer::ByteBuffer => {
                format!("java.nio.HeapByteBuffer[pos=0 lim={0} cap={0}]", data.len())
            }
            Deserializer::Integer => (fixed(4, "IntegerDeserializer")? as u32 as i32).to_string(),
            Deserializer::Long => (fixed(8, "LongDeserializer")? as i64).to_string(),
            Deserializer::Short => (fixed(2, "ShortDeserializer")? as u16 as i16).to_string(),
            // DoubleDeserializer and FloatDeserializer name themselves "Deserializer".
            Deserializer::Double => java_double(f64::from_bits(fixed(8, "Deserializer")?)),
            Deserializer::Float => java_float(f32::from_bits(fixed(4, "Deserializer")? as u32)),
            Deserializer::Uuid => uuid(data)?,
            Deserializer::Boolean => match fixed(1, "BooleanDeserializer")? {
                1 => "true".to_string(),
                0 => "false".to_string(),
                b => {
                    return Err(format!(
                        "{SERIALIZATION_EXCEPTION}: Unexpected byte received by BooleanDeserializer: {}",
                        b as u8 as i8
                    ));
                }
            },
        })
    }
}

/// `Bytes.toString`: printable ASCII as is, other bytes as `\xNN`.
fn bytes_to_string(data: &[u8]) -> String {
    let mut s = String::new();
    for &b in data {
        if (b' '..=b'~').contains(&b) && b != b'\\' {
            s.push(b as char);
        } else {
            s.push_str(&format!("\\x{b:02X}"));
        }
    }
    s
}

/// `UUID.fromString(new String(data))`, printed canonically.
fn uuid(data: &[u8]) -> Result<String, String> {
    let text = String::from_utf8_lossy(data);
    let parts: Vec<&str> = text.split('-').collect();
    let lens = [8, 4, 4, 4, 12];
    let ok = parts.len() == 5
        && parts
            .iter()
            .zip(lens)
            .all(|(p, n)| p.len() == n && p.chars().all(|c| c.is_ascii_hexdigit()));
    if !ok {
        return Err(format!(
            "{SERIALIZATION_EXCEPTION}: Error parsing data into UUID"
        ));
    }
    Ok(text.to_ascii_lowercase())
}

/// `Double.toString`: shortest digits, scientific (`1.0E10`) outside 10⁻³ ≤ |x| < 10⁷.
pub(crate) fn java_double(x: f64) -> String {
    java_decimal(x, format!("{x:?}"), format!("{x:e}"))
}

/// `Float.toString`, the same rules at `float` precision.
fn java_float(x: f32) -> String {
    java_decimal(f64::from(x), format!("{x:?}"), format!("{x:e}"))
}

/// `plain` and `scientific` are the value's shortest digits in both notations.
fn java_decimal(x: f64, plain: String, scientific: String) -> String {
    if x.is_nan() {
        return "NaN".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    let with_point = |s: &str| {
        if s.contains('.') {
            s.to_string()
        } else {
            format!("{s}.0")
        }
    };
    let a = x.abs();
    if a == 0.0 || (1e-3..1e7).contains(&a) {
        return with_point(&plain);
    }
    let (mantissa, exp) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    format!("{}E{exp}", with_point(mantissa))
}

#[cfg(test)]
mod tests {
    use super::*;

    // Kafka: clients/src/main/java/org/apache/kafka/common/serialization/*Deserializer.java
    #[test]
    fn kafka_deserializers_and_their_errors() {
        let d = |c: &str| Deserializer::for_class(&format!("{PACKAGE}{c}")).unwrap();
        assert_eq!(
            d("IntegerDeserializer").to_text(&[0, 0, 1, 0], 0),
            Ok("256".into())
        );
        assert_eq!(
            d("IntegerDeserializer").to_text(&[0xff; 4], 0),
            Ok("-1".into())
        );
        assert_eq!(
            d("IntegerDeserializer").to_text(b"hello", 0),
            Err("org.apache.kafka.common.errors.SerializationException: Size of data received by IntegerDeserializer is not 4".into())
        );
        assert_eq!(
            d("LongDeserializer").to_text(b"1", 0),
            Err("org.apache.kafka.common.errors.SerializationException: Size of data received by LongDeserializer is not 8".into())
        );
        assert_eq!(
            d("DoubleDeserializer").to_text(b"1", 0),
            Err("org.apache.kafka.common.errors.SerializationException: Size of data received by Deserializer is not 8".into())
        );
        assert_eq!(
            d("DoubleDeserializer").to_text(&1.5f64.to_be_bytes(), 0),
            Ok("1.5".into())
        );
        assert_eq!(
            d("DoubleDeserializer").to_text(&1e10f64.to_be_bytes(), 0),
            Ok("1.0E10".into())
        );
        assert_eq!(d("StringDeserializer").to_text(b"hi", 0), Ok("hi".into()));
        assert_eq!(
            d("ByteArrayDeserializer").to_text(b"hi", 0x1b6d3586),
            Ok("[B@1b6d3586".into())
        );
        assert_eq!(
            d("BytesDeserializer").to_text(b"a\x01", 0),
            Ok("a\\x01".into())
        );
        assert_eq!(
            d("UUIDDeserializer").to_text(b"not-a-uuid", 0),
            Err("org.apache.kafka.common.errors.SerializationException: Error parsing data into UUID".into())
        );
        assert_eq!(d("BooleanDeserializer").to_text(&[1], 0), Ok("true".into()));
        assert_eq!(Deserializer::for_class("com.acme.Nope"), None);
    }
}
