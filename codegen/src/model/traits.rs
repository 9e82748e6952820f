//! Which traits the generator accepts, where, and what it does with each: one table.
//!
//! A trait missing from [`TABLE`] (or applied where the table does not allow it) is an
//! [`Error::UnsupportedTrait`] naming the shape or member, so a model that relies on
//! behaviour the generator lacks is refused instead of silently generating the wrong client.
//! A trait that is accepted but changes nothing in the generated code says why, in one line.

use std::collections::BTreeMap;

use serde_json::Value;

use super::UNHANDLED_ERROR_TESTS_TRAIT;
use crate::Error;

/// Where a trait is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Place {
    Service,
    /// A resource (operations bound through it are generated; the resource itself is not).
    Resource,
    Operation,
    Structure,
    /// A member of a structure.
    StructureMember,
    Union,
    /// A member of a union.
    UnionMember,
    List,
    /// A list's `member`.
    ListMember,
    Map,
    /// A map's `key` or `value`.
    MapEntry,
    String,
    Enum,
    IntEnum,
    /// A member of an enum or intEnum.
    EnumMember,
    Blob,
    /// A document shape.
    Document,
    Boolean,
    /// byte, short, integer, long, float, double.
    Number,
    Timestamp,
}

// `String` below is the place; the type is spelled `std::string::String`.
use Place::*;

/// What the generator does with a trait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handling {
    /// Lowered into the model and honoured by the emitters.
    Implemented,
    /// Accepted and ignored, for the reason given.
    Ignored(&'static str),
}

use Handling::*;

/// One row of the table.
#[derive(Debug)]
pub struct Rule {
    /// The trait's shape id.
    pub name: &'static str,
    /// Where it may be applied.
    pub places: &'static [Place],
    /// What the generator does with it.
    pub handling: Handling,
}

const EVERYWHERE: &[Place] = &[
    Service,
    Resource,
    Operation,
    Structure,
    StructureMember,
    Union,
    UnionMember,
    List,
    ListMember,
    Map,
    MapEntry,
    String,
    Enum,
    IntEnum,
    EnumMember,
    Blob,
    Document,
    Boolean,
    Number,
    Timestamp,
];

/// Shapes that hold data (not services or operations).
const DATA_SHAPES: &[Place] = &[
    Structure, Union, List, Map, String, Enum, IntEnum, Blob, Document, Boolean, Number, Timestamp,
];

/// Members of structures and unions.
const MEMBERS: &[Place] = &[StructureMember, UnionMember];

/// Where `@deprecated` may appear (it becomes `#[deprecated]`).
const DEPRECATABLE: &[Place] = &[
    Operation,
    Structure,
    StructureMember,
    Union,
    UnionMember,
    Enum,
    IntEnum,
    EnumMember,
    String,
    List,
    Map,
    Blob,
    Document,
    Boolean,
    Number,
    Timestamp,
];

/// IAM metadata on a service, resource or operation (prefix rows: the whole namespace).
const IAM_PLACES: &[Place] = &[Service, Resource, Operation, StructureMember];

