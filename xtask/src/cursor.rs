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

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    fn problems(cursor: Value, param: Value, item: Value) -> Vec<String> {
        let root = json!({
            "components": {"schemas": {"Item": item}},
            "paths": {"/list": {"get": {
                "operationId": "list", "x-crisp-cursor": cursor,
                "parameters": [param],
                "responses": {"2XX": {"content": {"application/json": {"schema": {
                    "type": "object",
                    "properties": {"data": {"type": "array",
                        "items": {"$ref": "#/components/schemas/Item"}}}}}}}}
            }}}
        });
        let op = &crisp_api_spec::operations(&root)[0];
        super::check(&root, &root["paths"]["/list"]["get"], op)
    }

    #[test]
    fn a_cursor_names_an_optional_integer_parameter_and_an_integer_field() {
        let cursor = json!({"param": "before", "field": "timestamp"});
        let param = json!({"name": "before", "in": "query", "schema": {"type": "integer"}});
        let item = json!({"properties": {"timestamp": {"type": "integer"}}});
        assert_eq!(
            problems(cursor.clone(), param.clone(), item.clone()),
            Vec::<String>::new()
        );
        let wrong_param = json!({"name": "after", "in": "query", "schema": {"type": "integer"}});
        assert_eq!(
            problems(cursor.clone(), wrong_param, item.clone()),
            ["x-crisp-cursor: `before` must be an optional query parameter of the operation"]
        );
        let text_field = json!({"properties": {"timestamp": {"type": "string"}}});
        assert_eq!(
            problems(cursor, param.clone(), text_field),
            ["x-crisp-cursor: the items of `data` must have an integer `timestamp` property"]
        );
        assert_eq!(
            problems(json!({"param": "before"}), param, item).len(),
            1,
            "a cursor without its field is refused"
        );
    }
}
