//! JSON files given to Kafka's tools (`--reassignment-json-file`, `--offset-json-file`,
//! `--path-to-json-file`, `--topics-to-move-json-file`), read with serde_json into a `Value`
//! the tools walk as Kafka's own code walks Jackson's tree.

use serde_json::Value;

/// The file's JSON, or the text of why it is not JSON, as the tools print it after their own
/// prefix (`Unable to parse the reassignment JSON: …`). Kafka prints Jackson's message there;
/// the playground prints serde_json's, which says the same (what was expected, where) in its
/// own words — the one place to change if a tool is to print Jackson's wording.
pub fn parse(text: &str) -> Result<Value, String> {
    serde_json::from_str(text).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn says_what_was_expected_and_where() {
        assert_eq!(
            parse("{\"partitions\": [\n"),
            Err("EOF while parsing a list at line 2 column 0".to_string())
        );
        assert_eq!(
            parse("{} x"),
            Err("trailing characters at line 1 column 4".into())
        );
        assert_eq!(
            parse(r#"{"partitions":[]}"#).map(|v| v["partitions"].is_array()),
            Ok(true)
        );
    }
}
