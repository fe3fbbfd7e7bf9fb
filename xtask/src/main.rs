//! Project tasks. `cargo xtask gen [--check]` bundles and validates `openapi/*.yaml` and
//! regenerates every artefact derived from it:
//!
//! * `openapi/crisp-v1.json`: the bundled, deterministic spec that `build.rs` compiles;
//! * `docs/endpoints.md`: one row per operation.
//!
//! With `--check`, nothing is written and any drift is an error naming the file.
//!
//! `cargo xtask build-cost [--cold] [--incremental]` measures what the crate costs to build (see
//! `build_cost.rs`).

use serde_json::{Map, Value, json};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod build_cost;
mod events;
#[path = "../../codegen/names.rs"]
mod names;
#[path = "../../codegen/prune.rs"]
mod prune;
mod reference;
#[path = "../../codegen/settings.rs"]
mod settings;

const METHODS: [&str; 7] = ["get", "put", "post", "delete", "patch", "head", "options"];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("gen") => generate(args.iter().any(|a| a == "--check")),
        Some("build-cost") => build_cost::run(
            &root(),
            args.iter().any(|a| a == "--cold"),
            args.iter().any(|a| a == "--incremental"),
        ),
        _ => Err(
            "usage: cargo xtask gen [--check] | cargo xtask build-cost [--cold] [--incremental]"
                .to_owned(),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_owned()
}

fn generate(check: bool) -> Result<(), String> {
    let root = root();
    let bundle = bundle(&root.join("openapi"))?;
    let problems = validate(&bundle);
    if !problems.is_empty() {
        return Err(format!("the spec is invalid:\n  {}", problems.join("\n  ")));
    }
    run_generator(&bundle)?;
    let mut json = serde_json::to_string_pretty(&bundle).map_err(|e| e.to_string())?;
    json.push('\n');
    let outputs = [
        ("openapi/crisp-v1.json", json),
        (
            "docs/endpoints.md",
            endpoints_table(&bundle) + &events::docs(&bundle),
        ),
    ];
    let mut drift = Vec::new();
    for (rel, content) in outputs {
        let path = root.join(rel);
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if current == content {
            continue;
        }
        if check {
            drift.push(rel);
        } else {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            }
            std::fs::write(&path, content).map_err(|e| format!("{rel}: {e}"))?;
            println!("wrote {rel}");
        }
    }
    if !drift.is_empty() {
        return Err(format!(
            "out of date (run `cargo xtask gen` and commit): {}",
            drift.join(", ")
        ));
    }
    let ops = count_operations(&bundle);
    let (documented, clients) = reference::summary(operations(&bundle).map(|(_, _, op)| op));
    println!(
        "spec OK: {ops} operations ({documented} follow Crisp's reference, {clients} only the clients){}",
        if check { ", no drift" } else { "" }
    );
    Ok(())
}

