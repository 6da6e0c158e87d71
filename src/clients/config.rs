//! Client properties as `AbstractConfig` reads them: the last value given for a name wins,
//! and a bad value is Kafka's `ConfigException` text.

/// `org.apache.kafka.common.config.ConfigException`.
pub const CONFIG_EXCEPTION: &str = "org.apache.kafka.common.config.ConfigException";

/// Properties in the order given (a file's, then the command line's).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Properties(pub Vec<(String, String)>);

impl Properties {
    pub fn new(pairs: &[(String, String)]) -> Properties {
        Properties(pairs.to_vec())
    }

    /// The value set last for `name`, trimmed as `ConfigDef.parseType` trims it.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
    }

    pub fn contains(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// Sets `name` (after what was given, so it wins).
    pub fn put(&mut self, name: &str, value: &str) {
        self.0.push((name.to_string(), value.to_string()));
    }

    /// A `LONG`/`INT` config: its value, its default when unset, or `Not a number of type …`.
    pub fn number(&self, name: &str, default: i64, int: bool) -> Result<i64, String> {
        let Some(v) = self.get(name) else {
            return Ok(default);
        };
        let parsed = if int {
            v.parse::<i32>().ok().map(i64::from)
        } else {
            v.parse::<i64>().ok()
        };
        parsed.ok_or_else(|| {
            invalid(
                name,
                v,
                &format!("Not a number of type {}", if int { "INT" } else { "LONG" }),
            )
        })
    }

    /// A `BOOLEAN` config (`true`/`false`, any case).
    pub fn boolean(&self, name: &str, default: bool) -> Result<bool, String> {
        match self.get(name) {
            None => Ok(default),
            Some(v) if v.eq_ignore_ascii_case("true") => Ok(true),
            Some(v) if v.eq_ignore_ascii_case("false") => Ok(false),
            Some(v) => Err(invalid(
                name,
                v,
                "Expected value to be either true or false",
            )),
        }
    }
}

/// `new ConfigException(name, value, message)`.
pub fn invalid(name: &str, value: &str, message: &str) -> String {
    format!("{CONFIG_EXCEPTION}: Invalid value {value} for configuration {name}: {message}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_value_wins_and_bad_values_are_config_exceptions() {
        let p = Properties::new(&[
            ("acks".into(), "1".into()),
            ("acks".into(), " all ".into()),
            ("linger.ms".into(), "soon".into()),
        ]);
        assert_eq!(p.get("acks"), Some("all"));
        // Kafka: clients/src/main/java/org/apache/kafka/common/config/ConfigDef.java (parseType)
        assert_eq!(
            p.number("linger.ms", 0, false),
            Err("org.apache.kafka.common.config.ConfigException: Invalid value soon for configuration linger.ms: Not a number of type LONG".to_string())
        );
        assert_eq!(p.boolean("enable.idempotence", true), Ok(true));
    }
}
