//! One operation of the document: what it is (id, method, path, family, tiers), what it takes
//! (parameters, body), what it answers (the success response and its example) and how it pages.

use crate::{Entry, resolve, strings};
use serde_json::Value;

/// One operation (`paths.<path>.<method>`).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Operation {
    /// The `operationId` (`get_conversation`), also the SDK's method name.
    pub id: String,
    /// The HTTP method, upper case (`GET`).
    pub method: String,
    /// The path template below the base URL (`/website/{website_id}`).
    pub path: String,
    /// The API family: the operation's one tag, also `crisp-api`'s cargo feature.
    pub family: String,
    /// The token tiers Crisp accepts (`x-crisp-tiers`: `plugin`, `website`, `user`).
    pub tiers: Vec<String>,
    /// The one-line summary (empty when missing).
    pub summary: String,
    /// The long description, trimmed, when given.
    pub description: Option<String>,
    /// Whether the route is deprecated.
    pub deprecated: bool,
    /// The official clients' names for it (`x-crisp-aliases`).
    pub aliases: Vec<String>,
    /// Path parameters then query parameters, each in the document's order; a path item's
    /// shared parameters are merged in (an operation's own parameter of the same name wins).
    pub params: Vec<Param>,
    /// The JSON request body, when it takes one.
    pub body: Option<Body>,
    /// The success response (`2XX`), when declared.
    pub response: Option<Response>,
    /// How the operation's list is walked, if it is one.
    pub paging: Paging,
    /// Which entry of Crisp's own REST reference it follows, or which clients it comes from
    /// (`x-crisp-reference`, as written; `Null` when missing).
    pub reference: Value,
}

/// How a list operation is walked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Paging {
    /// Not a walked list.
    #[default]
    None,
    /// Numbered pages: the path ends in `{page_number}` (`x-crisp-paginated: true`).
    Pages,
    /// Back in time by a cursor (`x-crisp-cursor`).
    Cursor(Cursor),
}

/// A cursor walk (`x-crisp-cursor: {param: timestamp_before, field: timestamp}`): each batch's
/// oldest `field` is sent as the query parameter `param` to get the batch before it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Cursor {
    /// The query parameter carrying the cursor (`timestamp_before`).
    pub param: String,
    /// The field of each item the cursor is taken from (`timestamp`).
    pub field: String,
}

impl Cursor {
    /// A cursor from its parameter and field names.
    pub fn new(param: impl Into<String>, field: impl Into<String>) -> Cursor {
        Cursor {
            param: param.into(),
            field: field.into(),
        }
    }
}

/// Where a parameter goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Location {
    /// A `{name}` segment of the path template.
    Path,
    /// A query-string parameter.
    Query,
    /// A header (Crisp's spec declares none).
    Header,
    /// A cookie (Crisp's spec declares none).
    Cookie,
}

/// What values a parameter takes (which decides, for instance, its command-line form).
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    /// Crisp's `1`/`0` query flag (an integer enum of exactly `0` and `1`).
    Flag,
    /// An integer, with the schema's minimum and maximum (or its format's bounds).
    Integer {
        /// Smallest accepted value.
        min: Option<i64>,
        /// Largest accepted value.
        max: Option<i64>,
    },
    /// A floating-point number.
    Number,
    /// A boolean.
    Boolean,
    /// One of a fixed list of strings.
    Enum(Vec<String>),
    /// Any text.
    Text,
}

/// A path, query, header or cookie parameter.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Param {
    /// The name on the wire (`website_id`).
    pub name: String,
    /// Where it goes.
    pub location: Location,
    /// Whether it is required (path parameters always are).
    pub required: bool,
    /// The description (the parameter's, else its schema's), trimmed.
    pub description: String,
    /// Its schema, `$ref`s resolved at the top.
    pub schema: Value,
    /// Its kind, derived from the schema.
    pub kind: Kind,
    /// An example value: the parameter's own `example`, else its schema's.
    pub example: Option<Value>,
    /// Its former name, when it was renamed (`x-crisp-renamed-from`): the SDK keeps a
    /// deprecated builder setter under that name.
    pub renamed_from: Option<String>,
}