fn read_yaml(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_yaml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Merges `crisp.yaml` with every other `openapi/*.yaml` (their `paths` and
/// `components.schemas`), refusing duplicates.
fn bundle(dir: &Path) -> Result<Value, String> {
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

fn operations(spec: &Value) -> impl Iterator<Item = (&str, &str, &Value)> {
    spec["paths"]
        .as_object()
        .into_iter()
        .flatten()
        .flat_map(|(path, item)| {
            METHODS
                .iter()
                .filter_map(move |m| item.get(*m).map(|op| (path.as_str(), *m, op)))
        })
}

fn count_operations(spec: &Value) -> usize {
    operations(spec).count()
}

/// Every family (tag) must be a cargo feature of the crate, and the `default` feature must enable
/// them all.
fn check_features(families: &BTreeSet<&str>) -> Vec<String> {
    let manifest = root().join("Cargo.toml");
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
fn validate(spec: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let mut ids = BTreeSet::new();
    let refs = collect_refs(spec);
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
    problems.extend(reference::check(operations(spec)));
    for (path, method, op) in operations(spec) {
        let at = format!("{} {path}", method.to_uppercase());
        check_time_and_fingerprints(op, &at, &mut problems);
    }
    if contains_closed_object(spec) {
        problems.push(
            "`additionalProperties: false` is not allowed (unknown fields must decode)".into(),
        );
    }
    for (path, method, op) in operations(spec) {
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
            if paged && resolve(spec, &props["data"])["type"] != "array" {
                p("a paginated operation's `data` must be an array (its items are streamed)");
            }
            match media.get("example") {
                Some(ex) if ex["error"] == json!(false) && ex.get("reason").is_some() => {
                    if props.get("data").is_some() && ex.get("data").is_none() {
                        p("the example has no data");
                    }
                    let mut mismatches = Vec::new();
                    check_example(spec, schema, ex, "example", &mut mismatches);
                    for m in mismatches {
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

/// Checks that an example agrees with its schema: every key it uses is a documented property
/// (unless the object is free-form), types match, and required properties are present. This
/// keeps examples, and so the sandbox and the contract tests, honest about the schema.
fn check_example(spec: &Value, schema: &Value, example: &Value, at: &str, out: &mut Vec<String>) {
    let schema = resolve(spec, schema);
    if example.is_null() && schema["nullable"] == json!(true) {
        return;
    }
    if let Some(variants) = schema
        .get("oneOf")
        .or_else(|| schema.get("anyOf"))
        .and_then(Value::as_array)
    {
        let fits = variants.iter().any(|v| {
            let mut errs = Vec::new();
            check_example(spec, v, example, at, &mut errs);
            errs.is_empty()
        });
        if !fits {
            out.push(format!(
                "{at}: the example matches none of the oneOf variants"
            ));
        }
        return;
    }
    if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
        // Check against the union of the parts' properties.
        let mut merged = json!({"type": "object", "properties": {}});
        for part in parts {
            for (k, v) in resolve(spec, part)["properties"]
                .as_object()
                .into_iter()
                .flatten()
            {
                merged["properties"][k] = v.clone();
            }
        }
        check_example(spec, &merged, example, at, out);
        return;
    }
    let ty = schema["type"].as_str().unwrap_or("");
    let ok = match ty {
        "object" => example.is_object(),
        "array" => example.is_array(),
        "string" => example.is_string(),
        "integer" => example.is_i64() || example.is_u64(),
        "number" => example.is_number(),
        "boolean" => example.is_boolean(),
        _ => true,
    };
    if !ok {
        out.push(format!("{at}: the example is not of type {ty}: {example}"));
        return;
    }
    if let Some(values) = schema["enum"].as_array()
        && !values.contains(example)
    {
        out.push(format!("{at}: {example} is not one of the enum values"));
    }
    match example {
        Value::Object(map) => {
            let props = schema["properties"].as_object();
            let free = match schema.get("additionalProperties") {
                Some(Value::Bool(b)) => *b,
                Some(_) => true,
                None => props.is_none(),
            };
            for (k, v) in map {
                match props.and_then(|p| p.get(k)) {
                    Some(sub) => check_example(spec, sub, v, &format!("{at}.{k}"), out),
                    None => match schema.get("additionalProperties") {
                        Some(sub @ Value::Object(_)) => {
                            check_example(spec, sub, v, &format!("{at}.{k}"), out)
                        }
                        _ if free => {}
                        _ => out.push(format!("{at}: `{k}` is not a documented property")),
                    },
                }
            }
            for r in schema["required"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                if !map.contains_key(r) {
                    out.push(format!("{at}: required `{r}` is missing"));
                }
            }
        }
        Value::Array(items) => {
            if let Some(item_schema) = schema.get("items") {
                for (i, v) in items.iter().enumerate() {
                    check_example(spec, item_schema, v, &format!("{at}[{i}]"), out);
                }
            }
        }
        _ => {}
    }
}

fn resolve<'a>(spec: &'a Value, schema: &'a Value) -> &'a Value {
    let mut schema = schema;
    while let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let mut target = spec;
        for part in r.trim_start_matches("#/").split('/') {
            target = &target[part];
        }
        schema = target;
    }
    schema
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

fn collect_refs(v: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    fn walk(v: &Value, out: &mut BTreeSet<String>) {
        match v {
            Value::Object(m) => {
                for (k, v) in m {
                    match (k.as_str(), v) {
                        ("$ref", Value::String(s)) => {
                            out.insert(s.clone());
                        }
                        ("example" | "examples", _) => {}
                        _ => walk(v, out),
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    walk(v, &mut out);
    out
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

/// Runs progenitor exactly as `build.rs` does. If it panics (it asserts on response shapes it
/// cannot handle), retries each operation alone to name the ones that break it.
fn run_generator(bundle: &Value) -> Result<(), String> {
    let attempt = |spec: &Value| -> Result<(), String> {
        let spec: openapiv3::OpenAPI =
            serde_json::from_value(spec.clone()).map_err(|e| format!("not OpenAPI 3.0: {e}"))?;
        let settings = settings::generation_settings(true);
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            progenitor::Generator::new(&settings)
                .generate_tokens(&spec)
                .map(|_| ())
        }));
        match outcome {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(e.to_string()),
            Err(panic) => Err(panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_else(|| "panic".to_owned())),
        }
    };
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let whole = attempt(bundle);
    let result = match whole {
        Ok(()) => Ok(()),
        Err(e) => {
            let mut culprits = Vec::new();
            for (path, method, op) in operations(bundle) {
                // The path item keeps its shared parameters; only the other methods go.
                let mut item = bundle["paths"][path].clone();
                if let Some(item) = item.as_object_mut() {
                    item.retain(|k, _| k == method || !METHODS.contains(&k.as_str()));
                }
                let mut single = bundle.clone();
                single["paths"] = json!({ path: item });
                if let Err(err) = attempt(&single) {
                    let id = op.get("operationId").and_then(Value::as_str).unwrap_or("?");
                    culprits.push(format!("{} {path} ({id}): {err}", method.to_uppercase()));
                }
            }
            Err(format!(
                "progenitor cannot generate the client: {e}\n  operations that break it:\n  {}",
                if culprits.is_empty() {
                    "(only the whole spec fails)".to_owned()
                } else {
                    culprits.join("\n  ")
                }
            ))
        }
    };
    // Each family alone must generate too (a family reaching another's schema is fine: pruning
    // keeps whatever is reached), as `cargo build --no-default-features --features <family>`
    // would run it.
    let result = result.and_then(|()| {
        for family in prune::families(bundle) {
            let mut alone = bundle.clone();
            prune::prune(&mut alone, &[family.clone()].into_iter().collect());
            let foreign: Vec<&String> = alone["x-crisp-events"]
                .as_object()
                .into_iter()
                .flatten()
                .filter(|(_, e)| e["family"].as_str().is_some_and(|f| f != family))
                .map(|(name, _)| name)
                .collect();
            if !foreign.is_empty() {
                return Err(format!(
                    "pruning to `{family}` kept other families' events: {foreign:?}"
                ));
            }
            attempt(&alone)
                .map_err(|e| format!("the `{family}` feature alone cannot be generated: {e}"))?;
        }
        let mut none = bundle.clone();
        prune::prune(&mut none, &Default::default());
        attempt(&none).map_err(|e| format!("no family at all cannot be generated: {e}"))
    });
    std::panic::set_hook(hook);
    result
}

fn endpoints_table(spec: &Value) -> String {
    let mut rows: Vec<(String, String)> = operations(spec)
        .map(|(path, method, op)| {
            let id = op["operationId"].as_str().unwrap_or("").to_owned();
            let tiers: Vec<&str> = op["x-crisp-tiers"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            let yes = |b: bool| if b { "yes" } else { "" };
            let row = format!(
                "| `{id}` | {} | `{path}` | `{}` | {} | {} | {} | {} | {} |",
                method.to_uppercase(),
                op["tags"][0].as_str().unwrap_or(""),
                tiers.join(", "),
                yes(op["x-crisp-paginated"].as_bool().unwrap_or(false)),
                yes(op["deprecated"].as_bool().unwrap_or(false)),
                op["summary"].as_str().unwrap_or("").replace('|', "\\|"),
                reference::cell(op),
            );
            (id, row)
        })
        .collect();
    rows.sort();
    let mut out = String::from(
        "# Endpoints\n\nGenerated by `cargo xtask gen` from `openapi/`; do not edit.\n\n",
    );
    out.push_str(&format!("{} operations.\n\n", rows.len()));
    out.push_str(
        "Each operation belongs to one family, which is the cargo feature that enables it. \
         Reference: the entry of Crisp's REST reference the operation follows \
         (`x-crisp-reference`), or the official clients it comes from when the reference does \
         not document it.\n\n",
    );
    out.push_str(
        "| Rust method | HTTP | Path | Feature | Tiers | Paginated | Deprecated | Summary | Reference |\n",
    );
    out.push_str("|---|---|---|---|---|---|---|---|---|\n");
    for (_, row) in rows {
        out.push_str(&row);
        out.push('\n');
    }
    out
}
