//! A small JSON Schema checker over the spec's (OpenAPI 3.0) schemas, to refuse a malformed
//! body before sending it, naming the field; and a sample generator for `crisp example-body`.
//!
//! It understands what the spec uses: `$ref`, `type`, `nullable`, `required`, `properties`,
//! `additionalProperties`, `items`, `enum`, `minimum`/`maximum`, integer formats, `allOf`,
//! `oneOf`/`anyOf` and `not`.

use crate::spec::resolve;
use serde_json::{Map, Value};
use std::fmt;

/// Why a body does not fit its schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invalid {
    /// Where, as a dotted path from the body's root (`content.type`, `items[2].email`); empty
    /// for the body itself.
    pub at: String,
    /// What is wrong.
    pub problem: String,
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.at.is_empty() {
            write!(f, "the body {}", self.problem)
        } else {
            write!(f, "`{}` {}", self.at, self.problem)
        }
    }
}

/// Checks `value` against `schema`. Fields the schema does not describe are allowed (Crisp
/// adds fields faster than the spec) but reported in `unknown` as paths, for a warning.
pub fn validate(
    root: &Value,
    schema: &Value,
    value: &Value,
    unknown: &mut Vec<String>,
) -> Result<(), Invalid> {
    check(root, schema, value, "", unknown)
}

fn join(at: &str, key: &str) -> String {
    if at.is_empty() {
        key.to_owned()
    } else {
        format!("{at}.{key}")
    }
}

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
                text.truncate(37);
                text.push_str("...");
            }
            format!("{kind} ({text})")
        }
    }
}

fn invalid(at: &str, problem: impl Into<String>) -> Invalid {
    Invalid {
        at: at.to_owned(),
        problem: problem.into(),
    }
}

fn is_integer(value: &Value) -> bool {
    match value {
        Value::Number(n) => {
            n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
        }
        _ => false,
    }
}

fn check(
    root: &Value,
    schema: &Value,
    value: &Value,
    at: &str,
    unknown: &mut Vec<String>,
) -> Result<(), Invalid> {
    let schema = resolve(root, schema);
    if !schema.is_object() {
        return Ok(());
    }
    if value.is_null() && schema["nullable"] == true {
        return Ok(());
    }
    for part in schema["allOf"].as_array().into_iter().flatten() {
        check(root, part, value, at, unknown)?;
    }
    if let Some(alternatives) = schema["oneOf"].as_array().or(schema["anyOf"].as_array()) {
        one_of(root, alternatives, value, at, unknown)?;
    }
    if let Some(not) = schema.get("not")
        && check(root, not, value, at, &mut Vec::new()).is_ok()
    {
        return Err(invalid(at, format!("must not be {}", describe(value))));
    }
    if let Some(allowed) = schema["enum"].as_array()
        && !allowed.contains(value)
    {
        let list: Vec<String> = allowed.iter().map(|v| format!("`{v}`")).collect();
        let list = list.join(", ").replace('"', "");
        return Err(invalid(
            at,
            format!("must be one of {list}; found {}", describe(value)),
        ));
    }
    let expected = schema["type"].as_str();
    let fits = match expected {
        None => true,
        Some("object") => value.is_object(),
        Some("array") => value.is_array(),
        Some("string") => value.is_string(),
        Some("boolean") => value.is_boolean(),
        Some("integer") => is_integer(value),
        Some("number") => value.is_number(),
        Some(_) => true,
    };
    if !fits {
        let article = match expected {
            Some("object" | "array" | "integer") => "an",
            _ => "a",
        };
        return Err(invalid(
            at,
            format!(
                "must be {article} {}; found {}",
                expected.unwrap_or_default(),
                describe(value)
            ),
        ));
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
                return Err(invalid(at, format!("must be at least {min}; found {n}")));
            }
            if let Some(max) = schema["maximum"].as_f64().or(max)
                && f > max
            {
                return Err(invalid(at, format!("must be at most {max}; found {n}")));
            }
        }
        Value::Array(items) => {
            if let Some(item_schema) = schema.get("items") {
                for (i, item) in items.iter().enumerate() {
                    check(root, item_schema, item, &format!("{at}[{i}]"), unknown)?;
                }
            }
        }
        Value::Object(map) => object(root, schema, map, at, unknown)?,
        _ => {}
    }
    Ok(())
}

fn object(
    root: &Value,
    schema: &Value,
    map: &Map<String, Value>,
    at: &str,
    unknown: &mut Vec<String>,
) -> Result<(), Invalid> {
    for name in schema["required"].as_array().into_iter().flatten() {
        if let Some(name) = name.as_str()
            && !map.contains_key(name)
        {
            return Err(invalid(&join(at, name), "is required"));
        }
    }
    let properties = schema["properties"].as_object();
    for (key, field) in map {
        let path = join(at, key);
        match properties.and_then(|p| p.get(key)) {
            Some(field_schema) => check(root, field_schema, field, &path, unknown)?,
            None => match schema.get("additionalProperties") {
                Some(Value::Bool(false)) => {
                    return Err(invalid(&path, "is not a field of this body"));
                }
                Some(extra) if extra.is_object() => check(root, extra, field, &path, unknown)?,
                // A field of an object whose schema lists fields but not this one.
                _ if properties.is_some_and(|p| !p.is_empty()) => unknown.push(path),
                _ => {}
            },
        }
    }
    Ok(())
}

