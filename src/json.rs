//! A small JSON writer and pull reader for the saved session (the snapshot, format 1), and
//! [`JsonValue`] for JSON of any shape (the tools' JSON files, embed settings, widget group
//! messages): the app's only JSON code, serde_json being a dev-dependency that tests compare with.
//!
//! Derived serde (de)serializers, monomorphized for serde_json, were about 40 KB of the gzipped
//! wasm: one visitor per type and field. Here one non-generic [`Writer`] appends to a `String`
//! and one non-generic [`Reader`] is a cursor over the text; each saved type has a short
//! [`Json`] impl next to it (private fields stay private), most written by [`json_struct!`].
//!
//! The text is byte for byte what serde_json wrote (strings escaped as serde_json does, integers
//! in decimal, map keys as strings), so sessions saved before keep loading and the format did
//! not change. Reading is as strict as the derived readers were: a missing required field, a
//! duplicate field, a number out of its type's range, trailing text are errors; unknown fields
//! are skipped. Nothing panics on any input; nesting is bounded by [`MAX_DEPTH`]. Bad text gets
//! serde_json's error at serde_json's place (the tools print it, tests compare the two).

use std::borrow::Cow;
use std::fmt;

use crate::vec_map::{VecMap, VecSet};

/// The deepest nesting read (serde_json's recursion limit).
pub const MAX_DEPTH: u32 = 128;

/// What was wrong with the text, and where (as serde_json reports it). Boxed: every reader
/// returns `Result<_, Error>`, and a one-word error is copied out of each `?` in a few bytes of
/// wasm where the unboxed five words took dozens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(Box<ErrorAt>);

#[derive(Debug, Clone, PartialEq, Eq)]
struct ErrorAt {
    message: String,
    line: usize,
    column: usize,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ErrorAt {
            message,
            line,
            column,
        } = &*self.0;
        write!(f, "{message} at line {line} column {column}")
    }
}

impl std::error::Error for Error {}

/// Appends JSON to a buffer. Commas are placed by [`Writer::key`] and [`Writer::item`]: one flag
/// says whether the open container has had a member yet (a finished nested value always has).
pub struct Writer {
    out: String,
    first: bool,
}

impl Writer {
    /// A writer whose buffer has `capacity` bytes reserved (a million records' snapshot is about
    /// 100 MB; grown by doubling it would be copied again at every step).
    pub fn with_capacity(capacity: usize) -> Self {
        Writer {
            out: String::with_capacity(capacity),
            first: true,
        }
    }

    pub fn into_string(self) -> String {
        self.out
    }

    pub fn begin_object(&mut self) {
        self.out.push('{');
        self.first = true;
    }

    pub fn end_object(&mut self) {
        self.out.push('}');
        self.first = false;
    }

    pub fn begin_array(&mut self) {
        self.out.push('[');
        self.first = true;
    }

    pub fn end_array(&mut self) {
        self.out.push(']');
        self.first = false;
    }

    fn comma(&mut self) {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
    }

    /// A member's name (any text; escaped), before its value.
    pub fn key(&mut self, name: &str) {
        self.comma();
        self.string(name);
        self.out.push(':');
    }

    /// A field's name: a Rust identifier, which needs no escaping.
    pub fn field(&mut self, name: &'static str) {
        self.comma();
        self.out.push('"');
        self.out.push_str(name);
        self.out.push_str("\":");
    }

    /// Before each element of an array.
    pub fn item(&mut self) {
        self.comma();
    }

    pub fn null(&mut self) {
        self.out.push_str("null");
    }

    pub fn bool(&mut self, b: bool) {
        self.out.push_str(if b { "true" } else { "false" });
    }

    pub fn u64(&mut self, mut n: u64) {
        let mut digits = [0u8; 20];
        let mut at = digits.len();
        loop {
            at -= 1;
            digits[at] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        for &d in &digits[at..] {
            self.out.push(d as char);
        }
    }

    pub fn i64(&mut self, n: i64) {
        if n < 0 {
            self.out.push('-');
        }
        self.u64(n.unsigned_abs());
    }

    /// A float as serde_json writes one: the shortest digits that read back as `f`, plainly
    /// from 0.00001 to below 10^16 (`1.0`, `0.5`, `0.00001`), else with an exponent (`1e-6`,
    /// `1.5e+16`); `null` when not finite.
    pub fn f64(&mut self, f: f64) {
        if !f.is_finite() {
            return self.null();
        }
        if f.is_sign_negative() {
            self.out.push('-');
        }
        let significant = |sci: &str| -> (String, i32) {
            let (mantissa, exp) = sci.split_once('e').unwrap_or((sci, "0"));
            let digits = mantissa.chars().filter(char::is_ascii_digit).collect();
            (digits, exp.parse().unwrap_or(0))
        };
        let (mut digits, exp) = significant(&format!("{:e}", f.abs()));
        // When the exact value lies halfway between two shortest candidates (only possible with
        // 16 or more digits), serde_json takes the even one and Rust's formatting the upper.
        if digits.len() >= 16 {
            let (exact, _) = significant(&format!("{:.767e}", f.abs()));
            let exact = exact.trim_end_matches('0');
            let lower = exact.get(..digits.len()).unwrap_or("");
            if exact.len() == digits.len() + 1
                && exact.ends_with('5')
                && lower.bytes().last().is_some_and(|d| d % 2 == 0)
            {
                digits = lower.to_string();
            }
        }
        // Digits before the point.
        let point = exp + 1;
        let (head, tail) = digits.split_at(digits.len().min(point.max(0) as usize));
        if !(-5..=15).contains(&exp) {
            let (first, rest) = digits.split_at(1.min(digits.len()));
            self.out.push_str(first);
            if !rest.is_empty() {
                self.out.push('.');
                self.out.push_str(rest);
            }
            self.out.push_str(if exp < 0 { "e-" } else { "e+" });
            self.u64(u64::from(exp.unsigned_abs()));
        } else if point <= 0 {
            self.out.push_str("0.");
            self.out
                .extend(std::iter::repeat_n('0', point.unsigned_abs() as usize));
            self.out.push_str(&digits);
        } else {
            self.out.push_str(head);
            self.out
                .extend(std::iter::repeat_n('0', point as usize - head.len()));
            self.out.push('.');
            self.out.push_str(if tail.is_empty() { "0" } else { tail });
        }
    }

    /// Bytes as an array of numbers (how serde_json writes `Vec<u8>` and byte slices).
    pub fn bytes(&mut self, bytes: &[u8]) {
        self.begin_array();
        for &b in bytes {
            self.item();
            self.u64(b as u64);
        }
        self.end_array();
    }

    /// A string, escaped exactly as serde_json escapes: `"`, `\`, and control characters
    /// (`\b \t \n \f \r` by name, the others as `\u00xx`); everything else as is.
    pub fn string(&mut self, s: &str) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        self.out.push('"');
        let bytes = s.as_bytes();
        let mut start = 0;
        loop {
            let at = start + plain_prefix(bytes.get(start..).unwrap_or(&[]));
            // `at` is at an ASCII byte or the end, so both cuts fall on character boundaries.
            self.out.push_str(s.get(start..at).unwrap_or(""));
            let Some(&b) = bytes.get(at) else {
                break;
            };
            match b {
                b'"' => self.out.push_str("\\\""),
                b'\\' => self.out.push_str("\\\\"),
                b'\x08' => self.out.push_str("\\b"),
                b'\t' => self.out.push_str("\\t"),
                b'\n' => self.out.push_str("\\n"),
                b'\x0c' => self.out.push_str("\\f"),
                b'\r' => self.out.push_str("\\r"),
                _ => {
                    self.out.push_str("\\u00");
                    self.out.push(HEX[(b >> 4) as usize] as char);
                    self.out.push(HEX[(b & 15) as usize] as char);
                }
            }
            start = at + 1;
        }
        self.out.push('"');
    }
}

