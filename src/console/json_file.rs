//! JSON files given to Kafka's tools (`--reassignment-json-file`, `--offset-json-file`,
//! `--path-to-json-file`, `--topics-to-move-json-file`), read with serde_json into a `Value`
//! the tools walk as Kafka's own code walks Jackson's tree.
//!
//! Kafka reads these files with `org.apache.kafka.server.util.Json.tryParseFull`, which is
//! `new ObjectMapper().readTree(text)` (Jackson 2.19 in Kafka 4.1). When a tool prints why a
//! file is not JSON, it prints Jackson's `JsonParseException` message, so [`parse`] says what
//! Jackson says. serde_json does the parsing; this module only rewords its error: it takes
//! serde_json's error kind and position and the text, and renders the message of the jackson-core
//! method that rejects the same input (`ReaderBasedJsonParser` and its bases). Jackson's
//! positions differ from serde_json's (it counts UTF-16 units, `\r` ends a line, and a few
//! errors point past the token), so they are recomputed from the text.

use serde_json::error::Category;
use serde_json::{Deserializer, Value};

/// `JsonLocation.toString()` with `StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` off, its
/// default since Jackson 2.16 (`ContentReference.appendSourceDescription`, REDACTED branch).
const SOURCE: &str = "[Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled)";

/// `ParserBase._validJsonValueList()` without non-numeric numbers.
const VALUES: &str = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')";

/// `ErrorReportConfiguration.DEFAULT_MAX_ERROR_TOKEN_LENGTH`.
const MAX_TOKEN: usize = 256;

/// Kafka's own check in `Json.tryParseFull`, before Jackson sees the text; the exception is
/// built on `MissingNode.traverse()`, whose location is `JsonLocation.NA`.
const EMPTY: &str =
    "The input string shouldn't be empty\n at [Source: UNKNOWN; byte offset: #UNKNOWN]";

/// `StreamReadConstraints.DEFAULT_MAX_DEPTH`: Jackson refuses to open the 1001st nested array
/// or object. serde_json stops earlier (at 128, to keep its recursion off the browser's small
/// stack): between the two it keeps its own words.
const MAX_DEPTH: usize = 1000;

/// The file's first JSON value, or Jackson's message for why it is not JSON, as the tools print
/// it. Like `readTree`, text after a complete value is not read (`FAIL_ON_TRAILING_TOKENS` is
/// off), and blank text is no value at all (`MissingNode`), here `Null`.
pub fn parse(text: &str) -> Result<Value, String> {
    if text.is_empty() {
        return Err(EMPTY.to_string());
    }
    match Deserializer::from_str(text).into_iter::<Value>().next() {
        Some(Ok(value)) => Ok(value),
        // Jackson's `StreamConstraintsException` carries no location.
        Some(Err(e)) if e.to_string().starts_with("recursion limit exceeded") && too_deep(text) => {
            Err(format!(
                "Document nesting depth ({}) exceeds the maximum allowed ({MAX_DEPTH}, from \
                 `StreamReadConstraints.getMaxNestingDepth()`)",
                MAX_DEPTH + 1
            ))
        }
        Some(Err(e)) => Err(jackson_message(text, &e)),
        None => Ok(Value::Null),
    }
}

/// Whether the first value of `text` (the only one read) nests arrays and objects deeper than
/// Jackson allows.
fn too_deep(text: &str) -> bool {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for b in text.bytes() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return true;
                }
            }
            b']' | b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return false;
                }
            }
            b' ' | b'\t' | b'\r' | b'\n' => {}
            _ if depth == 0 => return false,
            _ => {}
        }
    }
    false
}

/// serde_json's errors this module rewords; the others keep serde_json's words.
const REWORDED: [&str; 9] = [
    "expected value",
    "expected `:`",
    "expected `,` or `]`",
    "expected `,` or `}`",
    "key must be a string",
    "trailing comma",
    "expected ident",
    "trailing characters",
    "control character (\\u0000-\\u001F) found while parsing a string",
];

