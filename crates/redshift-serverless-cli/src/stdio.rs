//! Every byte the program writes goes through here, so no write can panic.
//!
//! `println!` and `eprintln!` panic when the stream fails (`2>/dev/full`, or stderr piped
//! into a `head` that has exited), and so does tracing-subscriber's fallback when its writer
//! fails. Here standard output reports its errors to the caller, which turns them into an
//! exit code and a message; standard error, the last place to report anything, swallows its
//! own errors. The tracing writer is standard error through [`StderrWriter`], which never
//! returns an error, so tracing never falls back to `eprintln!`.

use std::io::{self, Write};

/// Writes `text` to standard output and flushes it.
pub fn write_stdout(text: &str) -> io::Result<()> {
    let mut stdout = io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()
}

/// Writes `text` to standard error; a failure is ignored, as there is nowhere left to say it.
pub fn write_stderr(text: &str) {
    let mut stderr = io::stderr().lock();
    let _ = stderr.write_all(text.as_bytes());
    let _ = stderr.flush();
}

/// Standard error for tracing: reports every write as done, whatever happened to it.
#[derive(Debug, Clone, Copy, Default)]
pub struct StderrWriter;

impl Write for StderrWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let _ = io::stderr().write_all(buf);
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
