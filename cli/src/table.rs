//! `--output table`: the useful columns of each resource, chosen here and only here, as dotted
//! paths into an item; other resources show their first scalar fields.

use comfy_table::presets::NOTHING;
use comfy_table::{ContentArrangement, Table};
use serde_json::Value;

/// Columns per noun (dotted paths into an item).
const COLUMNS: &[(&str, &[&str])] = &[
    (
        "conversation",
        &[
            "session_id",
            "state",
            "meta.nickname",
            "meta.email",
            "last_message",
            "updated_at",
        ],
    ),
    (
        "message",
        &["fingerprint", "from", "type", "content", "timestamp"],
    ),
    (
        "people",
        &[
            "people_id",
            "email",
            "person.nickname",
            "company.name",
            "updated_at",
        ],
    ),
    (
        "operator",
        &["user_id", "role", "email", "first_name", "last_name"],
    ),
    (
        "visitor",
        &[
            "session_id",
            "nickname",
            "email",
            "country",
            "last_page.url",
        ],
    ),
    (
        "campaign",
        &["campaign_id", "name", "type", "status", "created_at"],
    ),
    ("inbox", &["inbox_id", "name", "order", "conditions"]),
    ("team", &["team_id", "name", "members"]),
    ("website", &["website_id", "name", "domain"]),
    ("helpdesk", &["locale", "name", "url", "visits"]),
    ("plugin", &["plugin_id", "website_id", "name", "urn"]),
];

/// The columns for `noun`, or the first scalar fields of the first item.
fn columns(noun: &str, rows: &[Value]) -> Vec<String> {
    if let Some((_, columns)) = COLUMNS.iter().find(|(n, _)| *n == noun) {
        let present: Vec<String> = columns
            .iter()
            .filter(|c| rows.iter().any(|r| !lookup(r, c).is_null()))
            .map(|c| (*c).to_owned())
            .collect();
        if !present.is_empty() {
            return present;
        }
    }
    match rows.first() {
        Some(Value::Object(map)) => map
            .iter()
            .filter(|(_, v)| !v.is_object() && !v.is_array())
            .take(6)
            .map(|(k, _)| k.clone())
            .collect(),
        _ => vec![],
    }
}

fn lookup<'a>(value: &'a Value, path: &str) -> &'a Value {
    path.split('.').fold(value, |v, key| &v[key])
}

fn cell(value: &Value) -> String {
    let text = match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(cell).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    };
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 48 {
        let cut: String = one_line.chars().take(47).collect();
        format!("{cut}…")
    } else {
        one_line
    }
}

/// The rows as a table with a header line; scalars (or items without columns) one per line.
pub fn render(noun: &str, rows: &[Value]) -> String {
    let columns = columns(noun, rows);
    if columns.is_empty() {
        return rows.iter().map(|r| format!("{}\n", cell(r))).collect();
    }
    let mut table = Table::new();
    table
        .load_preset(NOTHING)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(columns.iter().map(|c| c.to_uppercase().replace('.', " ")));
    for row in rows {
        table.add_row(columns.iter().map(|c| cell(lookup(row, c))));
    }
    let mut text: String = table
        .lines()
        .map(|line| format!("{}\n", line.trim_end()))
        .collect();
    if text.is_empty() {
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn conversations_show_their_columns() {
        let rows = [
            json!({"session_id": "session_1", "state": "pending", "meta": {"nickname": "Val"}}),
            json!({"session_id": "session_2", "state": "resolved", "meta": {"nickname": "Bo"}}),
        ];
        let table = render("conversation", &rows);
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines.len(), 3, "{table}");
        assert!(
            lines[0].contains("SESSION_ID") && lines[0].contains("META NICKNAME"),
            "{table}"
        );
        assert!(
            lines[1].contains("session_1") && lines[1].contains("Val"),
            "{table}"
        );
        // Unknown resources show their first scalar fields.
        let other = render("unknown", &[json!({"a": 1, "b": {"c": 2}})]);
        assert!(other.contains('A') && !other.contains('B'), "{other}");
    }
}
