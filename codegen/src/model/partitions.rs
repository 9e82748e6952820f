//! The partition table (`model/partitions.json`, the data of the `aws.partition` rules
//! function), lowered into the model beside the rule set that calls it: parsed and checked
//! once, so the endpoint emitter only prints it.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::Error;

/// Where the table comes from, in error messages.
const SOURCE: &str = "model/partitions.json";

/// One AWS partition.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Partition {
    /// `aws`, `aws-cn`, ...
    pub id: String,
    /// The pattern a region of this partition matches.
    pub region_regex: String,
    /// The partition's known regions (their names; the table's per-region values are not
    /// read).
    #[serde(default, deserialize_with = "region_names")]
    pub regions: Vec<String>,
    /// What `aws.partition` returns for it.
    pub outputs: PartitionOutputs,
}

/// The outputs of `aws.partition` for one partition.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PartitionOutputs {
    /// The partition's name.
    pub name: String,
    /// Its DNS suffix.
    pub dns_suffix: String,
    /// Its dual-stack DNS suffix.
    pub dual_stack_dns_suffix: String,
    /// Whether it has FIPS endpoints.
    #[serde(rename = "supportsFIPS")]
    pub supports_fips: bool,
    /// Whether it has dual-stack endpoints.
    pub supports_dual_stack: bool,
    /// The region of its global endpoints.
    pub implicit_global_region: String,
}

fn region_names<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let regions = BTreeMap::<String, serde_json::Value>::deserialize(d)?;
    Ok(regions.into_keys().collect())
}

#[derive(Deserialize)]
struct Table {
    partitions: Vec<Partition>,
}

/// Parses and checks the partition table: the `aws` partition (the fallback) must be there
/// and every region pattern must have balanced parentheses, so a typo fails generation, not
/// resolution.
pub fn lower(json: &str) -> Result<Vec<Partition>, Error> {
    let table: Table =
        serde_json::from_str(json).map_err(|e| Error::invalid(SOURCE, e.to_string()))?;
    if !table.partitions.iter().any(|p| p.id == "aws") {
        return Err(Error::invalid(
            SOURCE,
            "the aws partition (the fallback) is missing",
        ));
    }
    for p in &table.partitions {
        regex_syntax_check(&p.id, &p.region_regex)?;
    }
    Ok(table.partitions)
}

/// A cheap syntax check of a region pattern: balanced parentheses.
fn regex_syntax_check(id: &str, re: &str) -> Result<(), Error> {
    let mut depth = 0i32;
    for c in re.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        if depth < 0 {
            break;
        }
    }
    if depth != 0 {
        return Err(Error::invalid(
            format!("{SOURCE} partition {id}"),
            format!("unbalanced parentheses in {re:?}"),
        ));
    }
    Ok(())
}
