//! The one JSON-Schema checker over the spec's (OpenAPI 3.0) schemas: for the document's
//! examples (`xtask`), request bodies (the CLI, the fake server) and parameter values alike.
//!
//! It understands the keywords the spec uses: `$ref`, `type`, `nullable`, `required`,
//! `properties`, `additionalProperties`, `items`, `enum`, `minimum`/`maximum`, the integer
//! formats `int32`/`uint32`, `allOf` (its parts' properties merged, as the generated types merge
//! them), `oneOf`/`anyOf` (the error names the alternative the value meant, by its
//! single-value `enum` fields such as a message's `type`) and `not`. Integers are JSON integers
//! (`3.0` is a number, as the SDK's decoding sees it).

use crate::resolve;
use serde_json::{Map, Value};
use std::fmt;

/// One way a value does not fit its schema.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Problem {
    /// Where, as a JSON path from the value's root: `content.type`, `items[2].email`; empty for
    /// the value itself.
    pub at: String,
    /// What is wrong, as a predicate of the field: `is required`, `must be a string; found an
    /// integer (3)`.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.at.is_empty() {
            write!(f, "the value {}", self.message)
        } else {
            write!(f, "`{}` {}", self.at, self.message)
        }
    }
}

/// What [`check`] found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Report {
    /// Every way the value does not fit, in the order met.
    pub errors: Vec<Problem>,
    /// Fields the schema does not describe (of an object whose schema lists its properties and
    /// says nothing of others), as JSON paths. Crisp adds fields faster than the spec, so a
    /// reader of responses allows them; an example or a body to send may treat them as a
    /// warning or an error.
    pub unknown: Vec<String>,
}

impl Report {
    /// Whether the value fits (unknown fields allowed).
    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }

    /// Whether the value fits with no unknown field.
    pub fn is_exact(&self) -> bool {
        self.errors.is_empty() && self.unknown.is_empty()
    }

    /// The first error, if any.
    pub fn first(&self) -> Option<&Problem> {
        self.errors.first()
    }
}

/// Checks `value` against `schema`, resolving `$ref`s in `root` (the whole document).
pub fn check(root: &Value, schema: &Value, value: &Value) -> Report {
    let mut report = Report::default();
    walk(root, schema, value, "", &mut report, 0);
    report
}

/// Deeper than this, a schema is taken as recursive and not followed.
const MAX_DEPTH: usize = 64;

fn join(at: &str, key: &str) -> String {
    if at.is_empty() {
        key.to_owned()
    } else {
        format!("{at}.{key}")
    }
}

fn problem(report: &mut Report, at: &str, message: impl Into<String>) {
    report.errors.push(Problem {
        at: at.to_owned(),
        message: message.into(),
    });
}

/// `an integer (3)`, `a string ("x")`, `an object`: what was found, shortened.
fn describe(value: &Value) -> String {
    let kind = match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_f64() => "a number",
        Value::Number(_) => "an integer",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    };
    match value {
        Value::Array(_) | Value::Object(_) | Value::Null => kind.to_owned(),
        other => {
            let mut text = other.to_string();
            if text.len() > 40 {
                let mut end = 37;
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                text.truncate(end);
                text.push_str("...");
            }
            format!("{kind} ({text})")
        }
    }
}