/// How many bytes at the start of `bytes` a JSON string holds as they are: up to the first `"`,
/// `\` or control character. Eight bytes at a time (as serde_json scans): records' keys and
/// values are most of a snapshot's text.
#[inline]
fn plain_prefix(bytes: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut at = 0;
    for chunk in bytes.chunks_exact(8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let v = u64::from_le_bytes(word);
        // A byte of `x` is zero ⇔ its bit in `zero(x)` is set (no false positives below the
        // first zero byte, which is all that is looked at).
        let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
        let quote = zero(v ^ (ONES * b'"' as u64));
        let backslash = zero(v ^ (ONES * b'\\' as u64));
        let control = v.wrapping_sub(ONES * 0x20) & !v & HIGH;
        if quote | backslash | control != 0 {
            break;
        }
        at += 8;
    }
    at + bytes
        .get(at..)
        .unwrap_or(&[])
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
        .unwrap_or(bytes.len() - at)
}

/// A cursor over JSON text that the caller pulls values from in the order it expects them.
pub struct Reader<'a> {
    text: &'a str,
    pos: usize,
    depth: u32,
    /// Whether the open container has had no member yet (see [`Writer`]).
    first: bool,
}

impl<'a> Reader<'a> {
    pub fn new(text: &'a str) -> Self {
        Reader {
            text,
            pos: 0,
            depth: 0,
            first: true,
        }
    }

    /// An error at the current position (serde_json's `error`: after what was consumed).
    pub fn error(&self, message: impl Into<String>) -> Error {
        self.error_at(self.pos, message)
    }

    /// An error about the next byte, not consumed (serde_json's `peek_error`: one column on).
    fn peek_error(&self, message: &str) -> Error {
        self.error_at((self.pos + 1).min(self.text.len()), message)
    }

    fn error_at(&self, pos: usize, message: impl Into<String>) -> Error {
        let before = self.text.as_bytes().get(..pos).unwrap_or(&[]);
        let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
        let column = before.iter().rev().take_while(|&&b| b != b'\n').count();
        Error(Box::new(ErrorAt {
            message: message.into(),
            line,
            column,
        }))
    }

    #[inline]
    fn skip_whitespace(&mut self) {
        let bytes = self.text.as_bytes();
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    /// The next significant byte, not consumed.
    #[inline]
    pub fn peek(&mut self) -> Option<u8> {
        self.skip_whitespace();
        self.text.as_bytes().get(self.pos).copied()
    }

    fn expect(&mut self, byte: u8, what: &str) -> Result<(), Error> {
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else if self.peek().is_none() {
            Err(self.error(format!("EOF while parsing {what}")))
        } else {
            Err(self.error(format!("expected {what}")))
        }
    }

    /// Into a container (its opening byte consumed).
    fn enter(&mut self) -> Result<(), Error> {
        if self.depth + 1 >= MAX_DEPTH {
            return Err(self.error("recursion limit exceeded"));
        }
        self.depth += 1;
        self.first = true;
        Ok(())
    }

    /// Out of a container: its closing byte, just peeked.
    fn leave(&mut self) {
        self.pos += 1;
        self.depth = self.depth.saturating_sub(1);
        self.first = false;
    }

    /// After the last value: only whitespace may follow.
    pub fn finish(&mut self) -> Result<(), Error> {
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(self.peek_error("trailing characters")),
        }
    }

    pub fn begin_object(&mut self) -> Result<(), Error> {
        self.expect(b'{', "an object")?;
        self.enter()
    }

