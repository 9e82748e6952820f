//! The `aws.parseArn` rules function.

// Inlineable (see `codegen/src/emit/inlineable.rs`): the generator copies this file into the
// client crate as `endpoint_lib/arn.rs` when the rule set calls `aws.parseArn`. The rules are
// smithy-rs's `endpoint_lib::arn`: six `:`-separated parts, the first `arn`, the partition,
// service and resource non-empty; the resource id split on `:` and `/`.

/// A parsed ARN, borrowing the string it was parsed from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Arn<'a> {
    partition: &'a str,
    service: &'a str,
    region: &'a str,
    account_id: &'a str,
    resource: &'a str,
}

// Each rule set reads the attributes it needs; the others are unused there.
#[allow(dead_code)]
impl<'a> Arn<'a> {
    /// The partition (`aws`).
    pub(crate) fn partition(&self) -> &'a str {
        self.partition
    }
    /// The service (`kinesis`).
    pub(crate) fn service(&self) -> &'a str {
        self.service
    }
    /// The region, possibly empty.
    pub(crate) fn region(&self) -> &'a str {
        self.region
    }
    /// The account id, possibly empty.
    pub(crate) fn account_id(&self) -> &'a str {
        self.account_id
    }
    /// The `index`th part of the resource id split on `:` and `/` (`resourceId[index]`),
    /// or `None` when it has fewer parts.
    pub(crate) fn resource_id(&self, index: usize) -> ::std::option::Option<&'a str> {
        self.resource.split([':', '/']).nth(index)
    }
}

/// Parses `input` as an ARN; `None` when it is not one.
pub(crate) fn parse_arn(input: &str) -> ::std::option::Option<Arn<'_>> {
    let mut parts = input.splitn(6, ':');
    let (arn, partition, service, region, account_id, resource) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    if arn != "arn" || partition.is_empty() || service.is_empty() || resource.is_empty() {
        return ::std::option::Option::None;
    }
    ::std::option::Option::Some(Arn {
        partition,
        service,
        region,
        account_id,
        resource,
    })
}

#[cfg(test)]
mod tests {
    use super::parse_arn;

    #[test]
    fn arns_parse_into_their_parts() {
        let arn = parse_arn("arn:aws:kinesis:us-east-1:123:stream/test:x").expect("an ARN");
        assert_eq!(
            (
                arn.partition(),
                arn.service(),
                arn.region(),
                arn.account_id()
            ),
            ("aws", "kinesis", "us-east-1", "123")
        );
        assert_eq!(arn.resource_id(0), Some("stream"));
        assert_eq!(arn.resource_id(1), Some("test"));
        assert_eq!(arn.resource_id(2), Some("x"));
        assert_eq!(arn.resource_id(3), None);
        let empty_region = parse_arn("arn:aws:s3:::bucket").expect("an ARN");
        assert_eq!((empty_region.region(), empty_region.account_id()), ("", ""));
    }

    #[test]
    fn what_is_not_an_arn_is_none() {
        for s in [
            "",
            "arn",
            "arn:aws:kinesis:us-east-1:123",
            "nra:aws:kinesis:us-east-1:123:stream/x",
            "arn::kinesis:us-east-1:123:stream/x",
            "arn:aws::us-east-1:123:stream/x",
            "arn:aws:kinesis:us-east-1:123:",
        ] {
            assert_eq!(parse_arn(s), None, "{s:?}");
        }
    }
}
