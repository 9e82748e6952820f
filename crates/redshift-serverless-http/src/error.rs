//! Sorting hyper's errors into the `ConnectorError` kinds the retry classifier reads.

use crate::timeout::TimeoutError;
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_types::retry::ErrorKind;
use std::error::Error as StdError;

type BoxError = Box<dyn StdError + Send + Sync>;

/// The kind of a failed request:
/// - a [`TimeoutError`] anywhere in the chain: timeout;
/// - hyper's own verdicts: misuse is `user`; a closed or cancelled connection, or an I/O
///   error under it, is `io`; a response cut short is a transient `other`;
/// - a failure to connect (hyper-util's `is_connect`), or any I/O error: `io`;
/// - anything else: `other`, unclassified.
///
/// The error itself is kept whole as the source, so the classifier can still look for
/// `std::io::ErrorKind`s, DNS failures and TLS alerts in the chain.
pub(crate) fn to_connector_error(err: BoxError) -> ConnectorError {
    if find::<TimeoutError>(err.as_ref()).is_some() {
        return ConnectorError::timeout(err);
    }
    if let Some(hyper) = find::<hyper::Error>(err.as_ref()) {
        if hyper.is_user() {
            return ConnectorError::user(err);
        }
        if hyper.is_closed() || hyper.is_canceled() || find::<std::io::Error>(hyper).is_some() {
            return ConnectorError::io(err);
        }
        if hyper.is_incomplete_message() {
            return ConnectorError::other(err, Some(ErrorKind::TransientError));
        }
    }
    let connect = find::<hyper_util::client::legacy::Error>(err.as_ref())
        .is_some_and(|legacy| legacy.is_connect());
    if connect || find::<std::io::Error>(err.as_ref()).is_some() {
        return ConnectorError::io(err);
    }
    ConnectorError::other(err, None)
}

/// The first error of type `T` in `err`'s source chain, `err` included.
fn find<'a, T: StdError + 'static>(err: &'a (dyn StdError + 'static)) -> Option<&'a T> {
    let mut next = Some(err);
    while let Some(e) = next {
        if let Some(found) = e.downcast_ref::<T>() {
            return Some(found);
        }
        next = e.source();
    }
    None
}
