//! Warnings said once on standard error, without `--debug`: settings that do not do what
//! the user probably expects.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextRef;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;

use crate::escape::escape_controls;
use crate::stdio::write_stderr;

/// The line for set proxy variables, which the HTTP client does not use (it connects
/// directly), or nothing when none is set.
pub fn proxy_warning(set: &[&str]) -> Option<String> {
    let (last, rest) = set.split_last()?;
    let names = if rest.is_empty() {
        format!("{last} is")
    } else {
        format!("{} and {last} are", rest.join(", "))
    };
    Some(format!(
        "Warning: {names} set, but redshift-serverless does not use a proxy: it connects to \
         the endpoint directly.\n"
    ))
}

/// `--no-verify-ssl`'s warning (urllib3's, which the AWS CLI shows), once, before the first
/// https request.
#[derive(Debug, Clone, Default)]
pub struct InsecureRequestWarning {
    said: Arc<AtomicBool>,
}

impl InsecureRequestWarning {
    /// The warning line for `host`.
    pub fn text(host: &str) -> String {
        format!(
            "InsecureRequestWarning: Unverified HTTPS request is being made to host '{}'. \
             Adding certificate verification is strongly advised.\n",
            escape_controls(host)
        )
    }
}

impl Intercept for InsecureRequestWarning {
    fn name(&self) -> &'static str {
        "InsecureRequestWarning"
    }

    fn read_before_transmit(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let uri = context.request().uri();
        if let Ok(parsed) = uri.parse::<http::Uri>() {
            if parsed.scheme_str() == Some("https") && !self.said.swap(true, Ordering::Relaxed) {
                write_stderr(&Self::text(parsed.host().unwrap_or_default()));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proxy_lines() {
        assert_eq!(proxy_warning(&[]), None);
        assert_eq!(
            proxy_warning(&["HTTPS_PROXY"]).as_deref(),
            Some("Warning: HTTPS_PROXY is set, but redshift-serverless does not use a proxy: it connects to the endpoint directly.\n")
        );
        let two = proxy_warning(&["HTTPS_PROXY", "all_proxy"]).unwrap_or_default();
        assert!(
            two.starts_with("Warning: HTTPS_PROXY and all_proxy are set,"),
            "{two}"
        );
    }
}
