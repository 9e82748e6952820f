//! The `aws.partition` rules function: which AWS partition a region belongs to.

// Inlineable (see `codegen/src/emit/inlineable.rs`): the generator copies this file into the
// client crate as `endpoint_lib/partition.rs`, after the one item that depends on the model:
// `PARTITIONS`, the table lowered from `model/partitions.json`. It is reached as
// `crate::endpoint_lib::partition::PARTITIONS` so the same path resolves in
// `codegen/inlineable-check`.

/// What a partition offers (the outputs of `aws.partition`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Partition {
    pub(crate) name: &'static str,
    pub(crate) dns_suffix: &'static str,
    pub(crate) dual_stack_dns_suffix: &'static str,
    pub(crate) supports_fips: bool,
    pub(crate) supports_dual_stack: bool,
    pub(crate) implicit_global_region: &'static str,
}

/// One row of the partition table.
pub(crate) struct PartitionEntry {
    pub(crate) id: &'static str,
    pub(crate) region_regex: &'static str,
    pub(crate) regions: &'static [&'static str],
    pub(crate) outputs: Partition,
}

/// The region patterns, compiled once.
static REGEXES: ::std::sync::LazyLock<::std::vec::Vec<::std::option::Option<::regex_lite::Regex>>> =
    ::std::sync::LazyLock::new(|| {
        crate::endpoint_lib::partition::PARTITIONS
            .iter()
            .map(|p| ::regex_lite::Regex::new(p.region_regex).ok())
            .collect()
    });

/// An exact region match first, then the first partition whose pattern matches, else
/// the `aws` partition.
pub(crate) fn resolve(region: &str) -> &'static Partition {
    let partitions = &crate::endpoint_lib::partition::PARTITIONS;
    if let ::std::option::Option::Some(p) = partitions.iter().find(|p| p.regions.contains(&region))
    {
        return &p.outputs;
    }
    for (p, re) in partitions.iter().zip(REGEXES.iter()) {
        if re.as_ref().is_some_and(|re| re.is_match(region)) {
            return &p.outputs;
        }
    }
    partitions
        .iter()
        .find(|p| p.id == "aws")
        .map(|p| &p.outputs)
        .unwrap_or(&partitions[0].outputs)
}
