//! `x-crisp-cursor: {param, field}`: a list walked back in time rather than by page number
//! (a conversation's messages: each batch's oldest `timestamp` is sent as `timestamp_before`).
//! The SDK generates the operation's `history()` stream from it, the sandbox answers its first
//! batch with a 206 and older ones empty, and the CLI walks it with `--all`; this checks that
//! the extension names what exists.

use crisp_api_spec::{self as model, Location, Operation};
use serde_json::Value;

/// One line per problem of an operation's `x-crisp-cursor` (`raw` is the operation object as
/// written, `op` the model of it).
pub fn check(root: &Value, raw: &Value, op: &Operation) -> Vec<String> {
    let mut problems = Vec::new();
    let mut p = |m: String| problems.push(format!("x-crisp-cursor: {m}"));
    let written = &raw["x-crisp-cursor"];
    let keys_ok = written
        .as_object()
        .is_some_and(|m| m.keys().all(|k| k == "param" || k == "field"));
    let Some(cursor) = op
        .cursor()
        .filter(|c| keys_ok && !c.param.is_empty() && !c.field.is_empty())
    else {
        p(
            "must be {param, field}: the query parameter carrying the cursor and the field of \
           each item it is taken from"
                .to_owned(),
        );
        return problems;
    };
    if op.method != "GET" {
        p("only a GET list is walked by a cursor".to_owned());
    }
    if raw.get("x-crisp-paginated").is_some() {
        p("an operation pages by number (x-crisp-paginated) or by cursor, not both".to_owned());
    }
    match op.param(&cursor.param) {
        Some(param) if param.location == Location::Query && !param.required => {
            if param.schema["type"] != "integer" {
                p(format!("`{}` must be an integer parameter", cursor.param));
            }
        }
        _ => p(format!(
            "`{}` must be an optional query parameter of the operation",
            cursor.param
        )),
    }
    let data = op
        .response
        .as_ref()
        .map(|r| &model::resolve(root, &r.schema)["properties"]["data"]);
    let data = data.map(|d| model::resolve(root, d));
    let Some(items) = data.filter(|d| d["type"] == "array").map(|d| &d["items"]) else {
        p("the operation's `data` must be an array (its items are streamed)".to_owned());
        return problems;
    };
    let field = property(root, items, &cursor.field);
    if field.is_none_or(|f| f["type"] != "integer") {
        p(format!(
            "the items of `data` must have an integer `{}` property",
            cursor.field
        ));
    }
    problems
}

/// A property of an object schema, through `$ref`s and `allOf` parts.
fn property<'a>(root: &'a Value, schema: &'a Value, name: &str) -> Option<&'a Value> {
    let schema = model::resolve(root, schema);
    if let Some(found) = schema["properties"].get(name) {
        return Some(model::resolve(root, found));
    }
    schema["allOf"]
        .as_array()
        .into_iter()
        .flatten()
        .find_map(|part| property(root, part, name))
}