/// Jackson's message for the input serde_json rejected with `err`.
fn jackson_message(text: &str, err: &serde_json::Error) -> String {
    // serde_json's column counts the bytes of its line up to and including the byte it stopped
    // on; at end of input that is the text's end.
    let line_start = match err.line() {
        0 | 1 => 0,
        line => text
            .match_indices('\n')
            .nth(line - 2)
            .map_or(0, |(i, _)| i + 1),
    };
    let end = (line_start + err.column()).min(text.len());
    let code = err.to_string();
    let code = code.split(" at line ").next().unwrap_or_default();
    let mut i = end.saturating_sub(1);
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    let (jackson, at) = match err.classify() {
        Category::Eof => (at_end(text), text.len()),
        _ if REWORDED.contains(&code) => (unexpected(text, i, code), i),
        _ => (None, i),
    };
    let (message, at) = jackson.unwrap_or_else(|| (code.to_string(), at));
    format!("{message}\n at {}", location(text, at))
}

/// `JsonLocation.toString()` of the character at byte `at`: line and column 1-based, columns in
/// UTF-16 units, `\r`, `\n` and `\r\n` each ending a line (`_skipCR`).
fn location(text: &str, at: usize) -> String {
    let (mut line, mut column, mut after_cr) = (1, 1, false);
    for c in text[..at].chars() {
        match c {
            '\n' if after_cr => {}
            '\n' | '\r' => (line, column) = (line + 1, 1),
            _ => column += c.len_utf16(),
        }
        after_cr = c == '\r';
    }
    format!("{SOURCE}; line: {line}, column: {column}]")
}

/// What Jackson's parser had read before the byte serde_json stopped on.
#[derive(Default)]
struct Scan {
    /// Open `[` and `{` with their byte offsets (`JsonReadContext`'s start location).
    open: Vec<(char, usize)>,
    last: Last,
    /// Inside a string: `Some(true)` for a field name.
    string: Option<bool>,
}

#[derive(Default, PartialEq, Clone, Copy)]
enum Last {
    #[default]
    Nothing,
    Open,
    Comma,
    Name,
    Colon,
    Value,
}

impl Scan {
    fn of(text: &str) -> Scan {
        let mut s = Scan::default();
        let mut escaped = false;
        for (i, c) in text.char_indices() {
            if let Some(name) = s.string {
                match c {
                    _ if escaped => escaped = false,
                    '\\' => escaped = true,
                    '"' => {
                        s.string = None;
                        s.last = if name { Last::Name } else { Last::Value };
                    }
                    _ => {}
                }
                continue;
            }
            match c {
                ' ' | '\t' | '\n' | '\r' => {}
                '"' => s.string = Some(s.in_object() && matches!(s.last, Last::Open | Last::Comma)),
                '[' | '{' => {
                    s.open.push((c, i));
                    s.last = Last::Open;
                }
                ']' | '}' => {
                    s.open.pop();
                    s.last = Last::Value;
                }
                ',' => s.last = Last::Comma,
                ':' => s.last = Last::Colon,
                _ => s.last = Last::Value,
            }
        }
        s
    }

    fn in_object(&self) -> bool {
        self.open.last().is_some_and(|(c, _)| *c == '{')
    }

    /// `JsonStreamContext.typeDesc()`.
    fn entries(&self) -> &'static str {
        if self.in_object() { "Object" } else { "Array" }
    }
}

/// The message at end of input, and where Jackson says it is; `None` for the catch-all.
fn at_end(text: &str) -> Option<(String, usize)> {
    let s = Scan::of(text);
    let eof = |m: &str| Some((format!("Unexpected end-of-input{m}"), text.len()));
    if let Some(name) = s.string {
        // `_parseName2` and `_finishString2`.
        return eof(if name {
            " in field name"
        } else {
            ": was expecting closing quote for a string value"
        });
    }
    let word = text
        .trim_end_matches(|c: char| c.is_ascii_alphabetic())
        .len();
    if word < text.len() && !matches!(&text[word..], "true" | "false" | "null") {
        // A literal cut short, unless the letters are a number's exponent.
        let number = text[..word].ends_with(|c: char| c.is_ascii_digit() || c == '.');
        return if number {
            None
        } else {
            invalid_token(text, word)
        };
    }
    match s.last {
        // `_skipAfterComma2`, `_skipColon2`.
        Last::Comma => eof(&format!(" within/between {} entries", s.entries())),
        Last::Name | Last::Colon => eof(" within/between Object entries"),
        _ if text.trim_end().ends_with(['-', '+', '.']) => None,
        // `ParserBase._handleEOF`.
        _ => s.open.last().and_then(|&(c, at)| {
            let kind = if c == '{' { "Object" } else { "Array" };
            let start = location(text, at);
            eof(&format!(
                ": expected close marker for {kind} (start marker at {start})"
            ))
        }),
    }
}

