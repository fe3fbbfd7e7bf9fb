//! What the fake reads from the spec: the operations (method and path template, for routing),
//! each operation's example answer (for the operations without state) and the request
//! validation.
//!
//! TO BE REPLACED by the shared spec model (`crisp-api-spec`) once it lands: this module reads
//! the bundled `openapi/crisp-v1.json` directly, and validates nothing beyond what the handlers
//! check themselves. It is the only place that touches the bundle.

use crate::api::Failure;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::OnceLock;

const BUNDLE: &str = include_str!("../../openapi/crisp-v1.json");

/// Every operation: `(id, method, path template)`.
pub fn operations() -> impl Iterator<Item = (&'static str, &'static str, &'static str)> {
    crisp_api::operations::ALL
        .iter()
        .map(|op| (op.id, op.method, op.path))
}

/// The example success envelope of `operation`, if the spec has one.
pub fn example(operation: &str) -> Option<&'static Value> {
    static EXAMPLES: OnceLock<HashMap<String, Value>> = OnceLock::new();
    EXAMPLES
        .get_or_init(|| {
            let spec: Value = serde_json::from_str(BUNDLE).expect("the bundled spec is JSON");
            let mut out = HashMap::new();
            for op in spec["paths"]
                .as_object()
                .into_iter()
                .flat_map(|p| p.values())
                .flat_map(|item| item.as_object().into_iter().flat_map(|o| o.values()))
            {
                let Some(id) = op["operationId"].as_str() else {
                    continue;
                };
                let example = op["responses"]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .filter(|(code, _)| code.starts_with('2'))
                    .find_map(|(_, r)| r["content"]["application/json"].get("example"));
                if let Some(example) = example {
                    out.insert(id.to_owned(), example.clone());
                }
            }
            out
        })
        .get(operation)
}

/// Checks a request body against the operation's schema.
pub fn validate(_operation: &str, _body: &Value) -> Result<(), Failure> {
    Ok(())
}