    /// The next member's name (its `:` consumed), or `None` at the object's end.
    #[inline]
    pub fn next_key(&mut self) -> Result<Option<Cow<'a, str>>, Error> {
        match self.peek() {
            None => return Err(self.peek_error("EOF while parsing an object")),
            Some(b'}') => {
                self.leave();
                return Ok(None);
            }
            Some(_) if self.first => {}
            Some(b',') => {
                self.pos += 1;
                match self.peek() {
                    Some(b'"') => {}
                    Some(b'}') => return Err(self.peek_error("trailing comma")),
                    Some(_) => return Err(self.peek_error("key must be a string")),
                    None => return Err(self.peek_error("EOF while parsing a value")),
                }
            }
            Some(_) => return Err(self.peek_error("expected `,` or `}`")),
        }
        self.first = false;
        if self.peek() != Some(b'"') {
            return Err(self.peek_error("key must be a string"));
        }
        let key = self.string()?;
        match self.peek() {
            Some(b':') => self.pos += 1,
            Some(_) => return Err(self.peek_error("expected `:`")),
            None => return Err(self.peek_error("EOF while parsing an object")),
        }
        Ok(Some(key))
    }

    pub fn begin_array(&mut self) -> Result<(), Error> {
        self.expect(b'[', "an array")?;
        self.enter()
    }

    /// Whether another element follows (its `,` consumed); false at the array's end.
    #[inline]
    pub fn next_item(&mut self) -> Result<bool, Error> {
        match self.peek() {
            None => return Err(self.peek_error("EOF while parsing a list")),
            Some(b']') => {
                self.leave();
                return Ok(false);
            }
            Some(_) if self.first => {}
            Some(b',') => {
                self.pos += 1;
                match self.peek() {
                    Some(b']') => return Err(self.peek_error("trailing comma")),
                    Some(_) => {}
                    None => return Err(self.peek_error("EOF while parsing a value")),
                }
            }
            Some(_) => return Err(self.peek_error("expected `,` or `]`")),
        }
        self.first = false;
        Ok(true)
    }

    /// Consumes a `null` if one is next.
    pub fn null(&mut self) -> Result<bool, Error> {
        if self.peek() != Some(b'n') {
            return Ok(false);
        }
        self.literal("null")?;
        Ok(true)
    }

    /// `null`, `true` or `false`, its first byte peeked; checked byte by byte as serde_json
    /// reads an identifier.
    fn literal(&mut self, word: &str) -> Result<(), Error> {
        self.pos += 1;
        for &expected in word.as_bytes().get(1..).unwrap_or(&[]) {
            let Some(&b) = self.text.as_bytes().get(self.pos) else {
                return Err(self.error("EOF while parsing a value"));
            };
            self.pos += 1;
            if b != expected {
                return Err(self.error("expected ident"));
            }
        }
        Ok(())
    }

    pub fn bool(&mut self) -> Result<bool, Error> {
        match self.peek() {
            Some(b't') => self.literal("true").map(|_| true),
            Some(b'f') => self.literal("false").map(|_| false),
            _ => Err(self.error("invalid type: expected a boolean")),
        }
    }

    /// An integer: `-`? digits (no leading zero, no fraction or exponent), as its sign and
    /// magnitude (`None` past `u64::MAX`). One pass: offsets and timestamps are most of the
    /// numbers of a snapshot.
    #[inline]
    fn integer(&mut self) -> Result<(bool, Option<u64>), Error> {
        self.skip_whitespace();
        let bytes = self.text.as_bytes();
        let negative = bytes.get(self.pos) == Some(&b'-');
        let start = self.pos + negative as usize;
        let mut end = start;
        let mut value = Some(0u64);
        while let Some(&d) = bytes.get(end).filter(|d| d.is_ascii_digit()) {
            value = value.and_then(|n| n.checked_mul(10)?.checked_add((d - b'0') as u64));
            end += 1;
        }
        if end == start {
            return Err(self.error("invalid type: expected an integer"));
        }
        if end - start > 1 && bytes.get(start) == Some(&b'0') {
            return Err(self.error("invalid number"));
        }
        if let Some(b'.' | b'e' | b'E') = bytes.get(end) {
            return Err(self.error("invalid type: floating point, expected an integer"));
        }
        self.pos = end;
        Ok((negative, value))
    }

    pub fn u64(&mut self) -> Result<u64, Error> {
        match self.integer()? {
            (true, Some(0)) => Ok(0),
            (false, Some(n)) => Ok(n),
            _ => Err(self.error("invalid value: integer out of range")),
        }
    }

    #[inline]
    pub fn i64(&mut self) -> Result<i64, Error> {
        let (negative, n) = self.integer()?;
        let value = match n {
            Some(n) if negative => 0i64.checked_sub_unsigned(n),
            Some(n) => i64::try_from(n).ok(),
            None => None,
        };
        value.ok_or_else(|| self.error("invalid value: integer out of range"))
    }

    /// An integer that must fit in a narrower type.
    pub fn int<T: TryFrom<i64>>(&mut self) -> Result<T, Error> {
        let n = self.i64()?;
        T::try_from(n).map_err(|_| self.error(format!("invalid value: integer `{n}` out of range")))
    }

    /// A string, borrowed from the text when it has no escapes.
    #[inline]
    pub fn string(&mut self) -> Result<Cow<'a, str>, Error> {
        if self.peek() != Some(b'"') {
            return Err(self.error("invalid type: expected a string"));
        }
        self.pos += 1;
        let text: &'a str = self.text;
        let bytes = text.as_bytes();
        let mut owned: Option<String> = None;
        let mut run = self.pos;
        loop {
            self.pos += plain_prefix(bytes.get(self.pos..).unwrap_or(&[]));
            let Some(&b) = bytes.get(self.pos) else {
                return Err(self.error("EOF while parsing a string"));
            };
            // `pos` is at an ASCII byte, so the cuts fall on character boundaries.
            let plain = text.get(run..self.pos).unwrap_or("");
            match b {
                b'"' => {
                    self.pos += 1;
                    return Ok(match owned {
                        None => Cow::Borrowed(plain),
                        Some(mut s) => {
                            s.push_str(plain);
                            Cow::Owned(s)
                        }
                    });
                }
                b'\\' => {
                    self.pos += 1;
                    let c = self.escape()?;
                    let s = owned.get_or_insert_with(String::new);
                    s.push_str(plain);
                    s.push(c);
                    run = self.pos;
                }
                _ => {
                    self.pos += 1;
                    return Err(self.error(
                        "control character (\\u0000-\\u001F) found while parsing a string",
                    ));
                }
            }
        }
    }

    /// The character of an escape (after its `\`).
    fn escape(&mut self) -> Result<char, Error> {
        let Some(&b) = self.text.as_bytes().get(self.pos) else {
            return Err(self.error("EOF while parsing a string"));
        };
        self.pos += 1;
        Ok(match b {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\x08',
            b'f' => '\x0c',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let high = self.hex4()?;
                if (0xDC00..0xE000).contains(&high) {
                    return Err(self.error("lone leading surrogate in hex escape"));
                }
                let code = if (0xD800..0xDC00).contains(&high) {
                    for expected in [b'\\', b'u'] {
                        let Some(&b) = self.text.as_bytes().get(self.pos) else {
                            return Err(self.error("EOF while parsing a string"));
                        };
                        self.pos += 1;
                        if b != expected {
                            return Err(self.error("unexpected end of hex escape"));
                        }
                    }
                    let low = self.hex4()?;
                    if !(0xDC00..0xE000).contains(&low) {
                        return Err(self.error("lone leading surrogate in hex escape"));
                    }
                    0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                } else {
                    high
                };
                // Not a surrogate: always a character.
                char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER)
            }
            _ => return Err(self.error("invalid escape")),
        })
    }

    /// The four hex digits of a `\u` escape.
    fn hex4(&mut self) -> Result<u32, Error> {
        let Some(digits) = self.text.as_bytes().get(self.pos..self.pos + 4) else {
            self.pos = self.text.len();
            return Err(self.error("EOF while parsing a string"));
        };
        self.pos += 4;
        let mut code = 0;
        for &d in digits {
            let Some(value) = (d as char).to_digit(16) else {
                return Err(self.error("invalid escape"));
            };
            code = code * 16 + value;
        }
        Ok(code)
    }

    /// Skips one value of any kind (an unknown field's), checking that it is well formed.
    pub fn skip_value(&mut self) -> Result<(), Error> {
        self.value().map(drop)
    }

    /// Any value, read as serde_json reads a `Value`: the same value, and for bad text the
    /// same error at the same place (the tools print it, as the Kafka tools print Jackson's).
    pub fn value(&mut self) -> Result<JsonValue, Error> {
        Ok(match self.peek() {
            None => return Err(self.peek_error("EOF while parsing a value")),
            Some(b'n') => self.literal("null").map(|_| JsonValue::Null)?,
            Some(b't') => self.literal("true").map(|_| JsonValue::Bool(true))?,
            Some(b'f') => self.literal("false").map(|_| JsonValue::Bool(false))?,
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(b'"') => JsonValue::String(self.string()?.into_owned()),
            Some(b'[') => JsonValue::Array(Vec::read_json(self)?),
            Some(b'{') => JsonValue::Object(VecMap::read_json(self)?),
            Some(_) => return Err(self.peek_error("expected value")),
        })
    }

    /// A number as serde_json (without its `float_roundtrip` feature) reads one: an integer
    /// that fits 64 bits as is (but `-0` as a float), any other as `significand × 10^exponent`
    /// from at most the first 19 or 20 significant digits, the later ones ignored.
    fn number(&mut self) -> Result<JsonValue, Error> {
        let bytes = self.text.as_bytes();
        let digit = |pos: usize| {
            bytes
                .get(pos)
                .filter(|b| b.is_ascii_digit())
                .map(|&b| u64::from(b - b'0'))
        };
        let push = |significand: u64, d: u64| significand.checked_mul(10)?.checked_add(d);
        let positive = bytes.get(self.pos) != Some(&b'-');
        self.pos += usize::from(!positive);
        let Some(&first) = bytes.get(self.pos) else {
            return Err(self.error("EOF while parsing a value"));
        };
        self.pos += 1;
        let mut significand = 0;
        let mut exponent = 0i32;
        let mut float = false;
        match first {
            b'0' if digit(self.pos).is_some() => return Err(self.peek_error("invalid number")),
            b'0' => {}
            b'1'..=b'9' => {
                significand = u64::from(first - b'0');
                while let Some(d) = digit(self.pos) {
                    self.pos += 1;
                    if float {
                        exponent += 1;
                    } else if let Some(s) = push(significand, d) {
                        significand = s;
                    } else {
                        float = true;
                        exponent = 1;
                    }
                }
            }
            _ => return Err(self.error("invalid number")),
        }
        if bytes.get(self.pos) == Some(&b'.') {
            float = true;
            self.pos += 1;
            let (mut any, mut full) = (false, false);
            while let Some(d) = digit(self.pos) {
                self.pos += 1;
                any = true;
                match push(significand, d).filter(|_| !full) {
                    Some(s) => (significand, exponent) = (s, exponent - 1),
                    None => full = true,
                }
            }
            if !any {
                return Err(match bytes.get(self.pos) {
                    Some(_) => self.peek_error("invalid number"),
                    None => self.peek_error("EOF while parsing a value"),
                });
            }
        }
        if let Some(b'e' | b'E') = bytes.get(self.pos) {
            float = true;
            self.pos += 1;
            let positive_exp = bytes.get(self.pos) != Some(&b'-');
            if let Some(b'+' | b'-') = bytes.get(self.pos) {
                self.pos += 1;
            }
            let Some(&first) = bytes.get(self.pos) else {
                return Err(self.error("EOF while parsing a value"));
            };
            self.pos += 1;
            if !first.is_ascii_digit() {
                return Err(self.error("invalid number"));
            }
            let mut exp = i32::from(first - b'0');
            while let Some(d) = digit(self.pos) {
                self.pos += 1;
                match exp.checked_mul(10).and_then(|e| e.checked_add(d as i32)) {
                    Some(e) => exp = e,
                    None if significand != 0 && positive_exp => {
                        return Err(self.error("number out of range"));
                    }
                    None => {
                        while digit(self.pos).is_some() {
                            self.pos += 1;
                        }
                        return Ok(JsonValue::F64(if positive { 0.0 } else { -0.0 }));
                    }
                }
            }
            exponent = if positive_exp {
                exponent.saturating_add(exp)
            } else {
                exponent.saturating_sub(exp)
            };
        }
        if !float {
            let negative = (significand as i64).wrapping_neg();
            return Ok(match () {
                _ if positive => JsonValue::U64(significand),
                // `-0`, and below `i64::MIN`: a float.
                _ if negative >= 0 => JsonValue::F64(-(significand as f64)),
                _ => JsonValue::I64(negative),
            });
        }
        let mut f = significand as f64;
        loop {
            let power = exponent.unsigned_abs();
            if power <= 308 {
                if exponent >= 0 {
                    f *= pow10(power);
                    if f.is_infinite() {
                        return Err(self.error("number out of range"));
                    }
                } else {
                    f /= pow10(power);
                }
                break;
            }
            if f == 0.0 {
                break;
            }
            if exponent >= 0 {
                return Err(self.error("number out of range"));
            }
            f /= 1e308;
            exponent += 308;
        }
        Ok(JsonValue::F64(if positive { f } else { -f }))
    }
}

