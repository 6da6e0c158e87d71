//! The simulated clock: milliseconds since the Unix epoch, moved only by explicit calls.
//!
//! Invariant: time never goes backwards.

/// 2025-01-01T00:00:00Z, where a cluster created without a start time begins.
pub const DEFAULT_START_MS: i64 = 1_735_689_600_000;

/// The last moment the clock can show: 9999-12-31 23:59:59,999, the last timestamp Kafka's
/// date formats print. Found by fuzzing: `playground advance 9223372036854775807` took the
/// clock to `i64::MAX`, where every deadline computed from it (`now + interval`) overflowed.
/// Bounded here, the clock leaves room for any timeout a Java `int` or a config can add.
pub const MAX_MS: i64 = 253_402_300_799_999;

#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Clock {
    /// Always within `0..=MAX_MS`, also when read from a snapshot.
    #[serde(deserialize_with = "bounded")]
    now_ms: i64,
}

/// A snapshot's clock, brought within `0..=MAX_MS` (a damaged or edited snapshot may hold any
/// number).
fn bounded<'de, D: serde::Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    <i64 as serde::Deserialize>::deserialize(d).map(|ms| ms.clamp(0, MAX_MS))
}

impl Clock {
    pub fn starting_at(now_ms: i64) -> Self {
        Clock {
            now_ms: now_ms.clamp(0, MAX_MS),
        }
    }

    pub fn now_ms(&self) -> i64 {
        self.now_ms
    }

    /// Moves the clock forward by `ms` (negative values are ignored: time never goes back).
    pub fn advance(&mut self, ms: i64) {
        self.now_ms = self.now_ms.saturating_add(ms.max(0)).min(MAX_MS);
    }

    /// Moves the clock to `ms` if that is later than now (the UI follows the wall clock this way).
    pub fn advance_to(&mut self, ms: i64) {
        self.now_ms = self.now_ms.max(ms.min(MAX_MS));
    }
}

/// Formats epoch milliseconds the way Kafka's log4j pattern `%d` does: `2025-01-01 10:00:00,123`
/// (UTC in the playground).
pub fn format_log_timestamp(ms: i64) -> String {
    let (date, time_ms) = (ms.div_euclid(86_400_000), ms.rem_euclid(86_400_000));
    let (y, m, d) = civil_from_days(date);
    let (h, min, s, milli) = (
        time_ms / 3_600_000,
        time_ms / 60_000 % 60,
        time_ms / 1000 % 60,
        time_ms % 1000,
    );
    format!("{y:04}-{m:02}-{d:02} {h:02}:{min:02}:{s:02},{milli:03}")
}

/// Days since 1970-01-01 to a proleptic Gregorian (year, month, day); Howard Hinnant's algorithm.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_log4j() {
        assert_eq!(
            format_log_timestamp(DEFAULT_START_MS),
            "2025-01-01 00:00:00,000"
        );
        assert_eq!(
            format_log_timestamp(DEFAULT_START_MS + 36_000_123),
            "2025-01-01 10:00:00,123"
        );
        assert_eq!(
            format_log_timestamp(951_782_400_000),
            "2000-02-29 00:00:00,000"
        );
    }

    #[test]
    fn never_goes_back() {
        let mut c = Clock::starting_at(100);
        c.advance(-5);
        c.advance_to(50);
        assert_eq!(c.now_ms(), 100);
        c.advance(10);
        assert_eq!(c.now_ms(), 110);
    }

    #[test]
    fn stops_at_the_end_of_year_9999() {
        let mut c = Clock::starting_at(100);
        c.advance(i64::MAX);
        assert_eq!(c.now_ms(), MAX_MS);
        assert_eq!(format_log_timestamp(MAX_MS), "9999-12-31 23:59:59,999");
        c.advance_to(i64::MAX);
        assert_eq!(c.now_ms(), MAX_MS);
        let c: Clock = serde_json::from_str(r#"{"now_ms":9223372036854775807}"#).unwrap();
        assert_eq!(c.now_ms(), MAX_MS);
        let c: Clock = serde_json::from_str(r#"{"now_ms":-5}"#).unwrap();
        assert_eq!(c.now_ms(), 0);
    }
}
