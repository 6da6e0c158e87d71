//! Reading a decimal number into an `f64` (config values of type DOUBLE, `sleep 1.5`, the perf
//! test's `--throughput`, offset reset durations), without the standard library's parser.
//!
//! Why: `str::parse::<f64>` is correctly rounded for every input, and carries a table of
//! 128-bit powers of five for it, about 10 KB of the wasm that gzip cannot shrink — for the
//! handful of numbers a user types. This parser accepts the same text (`1`, `-0.5`, `.5`, `1.`,
//! `1e-3`, `inf`, `Infinity`, `NaN`, any case) and gives the same value whenever the digits fit
//! an `f64` mantissa and the exponent is small (|e| ≤ 22: every number anyone types into a
//! config), where one multiplication or division by an exact power of ten is correctly rounded
//! (Clinger's fast path). Beyond that the result may differ from the exact one in the last bits.

/// `text` as a number, or `None` when it is not one (the cases `str::parse::<f64>` refuses).
pub fn parse_f64(text: &str) -> Option<f64> {
    let (negative, unsigned) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let magnitude = if ["inf", "infinity"]
        .iter()
        .any(|word| unsigned.eq_ignore_ascii_case(word))
    {
        f64::INFINITY
    } else if unsigned.eq_ignore_ascii_case("nan") {
        f64::NAN
    } else {
        parse_decimal(unsigned)?
    };
    Some(if negative { -magnitude } else { magnitude })
}

/// Digits with an optional fraction and exponent: `12`, `1.5`, `.5`, `2.`, `3e8`, `1.5E-3`.
fn parse_decimal(text: &str) -> Option<f64> {
    let bytes = text.as_bytes();
    let mut i = 0;
    // The first 19 significant digits (they fit a u64); later ones only move the exponent.
    let mut mantissa: u64 = 0;
    let mut significant = 0;
    let mut exponent: i64 = 0;
    let mut digits = 0;
    let mut in_fraction = false;
    while i < bytes.len() {
        match bytes[i] {
            b'0'..=b'9' => {
                digits += 1;
                let d = u64::from(bytes[i] - b'0');
                if significant < 19 {
                    if mantissa > 0 || d > 0 {
                        significant += 1;
                    }
                    mantissa = mantissa * 10 + d;
                    if in_fraction {
                        exponent -= 1;
                    }
                } else if !in_fraction {
                    exponent += 1;
                }
            }
            b'.' if !in_fraction => in_fraction = true,
            _ => break,
        }
        i += 1;
    }
    if digits == 0 {
        return None;
    }
    if i < bytes.len() {
        if !matches!(bytes[i], b'e' | b'E') {
            return None;
        }
        let rest = &text[i + 1..];
        let (sign, exp_digits) = match rest.as_bytes().first() {
            Some(b'-') => (-1, &rest[1..]),
            Some(b'+') => (1, &rest[1..]),
            _ => (1, rest),
        };
        if exp_digits.is_empty() || !exp_digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        // Saturates: an exponent of thousands of digits is still just "too big".
        let e = exp_digits
            .bytes()
            .fold(0i64, |e, b| (e * 10 + i64::from(b - b'0')).min(100_000));
        exponent += sign * e;
    }
    Some(scale(mantissa, exponent))
}

/// `mantissa × 10^exponent`.
fn scale(mantissa: u64, exponent: i64) -> f64 {
    if mantissa == 0 {
        return 0.0;
    }
    let mut value = mantissa as f64;
    if exponent == 0 {
        return value;
    }
    // Exact powers of ten: 10^22 is the largest an f64 holds exactly.
    const EXACT: f64 = 1e22;
    let mut e = exponent.clamp(-400, 400);
    while e > 22 {
        value *= EXACT;
        e -= 22;
    }
    while e < -22 {
        value /= EXACT;
        e += 22;
    }
    let power = (0..e.abs()).fold(1.0f64, |p, _| p * 10.0);
    if e > 0 { value * power } else { value / power }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_numbers_read_as_the_standard_parser_reads_them() {
        for text in [
            "0",
            "1",
            "-1",
            "+1",
            "0.5",
            "0.1",
            "0.01",
            "3.14159",
            "100",
            "1.5e3",
            "1e-3",
            "1E3",
            "-0.25",
            ".5",
            "1.",
            "0.75",
            "2.5e-5",
            "123456789012",
            "9007199254740993",
            "1e22",
            "1e300",
            "1e308",
            "1e309",
            "5e-324",
            "1e-400",
            "0.000001",
            "-0",
            "00012.5000",
            "inf",
            "-inf",
            "Infinity",
            "INF",
            "123456789012345678901234567890",
        ] {
            let expected: f64 = text.parse().unwrap();
            let got = parse_f64(text).unwrap_or_else(|| panic!("{text} refused"));
            let close = got == expected
                || ((got - expected) / expected).abs() < 1e-15
                || (expected.abs() < 1e-300 && got.abs() < 1e-300);
            assert!(close, "{text}: {got} != {expected}");
        }
        // Where the fast path holds, exactly the same value.
        for text in [
            "0.1",
            "0.3",
            "1.5e3",
            "2.5e-5",
            "0.000001",
            "12345.678",
            "-7.25e10",
        ] {
            assert_eq!(parse_f64(text), text.parse().ok(), "{text}");
        }
        assert!(parse_f64("NaN").is_some_and(f64::is_nan));
        assert!(parse_f64("-nan").is_some_and(f64::is_nan));
    }

    #[test]
    fn what_is_not_a_number_is_refused() {
        for text in [
            "", "-", "+", ".", "e5", "1e", "1e+", "1.2.3", "1,5", " 1", "1 ", "abc", "1x", "--1",
            "0x10", "in", "infinit", "1e5.5", "١",
        ] {
            assert_eq!(parse_f64(text), None, "{text:?}");
            assert!(text.parse::<f64>().is_err(), "{text:?} parses in Rust");
        }
    }
}