/// `10^n` (n ≤ 308) correctly rounded, as the literal `1en` is (serde_json keeps a table of
/// them): `5^n` in the top bits of a `u128`, the bits shifted out remembered in the lowest so
/// that the conversion rounds as the exact value would, times `2^n`.
fn pow10(n: u32) -> f64 {
    let (mut m, mut shift) = (1u128, n as i32);
    for _ in 0..n {
        if m >> 124 != 0 {
            m = (m >> 4) | u128::from(m & 15 != 0);
            shift += 4;
        }
        m *= 5;
    }
    // `m` < 2^127 and `shift` ≤ 899: the product is at most 10^308, a normal number.
    (m as f64) * f64::from_bits(((shift + 1023) as u64) << 52)
}

/// Any JSON value, as serde_json's `Value` holds it: what the tools' JSON files, embed settings
/// and widget group messages are read into before their shape is checked by hand.
#[derive(Debug, Clone, PartialEq)]
pub enum JsonValue {
    Null,
    Bool(bool),
    /// An integer from 0 to `u64::MAX`.
    U64(u64),
    /// A negative integer from `i64::MIN`.
    I64(i64),
    /// Any other number (a fraction or exponent, `-0`, an integer beyond 64 bits).
    F64(f64),
    String(String),
    Array(Vec<JsonValue>),
    /// In key order; a repeated key has its last value.
    Object(VecMap<String, JsonValue>),
}

impl JsonValue {
    /// The member `key` of an object (`None` for anything else).
    pub fn get(&self, key: &str) -> Option<&JsonValue> {
        self.as_object()?.get(key)
    }

    pub fn as_object(&self) -> Option<&VecMap<String, JsonValue>> {
        match self {
            JsonValue::Object(o) => Some(o),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[JsonValue]> {
        match self {
            JsonValue::Array(a) => Some(a),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            JsonValue::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            JsonValue::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// An integer that fits an `i64` (never a float, even `1.0`).
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            JsonValue::U64(n) => i64::try_from(*n).ok(),
            JsonValue::I64(n) => Some(*n),
            _ => None,
        }
    }

    /// A non-negative integer.
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            JsonValue::U64(n) => Some(*n),
            _ => None,
        }
    }
}

impl Json for JsonValue {
    fn write_json(&self, w: &mut Writer) {
        match self {
            JsonValue::Null => w.null(),
            JsonValue::Bool(b) => w.bool(*b),
            JsonValue::U64(n) => w.u64(*n),
            JsonValue::I64(n) => w.i64(*n),
            JsonValue::F64(f) => w.f64(*f),
            JsonValue::String(s) => w.string(s),
            JsonValue::Array(a) => a.write_json(w),
            JsonValue::Object(o) => o.write_json(w),
        }
    }

    fn read_json(r: &mut Reader) -> Result<Self, Error> {
        r.value()
    }
}

