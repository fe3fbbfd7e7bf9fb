//! Reading JSON as Crisp's servers write it, in one place for every path (typed calls, raw
//! calls, page streams, web hooks, RTM frames, the CLI).
//!
//! Crisp's servers run Node, whose `JSON.stringify` writes a string cut in the middle of an
//! emoji as a lone surrogate escape (`"Hello \ud83d"`). That is valid JSON text, but not valid
//! Unicode, and serde_json refuses it. [`repair`] rewrites each lone surrogate escape as
//! `\uFFFD` (U+FFFD REPLACEMENT CHARACTER, what a JavaScript consumer shows once it prints the
//! string); well-formed pairs are left alone. The rewrite keeps the text's length, so error
//! positions stay true.
//!
//! The common case costs one vectorised scan for `\u` (`memchr::memmem`): a body without a
//! `\uD800`–`\uDFFF` escape is decoded in place, never copied.
//!
//! When decoding fails, [`locate`] decodes once more with `serde_path_to_error` to name the
//! JSON path of the value at fault; only the failure path pays for it.

use serde::de::DeserializeOwned;
use std::borrow::Cow;

/// `text` with every lone surrogate escape (`\uD800`–`\uDFFF` not part of a well-formed
/// high-low pair) rewritten as `\uFFFD`; borrowed when there is none.
pub fn repair(text: &[u8]) -> Cow<'_, [u8]> {
    let finder = memchr::memmem::find_iter(text, b"\\u");
    let mut fixed: Option<Vec<u8>> = None;
    // Where the previous escape handled ends: a `\u` found before it was part of it.
    let mut done = 0;
    for at in finder {
        if at < done || !escapes(text, at) {
            continue;
        }
        let Some(unit) = unit_at(text, at) else {
            continue;
        };
        done = at + 6;
        if !(0xD800..=0xDFFF).contains(&unit) {
            continue;
        }
        if unit <= 0xDBFF
            && unit_at(text, at + 6).is_some_and(|low| (0xDC00..=0xDFFF).contains(&low))
        {
            done = at + 12; // a well-formed pair
            continue;
        }
        fixed.get_or_insert_with(|| text.to_vec())[at + 2..at + 6].copy_from_slice(b"FFFD");
    }
    match fixed {
        Some(fixed) => Cow::Owned(fixed),
        None => Cow::Borrowed(text),
    }
}

/// Whether the `\` at `at` starts an escape: it is preceded by an even number of backslashes
/// (an odd run would make it the second half of an escaped backslash).
fn escapes(text: &[u8], at: usize) -> bool {
    text[..at]
        .iter()
        .rev()
        .take_while(|b| **b == b'\\')
        .count()
        .is_multiple_of(2)
}

/// The code unit of a `\uXXXX` escape at `at` (its `\` known to start an escape).
fn unit_at(text: &[u8], at: usize) -> Option<u16> {
    let escape = text.get(at..at + 6)?;
    if &escape[..2] != b"\\u" {
        return None;
    }
    let hex = std::str::from_utf8(&escape[2..]).ok()?;
    u16::from_str_radix(hex, 16).ok()
}

/// Decodes JSON text as Crisp writes it (lone surrogates read as U+FFFD).
pub fn from_slice<T: DeserializeOwned>(text: &[u8]) -> serde_json::Result<T> {
    serde_json::from_slice(&repair(text))
}

/// [`from_slice`] for text.
pub fn from_str<T: DeserializeOwned>(text: &str) -> serde_json::Result<T> {
    from_slice(text.as_bytes())
}

/// The JSON path (`data[1].meta.email`) of the value that makes `text` fail to decode as `T`,
/// found by decoding again with `serde_path_to_error`; `None` when the text is not JSON at all
/// or the failure has no path. For the failure path only.
pub fn locate<T: DeserializeOwned>(text: &[u8]) -> Option<String> {
    let text = repair(text);
    let mut de = serde_json::Deserializer::from_slice(&text);
    match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Ok(_) => None,
        Err(e) => {
            let path = e.path().to_string();
            (path != "." && !path.is_empty()).then_some(path)
        }
    }
}