/// A JSON request body.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Body {
    /// Whether the operation requires one.
    pub required: bool,
    /// Its schema (possibly a `$ref`: check it with [`crate::Spec::check`]).
    pub schema: Value,
    /// The document's example body, when given.
    pub example: Option<Value>,
}

/// The success response of an operation.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Response {
    /// The status key as declared (`2XX`).
    pub status: String,
    /// The JSON schema of the body (Crisp's `{error, reason, data}` envelope); `null` for a
    /// response without content (HEAD checks).
    pub schema: Value,
    /// The example body (the whole envelope), when given.
    pub example: Option<Value>,
}

impl Operation {
    pub(crate) fn read(root: &Value, entry: Entry<'_>) -> Operation {
        let op = entry.op;
        let mut params: Vec<Param> = Vec::new();
        for list in [&entry.item["parameters"], &op["parameters"]] {
            for p in list.as_array().into_iter().flatten() {
                if let Some(param) = Param::read(root, resolve(root, p)) {
                    params.retain(|q| q.name != param.name || q.location != param.location);
                    params.push(param);
                }
            }
        }
        // Stable: each location keeps the document's order.
        params.sort_by_key(|p| p.location as u8);
        let body = op
            .get("requestBody")
            .map(|b| resolve(root, b))
            .and_then(|b| {
                let media = b["content"].get("application/json")?;
                Some(Body {
                    required: b["required"].as_bool().unwrap_or(false),
                    schema: media.get("schema").cloned().unwrap_or(Value::Null),
                    example: media.get("example").cloned(),
                })
            });
        let response = op["responses"]
            .as_object()
            .into_iter()
            .flatten()
            .find(|(code, _)| code.starts_with('2'))
            .map(|(code, r)| {
                let media = &resolve(root, r)["content"]["application/json"];
                Response {
                    status: code.clone(),
                    schema: media.get("schema").cloned().unwrap_or(Value::Null),
                    example: media.get("example").cloned(),
                }
            });
        let paging = if op["x-crisp-paginated"].as_bool().unwrap_or(false) {
            Paging::Pages
        } else if let Some(c) = op.get("x-crisp-cursor") {
            Paging::Cursor(Cursor::new(
                c["param"].as_str().unwrap_or_default(),
                c["field"].as_str().unwrap_or_default(),
            ))
        } else {
            Paging::None
        };
        Operation {
            id: op["operationId"].as_str().unwrap_or_default().to_owned(),
            method: entry.method.to_ascii_uppercase(),
            path: entry.path.to_owned(),
            family: op["tags"][0].as_str().unwrap_or_default().to_owned(),
            tiers: strings(&op["x-crisp-tiers"]),
            summary: op["summary"].as_str().unwrap_or_default().to_owned(),
            description: op["description"].as_str().map(|d| d.trim().to_owned()),
            deprecated: op["deprecated"].as_bool().unwrap_or(false),
            reference: op["x-crisp-reference"].clone(),
            aliases: strings(&op["x-crisp-aliases"]),
            params,
            body,
            response,
            paging,
        }
    }

    /// A parameter by its wire name.
    pub fn param(&self, name: &str) -> Option<&Param> {
        self.params.iter().find(|p| p.name == name)
    }

    /// Whether this is a HEAD existence check.
    pub fn is_check(&self) -> bool {
        self.method == "HEAD"
    }

    /// Whether the list is walked by numbered pages ([`Paging::Pages`]).
    pub fn paginated(&self) -> bool {
        self.paging == Paging::Pages
    }

    /// The cursor, when the list is walked back by one ([`Paging::Cursor`]).
    pub fn cursor(&self) -> Option<&Cursor> {
        match &self.paging {
            Paging::Cursor(c) => Some(c),
            _ => None,
        }
    }

    /// The example success body (the whole envelope), when the document gives one.
    pub fn response_example(&self) -> Option<&Value> {
        self.response.as_ref().and_then(|r| r.example.as_ref())
    }
}