/// Compact JSON, as serde_json's `Value` prints (`{"a":[1,2.5,null]}`, keys in order).
impl fmt::Display for JsonValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&to_string(self, 0))
    }
}

/// A type saved in the session: written to and read from JSON.
pub trait Json: Sized {
    fn write_json(&self, w: &mut Writer);
    fn read_json(r: &mut Reader) -> Result<Self, Error>;
    /// The value of a field left out of the text, if it may be: `Option` fields are `None`
    /// then (as derived serde readers have it); others are required.
    fn missing() -> Option<Self> {
        None
    }
}

/// `value` as JSON text, in a buffer of `capacity` bytes reserved up front.
pub fn to_string<T: Json>(value: &T, capacity: usize) -> String {
    let mut w = Writer::with_capacity(capacity);
    value.write_json(&mut w);
    w.into_string()
}

/// Reads a whole text as one `T` (only whitespace may follow it).
pub fn from_str<T: Json>(text: &str) -> Result<T, Error> {
    let mut r = Reader::new(text);
    let value = T::read_json(&mut r)?;
    r.finish()?;
    Ok(value)
}

/// Reads a field's value into its slot; a field given twice is an error.
pub fn field<T: Json>(r: &mut Reader, slot: &mut Option<T>, name: &str) -> Result<(), Error> {
    if slot.is_some() {
        return Err(r.error(format!("duplicate field `{name}`")));
    }
    *slot = Some(T::read_json(r)?);
    Ok(())
}

/// A required field's value (see [`Json::missing`]).
pub fn required<T: Json>(r: &Reader, slot: Option<T>, name: &str) -> Result<T, Error> {
    slot.or_else(T::missing)
        .ok_or_else(|| r.error(format!("missing field `{name}`")))
}

/// For [`json_struct!`]: the next known member of an object, as its index in `names` (its `:`
/// consumed, its value next), or `None` at the object's end. Unknown members are skipped; one
/// given twice is an error. `seen` has bit `i` set once `names[i]` was read. Not generic and
/// not inlined: every struct's reader shares this one copy.
#[inline(never)]
pub fn next_field(r: &mut Reader, names: &[&str], seen: &mut u64) -> Result<Option<usize>, Error> {
    while let Some(key) = r.next_key()? {
        let Some(index) = names.iter().position(|name| *name == key) else {
            r.skip_value()?;
            continue;
        };
        let bit = 1u64 << (index % 64);
        if *seen & bit != 0 {
            return Err(r.error(format!("duplicate field `{}`", names[index])));
        }
        *seen |= bit;
        return Ok(Some(index));
    }
    Ok(None)
}

/// For [`json_struct!`], after an object's end: the error for the first of the `required`
/// fields (a bit per index in `names`) that was not `seen`, if one was not.
#[inline(never)]
pub fn check_required(r: &Reader, names: &[&str], seen: u64, required: u64) -> Result<(), Error> {
    let missing = required & !seen;
    if missing == 0 {
        return Ok(());
    }
    let name = names.get(missing.trailing_zeros() as usize).unwrap_or(&"");
    Err(r.error(format!("missing field `{name}`")))
}

/// For [`json_struct!`]: reads a field's value in place of its default.
#[inline(never)]
pub fn read_into<T: Json>(r: &mut Reader, slot: &mut T) -> Result<(), Error> {
    *slot = T::read_json(r)?;
    Ok(())
}

/// For [`json_struct!`]: a required field's value before it is read — [`Json::missing`] (so
/// an `Option` left out is `None`), else a placeholder that is returned only if it is read.
pub fn initial<T: Json + Default>() -> T {
    T::missing().unwrap_or_default()
}

/// For [`json_struct!`]: whether a field of `value`'s type must be in the text when it is
/// `req` (see [`Json::missing`]). Known at compile time once inlined.
pub fn must_be_given<T: Json>(_value: &T) -> bool {
    T::missing().is_none()
}

/// Writes and reads a struct as an object of its fields, in declaration order (as derived serde
/// did). Each field is `name: req` (required, but an `Option` may be left out), `name: default`
/// (left out: `Default::default()`), `name: default(expr)` (left out: `expr`) or `name:
/// skip_empty` (not written when empty, left out: empty). `skip { name: expr }` lists fields that
/// are not saved, with the value they get when read. Every field's type implements `Default`
/// (a `req` field's default is only a placeholder, replaced or never returned).
///
/// The reader is shaped for code size: the wasm of the saved-session readers was once ~47 KB,
/// mostly from an `Option` local per field (every `?` exit dropping the ones read so far, each
/// exit its own drop code) and a chain of string compares per struct. Now the struct is built
/// first from its defaults and each field assigned as it is read, so an error drops one value;
/// which fields were read is a bitmask, and the key lookup, duplicate and missing-field checks
/// are the non-generic [`next_field`] and [`check_required`], one copy for all structs. Per
/// struct there is only the `match` of field index to field, each arm a call of [`read_into`]
/// (one copy per field type, shared by the fields of that type).
macro_rules! json_struct {
    ($ty:ident { $($field:ident : $mode:ident $(($default:expr))?),* $(,)? }
     $(skip { $($skipped:ident : $value:expr),* $(,)? })?) => {
        impl $crate::json::Json for $ty {
            fn write_json(&self, w: &mut $crate::json::Writer) {
                w.begin_object();
                $($crate::json::json_struct!(@write self, w, $field, $mode);)*
                w.end_object();
            }

            fn read_json(r: &mut $crate::json::Reader) -> Result<Self, $crate::json::Error> {
                // The fields' indices (in `NAMES` and the bitmasks).
                #[allow(non_camel_case_types)]
                enum Field { $($field),* }
                const NAMES: &[&str] = &[$(stringify!($field)),*];
                const _: () = assert!(NAMES.len() <= 64, "a bitmask holds 64 fields");
                let mut value = $ty {
                    $($field: $crate::json::json_struct!(@initial $mode $(($default))?),)*
                    $($($skipped: $value,)*)?
                };
                let required: u64 = 0 $(| ((
                    $crate::json::json_struct!(@required $mode)
                        && $crate::json::must_be_given(&value.$field)
                ) as u64) << (Field::$field as u32))*;
                let mut seen = 0;
                r.begin_object()?;
                while let Some(index) = $crate::json::next_field(r, NAMES, &mut seen)? {
                    match index {
                        $(i if i == Field::$field as usize => {
                            $crate::json::read_into(r, &mut value.$field)?
                        })*
                        _ => {}
                    }
                }
                $crate::json::check_required(r, NAMES, seen, required)?;
                Ok(value)
            }
        }
    };
    (@write $self:ident, $w:ident, $field:ident, skip_empty) => {
        if !$self.$field.is_empty() {
            $w.field(stringify!($field));
            $crate::json::Json::write_json(&$self.$field, $w);
        }
    };
    (@write $self:ident, $w:ident, $field:ident, $mode:ident) => {
        $w.field(stringify!($field));
        $crate::json::Json::write_json(&$self.$field, $w);
    };
    (@initial req) => {
        $crate::json::initial()
    };
    (@initial default($default:expr)) => {
        $default
    };
    (@initial $mode:ident) => {
        Default::default()
    };
    (@required req) => {
        true
    };
    (@required $mode:ident) => {
        false
    };
}
pub(crate) use json_struct;

