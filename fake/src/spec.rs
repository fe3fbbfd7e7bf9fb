//! What the fake reads from the spec, through the shared model (`crisp-api-spec`) of the bundle
//! the SDK was generated from ([`crisp_api::OPENAPI`]): the operations (method and path
//! template, for routing), each operation's example answer (for the operations without state)
//! and request validation with the model's one JSON-Schema checker (query parameters by their
//! kind, the body by its schema), so a refusal names the field as Crisp's `invalid_data` does.

use crate::api::Failure;
use crisp_api_spec::{Kind, Location, Operation, Spec};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::OnceLock;

/// The model of the bundled spec, read once per process.
pub fn model() -> &'static Spec {
    static SPEC: OnceLock<Spec> = OnceLock::new();
    SPEC.get_or_init(|| Spec::parse(crisp_api::OPENAPI).expect("the bundled spec is JSON"))
}

/// Every operation: `(id, method, path template)`.
pub fn operations() -> impl Iterator<Item = (&'static str, &'static str, &'static str)> {
    model()
        .operations()
        .iter()
        .map(|op| (op.id.as_str(), op.method.as_str(), op.path.as_str()))
}

/// The example success envelope of `operation`, if the spec has one.
pub fn example(operation: &str) -> Option<&'static Value> {
    model().operation(operation)?.response_example()
}

/// Checks a request's query parameters and body against the operation's description.
pub fn validate(
    operation: &str,
    query: &HashMap<String, String>,
    body: &Value,
) -> Result<(), Failure> {
    let spec = model();
    let Some(op) = spec.operation(operation) else {
        return Ok(());
    };
    check_query(op, query)?;
    match &op.body {
        Some(described) if body.is_null() => {
            if described.required {
                Err(Failure::invalid("", "is required"))
            } else {
                Ok(())
            }
        }
        Some(described) => match spec.check(&described.schema, body).first() {
            Some(problem) => Err(Failure::invalid(&problem.at, &problem.message)),
            None => Ok(()),
        },
        None => Ok(()),
    }
}

fn check_query(op: &Operation, query: &HashMap<String, String>) -> Result<(), Failure> {
    for param in op.params.iter().filter(|p| p.location == Location::Query) {
        let Some(value) = query.get(&param.name) else {
            if param.required {
                return Err(Failure::invalid(&param.name, "is required"));
            }
            continue;
        };
        let fits = match &param.kind {
            Kind::Flag => matches!(value.as_str(), "0" | "1" | "true" | "false"),
            Kind::Boolean => matches!(value.as_str(), "true" | "false" | "0" | "1"),
            Kind::Integer { min, max } => value
                .parse::<i64>()
                .is_ok_and(|v| min.is_none_or(|m| v >= m) && max.is_none_or(|m| v <= m)),
            Kind::Number => value.parse::<f64>().is_ok(),
            Kind::Enum(values) => values.iter().any(|v| v == value),
            Kind::Text => true,
        };
        if !fits {
            let expected = match &param.kind {
                Kind::Flag | Kind::Boolean => "must be a flag (0 or 1)".to_owned(),
                Kind::Integer { min, max } => format!(
                    "must be an integer{}{}",
                    min.map(|m| format!(" ≥ {m}")).unwrap_or_default(),
                    max.map(|m| format!(" ≤ {m}")).unwrap_or_default()
                ),
                Kind::Number => "must be a number".to_owned(),
                Kind::Enum(values) => format!("must be one of {}", values.join(", ")),
                Kind::Text => String::new(),
            };
            return Err(Failure::invalid(&param.name, &expected));
        }
    }
    Ok(())
}

/// The stateful operations and the other ones, as the README's Markdown table.
pub fn table() -> String {
    let stateful: Vec<&str> = crate::server::stateful().collect();
    let mut out = String::from("| Family | Stateful operations |\n|---|---|\n");
    let mut families: Vec<&str> = model()
        .operations()
        .iter()
        .map(|o| o.family.as_str())
        .collect();
    families.dedup();
    families.sort_unstable();
    families.dedup();
    for family in families {
        let ops: Vec<String> = model()
            .operations()
            .iter()
            .filter(|o| o.family == family && stateful.contains(&o.id.as_str()))
            .map(|o| format!("`{}`", o.id))
            .collect();
        let total = model()
            .operations()
            .iter()
            .filter(|o| o.family == family)
            .count();
        out.push_str(&format!(
            "| {family} ({} of {total}) | {} |\n",
            ops.len(),
            if ops.is_empty() {
                "—".to_owned()
            } else {
                ops.join(", ")
            }
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_readme_holds_the_generated_table_of_stateful_operations() {
        let readme = include_str!("../README.md");
        assert!(
            readme.contains(&table()),
            "regenerate the table in fake/README.md:\n{}",
            table()
        );
    }

    #[test]
    fn every_stateful_operation_is_in_the_spec() {
        for op in crate::server::stateful() {
            assert!(model().operation(op).is_some(), "{op}");
        }
    }

    #[test]
    fn bodies_and_queries_are_checked_naming_the_field() {
        let none = HashMap::new();
        let bad = validate(
            "change_conversation_state",
            &none,
            &json!({"state": "closed"}),
        );
        assert_eq!(bad.unwrap_err().status, 400);
        let missing = validate("change_conversation_state", &none, &json!({})).unwrap_err();
        assert!(missing.message.contains("`state`"), "{}", missing.message);
        let query = HashMap::from([("per_page".to_owned(), "many".to_owned())]);
        let bad = validate("list_conversations", &query, &Value::Null).unwrap_err();
        assert!(bad.message.contains("per_page"), "{}", bad.message);
    }
}