/// Every trait the generator accepts.
pub const TABLE: &[Rule] = &[
    // Documentation.
    Rule {
        name: "smithy.api#documentation",
        places: EVERYWHERE,
        handling: Implemented,
    },
    Rule {
        name: "smithy.api#title",
        places: EVERYWHERE,
        handling: Ignored("documentation only; the crate docs name the service by its sdkId"),
    },
    Rule {
        name: "smithy.api#externalDocumentation",
        places: EVERYWHERE,
        handling: Ignored("documentation only"),
    },
    Rule {
        name: "smithy.api#tags",
        places: EVERYWHERE,
        handling: Ignored("groups shapes for tooling; no effect on a client"),
    },
    Rule {
        name: "smithy.api#suppress",
        places: EVERYWHERE,
        handling: Ignored("silences model validators; no effect on a client"),
    },
    // The service.
    Rule {
        name: "aws.api#service",
        places: &[Service],
        handling: Implemented,
    },
    Rule {
        name: "aws.auth#sigv4",
        places: &[Service],
        handling: Implemented,
    },
    Rule {
        name: "aws.auth#sigv4a",
        places: &[Service],
        handling: Implemented,
    },
    Rule {
        name: "aws.protocols#awsJson1_1",
        places: &[Service],
        handling: Implemented,
    },
    Rule {
        name: "smithy.rules#endpointRuleSet",
        places: &[Service],
        handling: Implemented,
    },
    Rule {
        name: "smithy.rules#endpointTests",
        places: &[Service],
        handling: Implemented,
    },
    Rule {
        name: "aws.protocols#awsJson1_0",
        places: &[Service],
        handling: Implemented,
    },
    Rule {
        name: "smithy.api#paginated",
        places: &[Service, Operation],
        handling: Implemented,
    },
    Rule {
        name: "smithy.waiters#waitable",
        places: &[Operation],
        handling: Implemented,
    },
    Rule {
        name: "smithy.api#cors",
        places: &[Service],
        handling: Ignored("browser CORS settings of the service's endpoints; a client sends no preflight"),
    },
    Rule {
        name: "aws.api#tagEnabled",
        places: &[Service],
        handling: Ignored("says the service supports tagging; tags are ordinary members on the wire"),
    },
    Rule {
        name: "aws.api#taggable",
        places: &[Resource],
        handling: Ignored("says a resource can be tagged; tags are ordinary members on the wire"),
    },
    Rule {
        name: "aws.iam#*",
        places: IAM_PLACES,
        handling: Ignored("IAM policy metadata (actions, condition keys, principal types); checked by the service, not sent"),
    },
    Rule {
        name: "aws.endpoints#*",
        places: &[Service],
        handling: Ignored("endpoint metadata for older SDKs; the endpoint rule set decides every endpoint"),
    },
    Rule {
        name: "smithy.api#unstable",
        places: EVERYWHERE,
        handling: Ignored("marks a shape as subject to change; the generated code is the same"),
    },
    // Other protocols a service lists beside awsJson; this client speaks awsJson.
    Rule {
        name: "smithy.protocols#rpcv2Cbor",
        places: &[Service],
        handling: Ignored("an alternative protocol the service also speaks; this client speaks the awsJson protocol the service lists beside it"),
    },
    Rule {
        name: "aws.protocols#awsQuery",
        places: &[Service],
        handling: Ignored("an alternative protocol the service also speaks; this client speaks awsJson"),
    },
    Rule {
        name: "aws.protocols#awsQueryError",
        places: &[Structure],
        handling: Implemented,
    },
    Rule {
        name: "aws.protocols#awsQueryCompatible",
        places: &[Service],
        handling: Implemented,
    },
    // Endpoint discovery.
    Rule {
        name: "aws.api#clientEndpointDiscovery",
        places: &[Service],
        handling: Implemented,
    },
    Rule {
        name: "aws.api#clientDiscoveredEndpoint",
        places: &[Operation],
        handling: Implemented,
    },
    // XML bindings: informational for JSON protocols.
    Rule {
        name: "smithy.api#xmlNamespace",
        places: EVERYWHERE,
        handling: Ignored("the XML namespace under XML protocols; awsJson writes JSON"),
    },
    Rule {
        name: "smithy.api#xmlName",
        places: EVERYWHERE,
        handling: Ignored("an XML element name under XML protocols; awsJson writes JSON"),
    },
    Rule {
        name: "smithy.api#xmlAttribute",
        places: MEMBERS,
        handling: Ignored("an XML attribute binding under XML protocols; awsJson writes JSON"),
    },
    Rule {
        name: "smithy.api#xmlFlattened",
        places: MEMBERS,
        handling: Ignored("flattens a list under XML protocols; awsJson writes JSON"),
    },
    // Model metadata for other tools.
    Rule {
        name: "aws.cloudformation#*",
        places: EVERYWHERE,
        handling: Ignored("how CloudFormation resources map onto the model; no effect on a client"),
    },
    Rule {
        name: "smithy.api#references",
        places: &[Structure, String],
        handling: Ignored("links a shape to resources for tooling; no effect on a request"),
    },
    Rule {
        name: "smithy.api#notProperty",
        places: &[StructureMember],
        handling: Ignored("excludes a member from a resource's properties, for tooling; no effect on a request"),
    },
    Rule {
        name: "smithy.api#mediaType",
        places: &[String, Blob],
        handling: Ignored("the media type of a string or blob's content; in a JSON body it is sent as any string or blob"),
    },
    Rule {
        name: "smithy.test#smokeTests",
        places: &[Operation],
        handling: Ignored("smoke tests call the live service with real credentials; the model's protocol and endpoint tests are what is generated"),
    },
    // Resources.
    Rule {
        name: "aws.api#arn",
        places: &[Resource],
        handling: Ignored("the ARN template of a resource; a client builds no ARNs"),
    },
    Rule {
        name: "smithy.api#noReplace",
        places: &[Resource],
        handling: Ignored("says a resource's put cannot replace it; enforced by the service"),
    },
    Rule {
        name: "smithy.api#resourceIdentifier",
        places: &[StructureMember],
        handling: Ignored("binds a member to a resource's identifier, for tooling; the member is sent as any other"),
    },
    Rule {
        name: "aws.api#data",
        places: DATA_SHAPES,
        handling: Ignored("classifies the data a shape holds (customer content, account, ...) for AWS tooling; no effect on a request"),
    },
    Rule {
        name: "aws.api#arnReference",
        places: &[String],
        handling: Ignored("says a string holds an ARN; it is sent as any string"),
    },
    // Operations.
    Rule {
        name: "smithy.api#auth",
        places: &[Service, Operation],
        handling: Implemented,
    },
    Rule {
        name: "smithy.api#optionalAuth",
        places: &[Operation],
        handling: Implemented,
    },
    Rule {
        name: "smithy.api#endpoint",
        places: &[Operation],
        handling: Implemented,
    },
    Rule {
        name: "smithy.api#requestCompression",
        places: &[Operation],
        handling: Implemented,
    },
    Rule {
        name: "smithy.rules#staticContextParams",
        places: &[Operation],
        handling: Implemented,
    },
    Rule {
        name: "smithy.rules#operationContextParams",
        places: &[Operation],
        handling: Implemented,
    },
    Rule {
        name: "smithy.rules#contextParam",
        places: &[StructureMember],
        handling: Implemented,
    },
    Rule {
        name: "smithy.api#hostLabel",
        places: &[StructureMember],
        handling: Implemented,
    },
    Rule {
        name: "smithy.api#idempotent",
        places: &[Operation],
        handling: Ignored("every operation is retried alike, as aws-sdk-rust does (smithy-rs generates nothing from it)"),
    },
    Rule {
        name: "smithy.api#readonly",
        places: &[Operation],
        handling: Ignored("every operation is retried alike, as aws-sdk-rust does (smithy-rs generates nothing from it)"),
    },
    Rule {
        name: "smithy.test#httpRequestTests",
        places: &[Operation],
        handling: Implemented,
    },
    Rule {
        name: "smithy.test#httpResponseTests",
        places: &[Operation, Structure],
        handling: Implemented,
    },
    Rule {
        name: UNHANDLED_ERROR_TESTS_TRAIT,
        places: &[Operation],
        handling: Implemented,
    },
    Rule {
        name: "smithy.api#examples",
        places: &[Operation],
        handling: Ignored("documentation examples; the protocol tests are what is run"),
    },
    Rule {
        name: "aws.api#dataPlane",
        places: &[Operation],
        handling: Ignored("classifies the operation for AWS tooling; no effect on a request"),
    },
    Rule {
        name: "aws.api#controlPlane",
        places: &[Operation],
        handling: Ignored("classifies the operation for AWS tooling; no effect on a request"),
    },
    // HTTP bindings: awsJson puts every member in the JSON body and always POSTs to `/`.
    Rule {
        name: "smithy.api#http",
        places: &[Operation],
        handling: Ignored("REST protocols' method and URI; awsJson always sends POST /"),
    },
    Rule {
        name: "smithy.api#httpQuery",
        places: MEMBERS,
        handling: Ignored("awsJson ignores HTTP bindings: the member goes in the JSON body"),
    },
    Rule {
        name: "smithy.api#httpQueryParams",
        places: MEMBERS,
        handling: Ignored("awsJson ignores HTTP bindings: the member goes in the JSON body"),
    },
    Rule {
        name: "smithy.api#httpHeader",
        places: MEMBERS,
        handling: Ignored("awsJson ignores HTTP bindings: the member goes in the JSON body"),
    },
    Rule {
        name: "smithy.api#httpPrefixHeaders",
        places: MEMBERS,
        handling: Ignored("awsJson ignores HTTP bindings: the member goes in the JSON body"),
    },
    Rule {
        name: "smithy.api#httpLabel",
        places: MEMBERS,
        handling: Ignored("awsJson ignores HTTP bindings: the member goes in the JSON body"),
    },
    Rule {
        name: "smithy.api#httpPayload",
        places: MEMBERS,
        handling: Ignored("awsJson ignores HTTP bindings: the member goes in the JSON body"),
    },
    Rule {
        name: "smithy.api#httpResponseCode",
        places: MEMBERS,
        handling: Ignored("awsJson ignores HTTP bindings: the member goes in the JSON body"),
    },
    // Structures.
    Rule {
        name: "smithy.api#input",
        places: &[Structure],
        handling: Implemented,
    },
    Rule {
        name: "smithy.api#output",
        places: &[Structure],
        handling: Implemented,
    },
    Rule {
        name: "smithy.api#error",
        places: &[Structure],
        handling: Implemented,
    },
    Rule {
        name: "smithy.api#httpError",
        places: &[Structure],
        handling: Implemented,
    },
    Rule {
        name: "smithy.api#retryable",
        places: &[Structure],
        handling: Implemented,
    },
    Rule {
        name: "smithy.api#sensitive",
        places: DATA_SHAPES,
        handling: Implemented,
    },
    // Members.
    Rule {
        name: "smithy.api#required",
        places: &[StructureMember],
        handling: Implemented,
    },
    Rule {
        name: "smithy.api#default",
        places: &[StructureMember],
        handling: Implemented,
    },
    Rule {
        name: "smithy.api#default",
        places: &[String, Enum, IntEnum, Blob, Boolean, Number, Timestamp, List, Map],
        handling: Ignored("on a shape it only obliges members targeting it to repeat it; the member's is used"),
    },
    Rule {
        name: "smithy.api#clientOptional",
        places: &[StructureMember],
        handling: Implemented,
    },
    Rule {
        name: "smithy.api#idempotencyToken",
        places: &[StructureMember],
        handling: Implemented,
    },
    Rule {
        name: "smithy.api#deprecated",
        places: DEPRECATABLE,
        handling: Implemented,
    },
    Rule {
        name: "smithy.api#addedDefault",
        places: &[StructureMember],
        handling: Ignored("tells Smithy 1.0-era generators to ignore a default added later; under Smithy 2.0 client nullability, as smithy-rs reads it, the default holds"),
    },
    Rule {
        name: "smithy.api#jsonName",
        places: MEMBERS,
        handling: Ignored("awsJson puts the member name on the wire; kept in the model only"),
    },
    Rule {
        name: "smithy.api#timestampFormat",
        places: &[StructureMember, UnionMember, Timestamp],
        handling: Implemented,
    },
    Rule {
        name: "smithy.api#enum",
        places: &[String],
        handling: Implemented,
    },
    Rule {
        name: "smithy.api#enumValue",
        places: &[EnumMember],
        handling: Implemented,
    },
    // Constraints.
    Rule {
        name: "smithy.api#length",
        places: &[StructureMember, UnionMember, List, Map, String, Enum, Blob],
        handling: Implemented,
    },
    Rule {
        name: "smithy.api#pattern",
        places: &[StructureMember, UnionMember, String, Enum],
        handling: Implemented,
    },
    Rule {
        name: "smithy.api#range",
        places: &[StructureMember, UnionMember, Number],
        handling: Implemented,
    },
    Rule {
        name: "smithy.api#uniqueItems",
        places: &[List],
        handling: Implemented,
    },
    // Collections that hold nulls: `Vec<Option<T>>`, `HashMap<K, Option<V>>`.
    Rule {
        name: "smithy.api#sparse",
        places: &[List, Map],
        handling: Implemented,
    },
];

