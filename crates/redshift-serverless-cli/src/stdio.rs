//! Every byte the program writes goes through here, so no write can panic.
//!
//! `println!` and `eprintln!` panic when the stream fails (`2>/dev/full`, or stderr piped
//! into a `head` that has exited), and so does tracing-subscriber's fallback when its writer
//! fails. Here standard output reports its errors to the caller, which turns them into an
//! exit code and a message; standard error, the last place to report anything, swallows its
//! own errors. The tracing writer is standard error through [`StderrWriter`], which never
//! returns an error, so tracing never falls back to `eprintln!`.
//!
//! Standard error is also where network and child-process text is quoted (service messages,
//! error codes, a `credential_process`'s standard error, the `--debug` log), so everything
//! written there goes through `escape.rs` once more: a message's own lines are kept, and
//! every other control, bidirectional control or line separator is escaped, whether or not
//! the message escaped what it quoted, and the user information of any URL (a password in
//! `--endpoint-url`) is redacted. Only clap's usage text, which quotes nothing but the
//! command line and may be coloured, is written as it is ([`write_stderr_raw`]).

use std::io::{self, Write};

use crate::endpoint_url::redact_userinfo;
use crate::escape::{escape_controls, escape_lines};

/// Writes `text` to standard output and flushes it.
pub fn write_stdout(text: &str) -> io::Result<()> {
    let mut stdout = io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()
}

/// Writes `text` to standard error with its lines kept, any other control character escaped
/// ([`escape_lines`]) and URLs' user information redacted; a failure is ignored, as there is
/// nowhere left to say it.
pub fn write_stderr(text: &str) {
    write_stderr_raw(&redact_userinfo(&escape_lines(text)));
}

/// Writes `text` to standard error as it is: for clap's usage and help text only.
pub fn write_stderr_raw(text: &str) {
    let mut stderr = io::stderr().lock();
    let _ = stderr.write_all(text.as_bytes());
    let _ = stderr.flush();
}

/// One `--debug` event as it reaches the terminal: URLs without their user information, and
/// everything escaped, its line breaks included (a field's value may hold one), except the
/// newline that ends the event.
pub fn debug_line(buf: &[u8]) -> String {
    let text = String::from_utf8_lossy(buf);
    let text = redact_userinfo(&text);
    match text.strip_suffix('\n') {
        Some(line) => format!("{}\n", escape_controls(line)),
        None => escape_controls(&text).into_owned(),
    }
}

/// Standard error for tracing: each event (tracing-subscriber writes one per call) escaped
/// by [`debug_line`]; reports every write as done, whatever happened to it.
#[derive(Debug, Clone, Copy, Default)]
pub struct StderrWriter;

impl Write for StderrWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let _ = io::stderr().write_all(debug_line(buf).as_bytes());
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        let _ = io::stderr().flush();
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for StderrWriter {
    type Writer = StderrWriter;

    fn make_writer(&'a self) -> Self::Writer {
        StderrWriter
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_events_are_one_escaped_line() {
        assert_eq!(
            debug_line(b"DEBUG code=Validation\x1b[2JException\xc2\x9b msg=a\nb\n"),
            "DEBUG code=Validation\\u{1b}[2JException\\u{9b} msg=a\\nb\n"
        );
        assert_eq!(debug_line(b"no newline"), "no newline");
        assert_eq!(debug_line(b"bad \xff utf-8\n"), "bad \u{fffd} utf-8\n");
    }
}
