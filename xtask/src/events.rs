//! The event catalogue: the top-level `x-crisp-events` table of `openapi/events.yaml` maps each
//! Crisp event name to the schema of its payload, a description and an example.
//!
//! `bundle` copies the table into the bundled spec; `validate` checks that every schema reference
//! resolves to a component schema and that every example agrees with its schema (with the same
//! checker as the operations' examples); `docs` lists the events in `docs/endpoints.md`.

use crisp_api_spec::Spec;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// The top-level key of the table, in `openapi/events.yaml` and in the bundle.
pub const TABLE: &str = "x-crisp-events";

/// Whether a top-level key of a family file is the event table.
pub fn is_table(key: &str) -> bool {
    key == TABLE
}

/// Copies the event table of one file into the bundle, refusing an event described twice.
pub fn bundle(base: &mut Value, file: &str, doc: &Map<String, Value>) -> Result<(), String> {
    let Some(table) = doc.get(TABLE) else {
        return Ok(());
    };
    let Value::Object(table) = table else {
        return Err(format!("{file}: `{TABLE}` is not a mapping"));
    };
    let target = base
        .as_object_mut()
        .ok_or("crisp.yaml: not a mapping")?
        .entry(TABLE)
        .or_insert_with(|| json!({}));
    for (name, entry) in table {
        if target.get(name).is_some() {
            return Err(format!("{file}: event `{name}` is described twice"));
        }
        target[name] = entry.clone();
    }
    Ok(())
}

/// One line per problem of the event table.
pub fn validate(spec: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let Some(table) = spec.get(TABLE) else {
        return problems;
    };
    let Some(table) = table.as_object() else {
        return vec![format!("`{TABLE}` is not a mapping")];
    };
    let families = crisp_api_spec::families(spec);
    let mut variants: BTreeMap<String, &str> = BTreeMap::new();
    for (name, entry) in table {
        let mut p = |msg: &str| problems.push(format!("event `{name}`: {msg}"));
        let well_formed = name.split(':').count() >= 2
            && name.split(':').all(|part| {
                !part.is_empty()
                    && part
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            });
        if !well_formed {
            p("the name must be lower-case words joined by `:`");
        }
        let v = crisp_api_spec::camel(name);
        if v == "Unknown" {
            p("the name collides with the `Unknown` variant");
        }
        if let Some(other) = variants.insert(v.clone(), name) {
            p(&format!("variant `{v}` is also the one of `{other}`"));
        }
        if entry["description"]
            .as_str()
            .is_none_or(|s| s.trim().is_empty())
        {
            p("no description");
        }
        match &entry["family"] {
            Value::Null => {}
            Value::String(family) if families.contains(family) => {}
            other => p(&format!(
                "`family` {other} is not one of the spec's tags ({})",
                families.join(", ")
            )),
        }
        let reference = entry["schema"]["$ref"].as_str();
        let Some(target) = reference.and_then(|r| r.strip_prefix("#/components/schemas/")) else {
            p("`schema` must be a `$ref` to a component schema (`#/components/schemas/Name`)");
            continue;
        };
        if spec["components"]["schemas"].get(target).is_none() {
            p(&format!("schema `{target}` does not exist"));
            continue;
        }
        match entry.get("example") {
            Some(example) if example.is_object() => {
                for m in crate::validate::example_problems(spec, &entry["schema"], example) {
                    p(&m);
                }
            }
            _ => p("no example payload (an object)"),
        }
    }
    problems
}

/// A Markdown section listing every event with its payload type (the table rendered by the
/// spec model's `render`).
pub fn docs(spec: &Spec) -> String {
    let events = spec.events();
    if events.is_empty() {
        return String::new();
    }
    format!(
        "\n# Events\n\n{} events (`crisp_api::Event`), from `openapi/events.yaml`. An event of a \
         family is typed only when that family's feature is enabled (otherwise it arrives as \
         `Event::Unknown`).\n\n{}",
        events.len(),
        crisp_api_spec::render::events(events, crisp_api_spec::render::Links::Plain)
    )
}