/// `oneOf`/`anyOf`: valid when any alternative fits. Otherwise the error names the most
/// relevant alternative: the one whose single-value `enum` fields (a discriminator such as a
/// message's `type`) match the value, or the error all alternatives agree on.
fn one_of(
    root: &Value,
    alternatives: &[Value],
    value: &Value,
    at: &str,
    unknown: &mut Vec<String>,
) -> Result<(), Invalid> {
    let mut errors = Vec::new();
    for alternative in alternatives {
        let mut seen = Vec::new();
        match check(root, alternative, value, at, &mut seen) {
            Ok(()) => {
                unknown.extend(seen);
                return Ok(());
            }
            Err(e) => errors.push((alternative, e)),
        }
    }
    let matching: Vec<&Invalid> = errors
        .iter()
        .filter(|(alt, _)| discriminates(root, alt, value))
        .map(|(_, e)| e)
        .collect();
    if let [only] = matching.as_slice() {
        return Err((*only).clone());
    }
    if let Some((_, first)) = errors.first()
        && errors.iter().all(|(_, e)| e == first)
    {
        return Err(first.clone());
    }
    let kinds: Vec<String> = alternatives
        .iter()
        .map(|a| {
            let a = resolve(root, a);
            let tag = a["properties"]
                .as_object()
                .and_then(|p| {
                    p.iter().find_map(|(k, v)| {
                        let e = resolve(root, v)["enum"].as_array()?;
                        (e.len() == 1).then(|| format!("{k}={}", e[0]).replace('"', ""))
                    })
                })
                .or_else(|| a["type"].as_str().map(str::to_owned));
            tag.unwrap_or_else(|| "object".to_owned())
        })
        .collect();
    Err(invalid(
        at,
        format!(
            "fits none of the allowed forms ({}); found {}",
            kinds.join(", "),
            describe(value)
        ),
    ))
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
        let field = resolve(root, field);
        if let Some([only]) = field["enum"].as_array().map(Vec::as_slice) {
            match map.get(key) {
                Some(v) if v == only => any = true,
                Some(_) => return false,
                None => {}
            }
        }
    }
    any
}

/// A small value that fits `schema`: required fields only, the first enum value, one array
/// item, the minimum of numbers. Used to print a body skeleton to start from.
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
        if let Value::Object(m) = sample_at(root, &strip(schema, "allOf"), name, depth + 1) {
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
            // A placeholder: refused if sent as is (see `placeholder`).
            _ => format!("<{}>", if name.is_empty() { "text" } else { name }).into(),
        },
        _ => Value::Null,
    }
}

/// Where `value` still holds a placeholder that [`sample`] prints (`"<content>"`), if anywhere.
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
        Value::Object(map) => map
            .iter()
            .find_map(|(k, v)| placeholder_at(v, &join(at, k))),
        _ => None,
    }
}

fn strip(schema: &Value, key: &str) -> Value {
    let mut copy = schema.clone();
    if let Some(m) = copy.as_object_mut() {
        m.remove(key);
    }
    copy
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::Spec;
    use serde_json::json;

    fn body_of(spec: &Spec, id: &str) -> Value {
        spec.find(id).unwrap().body.as_ref().unwrap().schema.clone()
    }

    fn check_body(spec: &Spec, id: &str, value: Value) -> Result<Vec<String>, String> {
        let mut unknown = Vec::new();
        validate(&spec.root, &body_of(spec, id), &value, &mut unknown)
            .map(|()| unknown)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn messages_are_checked_by_variant() {
        let spec = Spec::load();
        let op = "send_message_in_conversation";
        let ok = json!({"type": "note", "from": "operator", "origin": "chat", "content": "hi"});
        assert_eq!(check_body(&spec, op, ok), Ok(vec![]));
        let missing = json!({"type": "text", "from": "operator", "content": "hi"});
        assert_eq!(
            check_body(&spec, op, missing).unwrap_err(),
            "`origin` is required"
        );
        let wrong = json!({"type": "text", "from": "robot", "origin": "chat", "content": "hi"});
        let err = check_body(&spec, op, wrong).unwrap_err();
        assert!(
            err.starts_with("`from` must be one of `user`, `operator`"),
            "{err}"
        );
        let typo = json!({"type": "text", "from": "user", "origin": "chat", "content": "hi", "stelth": true});
        assert_eq!(check_body(&spec, op, typo), Ok(vec!["stelth".to_owned()]));
        let array = check_body(&spec, op, json!([])).unwrap_err();
        assert!(array.starts_with("the body "), "{array}");
    }

    #[test]
    fn samples_and_examples_fit_their_schemas() {
        let spec = Spec::load();
        for o in &spec.operations {
            let Some(body) = &o.body else { continue };
            let skeleton = sample(&spec.root, &body.schema);
            let mut unknown = Vec::new();
            if let Err(e) = validate(&spec.root, &body.schema, &skeleton, &mut unknown) {
                panic!("{}: sample {skeleton} does not fit: {e}", o.op.id);
            }
            if let Some(example) = &body.example {
                validate(&spec.root, &body.schema, example, &mut unknown)
                    .unwrap_or_else(|e| panic!("{}: example does not fit: {e}", o.op.id));
            }
        }
    }
}