impl Json for String {
    fn write_json(&self, w: &mut Writer) {
        w.string(self);
    }
    fn read_json(r: &mut Reader) -> Result<Self, Error> {
        r.string().map(Cow::into_owned)
    }
}

impl Json for bool {
    fn write_json(&self, w: &mut Writer) {
        w.bool(*self);
    }
    fn read_json(r: &mut Reader) -> Result<Self, Error> {
        r.bool()
    }
}

impl Json for i64 {
    fn write_json(&self, w: &mut Writer) {
        w.i64(*self);
    }
    fn read_json(r: &mut Reader) -> Result<Self, Error> {
        r.i64()
    }
}

impl Json for u64 {
    fn write_json(&self, w: &mut Writer) {
        w.u64(*self);
    }
    fn read_json(r: &mut Reader) -> Result<Self, Error> {
        r.u64()
    }
}

/// Narrower integers: written as `i64`, range-checked when read.
macro_rules! json_int {
    ($($t:ty),*) => {$(
        impl Json for $t {
            fn write_json(&self, w: &mut Writer) {
                w.i64(*self as i64);
            }
            fn read_json(r: &mut Reader) -> Result<Self, Error> {
                r.int()
            }
        }
    )*};
}
json_int!(i32, i16, u32, u8);

impl Json for usize {
    fn write_json(&self, w: &mut Writer) {
        w.u64(*self as u64);
    }
    fn read_json(r: &mut Reader) -> Result<Self, Error> {
        let n = r.u64()?;
        usize::try_from(n).map_err(|_| r.error("invalid value: integer out of range"))
    }
}

impl<T: Json> Json for Option<T> {
    fn write_json(&self, w: &mut Writer) {
        match self {
            None => w.null(),
            Some(v) => v.write_json(w),
        }
    }
    fn read_json(r: &mut Reader) -> Result<Self, Error> {
        if r.null()? {
            Ok(None)
        } else {
            T::read_json(r).map(Some)
        }
    }
    fn missing() -> Option<Self> {
        Some(None)
    }
}

/// Reads an array, calling `item` before each element (which it reads). Not generic and not
/// inlined, like [`next_field`]: the loop is shared by every `Vec<T>` reader.
#[inline(never)]
fn read_array(
    r: &mut Reader,
    item: &mut dyn FnMut(&mut Reader) -> Result<(), Error>,
) -> Result<(), Error> {
    r.begin_array()?;
    while r.next_item()? {
        item(r)?;
    }
    Ok(())
}

/// What a map reader does with one member: given its name, reads its value.
type ReadMember<'a, 'f> = dyn FnMut(&mut Reader<'a>, Cow<'a, str>) -> Result<(), Error> + 'f;

/// Reads an object, calling `member` with each member's name (its value next). Shared by
/// every map reader, as [`read_array`].
#[inline(never)]
fn read_members<'a>(r: &mut Reader<'a>, member: &mut ReadMember<'a, '_>) -> Result<(), Error> {
    r.begin_object()?;
    while let Some(key) = r.next_key()? {
        member(r, key)?;
    }
    Ok(())
}

impl<T: Json> Json for Vec<T> {
    fn write_json(&self, w: &mut Writer) {
        w.begin_array();
        for v in self {
            w.item();
            v.write_json(w);
        }
        w.end_array();
    }
    fn read_json(r: &mut Reader) -> Result<Self, Error> {
        let mut items = Vec::new();
        read_array(r, &mut |r| {
            items.push(T::read_json(r)?);
            Ok(())
        })?;
        Ok(items)
    }
}

impl<A: Json, B: Json> Json for (A, B) {
    fn write_json(&self, w: &mut Writer) {
        w.begin_array();
        w.item();
        self.0.write_json(w);
        w.item();
        self.1.write_json(w);
        w.end_array();
    }
    fn read_json(r: &mut Reader) -> Result<Self, Error> {
        r.begin_array()?;
        let length = || "invalid length, expected a tuple of size 2";
        if !r.next_item()? {
            return Err(r.error(length()));
        }
        let a = A::read_json(r)?;
        if !r.next_item()? {
            return Err(r.error(length()));
        }
        let b = B::read_json(r)?;
        if r.next_item()? {
            return Err(r.error("trailing characters"));
        }
        Ok((a, b))
    }
}

/// A map key: JSON object keys are strings, so numbers are written in quotes.
pub trait JsonKey: Sized + Ord {
    fn write_key(&self, w: &mut Writer);
    fn read_key(r: &Reader, key: Cow<str>) -> Result<Self, Error>;
}

impl JsonKey for String {
    fn write_key(&self, w: &mut Writer) {
        w.key(self);
    }
    fn read_key(_: &Reader, key: Cow<str>) -> Result<Self, Error> {
        Ok(key.into_owned())
    }
}

impl JsonKey for i32 {
    fn write_key(&self, w: &mut Writer) {
        // Digits and '-' need no escaping.
        w.key(&self.to_string());
    }
    fn read_key(r: &Reader, key: Cow<str>) -> Result<Self, Error> {
        let mut inner = Reader::new(&key);
        let n = inner.int::<i32>().and_then(|n| inner.finish().map(|_| n));
        n.map_err(|_| r.error(format!("invalid map key `{key}`, expected an i32")))
    }
}

/// A JSON object in key order, as `BTreeMap` writes it; read in any order (the last of a
/// repeated key wins, as with `BTreeMap`).
impl<K: JsonKey, V: Json> Json for VecMap<K, V> {
    fn write_json(&self, w: &mut Writer) {
        w.begin_object();
        for (k, v) in self.iter() {
            k.write_key(w);
            v.write_json(w);
        }
        w.end_object();
    }
    fn read_json(r: &mut Reader) -> Result<Self, Error> {
        let mut entries = Vec::new();
        read_members(r, &mut |r, key| {
            let key = K::read_key(r, key)?;
            entries.push((key, V::read_json(r)?));
            Ok(())
        })?;
        Ok(VecMap::from(entries))
    }
}