fn walk(root: &Value, schema: &Value, value: &Value, at: &str, report: &mut Report, depth: usize) {
    let schema = resolve(root, schema);
    if !schema.is_object() || depth > MAX_DEPTH {
        return;
    }
    if value.is_null() && schema["nullable"] == true {
        return;
    }
    if let Some(parts) = schema["allOf"].as_array() {
        return all_of(root, schema, parts, value, at, report, depth);
    }
    if let Some(alternatives) = schema["oneOf"].as_array().or(schema["anyOf"].as_array()) {
        let before = report.errors.len();
        one_of(root, alternatives, value, at, report, depth);
        if report.errors.len() > before {
            return;
        }
    }
    if let Some(not) = schema.get("not") {
        let mut inner = Report::default();
        walk(root, not, value, at, &mut inner, depth + 1);
        if inner.is_ok() {
            return problem(report, at, format!("must not be {}", describe(value)));
        }
    }
    if let Some(allowed) = schema["enum"].as_array()
        && !allowed.contains(value)
    {
        let list: Vec<String> = allowed.iter().map(|v| format!("`{v}`")).collect();
        let list = list.join(", ").replace('"', "");
        return problem(
            report,
            at,
            format!("must be one of {list}; found {}", describe(value)),
        );
    }
    let expected = schema["type"].as_str();
    let fits = match expected {
        Some("object") => value.is_object(),
        Some("array") => value.is_array(),
        Some("string") => value.is_string(),
        Some("boolean") => value.is_boolean(),
        Some("integer") => value.is_i64() || value.is_u64(),
        Some("number") => value.is_number(),
        _ => true,
    };
    if !fits {
        let ty = expected.unwrap_or_default();
        let article = if matches!(ty, "object" | "array" | "integer") {
            "an"
        } else {
            "a"
        };
        return problem(
            report,
            at,
            format!("must be {article} {ty}; found {}", describe(value)),
        );
    }
    match value {
        Value::Number(n) => {
            let f = n.as_f64().unwrap_or(0.0);
            let (min, max) = match schema["format"].as_str() {
                Some("uint32") => (Some(0.0), Some(f64::from(u32::MAX))),
                Some("int32") => (Some(f64::from(i32::MIN)), Some(f64::from(i32::MAX))),
                _ => (None, None),
            };
            if let Some(min) = schema["minimum"].as_f64().or(min)
                && f < min
            {
                problem(report, at, format!("must be at least {min}; found {n}"));
            }
            if let Some(max) = schema["maximum"].as_f64().or(max)
                && f > max
            {
                problem(report, at, format!("must be at most {max}; found {n}"));
            }
        }
        Value::Array(items) => {
            if let Some(item_schema) = schema.get("items") {
                for (i, item) in items.iter().enumerate() {
                    walk(
                        root,
                        item_schema,
                        item,
                        &format!("{at}[{i}]"),
                        report,
                        depth + 1,
                    );
                }
            }
        }
        Value::Object(map) => object(root, schema, map, at, report, depth),
        _ => {}
    }
}

fn object(
    root: &Value,
    schema: &Value,
    map: &Map<String, Value>,
    at: &str,
    report: &mut Report,
    depth: usize,
) {
    for name in schema["required"].as_array().into_iter().flatten() {
        if let Some(name) = name.as_str()
            && !map.contains_key(name)
        {
            problem(report, &join(at, name), "is required");
        }
    }
    let properties = schema["properties"].as_object();
    for (key, field) in map {
        let path = join(at, key);
        match properties.and_then(|p| p.get(key)) {
            Some(field_schema) => walk(root, field_schema, field, &path, report, depth + 1),
            None => match schema.get("additionalProperties") {
                Some(Value::Bool(false)) => problem(report, &path, "is not a documented field"),
                Some(extra) if extra.is_object() => {
                    walk(root, extra, field, &path, report, depth + 1)
                }
                Some(_) => {}
                // A field of an object whose schema lists fields but not this one.
                None if properties.is_some() => report.unknown.push(path),
                None => {}
            },
        }
    }
}

