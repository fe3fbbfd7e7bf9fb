//! Derives, once at build time, what the command line needs from the 1 MB bundled spec: each
//! operation's noun and verb (`src/names.rs`), parameters, help text rewritten for the command
//! line, body schema and example, and one example command; plus the component schemas the
//! bodies reach. Written to `OUT_DIR/cli-spec.json`, a fraction of the bundle, so `--help` does
//! not parse the whole document.

#[path = "src/names.rs"]
#[allow(dead_code)]
mod names;

use serde_json::{Map, Value, json};
use std::collections::BTreeSet;

const METHODS: [&str; 6] = ["get", "post", "put", "patch", "delete", "head"];

fn main() {
    let spec_path = "../openapi/crisp-v1.json";
    println!("cargo::rerun-if-changed={spec_path}");
    println!("cargo::rerun-if-changed=src/names.rs");
    let text = std::fs::read_to_string(spec_path).expect("the bundled spec");
    let root: Value = serde_json::from_str(&text).expect("the bundled spec is JSON");
    let mut operations = Vec::new();
    let mut refs = BTreeSet::new();
    for (path, item) in root["paths"].as_object().expect("paths") {
        for method in METHODS {
            let Some(entry) = item.get(method) else {
                continue;
            };
            operations.push(operation(&root, path, item, entry, &mut refs));
        }
    }
    // The component schemas the bodies reach, following `$ref`s.
    let schemas = &root["components"]["schemas"];
    let mut kept = Map::new();
    let mut pending: Vec<String> = refs.into_iter().collect();
    while let Some(name) = pending.pop() {
        if kept.contains_key(&name) {
            continue;
        }
        let schema = schemas[&name].clone();
        let mut found = BTreeSet::new();
        collect_refs(&schema, &mut found);
        pending.extend(found);
        kept.insert(name, schema);
    }
    let out = json!({
        "operations": operations,
        "tags": root["tags"],
        "components": {"schemas": kept},
    });
    let dest =
        std::path::Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("cli-spec.json");
    std::fs::write(dest, serde_json::to_string(&out).expect("JSON")).expect("write cli-spec.json");
}

fn resolve<'a>(root: &'a Value, mut value: &'a Value) -> &'a Value {
    while let Some(target) = value.get("$ref").and_then(Value::as_str) {
        value = root.pointer(&target[1..]).unwrap_or(&Value::Null);
    }
    value
}

fn collect_refs(value: &Value, found: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            if let Some(name) = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
            {
                found.insert(name.to_owned());
            }
            map.values().for_each(|v| collect_refs(v, found));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, found)),
        _ => {}
    }
}

fn operation(
    root: &Value,
    path: &str,
    item: &Value,
    entry: &Value,
    refs: &mut BTreeSet<String>,
) -> Value {
    let id = entry["operationId"].as_str().expect("operationId");
    let (noun, verb) = names::command_of(id, path);
    let mut params: Vec<Value> = Vec::new();
    // Path-level parameters first, overridden by operation-level ones of the same name.
    for list in [&item["parameters"], &entry["parameters"]] {
        for p in list.as_array().into_iter().flatten() {
            let mut p = resolve(root, p).clone();
            let schema = resolve(root, &p["schema"]).clone();
            p["schema"] = schema;
            params.retain(|q| q["name"] != p["name"]);
            params.push(p);
        }
    }
    let owned: Vec<String> = params
        .iter()
        .filter_map(|p| p["name"].as_str().map(str::to_owned))
        .collect();
    let param_names: Vec<&str> = owned.iter().map(String::as_str).collect();
    let cli_text = |text: &str| names::cli_text(text.trim(), &param_names);
    for p in &mut params {
        if let Some(d) = p["description"].as_str() {
            p["description"] = cli_text(d).into();
        }
    }
    let body = entry
        .get("requestBody")
        .map(|b| resolve(root, b))
        .and_then(|b| {
            let media = b["content"].get("application/json")?;
            let schema = media.get("schema").cloned().unwrap_or(Value::Null);
            collect_refs(&schema, refs);
            Some(json!({
                "required": b["required"].as_bool().unwrap_or(false),
                "schema": schema,
                "example": media.get("example"),
            }))
        });
    let example = example(&noun, &verb, &params, body.as_ref());
    json!({
        "id": id,
        "noun": noun,
        "verb": verb,
        "family": entry["tags"][0],
        "summary": entry["summary"].as_str().map(cli_text),
        "description": entry["description"].as_str().map(cli_text),
        "params": params,
        "body": body,
        "example": example,
    })
}

/// One command line: the required parameters with the spec's example (or a sample of the
/// identifier's format), and the spec's example body.
fn example(noun: &str, verb: &str, params: &[Value], body: Option<&Value>) -> String {
    let mut line = format!("crisp {noun} {verb}");
    for p in params {
        let name = p["name"].as_str().unwrap_or_default();
        if p["required"] != true || name == "page_number" {
            continue;
        }
        let value = p["example"]
            .as_str()
            .map(str::to_owned)
            .or_else(|| p["schema"]["example"].as_str().map(str::to_owned))
            .or_else(|| p["schema"]["example"].as_i64().map(|i| i.to_string()))
            .unwrap_or_else(|| {
                match names::FORMATS.iter().find(|(n, _)| *n == name).map(|f| f.1) {
                    Some("uuid") => "8c842203-7ed8-4e29-a608-7cf78a7d2fcc".to_owned(),
                    Some("session_uuid") => {
                        "session_700c65e1-85e2-465a-b9ac-ecb5ec2c9881".to_owned()
                    }
                    _ => format!("<{}>", name.to_uppercase()),
                }
            });
        line.push_str(&format!(" \\\n    --{} {value}", name.replace('_', "-")));
    }
    if let Some(body) = body {
        match body.get("example").filter(|e| !e.is_null()) {
            Some(example) => {
                let text = serde_json::to_string(example).expect("JSON");
                line.push_str(&format!(" \\\n    --body '{}'", text.replace('\'', "'\\''")));
            }
            None if body["required"] == true => line.push_str(&format!(
                " \\\n    --body @body.json\n  (`crisp example-body {noun} {verb} > body.json` writes one to fill in)"
            )),
            None => {}
        }
    }
    line
}