/// The message for the character at byte `i`, and where Jackson says it is; `None` for the
/// catch-all.
fn unexpected(text: &str, i: usize, code: &str) -> Option<(String, usize)> {
    let c = text[i..].chars().next()?;
    let s = Scan::of(&text[..i]);
    let after_letter = text[..i].ends_with(|p: char| p.is_ascii_alphabetic());
    let found = |comment: &str| Some((format!("Unexpected character ({}): {comment}", desc(c)), i));
    if let Some(name) = s.string {
        if !code.starts_with("control character") {
            return None;
        }
        // `ParserBase._throwUnquotedSpace`.
        let what = if name { "name" } else { "string value" };
        let m = format!(
            "Illegal unquoted character ({}): has to be escaped using backslash to be included in {what}",
            desc(c)
        );
        return Some((m, i));
    }
    if code == "expected ident" || (after_letter && java_identifier_part(c)) {
        // `_matchToken` then `_reportInvalidToken`: the literal read so far and what follows it.
        let start = text[..i]
            .trim_end_matches(|p: char| p.is_ascii_alphabetic())
            .len();
        return invalid_token(text, start);
    }
    if c < ' ' && !matches!(c, '\t' | '\n' | '\r') {
        // `ParserMinimalBase._throwInvalidSpace`, located past the character.
        let mut m = format!(
            "Illegal character ({}): only regular white space (\\r, \\n, \\t) is allowed between tokens",
            desc(c)
        );
        if c == '\u{1e}' {
            m.push_str(" (consider enabling `JsonReadFeature.ALLOW_RS_CONTROL_CHAR` to allow use of Record Separators (\\u001E))");
        }
        return Some((m, i + 1));
    }
    if c == '/' {
        // `_skipComment`, wherever white space may be.
        return found(
            "maybe a (non-standard) comment? (not recognized as one since Feature 'ALLOW_COMMENTS' not enabled for parser)",
        );
    }
    match s.last {
        Last::Nothing | Last::Open | Last::Value if matches!(c, ']' | '}') => {
            // `_closeScope` then `_reportMismatchedEndMarker` / `_reportExtraEndMarker`.
            let m = match s.open.last() {
                None => {
                    let kind = if c == '}' { "Object" } else { "Array" };
                    format!("Unexpected close marker '{c}': no open {kind} to close")
                }
                Some(&(open, at)) => {
                    let (expected, kind) = if open == '{' {
                        ('}', "Object")
                    } else {
                        (']', "Array")
                    };
                    let start = location(text, at);
                    format!(
                        "Unexpected close marker '{c}': expected '{expected}' (for {kind} starting at {start})"
                    )
                }
            };
            Some((m, i))
        }
        // `_skipColon2`.
        Last::Name => found("was expecting a colon to separate field name and value"),
        // At the root only a number ends without a delimiter: `_verifyRootSpace`.
        Last::Value if s.open.is_empty() => found("Expected space separating root-level values"),
        // `_skipComma`.
        Last::Value => found(&format!(
            "was expecting comma to separate {} entries",
            s.entries()
        )),
        // `_handleOddName`.
        Last::Open | Last::Comma if s.in_object() => {
            found("was expecting double-quote to start field name")
        }
        // `nextToken`'s switch, then `_handleOddValue`.
        _ => match c {
            '}' => found("expected a value"),
            '-' | '+' | '.' | '0'..='9' => None,
            _ if java_identifier_start(c) => invalid_token(text, i),
            _ => found(&format!("expected a valid value {VALUES}")),
        },
    }
}

