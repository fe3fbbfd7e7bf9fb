//! What each operation of [`crisp_api::operations::ALL`] takes (its command, path and query
//! parameters, their descriptions, types and formats, the request body's schema and example),
//! read from the digest of the bundled spec that `build.rs` derives at build time.

use crisp_api::operations::{ALL, Operation};
use serde_json::Value;

/// The digest `build.rs` writes: operations, tags, and the component schemas bodies reach.
const SPEC_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/cli-spec.json"));

/// The parsed spec and every operation's command-line shape.
#[derive(Debug)]
pub struct Spec {
    /// The digest (its `components` for `$ref` resolution, its `tags` for the families).
    pub root: Value,
    /// Every operation, in the order of [`crisp_api::operations::ALL`] (sorted by id).
    pub operations: Vec<OpSpec>,
}

/// One operation as the command line sees it.
#[derive(Debug)]
pub struct OpSpec {
    /// The SDK's metadata (id, method, path template, tiers, paginated, deprecated, summary).
    pub op: &'static Operation,
    /// The resource, the first word of the command (`conversation`).
    pub noun: String,
    /// What is done to it, the second word (`list`).
    pub verb: String,
    /// The summary, in the command line's words.
    pub summary: String,
    /// One example command line.
    pub example: String,
    /// The spec's long description, when it has one.
    pub description: Option<String>,
    /// Path parameters then query parameters, in the spec's order.
    pub params: Vec<Param>,
    /// The JSON request body, when the operation takes one.
    pub body: Option<Body>,
}

/// Where a parameter goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Location {
    /// A `{name}` segment of the path template.
    Path,
    /// A query-string parameter.
    Query,
}

/// What values a parameter takes, which decides its command-line form.
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    /// Crisp's `1`/`0` query flag: `--filter-unread` (or `--filter-unread=false`).
    Flag,
    /// An integer, with the spec's minimum and maximum when given.
    Integer {
        /// Smallest accepted value.
        min: Option<i64>,
        /// Largest accepted value.
        max: Option<i64>,
    },
    /// A floating-point number.
    Number,
    /// One of a fixed list of strings.
    Enum(Vec<String>),
    /// Any text.
    Text,
}

/// A path or query parameter.
#[derive(Clone, Debug)]
pub struct Param {
    /// The name on the wire (`website_id`).
    pub name: String,
    /// Path or query.
    pub location: Location,
    /// Whether the spec requires it.
    pub required: bool,
    /// The spec's description.
    pub description: String,
    /// Its type.
    pub kind: Kind,
    /// The format its value must have, checked before sending.
    pub format: Option<Format>,
}

/// The shape of an identifier.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Format {
    /// A UUID (`8c842203-7ed8-4e29-a608-7cf78a7d2fcc`).
    Uuid,
    /// A prefix followed by a UUID (`session_` and a UUID).
    PrefixedUuid(String),
}

impl Format {
    fn of(name: &str, schema: &Value) -> Option<Format> {
        let format = schema["format"].as_str().or_else(|| {
            crate::names::FORMATS
                .iter()
                .find(|(n, _)| *n == name)
                .map(|f| f.1)
        })?;
        match format {
            "uuid" => Some(Format::Uuid),
            other => other
                .strip_suffix("uuid")
                .filter(|p| !p.is_empty())
                .map(|p| Format::PrefixedUuid(p.to_owned())),
        }
    }

    /// Whether `value` has this format.
    pub fn accepts(&self, value: &str) -> bool {
        let uuid = match self {
            Format::Uuid => Some(value),
            Format::PrefixedUuid(prefix) => value.strip_prefix(prefix.as_str()),
        };
        uuid.is_some_and(|u| {
            u.len() == 36
                && u.char_indices().all(|(i, c)| match i {
                    8 | 13 | 18 | 23 => c == '-',
                    _ => c.is_ascii_hexdigit(),
                })
        })
    }

    /// What it looks like, for an error message.
    pub fn describe(&self) -> String {
        match self {
            Format::Uuid => "a UUID such as 8c842203-7ed8-4e29-a608-7cf78a7d2fcc".to_owned(),
            Format::PrefixedUuid(prefix) => format!(
                "`{prefix}` followed by a UUID, such as {prefix}700c65e1-85e2-465a-b9ac-ecb5ec2c9881"
            ),
        }
    }
}

impl Param {
    /// The command-line flag, without dashes: `website-id`.
    pub fn flag(&self) -> String {
        self.name.replace('_', "-")
    }
}

/// A JSON request body.
#[derive(Clone, Debug)]
pub struct Body {
    /// Whether the operation requires one.
    pub required: bool,
    /// Its schema (possibly a `$ref`).
    pub schema: Value,
    /// The spec's example body, when it has one.
    pub example: Option<Value>,
}

/// The message history operation and its cursor (see [`OpSpec::is_history`]).
pub const HISTORY: &str = "list_messages_in_conversation";
/// The query parameter that walks [`HISTORY`] back in time.
pub const HISTORY_CURSOR: &str = "timestamp_before";

impl OpSpec {
    /// The command line's words for it: `conversation list`.
    pub fn command(&self) -> String {
        format!("{} {}", self.noun, self.verb)
    }

    /// The operation id in kebab case, its hidden alias: `list-conversations`.
    pub fn alias(&self) -> String {
        self.op.id.replace('_', "-")
    }

    /// Whether this operation is a HEAD existence check.
    pub fn is_check(&self) -> bool {
        self.op.method.eq_ignore_ascii_case("HEAD")
    }

