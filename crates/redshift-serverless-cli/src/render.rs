//! Turning the operation's output into what the command prints.

use serde_json::{Map, Value};

use crate::args::OutputFormat;

/// The printable part of a successful response.
///
/// Deliberately not `Debug`: it holds the token.
pub struct TokenOutput<'a> {
    /// The Identity Center token, when the service sent one.
    pub token: Option<&'a str>,
    /// Expiration as seconds since the Unix epoch and nanoseconds.
    pub expiration: Option<(i64, u32)>,
}

impl std::fmt::Debug for TokenOutput<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenOutput")
            .field("token", &self.token.map(|_| "** redacted **"))
            .field("expiration", &self.expiration)
            .finish()
    }
}

/// The text written to standard output (with a trailing newline).
///
/// JSON mirrors the AWS CLI: model member names as keys, absent members left out, four-space
/// indentation, timestamps as RFC 3339 with a numeric offset.
pub fn render(out: &TokenOutput<'_>, format: OutputFormat) -> String {
    let expiration = out.expiration.map(|(secs, nanos)| rfc3339(secs, nanos));
    match format {
        OutputFormat::Json => {
            let mut map = Map::new();
            if let Some(token) = out.token {
                map.insert("token".into(), Value::String(token.into()));
            }
            if let Some(exp) = expiration {
                map.insert("expirationTime".into(), Value::String(exp));
            }
            let value = Value::Object(map);
            let mut buf = Vec::new();
            let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
            let written = {
                let mut ser = serde_json::Serializer::with_formatter(&mut buf, formatter);
                serde::Serialize::serialize(&value, &mut ser)
            };
            // Serializing strings into a Vec cannot fail; fall back to compact JSON anyway.
            let text = match written {
                Ok(()) => String::from_utf8_lossy(&buf).into_owned(),
                Err(_) => value.to_string(),
            };
            format!("{text}\n")
        }
        OutputFormat::Text => {
            let fields: Vec<&str> = [out.token, expiration.as_deref()]
                .into_iter()
                .flatten()
                .collect();
            format!("{}\n", fields.join("\t"))
        }
    }
}

/// Formats a UTC instant the way the AWS CLI does (Python's `isoformat()`):
/// `2026-11-28T05:00:00+00:00`, with `.ffffff` microseconds only when they are not zero.
pub fn rfc3339(secs: i64, nanos: u32) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let (hh, mm, ss) = (rem / 3600, rem % 3600 / 60, rem % 60);
    let micros = nanos / 1_000;
    let frac = if micros == 0 {
        String::new()
    } else {
        format!(".{micros:06}")
    };
    format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}{frac}+00:00")
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    // d is 1..=31 and m is 1..=12 by construction.
    (y, m as u32, d as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_like_the_aws_cli() {
        assert_eq!(rfc3339(0, 0), "1970-01-01T00:00:00+00:00");
        // 2026-11-28T05:00:00Z, the spec's example.
        assert_eq!(rfc3339(1_795_842_000, 0), "2026-11-28T05:00:00+00:00");
        assert_eq!(rfc3339(951_782_400, 0), "2000-02-29T00:00:00+00:00");
        assert_eq!(rfc3339(4_107_542_399, 0), "2100-02-28T23:59:59+00:00");
        assert_eq!(
            rfc3339(1_795_842_000, 120_000_000),
            "2026-11-28T05:00:00.120000+00:00"
        );
        // Below a microsecond is dropped, as Python's datetime does.
        assert_eq!(rfc3339(1_795_842_000, 999), "2026-11-28T05:00:00+00:00");
        assert_eq!(rfc3339(-1, 0), "1969-12-31T23:59:59+00:00");
    }

    #[test]
    fn json_and_text() {
        let out = TokenOutput {
            token: Some("tok"),
            expiration: Some((1_795_842_000, 0)),
        };
        assert_eq!(
            render(&out, OutputFormat::Json),
            "{\n    \"token\": \"tok\",\n    \"expirationTime\": \"2026-11-28T05:00:00+00:00\"\n}\n"
        );
        assert_eq!(
            render(&out, OutputFormat::Text),
            "tok\t2026-11-28T05:00:00+00:00\n"
        );
        let empty = TokenOutput {
            token: None,
            expiration: None,
        };
        assert_eq!(render(&empty, OutputFormat::Json), "{}\n");
        assert!(!format!("{out:?}").contains("tok\""));
    }
}