/// A JSON array in ascending order, as `BTreeSet` writes it.
impl<T: Json + Ord> Json for VecSet<T> {
    fn write_json(&self, w: &mut Writer) {
        w.begin_array();
        for v in self.iter() {
            w.item();
            v.write_json(w);
        }
        w.end_array();
    }
    fn read_json(r: &mut Reader) -> Result<Self, Error> {
        Vec::<T>::read_json(r).map(|items| items.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(f: impl FnOnce(&mut Writer)) -> String {
        let mut w = Writer::with_capacity(0);
        f(&mut w);
        w.into_string()
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let mut all: String = (0u32..0x80).filter_map(char::from_u32).collect();
        all.push_str("é€😀\u{7f}\u{2028}");
        for s in [all.as_str(), "", "plain", "\"q\"", "a\\b", "\u{1}"] {
            assert_eq!(
                written(|w| w.string(s)),
                serde_json::to_string(s).unwrap_or_default()
            );
            let text = written(|w| w.string(s));
            assert_eq!(from_str::<String>(&text), Ok(s.to_string()));
        }
        // Every special character at every place of a longer string (the eight-byte scan).
        for special in ["\"", "\\", "\n", "\u{1f}", "é", "😀", "\u{7f}"] {
            for at in 0..20 {
                let s = format!("{}{special}{}", "ab".repeat(at), "c".repeat(20 - at));
                let text = written(|w| w.string(&s));
                assert_eq!(text, serde_json::to_string(&s).unwrap_or_default());
                assert_eq!(from_str::<String>(&text), Ok(s));
            }
        }
        // serde_json's other escapes are read too.
        assert_eq!(
            from_str::<String>(r#""\/\u00e9\ud83d\ude00""#),
            Ok("/é😀".to_string())
        );
    }

    #[test]
    fn numbers_are_written_and_read_in_range() {
        for n in [0, 1, -1, 42, i64::MIN, i64::MAX] {
            let text = written(|w| w.i64(n));
            assert_eq!(text, n.to_string());
            assert_eq!(from_str::<i64>(&text), Ok(n));
        }
        assert_eq!(written(|w| w.u64(u64::MAX)), u64::MAX.to_string());
        assert_eq!(from_str::<u64>("18446744073709551615"), Ok(u64::MAX));
        for bad in [
            "18446744073709551616",
            "-1",
            "1.0",
            "1e3",
            "01",
            "-",
            "",
            "\"1\"",
        ] {
            assert!(from_str::<u64>(bad).is_err(), "{bad}");
        }
        assert_eq!(from_str::<u64>("-0"), Ok(0));
        assert!(from_str::<i64>("9223372036854775808").is_err());
        assert_eq!(from_str::<i64>("-9223372036854775808"), Ok(i64::MIN));
        assert!(from_str::<i32>("2147483648").is_err());
        assert!(from_str::<u8>("256").is_err());
    }

    #[test]
    fn containers_round_trip_as_serde_json_writes_them() {
        let map: VecMap<i32, Vec<Option<String>>> =
            VecMap::from(vec![(2, vec![None]), (1, vec![Some("x".to_string())])]);
        let text = to_string(&map, 0);
        assert_eq!(text, r#"{"1":["x"],"2":[null]}"#);
        assert_eq!(from_str::<VecMap<i32, Vec<Option<String>>>>(&text), Ok(map));
        let pairs = vec![(1i64, "a".to_string())];
        assert_eq!(
            to_string(&pairs, 0),
            serde_json::to_string(&pairs).unwrap_or_default()
        );
        assert_eq!(
            from_str::<Vec<(i64, String)>>(" [ [1 , \"a\" ] ] "),
            Ok(pairs)
        );
        let set: VecSet<i32> = from_str("[3,1,3,2]").unwrap_or_default();
        assert_eq!(to_string(&set, 0), "[1,2,3]");
    }

    /// A damaged or hand-edited snapshot: out of order and repeated keys read as a `BTreeMap`
    /// would read them (the last wins).
    #[test]
    fn maps_read_unsorted_and_repeated_keys_like_the_btree_collections() {
        let json = r#"{"b":1,"a":2,"b":3,"c":4,"a":5}"#;
        let ours: VecMap<String, i32> = from_str(json).unwrap_or_default();
        let std: std::collections::BTreeMap<String, i32> =
            serde_json::from_str(json).unwrap_or_default();
        assert!(ours.iter().eq(std.iter()));
        assert_eq!(
            to_string(&ours, 0),
            serde_json::to_string(&std).unwrap_or_default()
        );
        assert!(from_str::<VecMap<String, i32>>("[1]").is_err());
        assert!(from_str::<VecSet<i32>>(r#"{"a":1}"#).is_err());
        assert!(from_str::<VecMap<String, i32>>(r#"{"a":"x"}"#).is_err());
        assert!(from_str::<VecMap<i32, i32>>(r#"{"x":1}"#).is_err());
        assert!(from_str::<VecMap<i32, i32>>(r#"{"2147483648":1}"#).is_err());
    }

    #[test]
    fn bad_text_is_an_error_never_a_panic() {
        for bad in [
            "",
            "{",
            "[",
            "[1,]",
            "[1 2]",
            "{\"a\"}",
            "{\"a\":}",
            "{,}",
            "\"abc",
            "\"\\x\"",
            "\"\\u12\"",
            "\"\\ud800\"",
            "\"\u{1}\"",
            "nul",
            "tru",
            "[1]]",
            "{\"1\":[]} x",
            "{\"x\":[]}",
            "{\"1\":[null],\"1\":[]}x",
        ] {
            assert!(
                from_str::<VecMap<i32, Vec<Option<String>>>>(bad).is_err(),
                "{bad:?}"
            );
        }
        // Deep nesting is refused, not a stack overflow.
        let deep = "[".repeat(100_000);
        let mut r = Reader::new(&deep);
        assert!(r.skip_value().is_err());
        let deep = "[".repeat(100) + &"]".repeat(100);
        assert!(Reader::new(&deep).skip_value().is_ok());
        // Skipping checks every kind of value.
        let mut r = Reader::new(r#"{"a":[1,-2.5e+3,"s",true,false,null,{"b":{}}],"c":0}"#);
        assert!(r.skip_value().is_ok());
        assert!(r.finish().is_ok());
        for bad in ["1.", "-", "1e", "[1,{]", "{\"a\" 1}", "01"] {
            assert!(Reader::new(bad).skip_value().is_err(), "{bad}");
        }
    }

    #[derive(Debug, PartialEq)]
    struct Sample {
        a: i64,
        b: Option<String>,
        c: Vec<i32>,
        d: bool,
        e: u32,
        f: usize,
    }

    json_struct!(Sample { a: req, b: req, c: skip_empty, d: default(true), e: default } skip { f: 7 });

    #[test]
    fn structs_are_objects_of_their_fields() {
        let s = Sample {
            a: -1,
            b: None,
            c: Vec::new(),
            d: false,
            e: 2,
            f: 7,
        };
        assert_eq!(to_string(&s, 0), r#"{"a":-1,"b":null,"d":false,"e":2}"#);
        assert_eq!(
            from_str::<Sample>(r#"{"e":2,"a":-1,"d":false,"x":[{}]}"#),
            Ok(s)
        );
        let read = from_str::<Sample>(r#"{"a":5,"c":[1],"b":"s"}"#);
        assert_eq!(
            read.map(|s| (s.b, s.c, s.d, s.e)),
            Ok((Some("s".into()), vec![1], true, 0))
        );
        // Messages and places as the readers have always reported them.
        let error = |text| from_str::<Sample>(text).err().map(|e| e.to_string());
        let expected = |message: &str| Some(message.to_string());
        assert_eq!(
            error(r#"{"d":true}"#),
            expected("missing field `a` at line 1 column 10")
        );
        assert_eq!(
            error(r#"{"a":1,"b":null,"a":2}"#),
            expected("duplicate field `a` at line 1 column 20")
        );
        assert_eq!(
            error(r#"{"a":1,"e":1,"e":2}"#),
            expected("duplicate field `e` at line 1 column 17")
        );
        for bad in [
            r#"{"b":null}"#,
            r#"{"a":1,"a":1}"#,
            r#"{"a":1,"d":1}"#,
            "[1]",
            "{\"a\":1",
        ] {
            assert!(from_str::<Sample>(bad).is_err(), "{bad}");
        }
    }

    /// A small deterministic generator for the comparisons below.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    /// What serde_json's `Value` makes of a text (printed compactly), or its error.
    fn serde_json_says(text: &str) -> Result<String, String> {
        serde_json::from_str::<serde_json::Value>(text)
            .map(|v| v.to_string())
            .map_err(|e| e.to_string())
    }

    fn json_value_says(text: &str) -> Result<String, String> {
        from_str::<JsonValue>(text)
            .map(|v| v.to_string())
            .map_err(|e| e.to_string())
    }

    /// The tools print serde_json's reading of their JSON files (values, and errors with their
    /// place): every cut and many small edits of these texts read the same.
    #[test]
    fn values_read_and_print_as_serde_json_reads_and_prints_them() {
        let seeds = [
            "{\"partitions\": [{\"topic\": \"foo\", \"partition\": 1, \"offset\": 1}],\n \"version\":1\n}\n",
            r#"{"version":1,"partitions":[{"topic":"orders","partition":0,"replicas":[1,2],"log_dirs":["any","any"]}]}"#,
            r#"[1, -2, 3.5e10, -0, 0.1, 1e-7, 1E+2, 18446744073709551615, 18446744073709551616, -9223372036854775808, -9223372036854775809, 123456789012345678901234567890.5e-3, 1e308, 1.8e308, 1e400, 1e-400, 0e99999999999, 5e-324, 12345678901234567890.123]"#,
            r#"[true, false, null, "a\"b\\\/\b\f\n\r\t\u00e9\ud83d\ude00 é😀", {}, [], {"b":1,"a":2,"b":[3,{"c":null}]}]"#,
            "\t{ \"topics\" : [ { \"topic\" : \"orders\" } ] ,\r\n \"version\" : 1 }",
            r#"{"commands":["ls"],"show_commands":true,"brokers":3,"member":4294967296}"#,
        ];
        let alphabet: Vec<char> = "{}[],:\"\\ \n\t0123456789-+.eEtrufalsnub/\u{1}é😀x"
            .chars()
            .collect();
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let mut cases = 0;
        let mut check = |text: &str| {
            assert_eq!(json_value_says(text), serde_json_says(text), "{text:?}");
            cases += 1;
        };
        for seed in seeds {
            for cut in (0..=seed.len()).filter(|&i| seed.is_char_boundary(i)) {
                check(&seed[..cut]);
            }
            let chars: Vec<char> = seed.chars().collect();
            for _ in 0..3_000 {
                let mut edited = chars.clone();
                for _ in 0..1 + rng.below(3) {
                    let at = rng.below(edited.len() + 1);
                    let c = alphabet[rng.below(alphabet.len())];
                    match rng.below(3) {
                        0 => edited.insert(at, c),
                        1 if at < edited.len() => {
                            edited.remove(at);
                        }
                        _ if at < edited.len() => edited[at] = c,
                        _ => edited.push(c),
                    }
                }
                check(&edited.into_iter().collect::<String>());
            }
        }
        // Numbers of every shape.
        let number_chars: Vec<char> = "0123456789-+.eE".chars().collect();
        for _ in 0..20_000 {
            let len = 1 + rng.below(30);
            let text: String = (0..len)
                .map(|_| {
                    let kinds = if rng.below(4) == 0 { 15 } else { 10 };
                    number_chars[rng.below(kinds)]
                })
                .collect();
            check(&text);
            check(&format!("-{text}"));
            check(&format!("[{text}]"));
        }
        // Nesting: serde_json refuses a 128th level.
        for depth in [126, 127, 128, 129] {
            check(&("[".repeat(depth) + &"]".repeat(depth)));
            check(&("{\"a\":".repeat(depth) + "1" + &"}".repeat(depth)));
        }
        assert!(cases > 75_000, "{cases}");
    }

    #[test]
    fn floats_are_written_as_serde_json_writes_them() {
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        let check = |f: f64| {
            let ours = written(|w| w.f64(f));
            assert_eq!(ours, serde_json::to_string(&f).unwrap_or_default(), "{f:e}");
        };
        for f in [
            0.0,
            -0.0,
            1.0,
            0.1,
            1e15,
            1e16,
            1e-5,
            1e-6,
            123.456,
            f64::MAX,
            f64::MIN,
        ] {
            check(f);
        }
        for f in [
            f64::MIN_POSITIVE,
            5e-324,
            f64::NAN,
            f64::INFINITY,
            -f64::INFINITY,
        ] {
            check(f);
        }
        for _ in 0..20_000 {
            check(f64::from_bits(rng.next()));
        }
        for _ in 0..20_000 {
            // Numbers people write: few digits, small exponents.
            let digits = rng.below(1_000_000) as f64;
            check(digits * pow10(rng.below(20) as u32) / pow10(rng.below(25) as u32));
        }
    }

    #[test]
    fn powers_of_ten_are_correctly_rounded() {
        for n in 0..=308 {
            assert_eq!(Some(pow10(n)), format!("1e{n}").parse().ok(), "10^{n}");
        }
    }

    #[test]
    fn values_are_looked_into_as_serde_json_values_are() {
        let v: JsonValue = from_str(r#"{"a":[1,-1,1.0,"x",true,null,18446744073709551615]}"#)
            .unwrap_or(JsonValue::Null);
        let items = v.get("a").and_then(JsonValue::as_array).unwrap_or_default();
        let ints: Vec<_> = items.iter().map(|i| (i.as_i64(), i.as_u64())).collect();
        assert_eq!(
            ints,
            [
                (Some(1), Some(1)),
                (Some(-1), None),
                (None, None),
                (None, None),
                (None, None),
                (None, None),
                (None, Some(u64::MAX))
            ]
        );
        assert_eq!(items[3].as_str(), Some("x"));
        assert_eq!(items[4].as_bool(), Some(true));
        assert_eq!(v.get("b"), None);
        assert_eq!(items[0].get("a"), None);
    }

    #[test]
    fn errors_say_where() {
        let e = from_str::<Vec<i64>>("[1,\n 2,\n x]").err();
        assert_eq!(
            e.map(|e| e.to_string()),
            Some("invalid type: expected an integer at line 3 column 1".to_string())
        );
    }
}
