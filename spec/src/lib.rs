//! A read-only model of `crisp-api`'s bundled OpenAPI 3.0 document (`openapi/crisp-v1.json`),
//! the one place that knows how the spec is laid out.
//!
//! Every program that reads the spec goes through it: `crisp-api`'s `build.rs` (code
//! generation, feature pruning, the event enum), `xtask` (validation, the endpoint tables), the
//! `crisp` CLI, the sandbox and the stateful fake server. It is a crate, not a module shared by
//! `#[path]`, because `crisp-api` is published and its build script can only depend on a
//! published crate; its one dependency is `serde_json`.
//!
//! What it gives:
//!
//! * [`Spec`]: the document with its [`Operation`]s (id, method, path, family, tiers,
//!   [`Param`]s, [`Body`], [`Response`] example, aliases, deprecation, [`Paging`]) and its
//!   [`Event`]s (the `x-crisp-events` catalogue), read once;
//! * [`resolve`] and [`refs`] for `$ref`s, [`families`], [`entries`] for a raw walk, [`camel`]
//!   for the Rust names derived from ids;
//! * [`prune`]: the document cut down to some families (`crisp-api`'s cargo features);
//! * [`check`]: one JSON-Schema checker for the keywords the spec uses, whose [`Problem`]s name
//!   the JSON path of the field (`content.type`, `items[2].email`), for examples, request
//!   bodies and parameters alike; [`sample`] builds a small value that fits a schema (whose
//!   `"<name>"` placeholders [`placeholder`] finds);
//! * [`render`]: the operation and event tables as Markdown, for `crisp-api`'s docs and
//!   `docs/endpoints.md`.
//!
//! Reading is lenient (a missing field reads as empty): `cargo xtask gen` is where the spec is
//! validated, so a model built from the committed bundle is complete.
//!
//! ```
//! use serde_json::json;
//! let spec = crisp_api_spec::Spec::new(json!({
//!     "tags": [{"name": "conversations"}],
//!     "paths": {"/website/{website_id}/conversation": {"post": {
//!         "operationId": "create_conversation",
//!         "tags": ["conversations"],
//!         "x-crisp-tiers": ["plugin", "website"],
//!         "parameters": [{"name": "website_id", "in": "path", "required": true,
//!                         "schema": {"type": "string"}}],
//!         "requestBody": {"required": true, "content": {"application/json": {"schema": {
//!             "type": "object", "required": ["nickname"],
//!             "properties": {"nickname": {"type": "string"}}}}}},
//!         "responses": {}
//!     }}}
//! }));
//! let op = spec.operation("create_conversation").unwrap();
//! assert_eq!(op.family, "conversations");
//! let body = op.body.as_ref().unwrap();
//! let report = spec.check(&body.schema, &json!({"nickname": 3}));
//! assert_eq!(report.errors[0].to_string(), "`nickname` must be a string; found an integer (3)");
//! ```

#![warn(missing_docs)]

mod check;
mod event;
mod operation;
mod prune;
pub mod render;
mod sample;

pub use check::{Problem, Report, check};
pub use event::Event;
pub use operation::{Body, Cursor, Kind, Location, Operation, Paging, Param, Response};
pub use prune::{ALWAYS, prune};
pub use sample::{placeholder, sample};

use serde_json::Value;
use std::collections::BTreeSet;

/// The HTTP methods a path item may hold, lower case, in OpenAPI's order.
pub const METHODS: [&str; 7] = ["get", "put", "post", "delete", "patch", "head", "options"];

/// The top-level key of the event catalogue.
pub const EVENTS: &str = "x-crisp-events";

/// The prefix of a reference to a component schema.
pub const SCHEMA_REF: &str = "#/components/schemas/";

/// The bundled document and what it describes, read once.
#[derive(Clone, Debug)]
pub struct Spec {
    root: Value,
    operations: Vec<Operation>,
    events: Vec<Event>,
}

impl Spec {
    /// Reads a document (an OpenAPI 3.0 JSON value such as the parsed bundle).
    pub fn new(root: Value) -> Spec {
        let operations = operations(&root);
        let events = events(&root);
        Spec {
            root,
            operations,
            events,
        }
    }

    /// Parses and reads a document from its JSON text.
    pub fn parse(json: &str) -> Result<Spec, serde_json::Error> {
        serde_json::from_str(json).map(Spec::new)
    }

    /// The whole document, for `$ref` resolution and anything the model does not cover.
    pub fn root(&self) -> &Value {
        &self.root
    }

    /// The document, given back.
    pub fn into_root(self) -> Value {
        self.root
    }

    /// Every operation, sorted by id.
    pub fn operations(&self) -> &[Operation] {
        &self.operations
    }

    /// An operation by its id.
    pub fn operation(&self, id: &str) -> Option<&Operation> {
        self.operations
            .binary_search_by(|op| op.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.operations[i])
    }

