//! A small value that fits a schema, to start a request body from (`crisp example-body`) or to
//! answer with when the document has no example; and where such a value still holds one of its
//! `"<name>"` placeholders.

use crate::resolve;
use serde_json::{Map, Value};

/// A small value that fits `schema` (resolving `$ref`s in `root`): the schema's own example if
/// it has one, else required fields only, the first enum value, one array item, the minimum of
/// numbers, a placeholder string named after the field.
pub fn sample(root: &Value, schema: &Value) -> Value {
    sample_at(root, schema, "", 0)
}

fn sample_at(root: &Value, schema: &Value, name: &str, depth: usize) -> Value {
    let schema = resolve(root, schema);
    if depth > 12 {
        return Value::Null;
    }
    if let Some(example) = schema.get("example") {
        return example.clone();
    }
    if let Some(first) = schema["enum"].as_array().and_then(|e| e.first()) {
        return first.clone();
    }
    if let Some(parts) = schema["allOf"].as_array() {
        let mut merged = Map::new();
        for part in parts {
            if let Value::Object(m) = sample_at(root, part, name, depth + 1) {
                merged.extend(m);
            }
        }
        let mut own = schema.clone();
        if let Some(m) = own.as_object_mut() {
            m.remove("allOf");
        }
        if let Value::Object(m) = sample_at(root, &own, name, depth + 1) {
            merged.extend(m);
        }
        return Value::Object(merged);
    }
    if let Some(first) = schema["oneOf"]
        .as_array()
        .or(schema["anyOf"].as_array())
        .and_then(|a| a.first())
    {
        return sample_at(root, first, name, depth + 1);
    }
    match schema["type"].as_str() {
        Some("object") => {
            let mut map = Map::new();
            let properties = &schema["properties"];
            for key in schema["required"].as_array().into_iter().flatten() {
                if let Some(key) = key.as_str() {
                    let field = properties.get(key).unwrap_or(&Value::Null);
                    map.insert(key.to_owned(), sample_at(root, field, key, depth + 1));
                }
            }
            Value::Object(map)
        }
        Some("array") => Value::Array(vec![sample_at(root, &schema["items"], name, depth + 1)]),
        Some("integer") => schema["minimum"].as_i64().unwrap_or(0).into(),
        Some("number") => schema["minimum"].as_f64().unwrap_or(0.0).into(),
        Some("boolean") => false.into(),
        Some("string") => match schema["format"].as_str() {
            Some("email") => "valerie.martin@acme-inc.com".into(),
            Some("uri" | "url") => "https://example.com/".into(),
            Some("date-time") => "2024-01-01T00:00:00Z".into(),
            Some("date") => "2024-01-01".into(),
            _ if name.ends_with("email") => "valerie.martin@acme-inc.com".into(),
            _ if name.ends_with("url") => "https://example.com/".into(),
            // A placeholder to replace: see `placeholder`.
            _ => format!("<{}>", if name.is_empty() { "text" } else { name }).into(),
        },
        _ => Value::Null,
    }
}

/// Where `value` still holds a placeholder string that [`sample`] writes (`"<content>"`): the
/// JSON path of the first one (`content`, `items[0].name`), or the placeholder itself when it
/// is the whole value; `None` when there is none.
pub fn placeholder(value: &Value) -> Option<String> {
    placeholder_at(value, "")
}

fn placeholder_at(value: &Value, at: &str) -> Option<String> {
    match value {
        Value::String(s) => {
            let inner = s.strip_prefix('<')?.strip_suffix('>')?;
            let is_name = !inner.is_empty()
                && inner
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            is_name.then(|| {
                if at.is_empty() {
                    s.clone()
                } else {
                    at.to_owned()
                }
            })
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| placeholder_at(v, &format!("{at}[{i}]"))),
        Value::Object(map) => map.iter().find_map(|(k, v)| {
            let path = if at.is_empty() {
                k.clone()
            } else {
                format!("{at}.{k}")
            };
            placeholder_at(v, &path)
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::{check, placeholder, sample};
    use serde_json::json;

    #[test]
    fn samples_fit_their_schema() {
        let root = json!({"components": {"schemas": {"Base": {"type": "object",
            "required": ["email", "n"], "properties": {
                "email": {"type": "string"}, "n": {"type": "integer", "minimum": 1}}}}}});
        let schema = json!({"allOf": [{"$ref": "#/components/schemas/Base"},
            {"type": "object", "required": ["kind"],
             "properties": {"kind": {"type": "string", "enum": ["a", "b"]}}}]});
        let value = sample(&root, &schema);
        assert_eq!(
            value,
            json!({"email": "valerie.martin@acme-inc.com", "n": 1, "kind": "a"})
        );
        assert!(check(&root, &schema, &value).is_exact());
        assert_eq!(placeholder(&value), None);
        let skeleton = sample(
            &root,
            &json!({"type": "object", "required": ["items"],
            "properties": {"items": {"type": "array", "items": {"type": "object",
                "required": ["name"], "properties": {"name": {"type": "string"}}}}}}),
        );
        assert_eq!(skeleton, json!({"items": [{"name": "<name>"}]}));
        assert_eq!(placeholder(&skeleton).as_deref(), Some("items[0].name"));
        assert_eq!(placeholder(&json!("<text>")).as_deref(), Some("<text>"));
        assert_eq!(placeholder(&json!({"a": "<A>", "b": "<>"})), None);
    }
}
