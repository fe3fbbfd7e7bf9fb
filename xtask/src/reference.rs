//! Which entry of Crisp's own REST reference each operation follows (`x-crisp-reference`), so
//! that a drift between the spec and the reference is a reviewable diff.
//!
//! Every operation carries one of:
//!
//! * `{entry: <anchor>, route: 'METHOD /path'}`: it follows the reference entry
//!   `https://docs.crisp.chat/references/rest-api/v1/#<anchor>`, documented there as `route`.
//!   When the operation's own method or path shape differs from `route`, `differs` must say
//!   why (path parameter names may differ freely);
//! * `{source: '…'}`: the reference does not document it; `source` names the official clients
//!   it comes from.

use serde_json::Value;
use std::collections::BTreeMap;

/// Where the reference's entries live.
pub const REFERENCE_URL: &str = "https://docs.crisp.chat/references/rest-api/v1/";

/// `GET /website/{website_id}/x` → `GET /website/{}/x`.
fn shape(route: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in route.chars() {
        match c {
            '{' => {
                inside = true;
                out.push_str("{}");
            }
            '}' => inside = false,
            _ if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

/// One line per operation whose `x-crisp-reference` is missing or malformed, or whose entry is
/// claimed twice.
pub fn check<'a>(ops: impl Iterator<Item = (&'a str, &'a str, &'a Value)>) -> Vec<String> {
    let mut problems = Vec::new();
    let mut entries: BTreeMap<String, String> = BTreeMap::new();
    for (path, method, op) in ops {
        let id = op["operationId"].as_str().unwrap_or("");
        let at = format!("{} {path} ({id})", method.to_uppercase());
        let mut p = |msg: &str| problems.push(format!("{at}: {msg}"));
        let Some(r) = op.get("x-crisp-reference").and_then(Value::as_object) else {
            p(
                "no x-crisp-reference (the entry of Crisp's reference it follows, or the clients it comes from)",
            );
            continue;
        };
        let text = |k: &str| {
            r.get(k)
                .and_then(Value::as_str)
                .filter(|s| !s.trim().is_empty())
        };
        match (text("entry"), text("source")) {
            (Some(entry), None) => {
                if !entry
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                {
                    p(
                        "x-crisp-reference.entry must be the reference's anchor (lowercase, digits, `-`)",
                    );
                }
                if let Some(other) = entries.insert(entry.to_owned(), id.to_owned()) {
                    p(&format!(
                        "x-crisp-reference.entry `{entry}` is also claimed by {other}"
                    ));
                }
                match text("route") {
                    None => p(
                        "x-crisp-reference.route (the route as the reference documents it) is missing",
                    ),
                    Some(route) => {
                        let own = format!("{} {path}", method.to_uppercase());
                        if shape(route) != shape(&own) && text("differs").is_none() {
                            p(&format!(
                                "the reference documents `{route}`: follow it or say why in x-crisp-reference.differs"
                            ));
                        }
                    }
                }
            }
            (None, Some(_)) => {}
            _ => p("x-crisp-reference needs exactly one of `entry` (with `route`) or `source`"),
        }
        for key in r.keys() {
            if !matches!(key.as_str(), "entry" | "route" | "differs" | "source") {
                p(&format!("x-crisp-reference has an unknown key `{key}`"));
            }
        }
    }
    problems
}

/// The "Reference" cell of `docs/endpoints.md` for one operation's `x-crisp-reference`.
pub fn cell(r: &Value) -> String {
    let cell = match (r["entry"].as_str(), r["source"].as_str()) {
        (Some(entry), _) => {
            let mut s = format!("[{entry}]({REFERENCE_URL}#{entry})");
            if let Some(why) = r["differs"].as_str() {
                s.push_str(&format!(" (differs: {why})"));
            }
            s
        }
        (None, Some(source)) => format!("not in Crisp's reference; clients: {source}"),
        _ => String::new(),
    };
    cell.replace('|', "\\|")
}

/// How many operations follow a reference entry, and how many only the clients, given each
/// operation's `x-crisp-reference`.
pub fn summary<'a>(records: impl Iterator<Item = &'a Value>) -> (usize, usize) {
    records.fold((0, 0), |(e, s), r| {
        if r["entry"].is_string() {
            (e + 1, s)
        } else if r["source"].is_string() {
            (e, s + 1)
        } else {
            (e, s)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn problems(path: &str, method: &str, op: Value) -> Vec<String> {
        check([(path, method, &op)].into_iter())
    }

    #[test]
    fn an_operation_without_a_record_is_reported() {
        let p = problems("/website", "post", json!({"operationId": "create_website"}));
        assert_eq!(p.len(), 1);
        assert!(p[0].contains("create_website") && p[0].contains("no x-crisp-reference"));
    }

    #[test]
    fn a_route_that_differs_needs_a_reason() {
        let op = |differs: Option<&str>| {
            let mut r = json!({"entry": "send-email-to-website-operators",
                "route": "PATCH /website/{website_id}/operators/email"});
            if let Some(d) = differs {
                r["differs"] = json!(d);
            }
            json!({"operationId": "send_email", "x-crisp-reference": r})
        };
        let path = "/website/{id}/operators/email";
        assert_eq!(problems(path, "post", op(None)).len(), 1);
        assert!(problems(path, "post", op(Some("clients send POST"))).is_empty());
        // Parameter names may differ; the shape may not.
        assert!(problems(path, "patch", op(None)).is_empty());
    }

    #[test]
    fn a_record_names_an_entry_or_a_source_and_entries_are_unique() {
        let source =
            json!({"operationId": "list_teams", "x-crisp-reference": {"source": "Node 11"}});
        assert!(problems("/website/{w}/teams", "get", source).is_empty());
        let both = json!({"operationId": "x", "x-crisp-reference":
            {"source": "Node", "entry": "a", "route": "GET /a"}});
        assert_eq!(problems("/a", "get", both).len(), 1);
        let a =
            json!({"operationId": "a", "x-crisp-reference": {"entry": "get-a", "route": "GET /a"}});
        let b =
            json!({"operationId": "b", "x-crisp-reference": {"entry": "get-a", "route": "GET /b"}});
        let p = check([("/a", "get", &a), ("/b", "get", &b)].into_iter());
        assert!(p.iter().any(|m| m.contains("also claimed by a")), "{p:?}");
    }

    #[test]
    fn the_docs_cell_links_the_entry_or_names_the_clients() {
        let op = json!({"x-crisp-reference": {"entry": "get-a-website", "route": "GET /website/{website_id}"}});
        assert_eq!(
            cell(&op["x-crisp-reference"]),
            "[get-a-website](https://docs.crisp.chat/references/rest-api/v1/#get-a-website)"
        );
        let op = json!({"x-crisp-reference": {"source": "PHP userAccount->get"}});
        assert_eq!(
            cell(&op["x-crisp-reference"]),
            "not in Crisp's reference; clients: PHP userAccount->get"
        );
    }
}
