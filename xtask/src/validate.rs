//! Validation of the bundle against the project's conventions (`openapi/CONVENTIONS.md`): one
//! line per problem, and `cargo xtask gen` refuses to write anything while there is one.

use crate::{cursor, events};
use crisp_api_spec::{self as model, Entry};
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// Every family (tag) must be a cargo feature of the crate, and the `default` feature must enable
/// them all.
fn check_features(families: &BTreeSet<&str>) -> Vec<String> {
    let manifest = crate::root().join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).unwrap_or_default();
    let Ok(doc) = text.parse::<toml::Table>() else {
        return vec!["Cargo.toml does not parse".to_owned()];
    };
    let features = doc.get("features").and_then(|f| f.as_table());
    let default: Vec<&str> = features
        .and_then(|f| f.get("default"))
        .and_then(|d| d.as_array())
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str())
        .collect();
    let mut problems = Vec::new();
    for family in families {
        if features.and_then(|f| f.get(*family)).is_none() {
            problems.push(format!(
                "family `{family}` has no cargo feature of the same name in Cargo.toml"
            ));
        }
        if !default.contains(family) {
            problems.push(format!("the `default` feature does not enable `{family}`"));
        }
    }
    problems
}

/// Checks the project's conventions on every operation; returns one line per problem.
pub fn validate(spec: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let mut ids = BTreeSet::new();
    let ops = model::operations(spec);
    let refs = model::refs(spec);
    for r in &refs {
        let name = r.trim_start_matches("#/components/");
        let mut parts = name.splitn(2, '/');
        let (kind, item) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
        if spec["components"][kind].get(item).is_none() {
            problems.push(format!("dangling reference {r}"));
        }
    }
    check_time_and_fingerprints(&spec["components"]["schemas"], "components", &mut problems);
    problems.extend(events::validate(spec));
    let families: BTreeSet<&str> = spec["tags"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t["name"].as_str())
        .collect();
    problems.extend(check_features(&families));
    problems.extend(crate::reference::check(
        model::entries(spec).map(|e| (e.path, e.method, e.op)),
    ));
    for Entry {
        path, method, op, ..
    } in model::entries(spec)
    {
        let at = format!("{} {path}", method.to_uppercase());
        check_time_and_fingerprints(op, &at, &mut problems);
    }
    if contains_closed_object(spec) {
        problems.push(
            "`additionalProperties: false` is not allowed (unknown fields must decode)".into(),
        );
    }
    for Entry {
        path, method, op, ..
    } in model::entries(spec)
    {
        let at = format!("{} {path}", method.to_uppercase());
        let id = op["operationId"].as_str().unwrap_or("");
        let mut p = |msg: &str| problems.push(format!("{at} ({id}): {msg}"));
        if id.is_empty() {
            p("no operationId");
        } else if !id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            p("operationId is not snake_case");
        } else if !ids.insert(id.to_owned()) {
            p("duplicate operationId");
        }
        for field in ["summary", "description"] {
            if op[field].as_str().is_none_or(|s| s.trim().is_empty()) {
                p(&format!("no {field}"));
            }
        }
        match op["tags"].as_array().map(Vec::as_slice) {
            Some([tag]) if families.contains(tag.as_str().unwrap_or("")) => {}
            Some([tag]) => p(&format!(
                "tag {tag} is not a family declared in crisp.yaml's `tags`"
            )),
            _ => p("needs exactly one tag (its family, which is its cargo feature)"),
        }
        if let Some(aliases) = op.get("x-crisp-aliases") {
            let ok = aliases.as_array().is_some_and(|a| {
                a.iter().all(|n| {
                    n.as_str().is_some_and(|n| {
                        !n.is_empty()
                            && n.chars()
                                .all(|c| c.is_ascii_alphanumeric() || "_.".contains(c))
                    })
                })
            });
            if !ok {
                p("x-crisp-aliases must be a list of names (letters, digits, `_` and `.`)");
            }
        }
        match op["x-crisp-tiers"].as_array() {
            Some(t) if !t.is_empty() => {
                if t.iter()
                    .any(|t| !matches!(t.as_str(), Some("plugin" | "website" | "user")))
                {
                    p("x-crisp-tiers holds an unknown tier");
                }
            }
            _ => p("no x-crisp-tiers"),
        }
        let paged = path.ends_with("{page_number}");
        if op["x-crisp-paginated"].as_bool().unwrap_or(false) != paged {
            p("x-crisp-paginated must be true exactly when the path ends in {page_number}");
        }
        if op.get("x-crisp-cursor").is_some()
            && let Some(model_op) = ops
                .iter()
                .find(|o| o.path == path && o.method.eq_ignore_ascii_case(method))
        {
            for m in cursor::check(spec, op, model_op) {
                p(&m);
            }
        }
        let Some(responses) = op["responses"].as_object() else {
            p("no responses");
            continue;
        };
        if responses.contains_key("default") {
            p("`default` response (use 4XX/5XX)");
        }
        // Success is the whole 2XX range: Crisp answers 206 on partial lists.
        let success: Vec<_> = responses.keys().filter(|c| c.starts_with('2')).collect();
        if success != ["2XX"] {
            p(
                "success must be declared once, as the range '2XX' (never a bare '200': Crisp answers 206 on partial lists)",
            );
        }
        if method == "head" {
            for (code, r) in responses {
                if r.get("content").is_some() {
                    p(&format!("HEAD response {code} must have no content"));
                }
                if !matches!(code.as_str(), "2XX" | "404") {
                    p(&format!("HEAD declares only '2XX' and '404', not {code}"));
                }
            }
            continue;
        }
        for code in ["4XX", "5XX"] {
            if responses[code].get("$ref").and_then(Value::as_str)
                != Some("#/components/responses/Error")
            {
                p(&format!("{code} must be $ref #/components/responses/Error"));
            }
        }
        for (code, _) in responses
            .iter()
            .filter(|(c, _)| !matches!(c.as_str(), "4XX" | "5XX"))
        {
            if !code.starts_with('2') {
                p(&format!("unexpected response {code} (use 4XX/5XX)"));
            }
        }
        if let Some(code) = success.first() {
            let media = &responses[code.as_str()]["content"]["application/json"];
            let schema = &media["schema"];
            let props = &schema["properties"];
            if props.get("error").is_none() || props.get("reason").is_none() {
                p("the success schema is not the {error, reason, data} envelope");
            }
            let required: Vec<&str> = schema["required"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            if props.get("data").is_some() && !required.contains(&"data") {
                p("`data` must be required in the envelope");
            }
            if paged && model::resolve(spec, &props["data"])["type"] != "array" {
                p("a paginated operation's `data` must be an array (its items are streamed)");
            }
            match media.get("example") {
                Some(ex) if ex["error"] == json!(false) && ex.get("reason").is_some() => {
                    if props.get("data").is_some() && ex.get("data").is_none() {
                        p("the example has no data");
                    }
                    for m in example_problems(spec, schema, ex) {
                        p(&m);
                    }
                }
                _ => {
                    p("no example envelope ({error: false, reason, data}) on the success response")
                }
            }
        }
    }
    problems
}

