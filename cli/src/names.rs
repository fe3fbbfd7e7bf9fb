//! How an operation of the spec becomes a command: its noun (the resource, from the path) and
//! its verb (the operation id without the noun and filler words), the few overrides, the
//! formats of identifiers, and help text rewritten for the command line.
//!
//! Shared by `build.rs` (which derives the command tree once, at build time) and the tool's
//! tests, so it uses `std` only.

/// Operations whose derived `(noun, verb)` reads badly, by operation id: the one override table.
pub const OVERRIDES: &[(&str, &str, &str)] = &[
    ("list_people_profiles", "people", "list"),
    ("get_people_profile", "people", "get"),
    ("add_new_people_profile", "people", "create"),
    ("save_people_profile", "people", "save"),
    ("update_people_profile", "people", "update"),
    ("remove_people_profile", "people", "remove"),
    ("check_people_profile_exists", "people", "check-exists"),
];

/// First path segments (after `/website/{website_id}`) that belong to another noun.
const SEGMENT_NOUNS: &[(&str, &str)] = &[
    ("availability", "website"),
    ("verify", "website"),
    ("connect", "website"),
    ("settings", "website"),
    ("expunge", "website"),
    ("plugins", "plugin"),
    ("plans", "plan"),
];

/// Segments under `conversation/{session_id}/` that make the noun `message`.
const MESSAGE_SEGMENTS: &[&str] = &["message", "messages", "original"];

/// Words dropped from verbs: they only link the verb to its noun.
const FILLERS: &[&str] = &["in", "for", "from", "to", "of", "on", "with", "website"];

/// Identifier formats the command line checks before sending, by parameter name, when the
/// spec's schema gives none: `uuid`, or a prefix followed by a UUID.
pub const FORMATS: &[(&str, &str)] = &[("website_id", "uuid"), ("session_id", "session_uuid")];

/// The singular of a path segment (`conversations` → `conversation`, `inboxes` → `inbox`).
pub fn singular(word: &str) -> String {
    if ["analytics", "status", "people", "media"].contains(&word) || word.len() <= 3 {
        return word.to_owned();
    }
    for (suffix, replacement) in [("ies", "y"), ("xes", "x"), ("ses", "s"), ("s", "")] {
        if let Some(stem) = word.strip_suffix(suffix) {
            return format!("{stem}{replacement}");
        }
    }
    word.to_owned()
}

/// The noun of an operation: the resource its path names.
pub fn noun(path: &str) -> String {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let first = match segments.as_slice() {
        ["website", "{website_id}"] => "website",
        ["website", "{website_id}", "conversation", _, kind, ..]
            if MESSAGE_SEGMENTS.contains(kind) =>
        {
            "message"
        }
        ["website", "{website_id}", first, ..] => *first,
        [first, ..] => *first,
        [] => "api",
    };
    let mapped = SEGMENT_NOUNS
        .iter()
        .find(|(segment, _)| *segment == first)
        .map_or(first, |(_, noun)| noun);
    singular(mapped)
}

/// The verb of an operation within its noun.
pub fn verb(operation_id: &str, noun: &str) -> String {
    let mut forms = vec![noun.to_owned(), format!("{noun}s"), format!("{noun}es")];
    if let Some(stem) = noun.strip_suffix('y') {
        forms.push(format!("{stem}ies"));
    }
    match noun {
        "message" => forms.push("conversation".to_owned()),
        "media" => forms.push("medias".to_owned()),
        _ => {}
    }
    let words: Vec<&str> = operation_id.split('_').collect();
    let kept: Vec<&str> = words
        .iter()
        .copied()
        .filter(|w| !forms.iter().any(|f| f == w) && !FILLERS.contains(w))
        .collect();
    if kept.is_empty() {
        words[0].to_owned()
    } else {
        kept.join("-")
    }
}

/// `(noun, verb)` of an operation: the override, else the rules.
pub fn command_of(operation_id: &str, path: &str) -> (String, String) {
    if let Some((_, noun, verb)) = OVERRIDES.iter().find(|(id, _, _)| *id == operation_id) {
        return ((*noun).to_owned(), (*verb).to_owned());
    }
    let noun = noun(path);
    let verb = verb(operation_id, &noun);
    (noun, verb)
}

/// The spec's prose rewritten for the command line: `` `search_type=text` `` becomes
/// `` `--search-type text` `` and `` `search_type` `` (a parameter of the operation, in
/// `params`) `` `--search-type` ``; parentheses or sentences about the Rust API
/// (`crisp_api::…`, `.exists()`, "in Rust") are dropped.
pub fn cli_text(text: &str, params: &[&str]) -> String {
    let text = drop_rust(text);
    flags_for_assignments(&text, params)
}

