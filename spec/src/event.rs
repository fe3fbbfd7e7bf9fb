//! One event of the `x-crisp-events` catalogue (`openapi/events.yaml`): a Crisp event name, its
//! payload schema, family, description and example.

use crate::{SCHEMA_REF, resolve};
use serde_json::Value;
use std::collections::BTreeSet;

/// One event of the catalogue.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Event {
    /// The event name (`message:send`).
    pub name: String,
    /// The family (cargo feature) typing it; `None` for an event always typed.
    pub family: Option<String>,
    /// The payload's component schema name (`MessageSendEvent`); empty when `schema` is not a
    /// `$ref` to a component schema (which `xtask` refuses).
    pub payload: String,
    /// The payload schema as written (a `$ref`).
    pub schema: Value,
    /// The description, its whitespace collapsed to single spaces.
    pub description: String,
    /// The example payload, when given.
    pub example: Option<Value>,
    /// The payload's property names, through `$ref`s and `allOf` parts (the fields of the
    /// generated payload struct).
    pub fields: BTreeSet<String>,
}

impl Event {
    pub(crate) fn read(root: &Value, name: &str, entry: &Value) -> Event {
        let schema = entry["schema"].clone();
        let mut fields = BTreeSet::new();
        collect_fields(root, &schema, &mut fields, 0);
        Event {
            name: name.to_owned(),
            family: entry["family"].as_str().map(str::to_owned),
            payload: schema["$ref"]
                .as_str()
                .and_then(|r| r.strip_prefix(SCHEMA_REF))
                .unwrap_or_default()
                .to_owned(),
            schema,
            description: entry["description"]
                .as_str()
                .unwrap_or_default()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
            example: entry.get("example").cloned(),
            fields,
        }
    }
}

/// The property names of a schema, through `$ref`s and `allOf` parts (typify merges `allOf` into
/// one struct holding every part's fields).
fn collect_fields(root: &Value, schema: &Value, out: &mut BTreeSet<String>, depth: usize) {
    if depth > 32 {
        return;
    }
    let schema = resolve(root, schema);
    for part in schema["allOf"].as_array().into_iter().flatten() {
        collect_fields(root, part, out, depth + 1);
    }
    out.extend(
        schema["properties"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, _)| k.clone()),
    );
}

#[cfg(test)]
mod tests {
    use crate::Spec;
    use serde_json::json;

    #[test]
    fn reads_the_catalogue() {
        let spec = Spec::new(json!({
            "components": {"schemas": {
                "Base": {"properties": {"website_id": {"type": "string"}}},
                "Send": {"allOf": [{"$ref": "#/components/schemas/Base"},
                                   {"properties": {"timestamp": {"type": "integer"}}}]}
            }},
            "x-crisp-events": {
                "message:send": {"schema": {"$ref": "#/components/schemas/Send"},
                    "family": "conversations", "description": "A message\n  was sent.",
                    "example": {"website_id": "w"}},
                "bucket:url:upload:generated": {"schema": {"type": "object"}}
            }
        }));
        let names: Vec<_> = spec.events().iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["bucket:url:upload:generated", "message:send"]);
        let send = spec.event("message:send").unwrap();
        assert_eq!(send.payload, "Send");
        assert_eq!(send.family.as_deref(), Some("conversations"));
        assert_eq!(send.description, "A message was sent.");
        assert_eq!(
            send.fields.iter().map(String::as_str).collect::<Vec<_>>(),
            ["timestamp", "website_id"]
        );
        let bucket = spec.event("bucket:url:upload:generated").unwrap();
        assert_eq!(
            (bucket.payload.as_str(), bucket.family.as_ref()),
            ("", None)
        );
    }
}
