//! Nothing Crisp sends is lost: lone surrogate escapes as Node's `JSON.stringify` writes them
//! (`"Hello \ud83d"`), on every path (typed calls, `response()`, streams, history, raw calls,
//! web hooks); authentic events whose payload does not fit their type; integers sent as
//! strings or floats; decode errors that name the operation and the field and keep personal
//! data out of `Display` and `Debug`. The RTM side is in `rtm`, the CLI's in `cli/tests`.

use crate::support::{SESSION, WEBSITE, conversation_path, ctx};
use crisp_api::webhook::{self, Verifier};
use crisp_api::{Error, Event, Method};
use futures::TryStreamExt;
use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, Request, ResponseTemplate};

/// A preview cut in the middle of an emoji, as raw JSON string contents.
const CUT: &str = r"Hello \ud83d";
/// What it reads as.
const FIXED: &str = "Hello \u{FFFD}";
/// A well-formed pair, as raw JSON string contents, and what it reads as.
const PAIR: &str = r"ok \ud83d\ude00";
const PAIR_TEXT: &str = "ok 😀";

/// The JSON text of `value` with each string value `"{mark}"` replaced by the raw JSON string
/// contents `raw` (serde_json cannot write a lone surrogate itself).
fn with_raw(value: &Value, marks: &[(&str, &str)]) -> String {
    let mut text = value.to_string();
    for (mark, raw) in marks {
        let quoted = format!("\"{mark}\"");
        assert!(text.contains(&quoted), "no {quoted}");
        text = text.replace(&quoted, &format!("\"{raw}\""));
    }
    text
}

fn json_response(text: String) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(text, "application/json")
}

/// A page of `n` conversations from the spec's example, each with its own session id.
fn conversations(n: usize) -> Value {
    let example = crisp_api::sandbox::example("list_conversations").unwrap();
    let one = example["data"][0].clone();
    let data: Vec<Value> = (0..n)
        .map(|i| {
            let mut c = one.clone();
            c["session_id"] = json!(format!("session_{i}"));
            c
        })
        .collect();
    json!({"error": false, "reason": "listed", "data": data})
}

