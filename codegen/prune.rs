// Feature pruning of the bundled spec, used by `build.rs` (and `xtask` for its checks): keeps
// the operations of the enabled families (each operation's one tag is its family and cargo
// feature) and the events of those families (an event's `family`; one without is always kept),
// and only the component schemas they reach, following `$ref`s transitively, plus the schemas
// the hand-written layer names.
// Keep this file free of dependencies other than serde_json.

use serde_json::Value;
use std::collections::BTreeSet;

const METHODS: [&str; 7] = ["get", "put", "post", "delete", "patch", "head", "options"];

/// Schemas the hand-written layer uses whatever the features (`Error`, `Filters`).
const ALWAYS: [&str; 2] = ["ErrorEnvelope", "SearchFilter"];

/// The families (tags) the spec declares.
pub fn families(spec: &Value) -> Vec<String> {
    spec["tags"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t["name"].as_str().map(str::to_owned))
        .collect()
}

fn collect_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v) {
                    ("$ref", Value::String(r)) => out.push(r.clone()),
                    _ => collect_refs(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

/// Removes the operations and events whose family is not in `enabled`, then every component
/// schema that nothing kept reaches. Returns the number of operations kept.
pub fn prune(spec: &mut Value, enabled: &BTreeSet<String>) -> usize {
    let mut kept = 0;
    if let Some(paths) = spec["paths"].as_object_mut() {
        for item in paths.values_mut() {
            let Some(item) = item.as_object_mut() else {
                continue;
            };
            for method in METHODS {
                let family = item
                    .get(method)
                    .and_then(|op| op["tags"][0].as_str())
                    .map(str::to_owned);
                match family {
                    Some(f) if enabled.contains(&f) => kept += 1,
                    Some(_) => {
                        item.remove(method);
                    }
                    None => {}
                }
            }
        }
        paths.retain(|_, item| {
            item.as_object()
                .is_some_and(|i| METHODS.iter().any(|m| i.contains_key(*m)))
        });
    }

    if let Some(events) = spec["x-crisp-events"].as_object_mut() {
        events.retain(|_, event| {
            event["family"]
                .as_str()
                .is_none_or(|family| enabled.contains(family))
        });
    }

    // Roots: the kept operations, the shared responses, the event catalogue, the fixed list.
    let mut pending = Vec::new();
    collect_refs(&spec["paths"], &mut pending);
    collect_refs(&spec["components"]["responses"], &mut pending);
    collect_refs(&spec["x-crisp-events"], &mut pending);
    pending.extend(ALWAYS.iter().map(|s| format!("#/components/schemas/{s}")));
    let mut reached = BTreeSet::new();
    while let Some(reference) = pending.pop() {
        let Some(name) = reference.strip_prefix("#/components/schemas/") else {
            continue;
        };
        if reached.insert(name.to_owned()) {
            collect_refs(&spec["components"]["schemas"][name], &mut pending);
        }
    }
    if let Some(schemas) = spec["components"]["schemas"].as_object_mut() {
        schemas.retain(|name, _| reached.contains(name));
    }
    kept
}