/// What serde_json said, without the values it quotes: `invalid type: string "jane@…"` becomes
/// `invalid type: string "…"` (a value of the body may be a customer's name, address or
/// message). Field names, expected types and positions stay.
pub fn redact(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut chars = message.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        match c {
            // A quoted value (serde quotes strings with `{:?}`).
            '"' => {
                let mut escaped = false;
                for c in chars.by_ref() {
                    if escaped {
                        escaped = false;
                    } else if c == '\\' {
                        escaped = true;
                    } else if c == '"' {
                        break;
                    }
                }
                out.push_str("…\"");
            }
            // A value in backticks (`unknown variant `x``, `character `x``); field and
            // variant names the type expects stay.
            '`' if out.ends_with("variant `") || out.ends_with("character `") => {
                for c in chars.by_ref() {
                    if c == '`' {
                        break;
                    }
                }
                out.push_str("…`");
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(text: &str) -> String {
        String::from_utf8(repair(text.as_bytes()).into_owned()).unwrap()
    }

    #[test]
    fn lone_surrogates_become_the_replacement_character() {
        assert_eq!(fixed(r#""Hello \ud83d""#), r#""Hello \uFFFD""#);
        assert_eq!(fixed(r#""\uDE00 x""#), r#""\uFFFD x""#);
        // Reversed pair: both lone.
        assert_eq!(fixed(r#""\ude00\ud83d""#), r#""\uFFFD\uFFFD""#);
        // High followed by high then a pair.
        assert_eq!(fixed(r#""\ud83d\ud83d\ude00""#), r#""\uFFFD\ud83d\ude00""#);
        let s: String = from_str(r#""Hello \ud83d""#).unwrap();
        assert_eq!(s, "Hello \u{FFFD}");
    }

    #[test]
    fn pairs_and_escaped_backslashes_are_left_alone() {
        for text in [
            r#""\ud83d\ude00""#,
            r#""\\ud83d""#,
            r#""\u00e9 \n \"""#,
            r#""plain""#,
        ] {
            assert!(
                matches!(repair(text.as_bytes()), Cow::Borrowed(_)),
                "{text}"
            );
        }
        let s: String = from_str(r#""\ud83d\ude00""#).unwrap();
        assert_eq!(s, "😀");
        // `\\` then `\ud83d`: the second escape is real.
        assert_eq!(fixed(r#""\\\ud83d""#), r#""\\\uFFFD""#);
        // Truncated escapes are left for the decoder to refuse.
        assert_eq!(fixed(r#""\ud8"#), r#""\ud8"#);
    }

    #[test]
    fn redaction_keeps_field_names_and_drops_values() {
        let e = serde_json::from_str::<u32>(r#""jane@doe.com""#).unwrap_err();
        let r = redact(&e.to_string());
        assert!(!r.contains("jane"), "{r}");
        assert!(r.contains("invalid type: string"), "{r}");
        assert_eq!(
            redact("missing field `email` at line 1 column 2"),
            "missing field `email` at line 1 column 2"
        );
        assert_eq!(
            redact("unknown variant `jane@doe.com`, expected `a` or `b`"),
            "unknown variant `…`, expected `a` or `b`"
        );
        assert_eq!(redact(r#"a "q\"uote" b"#), r#"a "…" b"#);
    }

    #[test]
    fn locate_names_the_path() {
        #[derive(serde::Deserialize)]
        #[allow(dead_code)]
        struct Meta {
            seats: u32,
        }
        #[derive(serde::Deserialize)]
        #[allow(dead_code)]
        struct Page {
            data: Vec<Meta>,
        }
        let text = br#"{"data":[{"seats":1},{"seats":"x"}]}"#;
        assert_eq!(locate::<Page>(text).as_deref(), Some("data[1].seats"));
        assert_eq!(locate::<Page>(br#"{"data":[]}"#), None);
    }
}