#[tokio::test]
async fn a_lone_surrogate_loses_no_conversation_on_any_rest_path() {
    let t = ctx().await;
    let mut page = conversations(50);
    page["data"][7]["last_message"] = json!("LONE");
    page["data"][8]["last_message"] = json!("PAIR");
    let text = with_raw(&page, &[("LONE", CUT), ("PAIR", PAIR)]);
    let base = format!("/v1/website/{WEBSITE}/conversations");
    Mock::given(method("GET"))
        .and(path(format!("{base}/1")))
        .respond_with(json_response(text))
        .mount(&t.server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{base}/2")))
        .respond_with(json_response(
            json!({"error": false, "reason": "listed", "data": []}).to_string(),
        ))
        .mount(&t.server)
        .await;
    let check = |list: &[crisp_api::types::Conversation]| {
        assert_eq!(list.len(), 50, "no conversation lost");
        assert_eq!(list[7].last_message.as_deref(), Some(FIXED));
        assert_eq!(list[8].last_message.as_deref(), Some(PAIR_TEXT));
        assert_eq!(list[49].session_id, "session_49");
    };
    let list = || t.client.list_conversations().website_id(WEBSITE);
    check(&list().page_number(1u32).call().await.expect("call()"));
    check(
        &list()
            .page_number(1u32)
            .response()
            .await
            .expect("response()")
            .data,
    );
    let streamed: Vec<_> = list().stream().try_collect().await.expect("stream()");
    check(&streamed);
    let pages: Vec<_> = list().pages().try_collect().await.expect("pages()");
    check(&pages[0]);
    // A raw call over the same body.
    let raw: Vec<Value> = t
        .client
        .raw(Method::GET, format!("website/{WEBSITE}/conversations/1"))
        .call()
        .await
        .expect("raw call");
    assert_eq!(raw.len(), 50);
    assert_eq!(raw[7]["last_message"], FIXED);
    // progenitor's raw `send()` too.
    let sent = list().page_number(1u32).send().await.expect("send()");
    assert_eq!(sent.into_inner().data.len(), 50);
}

#[tokio::test]
async fn a_lone_surrogate_does_not_stop_the_message_history() {
    let t = ctx().await;
    let messages = format!("/v1{}/messages", conversation_path());
    let batch = |stamps: &[i64], cut: Option<i64>| {
        let data: Vec<Value> = stamps
            .iter()
            .map(|t| {
                let content = if Some(*t) == cut {
                    json!("LONE")
                } else {
                    json!(format!("m{t}"))
                };
                json!({"session_id": SESSION, "website_id": WEBSITE, "type": "text",
                       "from": "user", "origin": "chat", "content": content,
                       "fingerprint": t, "timestamp": t})
            })
            .collect();
        let envelope = json!({"error": false, "reason": "listed", "data": data});
        if cut.is_some() {
            with_raw(&envelope, &[("LONE", CUT)])
        } else {
            envelope.to_string()
        }
    };
    Mock::given(method("GET"))
        .and(path(messages.as_str()))
        .and(|r: &Request| r.url.query().is_none())
        .respond_with(json_response(batch(&[300, 400], Some(300))))
        .mount(&t.server)
        .await;
    for (before, body) in [
        ("300", batch(&[100, 200], Some(200))),
        ("100", batch(&[], None)),
    ] {
        Mock::given(method("GET"))
            .and(path(messages.as_str()))
            .and(query_param("timestamp_before", before))
            .respond_with(json_response(body))
            .mount(&t.server)
            .await;
    }
    let history: Vec<_> = t
        .client
        .list_messages_in_conversation()
        .website_id(WEBSITE)
        .session_id(SESSION)
        .history()
        .try_collect()
        .await
        .expect("history");
    let stamps: Vec<_> = history.iter().map(|m| m.timestamp.unwrap()).collect();
    assert_eq!(stamps, [400, 300, 200, 100]);
    let text = |m: &crisp_api::types::Message| match &m.content {
        Some(crisp_api::types::MessageContent::String(s)) => s.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(text(&history[1]), FIXED);
    assert_eq!(text(&history[2]), FIXED);
}

// ---------------------------------------------------------------------------------------------
// Property test: surrogate escapes inserted at random places in valid bodies
// ---------------------------------------------------------------------------------------------

/// A small deterministic generator (xorshift64*), so that failures reproduce from the seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

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

// ---------------------------------------------------------------------------------------------
// Web hooks
// ---------------------------------------------------------------------------------------------

const SECRET: &str = "whsec_crisp_test_secret";
const TS: &str = "1716300120";

fn signed(body: &str) -> http::HeaderMap {
    let mut h = http::HeaderMap::new();
    h.insert(webhook::TIMESTAMP_HEADER, TS.parse().unwrap());
    h.insert(
        webhook::SIGNATURE_HEADER,
        webhook::sign(SECRET, TS, body.as_bytes()).parse().unwrap(),
    );
    h
}

fn hook(event: &str, data: Value) -> Value {
    json!({"website_id": WEBSITE, "event": event, "data": data, "timestamp": 1_716_300_120_000_i64})
}

#[test]
fn a_signed_delivery_with_a_lone_surrogate_is_received() {
    let message = crisp_api::sandbox::example("get_message_in_conversation").unwrap();
    let mut data = message["data"].clone();
    data["content"] = json!("LONE");
    let body = with_raw(&hook("message:send", data), &[("LONE", CUT)]);
    let delivery = Verifier::new(SECRET)
        .receive(&signed(&body), body.as_bytes())
        .expect("received, not refused");
    let Event::MessageSend(m) = delivery.event else {
        panic!("{:?}", delivery.event)
    };
    assert!(
        matches!(&m.content, Some(crisp_api::types::MessageContent::String(s)) if s == FIXED),
        "{:?}",
        m.content
    );
}

#[test]
fn authentic_events_that_do_not_fit_their_type_reach_the_application() {
    let message = crisp_api::sandbox::example("get_message_in_conversation").unwrap();
    let session = json!({"website_id": WEBSITE, "session_id": SESSION, "inbox_id": null});
    let mut nested = session.clone();
    nested["data"] = json!({"plan": {"name": "pro", "seats": [1, 2]}});
    let mut huge = message["data"].clone();
    huge["fingerprint"] = json!(1e21);
    for (name, data, path) in [
        ("session:request:initiated", json!({}), None),
        ("session:set_data", nested, Some("data.plan")),
        ("message:send", huge, Some("fingerprint")),
    ] {
        let body = hook(name, data.clone()).to_string();
        let delivery = Verifier::new(SECRET)
            .receive(&signed(&body), body.as_bytes())
            .unwrap_or_else(|e| panic!("{name} refused: {e} (HTTP {})", e.status()));
        match &delivery.event {
            Event::Mistyped {
                name: got,
                data: raw,
                error,
            } => {
                assert_eq!(got, name);
                assert_eq!(raw, &data, "the raw payload, untouched");
                if let Some(path) = path {
                    assert_eq!(error.path.as_deref(), Some(path), "{name}: {error}");
                }
                assert!(!error.message.is_empty());
            }
            other => panic!("{name}: expected Mistyped, got {other:?}"),
        }
        assert_eq!(delivery.event.name(), name);
        assert_eq!(
            delivery.event.website_id(),
            data.get("website_id").and_then(Value::as_str)
        );
    }
}

#[test]
fn integers_sent_as_strings_or_floats_are_read_when_exact() {
    let message = crisp_api::sandbox::example("get_message_in_conversation").unwrap();
    for fingerprint in [json!("163408415314923"), json!(163408415314923.0)] {
        let mut data = message["data"].clone();
        data["fingerprint"] = fingerprint.clone();
        let body = hook("message:send", data).to_string();
        let delivery = webhook::parse(body.as_bytes()).unwrap();
        let Event::MessageSend(m) = delivery.event else {
            panic!("{fingerprint}: {:?}", delivery.event)
        };
        assert_eq!(m.fingerprint, Some(163_408_415_314_923), "{fingerprint}");
    }
}

// ---------------------------------------------------------------------------------------------
// Decode errors: operation and path, no personal data in Display or Debug
// ---------------------------------------------------------------------------------------------

const EMAIL: &str = "jane.doe@example.com";
const TEXT: &str = "my card number is 4242";

/// Fails if `shown` holds the planted e-mail address or message text.
fn clean(what: &str, shown: &str) {
    for planted in [EMAIL, TEXT, "jane.doe", "4242"] {
        assert!(
            !shown.contains(planted),
            "{what} shows {planted:?}: {shown}"
        );
    }
}

fn check_error(what: &str, e: &(dyn std::error::Error + 'static)) {
    clean(what, &e.to_string());
    clean(what, &format!("{e:?}"));
    // The whole chain, as `{:#}` loggers print it.
    let mut source = e.source();
    while let Some(s) = source {
        clean(what, &s.to_string());
        clean(what, &format!("{s:?}"));
        source = s.source();
    }
}

#[tokio::test]
async fn decode_errors_name_the_operation_and_path_and_no_error_shows_personal_data() {
    let t = ctx().await;
    let base = format!("/v1/website/{WEBSITE}/conversations");
    // The e-mail where a number is expected, the message text where an object is: serde would
    // quote both.
    let mut page = conversations(3);
    page["data"][1]["meta"]["email"] = json!(EMAIL);
    page["data"][1]["last_message"] = json!(TEXT);
    page["data"][1]["updated_at"] = json!(EMAIL);
    Mock::given(method("GET"))
        .and(path(format!("{base}/1")))
        .respond_with(json_response(page.to_string()))
        .mount(&t.server)
        .await;
    let mut page = conversations(3);
    page["data"][2]["meta"] = json!(TEXT);
    page["data"][2]["last_message"] = json!(EMAIL);
    Mock::given(method("GET"))
        .and(path(format!("{base}/2")))
        .respond_with(json_response(page.to_string()))
        .mount(&t.server)
        .await;
    // An HTML error page and a truncated body holding both.
    Mock::given(method("GET"))
        .and(path(format!("{base}/3")))
        .respond_with(
            ResponseTemplate::new(502)
                .set_body_raw(format!("<html>{EMAIL}: {TEXT}</html>"), "text/html"),
        )
        .mount(&t.server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{base}/4")))
        .respond_with(json_response(format!(
            r#"{{"error":false,"reason":"listed","data":[{{"session_id":"{EMAIL} {TEXT}"#
        )))
        .mount(&t.server)
        .await;
    let list = |n: u32| {
        t.client
            .list_conversations()
            .website_id(WEBSITE)
            .page_number(n)
    };

    let e = list(1).call().await.unwrap_err();
    let shown = e.to_string();
    assert!(
        shown.starts_with(
            "200 list_conversations (GET /website/{website_id}/conversations/{page_number}): \
             undecodable response at data[1].updated_at: invalid"
        ),
        "{shown}"
    );
    assert!(
        matches!(&e, Error::Decode { path: Some(p), operation: Some("list_conversations"), .. } if p == "data[1].updated_at")
    );
    // The body's first bytes stay reachable for those who want to look.
    assert!(e.body_snippet().unwrap().starts_with(r#"{"data":[{"#));
    check_error("typed call", &e);

    let e = list(2).call().await.unwrap_err();
    assert!(
        e.to_string().contains("at data[2].meta: invalid type"),
        "{e}"
    );
    check_error("typed call, wrong type", &e);
    for n in [3, 4] {
        let e = list(n).call().await.unwrap_err();
        assert!(e.body_snippet().unwrap().contains(EMAIL));
        check_error("HTML or truncated page", &e);
        let raw = t
            .client
            .raw(Method::GET, format!("website/{WEBSITE}/conversations/{n}"))
            .call::<Value>()
            .await
            .unwrap_err();
        check_error("raw call", &raw);
    }
    let raw = t
        .client
        .raw(Method::GET, format!("website/{WEBSITE}/conversations/2"))
        .call::<Vec<crisp_api::types::Conversation>>()
        .await
        .unwrap_err();
    assert!(
        raw.to_string()
            .contains("raw: undecodable response at data[2].meta"),
        "{raw}"
    );
    check_error("raw call, wrong type", &raw);

    // Web hooks: a malformed body, a payload that does not fit.
    let e = webhook::parse(
        format!(r#"{{"event":"message:send","data":{{"content":"{TEXT} {EMAIL}"#).as_bytes(),
    )
    .unwrap_err();
    check_error("web hook body", &e);
    let body = hook(
        "session:set_email",
        json!({"website_id": WEBSITE, "session_id": {"x": EMAIL}, "email": TEXT}),
    )
    .to_string();
    let delivery = webhook::parse(body.as_bytes()).unwrap();
    let Event::Mistyped { error, .. } = &delivery.event else {
        panic!("{:?}", delivery.event)
    };
    clean("mismatch", &error.to_string());
    clean("mismatch", &format!("{error:?}"));
    // A web hook refused for its age says it in words.
    let body = hook(
        "session:removed",
        json!({"website_id": WEBSITE, "session_id": SESSION}),
    )
    .to_string();
    let e = Verifier::new(SECRET)
        .freshness(std::time::Duration::from_secs(300))
        .verify_at(
            &signed(&body),
            body.as_bytes(),
            std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_716_300_120 + 21 * 3600),
        )
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "the delivery is 21 hours old, beyond the 5-minute window"
    );
}

#[test]
fn an_empty_secret_refuses_every_delivery_and_widgets_verify_like_hooks() {
    let body = hook(
        "session:removed",
        json!({"website_id": WEBSITE, "session_id": SESSION}),
    )
    .to_string();
    // Signed with an empty key: anyone could compute it.
    let mut h = http::HeaderMap::new();
    h.insert(webhook::TIMESTAMP_HEADER, TS.parse().unwrap());
    h.insert(
        webhook::SIGNATURE_HEADER,
        webhook::sign("", TS, body.as_bytes()).parse().unwrap(),
    );
    let empty = Verifier::new("");
    assert!(!empty.has_secret());
    let e = empty.receive(&h, body.as_bytes()).unwrap_err();
    assert!(matches!(e, webhook::Error::EmptySecret), "{e:?}");
    assert_eq!(e.status(), 500);
    assert!(matches!(
        empty.verify_widget(&h, body.as_bytes()),
        Err(webhook::Error::EmptySecret)
    ));
    // A widget action request: the same HMAC over `[timestamp;body]`.
    let widget = r#"{"website_id":"w","session_id":"s","token":"t","locale":"en","widget":{"section_id":"s1","item_id":"i1","action":{"type":"button"}}}"#;
    let v = Verifier::new(SECRET);
    assert!(v.has_secret());
    v.verify_widget(&signed(widget), widget.as_bytes())
        .expect("a signed widget request");
    let forged = widget.replace("button", "Button");
    assert!(matches!(
        v.verify_widget(&signed(widget), forged.as_bytes()),
        Err(webhook::Error::SignatureMismatch)
    ));
    let signature = webhook::sign(SECRET, TS, widget.as_bytes());
    v.verify_widget_parts(
        TS,
        &signature,
        widget.as_bytes(),
        std::time::SystemTime::now(),
    )
    .expect("from the parts");
}