/// `ReaderBasedJsonParser._reportInvalidToken`: the token is what looks like a Java identifier
/// from `start`, and the location is just past it.
fn invalid_token(text: &str, start: usize) -> Option<(String, usize)> {
    let mut token = String::new();
    let mut end = start;
    for c in text[start..].chars() {
        if !java_identifier_part(c) {
            break;
        }
        token.push(c);
        end += c.len_utf8();
        if token.chars().count() >= MAX_TOKEN {
            token.push_str("...");
            break;
        }
    }
    let m = match token.as_str() {
        // `_handleOddValue` for 'N' and 'I' once the whole word matched.
        "NaN" | "Infinity" => format!(
            "Non-standard token '{token}': enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow"
        ),
        _ => format!("Unrecognized token '{token}': was expecting {VALUES}"),
    };
    Some((m, end))
}

/// `ParserMinimalBase._getCharDesc`.
fn desc(c: char) -> String {
    let code = c as u32;
    if c.is_control() {
        format!("(CTRL-CHAR, code {code})")
    } else if code > 255 {
        format!("'{c}' (code {code} / 0x{code:x})")
    } else {
        format!("'{c}' (code {code})")
    }
}

/// `Character.isJavaIdentifierStart`, for the characters a JSON file is likely to hold.
fn java_identifier_start(c: char) -> bool {
    c.is_alphabetic() || c == '$' || c == '_'
}

