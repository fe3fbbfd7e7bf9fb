//! The generator dry run: progenitor on the whole bundle, on each family alone and on none,
//! exactly as `build.rs` runs it, naming the operations that break it.

use crisp_api_spec::{self as model, Entry};
use serde_json::{Value, json};

/// Runs progenitor exactly as `build.rs` does. If it panics (it asserts on response shapes it
/// cannot handle), retries each operation alone to name the ones that break it.
pub fn run_generator(bundle: &Value) -> Result<(), String> {
    let attempt = |spec: &Value| -> Result<(), String> {
        let spec: openapiv3::OpenAPI =
            serde_json::from_value(spec.clone()).map_err(|e| format!("not OpenAPI 3.0: {e}"))?;
        let settings = crate::settings::generation_settings(true);
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
            for Entry {
                path, method, op, ..
            } in model::entries(bundle)
            {
                // The path item keeps its shared parameters; only the other methods go.
                let mut item = bundle["paths"][path].clone();
                if let Some(item) = item.as_object_mut() {
                    item.retain(|k, _| k == method || !model::METHODS.contains(&k.as_str()));
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
        for family in model::families(bundle) {
            let mut alone = bundle.clone();
            model::prune(&mut alone, &[family.clone()].into_iter().collect());
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
        model::prune(&mut none, &Default::default());
        attempt(&none).map_err(|e| format!("no family at all cannot be generated: {e}"))
    });
    std::panic::set_hook(hook);
    result
}
