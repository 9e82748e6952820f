//! The timestamp formats the emulator speaks: the SigV4 `x-amz-date` basic format
//! (`20261128T050000Z`), RFC 3339 (`2026-11-28T05:00:00Z`) and the HTTP `Date` header
//! (`Sat, 28 Nov 2026 05:00:00 GMT`).
//!
//! All three go through `aws_smithy_types::DateTime` and its formats, the ones the client
//! and the official SDK use; the basic format is RFC 3339 without its `-` and `:`
//! separators. Instants are whole seconds between 1970-01-01T00:00:00Z and
//! 9999-12-31T23:59:59Z (the formats have four-digit years); outside that range they clamp
//! to its ends.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_smithy_types::date_time::{DateTime, Format};

/// Seconds since the Unix epoch of 9999-12-31T23:59:59Z, the latest instant the formats
/// carry.
pub(crate) const LATEST_TIMESTAMP_SECS: u64 = 253_402_300_799;

/// Whole seconds since the Unix epoch, clamped to `0..=LATEST_TIMESTAMP_SECS` (the emulator
/// never needs earlier times, and a clamped value simply fails the clock-skew check).
fn epoch_secs(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs().min(LATEST_TIMESTAMP_SECS))
}

/// Formats the clamped `t` in `format`. Every instant in the clamped range is formattable,
/// so the empty string is never returned in practice.
fn format(t: SystemTime, format: Format) -> String {
    // In range for i64: LATEST_TIMESTAMP_SECS is far below i64::MAX.
    DateTime::from_secs(epoch_secs(t) as i64)
        .fmt(format)
        .unwrap_or_default()
}

/// Formats `t` (truncated to whole seconds) as RFC 3339 in UTC, e.g. `2026-11-28T05:00:00Z`.
pub fn format_rfc3339(t: SystemTime) -> String {
    format(t, Format::DateTime)
}

/// Formats `t` as an HTTP date (RFC 9110 IMF-fixdate), e.g. `Sat, 28 Nov 2026 05:00:00 GMT`.
pub fn format_http_date(t: SystemTime) -> String {
    format(t, Format::HttpDate)
}

/// Formats `t` as a SigV4 date-time, e.g. `20261128T050000Z`.
pub fn format_amz_date(t: SystemTime) -> String {
    format_rfc3339(t).replace(['-', ':'], "")
}

/// Parses a SigV4 `x-amz-date` value (`YYYYMMDDTHHMMSSZ`, UTC, whole seconds from 1970).
pub fn parse_amz_date(s: &str) -> Option<SystemTime> {
    let b = s.as_bytes();
    let digits_at = |range: std::ops::Range<usize>| b[range].iter().all(u8::is_ascii_digit);
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' || !digits_at(0..8) || !digits_at(9..15) {
        return None;
    }
    // Checked above: ASCII digits, so every slice is on a character boundary.
    let extended = format!(
        "{}-{}-{}T{}:{}:{}Z",
        &s[0..4],
        &s[4..6],
        &s[6..8],
        &s[9..11],
        &s[11..13],
        &s[13..15]
    );
    let parsed = DateTime::from_str(&extended, Format::DateTime).ok()?;
    // A leap second (`…T235960Z`) parses as a fraction of the second before; refuse it.
    if parsed.subsec_nanos() != 0 {
        return None;
    }
    Some(UNIX_EPOCH + Duration::from_secs(u64::try_from(parsed.secs()).ok()?))
}

/// The absolute distance between two instants.
pub fn distance(a: SystemTime, b: SystemTime) -> Duration {
    match a.duration_since(b) {
        Ok(d) => d,
        Err(e) => e.duration(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_known_dates() {
        let t = parse_amz_date("20261128T050000Z").unwrap();
        assert_eq!(format_rfc3339(t), "2026-11-28T05:00:00Z");
        assert_eq!(format_amz_date(t), "20261128T050000Z");
        assert_eq!(format_rfc3339(UNIX_EPOCH), "1970-01-01T00:00:00Z");
        let leap = parse_amz_date("20240229T235959Z").unwrap();
        assert_eq!(format_rfc3339(leap), "2024-02-29T23:59:59Z");
        assert_eq!(epoch_secs(t), 1_795_842_000);
        assert_eq!(format_http_date(t), "Sat, 28 Nov 2026 05:00:00 GMT");
        assert_eq!(
            format_http_date(UNIX_EPOCH),
            "Thu, 01 Jan 1970 00:00:00 GMT"
        );
        assert_eq!(format_http_date(leap), "Thu, 29 Feb 2024 23:59:59 GMT");
    }

    #[test]
    fn rejects_malformed_dates() {
        for bad in [
            "",
            "20261128T050000",
            "2026-11-28T05:00:00Z",
            "20260230T000000Z",
            "20261328T000000Z",
            "20261128T240000Z",
            "2026112XT050000Z",
            "+0261128T050000Z",
            "20261128T05000éZ",
            "20261231T235960Z",
            "19691231T235959Z",
            "00000101T000000Z",
        ] {
            assert!(parse_amz_date(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn out_of_range_instants_clamp_to_the_formats_ends() {
        let after = UNIX_EPOCH + Duration::from_secs(LATEST_TIMESTAMP_SECS + 1);
        assert_eq!(format_rfc3339(after), "9999-12-31T23:59:59Z");
        assert_eq!(format_amz_date(after), "99991231T235959Z");
        assert_eq!(format_http_date(after), "Fri, 31 Dec 9999 23:59:59 GMT");
        let before = UNIX_EPOCH - Duration::from_secs(1);
        assert_eq!(format_rfc3339(before), "1970-01-01T00:00:00Z");
        assert_eq!(
            parse_amz_date("99991231T235959Z"),
            Some(UNIX_EPOCH + Duration::from_secs(LATEST_TIMESTAMP_SECS))
        );
    }

    proptest::proptest! {
        /// Every whole second of the range survives formatting and parsing, in each format.
        #[test]
        fn every_second_round_trips(secs in 0..=LATEST_TIMESTAMP_SECS) {
            let t = UNIX_EPOCH + Duration::from_secs(secs);
            let amz = format_amz_date(t);
            proptest::prop_assert_eq!(parse_amz_date(&amz), Some(t), "{}", amz);
            let rfc = format_rfc3339(t);
            proptest::prop_assert_eq!(amz, rfc.replace(['-', ':'], ""));
            let http = DateTime::from_str(&format_http_date(t), Format::HttpDate).unwrap();
            proptest::prop_assert_eq!(http.secs(), secs as i64);
        }
    }
}