/// `allOf`: the parts describing an object (properties, required fields) are merged into one
/// object schema, as the generated type merges them, so a field of one part is not unknown to
/// another; the other parts (a described `$ref` to a scalar, say) are checked as they are.
fn all_of(
    root: &Value,
    schema: &Value,
    parts: &[Value],
    value: &Value,
    at: &str,
    report: &mut Report,
    depth: usize,
) {
    let mut own = schema.clone();
    if let Some(m) = own.as_object_mut() {
        m.remove("allOf");
    }
    let mut flat = Vec::new();
    flatten(root, &own, &mut flat, depth);
    for part in parts {
        flatten(root, part, &mut flat, depth);
    }
    let mut merged = Map::new();
    let (mut properties, mut required) = (Map::new(), Vec::<Value>::new());
    let mut objecty = false;
    for part in &flat {
        let is_object = part.get("properties").is_some()
            || part.get("required").is_some()
            || part.get("additionalProperties").is_some()
            || part["type"] == "object";
        if !is_object {
            walk(root, part, value, at, report, depth + 1);
            continue;
        }
        objecty = true;
        for (k, v) in part["properties"].as_object().into_iter().flatten() {
            properties.insert(k.clone(), v.clone());
        }
        for r in part["required"].as_array().into_iter().flatten() {
            if !required.contains(r) {
                required.push(r.clone());
            }
        }
        if let Some(extra) = part.get("additionalProperties") {
            merged.insert("additionalProperties".into(), extra.clone());
        }
        if part["type"] == "object" {
            merged.insert("type".into(), "object".into());
        }
        if part["nullable"] == true {
            merged.insert("nullable".into(), true.into());
        }
    }
    if objecty {
        merged.insert("properties".into(), Value::Object(properties));
        merged.insert("required".into(), Value::Array(required));
        walk(root, &Value::Object(merged), value, at, report, depth + 1);
    }
}

/// The parts of an `allOf`, `$ref`s resolved and nested `allOf`s opened.
fn flatten(root: &Value, part: &Value, out: &mut Vec<Value>, depth: usize) {
    let part = resolve(root, part);
    if depth > MAX_DEPTH {
        return;
    }
    match part["allOf"].as_array() {
        Some(parts) => {
            let mut own = part.clone();
            if let Some(m) = own.as_object_mut() {
                m.remove("allOf");
            }
            out.push(own);
            for p in parts {
                flatten(root, p, out, depth + 1);
            }
        }
        None => out.push(part.clone()),
    }
}

/// `oneOf`/`anyOf`: fits when any alternative fits. Otherwise the error is the one of the
/// alternative the value meant (whose single-value `enum` fields, a discriminator such as a
/// message's `type`, match the value), or the errors all alternatives agree on, or one line
/// listing the allowed forms.
fn one_of(
    root: &Value,
    alternatives: &[Value],
    value: &Value,
    at: &str,
    report: &mut Report,
    depth: usize,
) {
    let mut failures = Vec::new();
    for alternative in alternatives {
        let mut inner = Report::default();
        walk(root, alternative, value, at, &mut inner, depth + 1);
        if inner.is_ok() {
            report.unknown.extend(inner.unknown);
            return;
        }
        failures.push((alternative, inner.errors));
    }
    let meant: Vec<&Vec<Problem>> = failures
        .iter()
        .filter(|(alt, _)| discriminates(root, alt, value))
        .map(|(_, e)| e)
        .collect();
    if let [only] = meant.as_slice() {
        report.errors.extend(only.iter().cloned());
        return;
    }
    if let Some((_, first)) = failures.first()
        && failures.iter().all(|(_, e)| e == first)
    {
        report.errors.extend(first.iter().cloned());
        return;
    }
    let kinds: Vec<String> = alternatives
        .iter()
        .map(|a| {
            let a = resolve(root, a);
            a["properties"]
                .as_object()
                .and_then(|p| {
                    p.iter().find_map(|(k, v)| {
                        let e = resolve(root, v)["enum"].as_array()?;
                        (e.len() == 1).then(|| format!("{k}={}", e[0]).replace('"', ""))
                    })
                })
                .or_else(|| a["type"].as_str().map(str::to_owned))
                .unwrap_or_else(|| "object".to_owned())
        })
        .collect();
    problem(
        report,
        at,
        format!(
            "fits none of the allowed forms ({}); found {}",
            kinds.join(", "),
            describe(value)
        ),
    );
}

