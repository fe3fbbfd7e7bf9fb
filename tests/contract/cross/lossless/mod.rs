//! Nothing Crisp sends is lost: lone surrogate escapes as Node's `JSON.stringify` writes them
//! (`"Hello \ud83d"`), on every path (typed calls, `response()`, streams, history, raw calls,
//! web hooks); authentic events whose payload does not fit their type; integers sent as
//! strings or floats; decode errors that name the operation and the field and keep personal
//! data out of `Display` and `Debug`. The RTM side is in `rtm`, the CLI's in `cli/tests`.

mod hooks;
mod property;
mod redaction;

use crate::cross::{history, listed};
use crate::support::{SESSION, WEBSITE, conversation_path, ctx};
use crisp_api::Method;
use crisp_api::webhook;
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
    listed(json!(data))
}

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
        .respond_with(json_response(listed(json!([])).to_string()))
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
        let envelope = listed(json!(data));
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
    let history: Vec<_> = history(&t.client).await.expect("history");
    let stamps: Vec<_> = history.iter().map(|m| m.timestamp.unwrap()).collect();
    assert_eq!(stamps, [400, 300, 200, 100]);
    let text = |m: &crisp_api::types::Message| match &m.content {
        Some(crisp_api::types::MessageContent::String(s)) => s.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(text(&history[1]), FIXED);
    assert_eq!(text(&history[2]), FIXED);
}
