//! Every local file the command reads, read with a size limit.
//!
//! A path can name anything: `/dev/zero`, a FIFO fed by another process, a log that keeps
//! growing, a file of gigabytes by mistake. Read whole, such a file grew the process to
//! gigabytes before anything looked at it (`AWS_CONFIG_FILE=/dev/zero` reached 2.1 GB and was
//! then taken for an empty file). The files this command reads (the shared config and
//! credentials files, a CA bundle, a `file://` parameter) are kilobytes, so each is read up to
//! [`MAX_FILE_SIZE`] and refused past it, with a message naming the file.

use std::fmt;
use std::io::{self, Read};
use std::path::Path;

/// The largest local file read: 4 MiB. A shared config file with a thousand SSO profiles
/// is a few hundred KiB and the system's CA bundle about 200 KiB.
pub const MAX_FILE_SIZE: u64 = 4 * 1024 * 1024;

/// Why a file could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// More than the limit was there to read.
    TooLarge {
        /// The limit, in bytes.
        limit: u64,
    },
    /// Opening or reading it failed.
    Io(io::Error),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::TooLarge { limit } => write!(
                f,
                "it is larger than {} MiB ({limit} bytes), the most this command reads",
                limit / (1024 * 1024)
            ),
            ReadError::Io(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for ReadError {}

impl From<io::Error> for ReadError {
    fn from(e: io::Error) -> Self {
        ReadError::Io(e)
    }
}

impl ReadError {
    /// Whether the file does not exist.
    pub fn is_not_found(&self) -> bool {
        matches!(self, ReadError::Io(e) if e.kind() == io::ErrorKind::NotFound)
    }
}

/// The bytes of `path`, or [`ReadError::TooLarge`] once more than `limit` bytes arrive
/// (at most `limit + 1` are read).
pub fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > limit {
        return Err(ReadError::TooLarge { limit });
    }
    Ok(bytes)
}

/// [`read_limited`] with [`MAX_FILE_SIZE`].
pub fn read(path: &Path) -> Result<Vec<u8>, ReadError> {
    read_limited(path, MAX_FILE_SIZE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endless_and_oversized_files_stop_at_the_limit() {
        // /dev/zero never ends: at most limit + 1 bytes are read.
        match read_limited(Path::new("/dev/zero"), 1000) {
            Err(ReadError::TooLarge { limit: 1000 }) => {}
            other => panic!("{other:?}"),
        }
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("f");
        std::fs::write(&path, [b'x'; 1001]).expect("write");
        assert!(matches!(
            read_limited(&path, 1000),
            Err(ReadError::TooLarge { .. })
        ));
        assert_eq!(read_limited(&path, 1001).map(|b| b.len()).ok(), Some(1001));
        let missing = read_limited(&dir.path().join("nope"), 10);
        assert!(missing.as_ref().is_err_and(ReadError::is_not_found));
        assert_eq!(
            ReadError::TooLarge {
                limit: MAX_FILE_SIZE
            }
            .to_string(),
            "it is larger than 4 MiB (4194304 bytes), the most this command reads"
        );
    }
}