/// Whether every single-value `enum` property of an object alternative that the value has
/// holds that value (and the alternative has at least one such property).
fn discriminates(root: &Value, alternative: &Value, value: &Value) -> bool {
    let alternative = resolve(root, alternative);
    let (Some(properties), Some(map)) = (alternative["properties"].as_object(), value.as_object())
    else {
        return false;
    };
    let mut any = false;
    for (key, field) in properties {
        if let Some([only]) = resolve(root, field)["enum"].as_array().map(Vec::as_slice) {
            match map.get(key) {
                Some(v) if v == only => any = true,
                Some(_) => return false,
                None => {}
            }
        }
    }
    any
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn root() -> Value {
        json!({"components": {"schemas": {
            "Text": {"type": "object", "required": ["type", "content"], "properties": {
                "type": {"type": "string", "enum": ["text"]},
                "from": {"type": "string", "enum": ["user", "operator"]},
                "content": {"type": "string"}}},
            "Note": {"type": "object", "required": ["type", "content"], "properties": {
                "type": {"type": "string", "enum": ["note"]},
                "content": {"type": "string"}}},
            "Message": {"oneOf": [{"$ref": "#/components/schemas/Text"},
                                  {"$ref": "#/components/schemas/Note"}]},
            "Base": {"type": "object", "required": ["id"],
                     "properties": {"id": {"type": "integer", "format": "uint32"}}},
            "Named": {"allOf": [{"$ref": "#/components/schemas/Base"},
                                {"properties": {"name": {"type": "string", "nullable": true}}}]},
            "Free": {"type": "object", "additionalProperties": {"type": "integer"}},
            "Closed": {"type": "object", "properties": {"a": {}}, "additionalProperties": false},
            "NotEmpty": {"type": "string", "not": {"enum": [""]}}
        }}})
    }

    fn run(schema: &str, value: Value) -> Report {
        let root = root();
        check(
            &root,
            &json!({"$ref": format!("#/components/schemas/{schema}")}),
            &value,
        )
    }

    fn errors(report: &Report) -> Vec<String> {
        report.errors.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn alternatives_are_told_apart_by_their_discriminator() {
        let ok = run("Message", json!({"type": "note", "content": "hi"}));
        assert!(ok.is_exact(), "{ok:?}");
        let missing = run("Message", json!({"type": "text"}));
        assert_eq!(errors(&missing), ["`content` is required"]);
        let wrong = run(
            "Message",
            json!({"type": "text", "content": "x", "from": "robot"}),
        );
        assert_eq!(
            errors(&wrong),
            ["`from` must be one of `user`, `operator`; found a string (\"robot\")"]
        );
        let agreed = run("Message", json!([]));
        assert_eq!(
            errors(&agreed),
            ["the value must be an object; found an array"]
        );
        let none = run("Message", json!({"type": "video"}));
        assert_eq!(
            errors(&none),
            ["the value fits none of the allowed forms (type=text, type=note); found an object"]
        );
        let unknown = run(
            "Message",
            json!({"type": "note", "content": "x", "stelth": 1}),
        );
        assert!(unknown.is_ok());
        assert_eq!(unknown.unknown, ["stelth"]);
    }

    #[test]
    fn all_of_parts_are_merged() {
        assert!(run("Named", json!({"id": 1, "name": null})).is_exact());
        assert_eq!(
            errors(&run("Named", json!({"name": "x"}))),
            ["`id` is required"]
        );
        assert_eq!(
            errors(&run("Named", json!({"id": -1}))),
            ["`id` must be at least 0; found -1"]
        );
        assert_eq!(run("Named", json!({"id": 1, "x": 2})).unknown, ["x"]);
    }

    #[test]
    fn paths_name_the_field_and_every_error_is_kept() {
        let root = root();
        let schema = json!({"type": "object", "properties": {"items": {"type": "array",
            "items": {"$ref": "#/components/schemas/Base"}}}});
        let report = check(
            &root,
            &schema,
            &json!({"items": [{"id": 1}, {"id": 2.0}, {"id": "x"}]}),
        );
        assert_eq!(
            errors(&report),
            [
                "`items[1].id` must be an integer; found a number (2.0)",
                "`items[2].id` must be an integer; found a string (\"x\")"
            ]
        );
        assert_eq!(
            errors(&run("Free", json!({"a": 1, "b": "2"}))),
            ["`b` must be an integer; found a string (\"2\")"]
        );
        assert_eq!(
            errors(&run("Closed", json!({"a": 1, "b": 2}))),
            ["`b` is not a documented field"]
        );
        assert_eq!(
            errors(&run("NotEmpty", json!(""))),
            ["the value must not be a string (\"\")"]
        );
        assert!(run("NotEmpty", json!("x")).is_exact());
    }
}