/// Checks that an example agrees with its schema with the one checker of `crisp-api-spec`:
/// types, enums, bounds and required properties, and every key it uses is a documented property
/// (unless the object is free-form). This keeps examples, and so the sandbox and the contract
/// tests, honest about the schema. One line per problem, each naming the field.
pub fn example_problems(spec: &Value, schema: &Value, example: &Value) -> Vec<String> {
    let report = model::check(spec, schema, example);
    let errors = report.errors.iter().map(|p| format!("example: {p}"));
    let unknown = report
        .unknown
        .iter()
        .map(|at| format!("example: `{at}` is not a documented property"));
    errors.chain(unknown).collect()
}

/// Timestamps are milliseconds and fingerprints exceed 32 bits: both must be 64-bit integers.
fn check_time_and_fingerprints(v: &Value, at: &str, problems: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::Object(props)) = m.get("properties") {
                for (name, schema) in props {
                    let timed = name == "fingerprint"
                        || name == "timestamp"
                        || name.ends_with("_at")
                        || name.starts_with("timestamp_");
                    if timed && schema.get("$ref").is_none() {
                        let ok = schema["type"] == "integer" && schema["format"] == "int64";
                        if !ok {
                            problems.push(format!("{at}: `{name}` must be an int64 integer"));
                        }
                    }
                }
            }
            for (k, v) in m {
                if k != "example" && k != "examples" {
                    check_time_and_fingerprints(v, at, problems);
                }
            }
        }
        Value::Array(a) => a
            .iter()
            .for_each(|v| check_time_and_fingerprints(v, at, problems)),
        _ => {}
    }
}

fn contains_closed_object(v: &Value) -> bool {
    match v {
        Value::Object(m) => m.iter().any(|(k, v)| {
            (k == "additionalProperties" && v == &Value::Bool(false))
                || (k != "example" && contains_closed_object(v))
        }),
        Value::Array(a) => a.iter().any(contains_closed_object),
        _ => false,
    }
}
