//! Property test: surrogate escapes inserted at random places in valid bodies.

use super::conversations;
use crate::cross::Rng;
use crate::support::WEBSITE;
use crisp_api::Event;
use crisp_api::webhook;

/// What is inserted: lone high and low surrogates, a reversed pair, a pair split across two
/// strings (a truncated excerpt ending with the high half, the next starting with the low
/// half), a well-formed pair, and an escaped backslash before `ud83d` (not an escape).
const INSERTS: [(&str, &str); 6] = [
    (r"\ud83d", r"\uD83D"),
    (r"\ude00", r"\uDE00"),
    (r"\ude00\ud83d", r"\uDE00\uD83D"),
    (r"\ud83d", r"\ude00"),
    (r"\ud83d\ude00", r"\uD83D\uDE00"),
    (r"\\ud83d", r"\\uDE00"),
];

/// The byte offsets, in `text`, of the start and the end of every string value's contents
/// (after `":"` and before the closing quote).
fn string_slots(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut slots = Vec::new();
    let mut at = 0;
    while let Some(found) = text[at..].find("\":\"") {
        let start = at + found + 3;
        let mut end = start;
        while bytes[end] != b'"' {
            end += if bytes[end] == b'\\' { 2 } else { 1 };
        }
        slots.push((start, end));
        at = end;
    }
    slots
}

/// `text` with `count` insertions at random string starts, ends and middles (on a character
/// boundary outside an escape); a split pair puts its two halves at the end of one string and
/// the start of another.
fn mutate(text: &str, rng: &mut Rng, count: usize) -> String {
    let slots = string_slots(text);
    let mut edits: Vec<(usize, &str)> = Vec::new();
    for _ in 0..count {
        let (start, end) = slots[rng.below(slots.len())];
        let (first, second) = INSERTS[rng.below(INSERTS.len())];
        let middle = {
            // Back to a character boundary at least 6 bytes past any backslash (outside an
            // escape), or the start.
            let mut m = start + rng.below(end - start + 1);
            while m > start
                && (!text.is_char_boundary(m)
                    || text.as_bytes()[m.saturating_sub(6).max(start)..m].contains(&b'\\'))
            {
                m -= 1;
            }
            m
        };
        match rng.below(4) {
            0 => edits.push((start, first)),
            1 => edits.push((end, first)),
            2 => edits.push((middle, first)),
            _ => {
                // Split: the first half ends this string, the second starts the next one.
                edits.push((end, first));
                let (next, _) = slots[rng.below(slots.len())];
                edits.push((next, second));
            }
        }
    }
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_owned();
    for (at, insert) in edits {
        out.insert_str(at, insert);
    }
    out
}

#[test]
fn surrogates_anywhere_never_panic_nor_lose_an_item() {
    type Page = crisp_api::types::Envelope<Vec<crisp_api::types::Conversation>>;
    let page = conversations(50).to_string();
    let message = crisp_api::sandbox::example("get_message_in_conversation").unwrap();
    // The payload of a delivery (the event name is left alone: a new name is another event).
    let data = message["data"].to_string();
    let mut rng = Rng(0x0021_0000_5eed);
    for case in 0..2000 {
        let count = 1 + rng.below(6);
        let body = mutate(&page, &mut rng, count);
        let decoded: Page = crisp_api::json::from_slice(body.as_bytes())
            .unwrap_or_else(|e| panic!("case {case}: {e}\n{body}"));
        assert_eq!(decoded.data.len(), 50, "case {case}");
        let body = format!(
            r#"{{"website_id":"{WEBSITE}","event":"message:send","data":{},"timestamp":1}}"#,
            mutate(&data, &mut rng, count)
        );
        // Never refused nor lost: typed, or (a closed enum value hit) kept raw.
        let delivery =
            webhook::parse(body.as_bytes()).unwrap_or_else(|e| panic!("case {case}: {e}\n{body}"));
        assert!(
            matches!(
                delivery.event,
                Event::MessageSend(_) | Event::Mistyped { .. }
            ),
            "case {case}: {:?}\n{body}",
            delivery.event
        );
    }
}
