//! Feature pruning: `crisp-api`'s build script (and `xtask`, which generates every family alone)
//! keeps the operations of the enabled families (each operation's one tag is its family and
//! cargo feature) and the events of those families (an event's `family`; one without is always
//! kept), and only the component schemas they reach, following `$ref`s transitively, plus the
//! schemas the SDK's hand-written layer names.

use crate::{EVENTS, METHODS, SCHEMA_REF, refs};
use serde_json::Value;
use std::collections::BTreeSet;

/// Schemas the SDK's hand-written layer uses whatever the features (`Error`, `Filters`).
pub const ALWAYS: [&str; 2] = ["ErrorEnvelope", "SearchFilter"];

/// Removes the operations and events whose family is not in `enabled`, then every component
/// schema that nothing kept reaches. Returns the number of operations kept.
pub fn prune(root: &mut Value, enabled: &BTreeSet<String>) -> usize {
    let mut kept = 0;
    if let Some(paths) = root["paths"].as_object_mut() {
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
    if let Some(events) = root[EVENTS].as_object_mut() {
        events.retain(|_, event| {
            event["family"]
                .as_str()
                .is_none_or(|family| enabled.contains(family))
        });
    }
    // Roots: the kept operations, the shared responses, the event catalogue, the fixed list.
    let mut pending: Vec<String> = [
        &root["paths"],
        &root["components"]["responses"],
        &root[EVENTS],
    ]
    .into_iter()
    .flat_map(refs)
    .collect();
    pending.extend(ALWAYS.iter().map(|s| format!("{SCHEMA_REF}{s}")));
    let mut reached = BTreeSet::new();
    while let Some(reference) = pending.pop() {
        let Some(name) = reference.strip_prefix(SCHEMA_REF) else {
            continue;
        };
        if reached.insert(name.to_owned()) {
            pending.extend(refs(&root["components"]["schemas"][name]));
        }
    }
    if let Some(schemas) = root["components"]["schemas"].as_object_mut() {
        schemas.retain(|name, _| reached.contains(name));
    }
    kept
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn keeps_what_the_enabled_families_reach() {
        let mut root = json!({
            "paths": {
                "/a": {"get": {"tags": ["a"], "schema": {"$ref": "#/components/schemas/A"}}},
                "/b": {"get": {"tags": ["b"], "schema": {"$ref": "#/components/schemas/B"}}}
            },
            "components": {"schemas": {
                "A": {"properties": {"x": {"$ref": "#/components/schemas/X"}}},
                "B": {}, "X": {}, "ErrorEnvelope": {}, "SearchFilter": {}, "Orphan": {}
            }},
            "x-crisp-events": {"a:x": {"family": "a"}, "b:x": {"family": "b"}, "any:x": {}}
        });
        let kept = super::prune(&mut root, &["a".to_owned()].into_iter().collect());
        assert_eq!(kept, 1);
        assert!(root["paths"].get("/b").is_none());
        let schemas: Vec<_> = root["components"]["schemas"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        assert_eq!(schemas, ["A", "ErrorEnvelope", "SearchFilter", "X"]);
        let events: Vec<_> = root["x-crisp-events"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        assert_eq!(events, ["a:x", "any:x"]);
    }
}
