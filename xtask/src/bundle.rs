//! Bundling: `openapi/crisp.yaml` and every other `openapi/*.yaml` merged into one document
//! (the committed `openapi/crisp-v1.json`), refusing anything described twice.

use crate::events;
use serde_json::{Map, Value, json};
use std::path::{Path, PathBuf};

fn read_yaml(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_yaml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Merges `crisp.yaml` with every other `openapi/*.yaml` (their `paths` and
/// `components.schemas`), refusing duplicates.
pub fn bundle(dir: &Path) -> Result<Value, String> {
    let mut base = read_yaml(&dir.join("crisp.yaml"))?;
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml") && !p.ends_with("crisp.yaml"))
        .collect();
    files.sort();
    let mut paths = Map::new();
    for file in files {
        let name = file
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let doc = read_yaml(&file)?;
        let Value::Object(doc) = doc else {
            return Err(format!("{name}: not a mapping"));
        };
        for key in doc.keys() {
            if key != "paths" && key != "components" && !events::is_table(key) {
                return Err(format!("{name}: unexpected top-level key `{key}`"));
            }
        }
        events::bundle(&mut base, &name, &doc)?;
        if let Some(Value::Object(p)) = doc.get("paths") {
            for (path, item) in p {
                let entry = paths.entry(path.clone()).or_insert_with(|| json!({}));
                for (method, op) in item.as_object().into_iter().flatten() {
                    if entry.get(method).is_some() {
                        return Err(format!("{name}: {method} {path} is described twice"));
                    }
                    entry[method] = op.clone();
                }
            }
        }
        if let Some(Value::Object(c)) = doc.get("components") {
            for (kind, items) in c {
                let target = base["components"]
                    .as_object_mut()
                    .ok_or("crisp.yaml: no components")?
                    .entry(kind.clone())
                    .or_insert_with(|| json!({}));
                for (k, v) in items.as_object().into_iter().flatten() {
                    if target.get(k).is_some() {
                        return Err(format!("{name}: component {kind}/{k} is defined twice"));
                    }
                    target[k] = v.clone();
                }
            }
        }
    }
    base["paths"] = Value::Object(paths);
    Ok(base)
}
