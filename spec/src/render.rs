//! The operation table and the event table as Markdown, rendered once for both places that show
//! them: `crisp-api`'s `operations` module page (names linked to the crate's items) and
//! `docs/endpoints.md` (names as code, plus the columns `xtask` adds).

use crate::{Event, Operation, Paging, camel};

/// How the names of the SDK's items (methods, event variants) are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Links {
    /// As intra-doc links into `crisp-api` (`crate::Client::get_conversation`,
    /// `crate::Event::MessageSend`), for its own rustdoc pages.
    Rustdoc,
    /// As code, for a Markdown file outside the crate.
    Plain,
}

/// A column a caller adds to a table: its title and each row's cell (Markdown, with any `|`
/// already escaped).
pub type Column<'a, T> = (&'a str, &'a dyn Fn(&T) -> String);

/// A cell of free text: `|` escaped, line breaks folded.
fn text(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}

fn table(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> String {
    let mut out = format!("| {} |\n", header.join(" | "));
    out.push_str(&format!("|{}\n", "---|".repeat(header.len())));
    for row in rows {
        out.push_str(&format!("| {} |\n", row.join(" | ")));
    }
    out
}

/// The operation table, one row per operation in the given order: Rust method, HTTP method,
/// path, feature (family), tiers, paging, deprecation and summary, then the `extra` columns.
pub fn operations(ops: &[Operation], links: Links, extra: &[Column<'_, Operation>]) -> String {
    let mut header = vec![
        "Rust method",
        "HTTP",
        "Path",
        "Feature",
        "Tiers",
        "Paginated",
        "Deprecated",
        "Summary",
    ];
    header.extend(extra.iter().map(|(title, _)| *title));
    let rows = ops.iter().map(|op| {
        let name = match links {
            Links::Rustdoc => format!("[`{id}`](crate::Client::{id})", id = op.id),
            Links::Plain => format!("`{}`", op.id),
        };
        let paging = match &op.paging {
            Paging::None => String::new(),
            Paging::Pages => "yes".to_owned(),
            Paging::Cursor(c) => format!("by `{}`", c.param),
        };
        let mut row = vec![
            name,
            op.method.clone(),
            format!("`{}`", op.path),
            format!("`{}`", op.family),
            op.tiers.join(", "),
            paging,
            if op.deprecated { "yes" } else { "" }.to_owned(),
            text(&op.summary),
        ];
        row.extend(extra.iter().map(|(_, cell)| cell(op)));
        row
    });
    table(&header, rows)
}

/// The event table, one row per event in the given order: event name, `Event` variant, feature
/// (`(always)` for an event every build types), payload type and description.
pub fn events(events: &[Event], links: Links) -> String {
    let header = [
        "Event",
        "Variant",
        "Feature",
        "Payload (`crisp_api::types::`)",
        "Description",
    ];
    let rows = events.iter().map(|event| {
        let variant = camel(&event.name);
        vec![
            format!("`{}`", event.name),
            match links {
                Links::Rustdoc => format!("[`{variant}`](crate::Event::{variant})"),
                Links::Plain => format!("`{variant}`"),
            },
            event
                .family
                .as_ref()
                .map_or_else(|| "(always)".to_owned(), |f| format!("`{f}`")),
            format!("`{}`", event.payload),
            text(&event.description),
        ]
    });
    table(&header, rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Spec;
    use serde_json::json;

    #[test]
    fn tables_link_or_name_the_items() {
        let spec = Spec::new(json!({
            "paths": {"/w/{website_id}": {"get": {
                "operationId": "get_w", "tags": ["website"], "summary": "Get a | b.",
                "x-crisp-tiers": ["plugin", "user"], "deprecated": true,
                "x-crisp-cursor": {"param": "before", "field": "t"}}}},
            "x-crisp-events": {"message:send": {"schema": {"$ref": "#/components/schemas/M"},
                "description": "A message\n  was sent."}}
        }));
        let plain = operations(
            spec.operations(),
            Links::Plain,
            &[("Extra", &|op: &Operation| op.id.to_uppercase())],
        );
        assert_eq!(
            plain.lines().nth(2),
            Some(
                "| `get_w` | GET | `/w/{website_id}` | `website` | plugin, user | by `before` \
                 | yes | Get a \\| b. | GET_W |"
            )
        );
        assert!(plain.starts_with("| Rust method | HTTP |"));
        assert!(plain.lines().nth(1).unwrap().starts_with("|---|---|"));
        let linked = operations(spec.operations(), Links::Rustdoc, &[]);
        assert!(linked.contains("| [`get_w`](crate::Client::get_w) | GET |"));
        let events = events(spec.events(), Links::Rustdoc);
        assert_eq!(
            events.lines().nth(2),
            Some(
                "| `message:send` | [`MessageSend`](crate::Event::MessageSend) | (always) | `M` \
                 | A message was sent. |"
            )
        );
    }
}
