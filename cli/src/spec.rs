//! What each operation of [`crisp_api::operations::ALL`] takes (its command, path and query
//! parameters, their descriptions, types and formats, the request body's schema and example),
//! read through the spec model (`crisp-api-spec`) from the small document `build.rs` derives
//! from the bundled spec at build time.

use crisp_api::operations::{ALL, Operation};
pub use crisp_api_spec::{Body, Cursor, Kind, Location};
use serde_json::Value;

/// The document `build.rs` writes: the operations' parameters and bodies, the tags, the
/// component schemas bodies reach, and each operation's command (`x-crisp-cli`).
const SPEC_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/cli-spec.json"));

/// The parsed spec and every operation's command-line shape.
#[derive(Debug)]
pub struct Spec {
    /// The spec model of that document: its bodies are checked with [`crisp_api_spec::check`]
    /// through it, `$ref`s resolved in it.
    pub model: crisp_api_spec::Spec,
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
    /// How a list is walked back in time, when it is (the message history: by
    /// `timestamp_before`, each batch's oldest `timestamp`).
    pub cursor: Option<Cursor>,
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

    /// Whether this operation is walked back in time by a cursor (the message history, by
    /// `timestamp_before`, the oldest `timestamp` of each batch) rather than by page number.
    pub fn is_history(&self) -> bool {
        self.cursor
            .as_ref()
            .is_some_and(|c| self.param(&c.param).is_some())
    }

    /// A parameter by its wire name.
    pub fn param(&self, name: &str) -> Option<&Param> {
        self.params.iter().find(|p| p.name == name)
    }
}

impl Spec {
    /// Reads the document `build.rs` derived. It is generated from the bundle `cargo xtask
    /// gen` checks, so a failure here is a build defect, not a user error.
    pub fn load() -> Spec {
        let model = crisp_api_spec::Spec::parse(SPEC_JSON).expect("the spec digest is JSON");
        let commands = &model.root()["x-crisp-cli"];
        let operations = ALL
            .iter()
            .map(|op| {
                let entry = model
                    .operation(op.id)
                    .unwrap_or_else(|| panic!("the bundled spec describes {}", op.id));
                let command = &commands[op.id];
                let text = |key: &str| command[key].as_str().unwrap_or_default().to_owned();
                let summary = match entry.summary.as_str() {
                    "" => op.summary.to_owned(),
                    summary => summary.to_owned(),
                };
                OpSpec {
                    op,
                    noun: text("noun"),
                    verb: text("verb"),
                    summary,
                    example: text("example"),
                    description: entry.description.clone(),
                    params: entry.params.iter().filter_map(Param::of).collect(),
                    body: entry.body.clone(),
                    cursor: entry.cursor().cloned(),
                }
            })
            .collect();
        Spec { model, operations }
    }

    /// The family (a tag of the spec) with its description, in the spec's order.
    pub fn families(&self) -> Vec<(&str, &str)> {
        self.model.root()["tags"]
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
    /// The command line's view of a path or query parameter of the model.
    fn of(p: &crisp_api_spec::Param) -> Option<Param> {
        if !matches!(p.location, Location::Path | Location::Query) {
            return None;
        }
        Some(Param {
            format: Format::of(&p.name, &p.schema),
            name: p.name.clone(),
            location: p.location,
            required: p.required,
            description: p.description.clone(),
            kind: p.kind.clone(),
        })
    }
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
