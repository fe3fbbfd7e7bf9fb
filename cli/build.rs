//! Derives, once at build time, what the command line needs from the 1 MB bundled spec, read
//! through the spec model (`crisp-api-spec`): a small OpenAPI document of the operations'
//! parameters and bodies, with help text rewritten for the command line, the component schemas
//! the bodies reach and no responses; plus each operation's noun and verb (`src/names.rs`) and
//! one example command (`x-crisp-cli`). Written to `OUT_DIR/cli-spec.json`, a fraction of the
//! bundle, so `--help` does not parse the whole document; `src/spec.rs` reads it back through
//! the same model.

#[path = "src/names.rs"]
#[allow(dead_code)]
mod names;

use crisp_api_spec::{Location, Operation, Paging, SCHEMA_REF, Spec};
use serde_json::{Map, Value, json};
use std::collections::BTreeSet;

fn main() {
    let spec_path = "../openapi/crisp-v1.json";
    println!("cargo::rerun-if-changed={spec_path}");
    println!("cargo::rerun-if-changed=src/names.rs");
    let text = std::fs::read_to_string(spec_path).expect("the bundled spec");
    let spec = Spec::parse(&text).expect("the bundled spec is JSON");
    let mut paths = Map::new();
    let mut commands = Map::new();
    let mut reached = BTreeSet::new();
    for op in spec.operations() {
        let (noun, verb) = names::command_of(&op.id, &op.path);
        commands.insert(
            op.id.clone(),
            json!({"noun": noun, "verb": verb, "example": example(op, &noun, &verb)}),
        );
        let entry = operation(op, &mut reached);
        let item = paths.entry(op.path.clone()).or_insert_with(|| json!({}));
        item[op.method.to_ascii_lowercase()] = entry;
    }
    // The component schemas the parameters and bodies reach, following `$ref`s.
    let schemas = &spec.root()["components"]["schemas"];
    let mut kept = Map::new();
    let mut pending: Vec<String> = reached.into_iter().collect();
    while let Some(name) = pending.pop() {
        if kept.contains_key(&name) {
            continue;
        }
        let schema = schemas[&name].clone();
        pending.extend(schema_refs(&schema));
        kept.insert(name, schema);
    }
    let out = json!({
        "openapi": spec.root()["openapi"],
        "info": spec.root()["info"],
        "tags": spec.root()["tags"],
        "paths": paths,
        "components": {"schemas": kept},
        "x-crisp-cli": commands,
    });
    let dest =
        std::path::Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("cli-spec.json");
    std::fs::write(dest, serde_json::to_string(&out).expect("JSON")).expect("write cli-spec.json");
}

/// The names of the component schemas `value` refers to.
fn schema_refs(value: &Value) -> impl Iterator<Item = String> {
    crisp_api_spec::refs(value)
        .into_iter()
        .filter_map(|r| r.strip_prefix(SCHEMA_REF).map(str::to_owned))
}

/// The operation as the command line needs it, in OpenAPI form (so that the model reads it
/// back): its texts in the command line's words, path and query parameters, body, paging.
fn operation(op: &Operation, reached: &mut BTreeSet<String>) -> Value {
    let names: Vec<&str> = op.params.iter().map(|p| p.name.as_str()).collect();
    let words = |text: &str| names::cli_text(text.trim(), &names);
    let params: Vec<Value> = op
        .params
        .iter()
        .filter(|p| matches!(p.location, Location::Path | Location::Query))
        .map(|p| {
            reached.extend(schema_refs(&p.schema));
            json!({
                "name": p.name,
                "in": if p.location == Location::Path { "path" } else { "query" },
                "required": p.required,
                "description": words(&p.description),
                "schema": p.schema,
            })
        })
        .collect();
    let mut entry = json!({
        "operationId": op.id,
        "tags": [op.family],
        "summary": words(&op.summary),
        "x-crisp-tiers": op.tiers,
        "deprecated": op.deprecated,
        "parameters": params,
    });
    if let Some(description) = &op.description {
        entry["description"] = words(description).into();
    }
    if let Some(body) = &op.body {
        reached.extend(schema_refs(&body.schema));
        let mut media = json!({"schema": body.schema});
        if let Some(example) = body.example.as_ref().filter(|e| !e.is_null()) {
            media["example"] = example.clone();
        }
        entry["requestBody"] = json!({
            "required": body.required,
            "content": {"application/json": media},
        });
    }
    match &op.paging {
        Paging::None => {}
        Paging::Pages => entry["x-crisp-paginated"] = true.into(),
        Paging::Cursor(c) => {
            entry["x-crisp-cursor"] = json!({"param": c.param, "field": c.field});
        }
    }
    entry
}

/// One command line: the required parameters with the spec's example (or a sample of the
/// identifier's format), and the spec's example body.
fn example(op: &Operation, noun: &str, verb: &str) -> String {
    let mut line = format!("crisp {noun} {verb}");
    for p in &op.params {
        let name = p.name.as_str();
        if !p.required || name == "page_number" {
            continue;
        }
        let value = p
            .example
            .as_ref()
            .and_then(|e| {
                e.as_str()
                    .map(str::to_owned)
                    .or(e.as_i64().map(|i| i.to_string()))
            })
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
    if let Some(body) = &op.body {
        match body.example.as_ref().filter(|e| !e.is_null()) {
            Some(example) => {
                let text = serde_json::to_string(example).expect("JSON");
                line.push_str(&format!(" \\\n    --body '{}'", text.replace('\'', "'\\''")));
            }
            None if body.required => line.push_str(&format!(
                " \\\n    --body @body.json\n  (`crisp example-body {noun} {verb} > body.json` writes one to fill in)"
            )),
            None => {}
        }
    }
    line
}