fn mentions_rust(text: &str) -> bool {
    ["crisp_api::", ".exists()", "Rust", "Filters::"]
        .iter()
        .any(|m| text.contains(m))
}

/// Drops parenthesised asides, then sentences, that speak of the Rust API.
fn drop_rust(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('(') {
        let Some(len) = rest[open..].find(')') else {
            break;
        };
        let aside = &rest[open..=open + len];
        out.push_str(&rest[..open]);
        if mentions_rust(aside) {
            // Also drop the space before the aside.
            while out.ends_with(' ') {
                out.pop();
            }
        } else {
            out.push_str(aside);
        }
        rest = &rest[open + len + 1..];
    }
    out.push_str(rest);
    let paragraphs: Vec<String> = out
        .split("\n\n")
        .map(|paragraph| {
            let mut kept = Vec::new();
            for sentence in sentences(paragraph) {
                let fragment = sentence.trim();
                // Fragments left by a dropped aside, such as `;` or `, or`.
                let is_residue = fragment.is_empty()
                    || fragment
                        .chars()
                        .all(|c| c.is_ascii_punctuation() || c.is_whitespace());
                if !mentions_rust(sentence) && !is_residue {
                    kept.push(sentence);
                }
            }
            kept.concat().trim().to_owned()
        })
        .filter(|p| !p.is_empty())
        .collect();
    paragraphs.join("\n\n")
}

/// Splits after `. ` (keeping the separator with the sentence).
fn sentences(paragraph: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let bytes = paragraph.as_bytes();
    for i in 0..bytes.len() {
        if bytes[i] == b'.' && bytes.get(i + 1).is_some_and(|b| *b == b' ' || *b == b'\n') {
            parts.push(&paragraph[start..=i + 1]);
            start = i + 2;
        }
    }
    if start < paragraph.len() {
        parts.push(&paragraph[start..]);
    }
    parts
}

/// Whether a code span names a parameter (`filter_*` names several).
fn is_param(span: &str, params: &[&str]) -> bool {
    match span.strip_suffix('*') {
        Some(prefix) => !prefix.is_empty() && params.iter().any(|p| p.starts_with(prefix)),
        None => params.contains(&span),
    }
}

/// `` `name=value` `` (a parameter assignment) → `` `--name value` ``; `` `name` `` of a
/// parameter → `` `--name` ``.
fn flags_for_assignments(text: &str, params: &[&str]) -> String {
    let mut out = String::new();
    let mut parts = text.split('`');
    if let Some(first) = parts.next() {
        out.push_str(first);
    }
    for (i, part) in parts.enumerate() {
        out.push('`');
        let in_code = i % 2 == 0;
        match part.split_once('=') {
            Some((name, value))
                if in_code
                    && !name.is_empty()
                    && name
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit())
                    && !value.contains(' ') =>
            {
                out.push_str(&format!("--{} {value}", name.replace('_', "-")));
            }
            None if in_code && is_param(part, params) => {
                out.push_str(&format!("--{}", part.replace('_', "-")));
            }
            _ => out.push_str(part),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nouns_and_verbs_follow_the_rules() {
        let cases = [
            (
                "list_conversations",
                "/website/{website_id}/conversations/{page_number}",
            ),
            (
                "get_conversation",
                "/website/{website_id}/conversation/{session_id}",
            ),
            (
                "send_message_in_conversation",
                "/website/{website_id}/conversation/{session_id}/message",
            ),
            (
                "list_website_inboxes",
                "/website/{website_id}/inboxes/list/{page_number}",
            ),
            ("get_website_settings", "/website/{website_id}/settings"),
            (
                "list_people_profiles",
                "/website/{website_id}/people/profiles/{page_number}",
            ),
            ("generate_bucket_url", "/bucket/url/generate"),
        ];
        let got: Vec<String> = cases
            .iter()
            .map(|(id, path)| {
                let (noun, verb) = command_of(id, path);
                format!("{noun} {verb}")
            })
            .collect();
        assert_eq!(
            got,
            [
                "conversation list",
                "conversation get",
                "message send",
                "inbox list",
                "website get-settings",
                "people list",
                "bucket generate-url",
            ]
        );
    }

    #[test]
    fn help_text_speaks_cli() {
        let text = "Free text for `search_type=text`, a JSON array (as a string; in Rust, \
                    `crisp_api::Filters`) for `filter`. In Rust, `.exists()` gives a bool. Done.";
        assert_eq!(
            cli_text(text, &[]),
            "Free text for `--search-type text`, a JSON array for `filter`. Done."
        );
        let params = ["search_type", "filter_unread", "filter_resolved"];
        assert_eq!(
            cli_text(
                "Set `search_type`; `filter_*` flags; the `from` field.",
                &params
            ),
            "Set `--search-type`; `--filter-*` flags; the `from` field."
        );
    }
}