impl Rule {
    /// Whether the rule covers trait `name`: exactly, or by namespace for `ns#*` rows.
    pub fn matches(&self, name: &str) -> bool {
        match self.name.strip_suffix('*') {
            Some(namespace) => name.starts_with(namespace),
            None => self.name == name,
        }
    }
}

/// Checks that every trait on `owner` is in the table for `place`.
pub(crate) fn check(
    owner: &str,
    place: Place,
    traits: &BTreeMap<std::string::String, Value>,
) -> Result<(), Error> {
    for name in traits.keys() {
        let allowed = TABLE
            .iter()
            .any(|r| r.matches(name) && r.places.contains(&place));
        if !allowed {
            return Err(Error::UnsupportedTrait {
                shape: owner.to_owned(),
                name: name.clone(),
            });
        }
    }
    Ok(())
}

/// The `@documentation` text, if any.
pub(crate) fn docs(traits: &BTreeMap<std::string::String, Value>) -> Option<std::string::String> {
    traits
        .get("smithy.api#documentation")
        .and_then(Value::as_str)
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_trait_has_one_row_and_each_ignored_one_a_reason() {
        let mut seen = std::collections::BTreeSet::new();
        for rule in TABLE {
            // A trait may have one row for members and one for shapes, never overlapping.
            for p in rule.places {
                assert!(
                    seen.insert((rule.name, format!("{p:?}"))),
                    "{} has two rows for {p:?}",
                    rule.name
                );
            }
            assert!(!rule.places.is_empty(), "{} applies nowhere", rule.name);
            if let Ignored(reason) = rule.handling {
                assert!(!reason.trim().is_empty(), "{} has no reason", rule.name);
            }
        }
    }
}