impl Param {
    fn read(root: &Value, p: &Value) -> Option<Param> {
        let location = match p["in"].as_str()? {
            "path" => Location::Path,
            "query" => Location::Query,
            "header" => Location::Header,
            "cookie" => Location::Cookie,
            _ => return None,
        };
        let schema = resolve(root, &p["schema"]);
        Some(Param {
            name: p["name"].as_str()?.to_owned(),
            location,
            required: p["required"]
                .as_bool()
                .unwrap_or(location == Location::Path),
            description: p["description"]
                .as_str()
                .or(schema["description"].as_str())
                .unwrap_or_default()
                .trim()
                .to_owned(),
            kind: Kind::of(schema),
            example: p.get("example").or(schema.get("example")).cloned(),
            renamed_from: p["x-crisp-renamed-from"].as_str().map(str::to_owned),
            schema: schema.clone(),
        })
    }
}

impl Kind {
    /// The kind of a (resolved) parameter schema.
    pub fn of(schema: &Value) -> Kind {
        let is_flag = schema["type"] == "integer"
            && schema["enum"]
                .as_array()
                .is_some_and(|e| e.len() == 2 && e.contains(&0.into()) && e.contains(&1.into()));
        match schema["type"].as_str() {
            _ if is_flag => Kind::Flag,
            Some("integer") => Kind::Integer {
                min: schema["minimum"].as_i64(),
                max: schema["maximum"]
                    .as_i64()
                    .or(match schema["format"].as_str() {
                        Some("uint32") => Some(i64::from(u32::MAX)),
                        Some("int32") => Some(i64::from(i32::MAX)),
                        _ => None,
                    }),
            },
            Some("number") => Kind::Number,
            Some("boolean") => Kind::Boolean,
            _ => match schema["enum"].as_array() {
                Some(values) => Kind::Enum(strings(&Value::Array(values.clone()))),
                None => Kind::Text,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{Kind, Location, Paging, Spec};
    use serde_json::json;

    #[test]
    fn reads_an_operation() {
        let spec = Spec::new(json!({
            "components": {"parameters": {"Page": {"name": "page_number", "in": "path",
                "schema": {"type": "integer", "minimum": 1}}}},
            "paths": {"/w/{website_id}/list/{page_number}": {
                "parameters": [{"name": "website_id", "in": "path", "schema": {"type": "string"}}],
                "get": {
                    "operationId": "list_things", "tags": ["website"], "summary": "List.",
                    "x-crisp-tiers": ["plugin"], "x-crisp-paginated": true,
                    "x-crisp-aliases": ["listThings"],
                    "parameters": [
                        {"name": "filter_unread", "in": "query",
                         "schema": {"type": "integer", "enum": [0, 1]}},
                        {"$ref": "#/components/parameters/Page"}
                    ],
                    "responses": {"2XX": {"content": {"application/json": {
                        "schema": {"type": "object"}, "example": {"error": false}}}}}
                },
                "head": {"operationId": "check_things", "x-crisp-cursor":
                    {"param": "timestamp_before", "field": "timestamp"}, "responses": {}}
            }}
        }));
        let op = spec.operation("list_things").unwrap();
        assert_eq!(op.method, "GET");
        assert_eq!(op.family, "website");
        assert!(op.paginated() && op.cursor().is_none());
        let names: Vec<_> = op
            .params
            .iter()
            .map(|p| (p.name.as_str(), p.location))
            .collect();
        assert_eq!(
            names,
            [
                ("website_id", Location::Path),
                ("page_number", Location::Path),
                ("filter_unread", Location::Query)
            ]
        );
        assert_eq!(op.param("filter_unread").unwrap().kind, Kind::Flag);
        assert!(op.param("website_id").unwrap().required);
        assert!(!op.param("filter_unread").unwrap().required);
        assert_eq!(op.response_example(), Some(&json!({"error": false})));
        let check = spec.operation("check_things").unwrap();
        assert!(check.is_check());
        match &check.paging {
            Paging::Cursor(c) => {
                assert_eq!((&*c.param, &*c.field), ("timestamp_before", "timestamp"))
            }
            other => panic!("{other:?}"),
        }
    }
}