    /// Every event of the catalogue, sorted by name.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// An event by its name (`message:send`).
    pub fn event(&self, name: &str) -> Option<&Event> {
        self.events.iter().find(|e| e.name == name)
    }

    /// The API families (the document's tags, each a cargo feature of `crisp-api`), in the
    /// document's order.
    pub fn families(&self) -> Vec<String> {
        families(&self.root)
    }

    /// Follows `$ref`s from `value` within this document; see [`resolve`].
    pub fn resolve<'a>(&'a self, value: &'a Value) -> &'a Value {
        resolve(&self.root, value)
    }

    /// Checks `value` against `schema` (which may be a `$ref` into this document); see
    /// [`check`].
    pub fn check(&self, schema: &Value, value: &Value) -> Report {
        check(&self.root, schema, value)
    }
}

/// The API families: the names of the document's `tags`, in order.
pub fn families(root: &Value) -> Vec<String> {
    root["tags"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t["name"].as_str().map(str::to_owned))
        .collect()
}

/// One operation of the document as it is written, for validation and raw walks.
#[derive(Clone, Copy, Debug)]
pub struct Entry<'a> {
    /// The path template (`/website/{website_id}`).
    pub path: &'a str,
    /// The method, lower case (`get`), as the document's key.
    pub method: &'static str,
    /// The path item (its shared `parameters` and every method).
    pub item: &'a Value,
    /// The operation object.
    pub op: &'a Value,
}

/// Every operation object of the document, in document order (paths, then [`METHODS`]).
pub fn entries(root: &Value) -> impl Iterator<Item = Entry<'_>> {
    root["paths"]
        .as_object()
        .into_iter()
        .flatten()
        .flat_map(|(path, item)| {
            METHODS.iter().filter_map(move |m| {
                item.get(*m).map(|op| Entry {
                    path,
                    method: m,
                    item,
                    op,
                })
            })
        })
}

/// Every operation of the document, sorted by id (leniently read: see the crate docs).
pub fn operations(root: &Value) -> Vec<Operation> {
    let mut ops: Vec<Operation> = entries(root).map(|e| Operation::read(root, e)).collect();
    ops.sort_by(|a, b| a.id.cmp(&b.id));
    ops
}

/// Every event of the `x-crisp-events` catalogue, sorted by name.
pub fn events(root: &Value) -> Vec<Event> {
    let mut out: Vec<Event> = root
        .get(EVENTS)
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(name, entry)| Event::read(root, name, entry))
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// Follows `$ref`s (`#/…` JSON pointers into `root`) until a value that is not a reference.
/// A dangling or external reference, or a chain longer than 32, resolves to `null`.
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
    &Value::Null
}

/// Every `$ref` target under `value` (not looking into `example`/`examples` values, which are
/// data).
pub fn refs(value: &Value) -> BTreeSet<String> {
    fn walk(v: &Value, out: &mut BTreeSet<String>) {
        match v {
            Value::Object(m) => {
                for (k, v) in m {
                    match (k.as_str(), v) {
                        ("$ref", Value::String(s)) => {
                            out.insert(s.clone());
                        }
                        ("example" | "examples", _) => {}
                        _ => walk(v, out),
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    walk(value, &mut out);
    out
}

/// `list_conversations` → `ListConversations`; `message:acknowledge:read:send` →
/// `MessageAcknowledgeReadSend`: the Rust type (builder, event variant) name of an operation id
/// or event name.
pub fn camel(name: &str) -> String {
    name.split([':', '_'])
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

/// Strings of a JSON array (`["a", "b"]`), other values skipped; empty when not an array.
pub(crate) fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s.as_str().map(str::to_owned))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn resolves_and_collects_references() {
        let root = json!({"components": {"schemas": {
            "A": {"$ref": "#/components/schemas/B"},
            "B": {"type": "string", "example": {"$ref": "not a reference"}},
            "Loop": {"$ref": "#/components/schemas/Loop"}
        }}});
        let a = json!({"$ref": "#/components/schemas/A"});
        assert_eq!(resolve(&root, &a)["type"], "string");
        assert!(resolve(&root, &json!({"$ref": "#/nowhere"})).is_null());
        assert!(resolve(&root, &json!({"$ref": "#/components/schemas/Loop"})).is_null());
        assert!(resolve(&root, &json!({"$ref": "other.json#/x"})).is_null());
        let found = refs(&root);
        assert_eq!(
            found.into_iter().collect::<Vec<_>>(),
            ["#/components/schemas/B", "#/components/schemas/Loop"]
        );
    }

    #[test]
    fn names() {
        assert_eq!(camel("list_conversations"), "ListConversations");
        assert_eq!(
            camel("message:acknowledge:read:send"),
            "MessageAcknowledgeReadSend"
        );
    }
}