    /// Whether this operation is a conversation's message history, walked back in time by
    /// `timestamp_before` (the oldest `timestamp` of each batch) rather than by page number.
    pub fn is_history(&self) -> bool {
        self.op.id == HISTORY && self.param(HISTORY_CURSOR).is_some()
    }

    /// A parameter by its wire name.
    pub fn param(&self, name: &str) -> Option<&Param> {
        self.params.iter().find(|p| p.name == name)
    }
}

impl Spec {
    /// Parses the bundled spec. It is generated and checked by `cargo xtask gen`, so a failure
    /// here is a build defect, not a user error.
    pub fn load() -> Spec {
        let root: Value = serde_json::from_str(SPEC_JSON).expect("the spec digest is JSON");
        let entries = root["operations"].as_array().expect("operations");
        let operations = ALL
            .iter()
            .map(|op| {
                let entry = entries
                    .iter()
                    .find(|e| e["id"] == op.id)
                    .unwrap_or_else(|| panic!("the bundled spec describes {}", op.id));
                let text = |key: &str| entry[key].as_str().unwrap_or_default().to_owned();
                let mut params: Vec<Param> = entry["params"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Param::from_spec)
                    .collect();
                params.sort_by_key(|p| p.location == Location::Query);
                let body = entry["body"].as_object().map(|b| Body {
                    required: b["required"].as_bool().unwrap_or(false),
                    schema: b["schema"].clone(),
                    example: b.get("example").filter(|e| !e.is_null()).cloned(),
                });
                OpSpec {
                    op,
                    noun: text("noun"),
                    verb: text("verb"),
                    summary: entry["summary"].as_str().unwrap_or(op.summary).to_owned(),
                    example: text("example"),
                    description: entry["description"].as_str().map(str::to_owned),
                    params,
                    body,
                }
            })
            .collect();
        Spec { root, operations }
    }

    /// The family (a tag of the spec) with its description, in the spec's order.
    pub fn families(&self) -> Vec<(&str, &str)> {
        self.root["tags"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|t| Some((t["name"].as_str()?, t["description"].as_str()?)))
            .collect()
    }

    /// An operation by its id (snake or kebab case) or its command (`conversation list`).
    pub fn find(&self, name: &str) -> Option<&OpSpec> {
        let id = name.replace('-', "_");
        self.operations
            .iter()
            .find(|o| o.op.id == id || o.command() == name)
    }

    /// An operation by its noun and verb (or the operation id as a verb's alias).
    pub fn by_command(&self, noun: &str, verb: &str) -> Option<&OpSpec> {
        let id = verb.replace('-', "_");
        self.operations
            .iter()
            .find(|o| o.noun == noun && (o.verb == verb || o.op.id == id))
    }
}

impl Param {
    fn from_spec(p: &Value) -> Option<Param> {
        let location = match p["in"].as_str()? {
            "path" => Location::Path,
            "query" => Location::Query,
            _ => return None,
        };
        let schema = &p["schema"];
        let name = p["name"].as_str()?;
        let kind = match schema["type"].as_str() {
            _ if is_flag(schema) => Kind::Flag,
            Some("integer") => Kind::Integer {
                min: schema["minimum"].as_i64(),
                max: schema["maximum"]
                    .as_i64()
                    .or(match schema["format"].as_str() {
                        Some("uint32") => Some(i64::from(u32::MAX)),
                        Some("int32") => Some(i64::from(i32::MAX)),
                        _ => None,
                    }),
            },
            Some("number") => Kind::Number,
            _ => match schema["enum"].as_array() {
                Some(values) => Kind::Enum(
                    values
                        .iter()
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect(),
                ),
                None => Kind::Text,
            },
        };
        Some(Param {
            format: Format::of(name, schema),
            name: name.to_owned(),
            location,
            required: p["required"]
                .as_bool()
                .unwrap_or(location == Location::Path),
            description: p["description"]
                .as_str()
                .or(schema["description"].as_str())
                .unwrap_or_default()
                .trim()
                .to_owned(),
            kind,
        })
    }
}

/// Crisp's query flags: an integer enum of exactly `0` and `1`.
fn is_flag(schema: &Value) -> bool {
    schema["type"] == "integer"
        && schema["enum"]
            .as_array()
            .is_some_and(|e| e.len() == 2 && e.contains(&0.into()) && e.contains(&1.into()))
}

/// Follows `$ref`s (`#/components/...`) until a value that is not a reference.
pub fn resolve<'a>(root: &'a Value, mut value: &'a Value) -> &'a Value {
    for _ in 0..32 {
        let Some(target) = value.get("$ref").and_then(Value::as_str) else {
            return value;
        };
        match target.strip_prefix('#') {
            Some(pointer) => value = root.pointer(pointer).unwrap_or(&Value::Null),
            None => return &Value::Null,
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_is_described() {
        let spec = Spec::load();
        assert_eq!(spec.operations.len(), ALL.len());
        let list = spec.find("list-conversations").unwrap();
        assert!(list.op.paginated);
        assert_eq!(list.param("filter_unread").unwrap().kind, Kind::Flag);
        assert_eq!(list.param("website_id").unwrap().location, Location::Path);
        // Path-level parameters are merged in.
        let plans = spec
            .operations
            .iter()
            .find(|o| o.op.path == "/plans/subscription/{website_id}")
            .unwrap();
        assert!(plans.param("website_id").is_some());
        // Every path placeholder has a parameter.
        for o in &spec.operations {
            for segment in o.op.path.split('/') {
                if let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                    assert!(o.param(name).is_some(), "{} lacks {name}", o.op.id);
                }
            }
        }
    }
}