/// `Character.isJavaIdentifierPart`, likewise.
fn java_identifier_part(c: char) -> bool {
    c.is_alphanumeric() || c == '$' || c == '_'
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Jackson's message for `input` and the location line it ends with.
    fn says(input: &str, message: &str, line: usize, column: usize) {
        let expected = format!("{message}\n at {SOURCE}; line: {line}, column: {column}]");
        assert_eq!(parse(input), Err(expected), "for {input:?}");
    }

    /// A container's start location, as `JsonReadContext.startLocation` prints it.
    fn start(line: usize, column: usize) -> String {
        format!("{SOURCE}; line: {line}, column: {column}]")
    }

    #[test]
    fn reads_what_jackson_reads() {
        assert_eq!(
            parse(r#"{"partitions":[]}"#).map(|v| v["partitions"].is_array()),
            Ok(true)
        );
        // `ObjectMapper._readTreeAndClose`: no trailing tokens are read, and blank text is
        // `MissingNode`.
        assert_eq!(parse("{} x").map(|v| v.is_object()), Ok(true));
        assert_eq!(parse("{}}").map(|v| v.is_object()), Ok(true));
        assert_eq!(parse(" \n"), Ok(Value::Null));
        // Kafka's `Json.tryParseFull`, before Jackson.
        assert_eq!(parse(""), Err(EMPTY.to_string()));
    }

    #[rustfmt::skip]
    #[test]
    fn says_what_jackson_says() {
        let v = VALUES;
        says("{\"partitions\": [\n", &format!("Unexpected end-of-input: expected close marker for Array (start marker at {})", start(1, 16)), 2, 1); // ParserBase._handleEOF
        says("{\"a\": 1\r\n", &format!("Unexpected end-of-input: expected close marker for Object (start marker at {})", start(1, 1)), 2, 1); // ParserBase._handleEOF, _skipCR
        says("[1,", "Unexpected end-of-input within/between Array entries", 1, 4); // _skipAfterComma2
        says("{\"a\"", "Unexpected end-of-input within/between Object entries", 1, 5); // _skipColon2
        says("{\"a\": ", "Unexpected end-of-input within/between Object entries", 1, 7); // _skipColon2
        says("{\"par", "Unexpected end-of-input in field name", 1, 6); // _parseName2
        says("[\"foo", "Unexpected end-of-input: was expecting closing quote for a string value", 1, 6); // _finishString2
        says("[\"foo\n", "Illegal unquoted character ((CTRL-CHAR, code 10)): has to be escaped using backslash to be included in string value", 1, 6); // ParserBase._throwUnquotedSpace
        says("{\"a\n", "Illegal unquoted character ((CTRL-CHAR, code 10)): has to be escaped using backslash to be included in name", 1, 4); // ParserBase._throwUnquotedSpace
        says("[1,]", &format!("Unexpected character (']' (code 93)): expected a valid value {v}"), 1, 4); // _handleOddValue
        says("[\u{2192}]", &format!("Unexpected character ('\u{2192}' (code 8594 / 0x2192)): expected a valid value {v}"), 1, 2); // _handleOddValue, _getCharDesc
        says("{\"a\":}", "Unexpected character ('}' (code 125)): expected a value", 1, 6); // nextToken
        says("{\"a\":1,}", "Unexpected character ('}' (code 125)): was expecting double-quote to start field name", 1, 8); // _handleOddName
        says("{'a':1}", "Unexpected character (''' (code 39)): was expecting double-quote to start field name", 1, 2); // _handleOddName
        says("{\"a\" 1}", "Unexpected character ('1' (code 49)): was expecting a colon to separate field name and value", 1, 6); // _skipColon2
        says("[1 2]", "Unexpected character ('2' (code 50)): was expecting comma to separate Array entries", 1, 4); // _skipComma
        says("{\"a\":1\n \"b\":2}", "Unexpected character ('\"' (code 34)): was expecting comma to separate Object entries", 2, 2); // _skipComma
        says("[\"a\" /]", "Unexpected character ('/' (code 47)): maybe a (non-standard) comment? (not recognized as one since Feature 'ALLOW_COMMENTS' not enabled for parser)", 1, 6); // _skipComment
        says("[\u{b}1]", "Illegal character ((CTRL-CHAR, code 11)): only regular white space (\\r, \\n, \\t) is allowed between tokens", 1, 3); // _throwInvalidSpace
        says("1x", "Unexpected character ('x' (code 120)): Expected space separating root-level values", 1, 2); // _verifyRootSpace
        says("[1}", &format!("Unexpected close marker '}}': expected ']' (for Array starting at {})", start(1, 1)), 1, 3); // ParserBase._reportMismatchedEndMarker
        says("]", "Unexpected close marker ']': no open Array to close", 1, 1); // ParserBase._reportExtraEndMarker
        says("{\"a\": tru}", &format!("Unrecognized token 'tru': was expecting {v}"), 1, 10); // _matchToken, _reportInvalidToken
        says("[truex]", &format!("Unrecognized token 'truex': was expecting {v}"), 1, 7); // _checkMatchEnd, _reportInvalidToken
        says("[nul", &format!("Unrecognized token 'nul': was expecting {v}"), 1, 5); // _matchToken2, _reportInvalidToken
        says("[yes]", &format!("Unrecognized token 'yes': was expecting {v}"), 1, 5); // _handleOddValue, _reportInvalidToken
        says("[é]", &format!("Unrecognized token 'é': was expecting {v}"), 1, 3); // _handleOddValue (isJavaIdentifierStart)
        says("[NaN]", "Non-standard token 'NaN': enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow", 1, 5); // _handleOddValue
        // The rest keep serde_json's words, at Jackson's location.
        says("[01]", "invalid number", 1, 3);
        says("[1e", "EOF while parsing a value", 1, 4);
    }

    #[test]
    fn nests_as_deep_as_jackson_allows() {
        // Kafka: Jackson's StreamReadConstraints.validateNestingDepth (DEFAULT_MAX_DEPTH 1000).
        let nested = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        let deep = std::thread::Builder::new()
            .stack_size(512 * 1024)
            .spawn(move || {
                let ok = parse(&nested(100)).is_ok();
                (ok, parse(&nested(1001)), parse(&"{\"a\":[".repeat(100_000)))
            })
            .unwrap()
            .join()
            .expect("parsing overflowed a 512 KiB stack");
        let message = "Document nesting depth (1001) exceeds the maximum allowed (1000, from \
                       `StreamReadConstraints.getMaxNestingDepth()`)";
        assert!(deep.0);
        assert_eq!(deep.1, Err(message.to_string()));
        assert_eq!(deep.2, Err(message.to_string()));
        // Deeper than serde_json reads but within Jackson's limit: serde_json's words.
        assert!(
            parse(&nested(1000)).is_err_and(|e| e.starts_with("recursion limit exceeded\n at "))
        );
        // An error before the limit is reported as before; what follows the first value is not read.
        assert!(parse(&format!("[1 2{}", "[".repeat(2000))).is_err_and(|e| e.contains("comma")));
        assert!(parse(&format!("[] {}", "[".repeat(2000))).is_ok());
        assert!(parse(&format!("[\"{}\"]", "[".repeat(2000))).is_ok());
    }
}
