//! Calendar conversions for the timestamp formats the emulator speaks: the SigV4
//! `x-amz-date` basic format (`20261128T050000Z`), RFC 3339 (`2026-11-28T05:00:00Z`) and
//! the HTTP `Date` header (`Sat, 28 Nov 2026 05:00:00 GMT`).
//!
//! Hand-rolled (Howard Hinnant's civil-date algorithms) so the crate does not need a full
//! date library for two fixed, UTC-only formats.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Days since 1970-01-01 for a proleptic Gregorian date.
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`].
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

/// Whole seconds since the Unix epoch (times before 1970 clamp to 0: the emulator never
/// needs them and a clamped value simply fails the clock-skew check).
fn epoch_secs(t: SystemTime) -> i64 {
    t.duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

fn parts(t: SystemTime) -> (i64, u32, u32, i64, i64, i64) {
    let secs = epoch_secs(t);
    let (y, mo, d) = civil_from_days(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400);
    (y, mo, d, rem / 3600, (rem % 3600) / 60, rem % 60)
}

/// Formats `t` (truncated to whole seconds) as RFC 3339 in UTC, e.g. `2026-11-28T05:00:00Z`.
pub fn format_rfc3339(t: SystemTime) -> String {
    let (y, mo, d, h, mi, s) = parts(t);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
}

/// Formats `t` as an HTTP date (RFC 9110 IMF-fixdate), e.g. `Sat, 28 Nov 2026 05:00:00 GMT`.
pub fn format_http_date(t: SystemTime) -> String {
    const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let (y, mo, d, h, mi, s) = parts(t);
    // 1970-01-01 was a Thursday.
    let weekday = WEEKDAYS[epoch_secs(t).div_euclid(86_400).rem_euclid(7) as usize];
    let month = MONTHS[(mo - 1) as usize];
    format!("{weekday}, {d:02} {month} {y:04} {h:02}:{mi:02}:{s:02} GMT")
}

/// Formats `t` as a SigV4 date-time, e.g. `20261128T050000Z`.
pub fn format_amz_date(t: SystemTime) -> String {
    let (y, mo, d, h, mi, s) = parts(t);
    format!("{y:04}{mo:02}{d:02}T{h:02}{mi:02}{s:02}Z")
}

fn digits(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Parses a SigV4 `x-amz-date` value (`YYYYMMDDTHHMMSSZ`, UTC).
pub fn parse_amz_date(s: &str) -> Option<SystemTime> {
    if s.len() != 16 || !s.is_ascii() || &s[8..9] != "T" || &s[15..16] != "Z" {
        return None;
    }
    let year = i64::from(digits(&s[0..4])?);
    let month = digits(&s[4..6])?;
    let day = digits(&s[6..8])?;
    let hour = digits(&s[9..11])?;
    let minute = digits(&s[11..13])?;
    let second = digits(&s[13..15])?;
    if !(1..=12).contains(&month)
        || day == 0
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 59
        || year < 1970
    {
        return None;
    }
    let secs = days_from_civil(year, month, day) * 86_400
        + i64::from(hour) * 3600
        + i64::from(minute) * 60
        + i64::from(second);
    Some(UNIX_EPOCH + Duration::from_secs(u64::try_from(secs).ok()?))
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
        ] {
            assert!(parse_amz_date(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn every_day_round_trips() {
        for days in -800_000..800_000i64 {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }
}
