//! The per-call machinery stays light: the futures of `.send()`, `.call()` and their kin stay
//! small whatever the operation (the exchange is boxed once), headers reach `.response()` and
//! `error: true` answers without being copied, and page streams notice a repeated page by its
//! body's fingerprint.

use crate::cross::{get_conversation, listed};
use crate::support::{SESSION, WEBSITE, conversation_path, ctx};
use crisp_api::message::{NewMessage, Sender};
use crisp_api::{Client, Error};
use futures::TryStreamExt;
use serde_json::json;
use std::mem::size_of_val;
use wiremock::ResponseTemplate;
use wiremock::matchers::{method, path};

/// The upper bound on the `.call()` futures (before boxing: 18,888 bytes for
/// `get_conversation`; progenitor's own `send()` is 3,728).
const MAX_FUTURE: usize = 512;

fn client() -> Client {
    Client::builder()
        .credentials("id", "key")
        .base_url("http://127.0.0.1:9")
        .build()
        .expect("client")
}

#[test]
fn call_futures_stay_small() {
    let client = client();
    let get = client
        .get_conversation()
        .website_id(WEBSITE)
        .session_id(SESSION)
        .call();
    let send = client
        .send_message_in_conversation()
        .website_id(WEBSITE)
        .session_id(SESSION)
        .body(NewMessage::note(Sender::Operator, "hi"))
        .call();
    let response = client
        .get_conversation()
        .website_id(WEBSITE)
        .session_id(SESSION)
        .response();
    let exists = client
        .check_conversation_exists()
        .website_id(WEBSITE)
        .session_id(SESSION)
        .exists();
    let raw = client
        .get_conversation()
        .website_id(WEBSITE)
        .session_id(SESSION)
        .send();
    // All of them can be spawned on a multi-threaded runtime.
    fn sendable<T: Send>(_: &T) {}
    sendable(&get);
    sendable(&send);
    sendable(&response);
    sendable(&exists);
    sendable(&raw);
    for (name, size) in [
        ("get_conversation().send()", size_of_val(&raw)),
        ("get_conversation().call()", size_of_val(&get)),
        ("send_message_in_conversation().call()", size_of_val(&send)),
        ("get_conversation().response()", size_of_val(&response)),
        ("check_conversation_exists().exists()", size_of_val(&exists)),
    ] {
        println!("{name}: {size} bytes");
        assert!(
            size <= MAX_FUTURE,
            "{name}: a {size}-byte future (at most {MAX_FUTURE})"
        );
    }
}

#[tokio::test]
async fn an_error_true_success_keeps_its_headers() {
    let t = ctx().await;
    t.expect("get_conversation", "GET", &conversation_path())
        .respond(
            ResponseTemplate::new(200)
                .insert_header("bloom-status", "MISS")
                .set_body_json(json!({
                    "error": true, "reason": "session_not_found", "data": {"message": "gone"}
                })),
        )
        .mount()
        .await;
    let err = get_conversation(&t.client).await.expect_err("error: true");
    match &err {
        Error::Api {
            reason, headers, ..
        } => {
            assert_eq!(reason, "session_not_found");
            assert_eq!(headers["bloom-status"], "MISS");
        }
        other => panic!("expected an API error, got {other:?}"),
    }
}

#[tokio::test]
async fn streams_tell_pages_apart_by_body_not_by_length() {
    let t = ctx().await;
    let base = format!("/v1/website/{WEBSITE}/conversations");
    // Same length, one character apart: distinct pages.
    for (page, id) in [(1, "session_a"), (2, "session_b")] {
        wiremock::Mock::given(method("GET"))
            .and(path(format!("{base}/{page}")))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "error": false, "reason": "listed",
                "data": [{"session_id": id, "website_id": WEBSITE}]
            })))
            .expect(1)
            .mount(&t.server)
            .await;
    }
    wiremock::Mock::given(method("GET"))
        .and(path(format!("{base}/3")))
        .respond_with(ResponseTemplate::new(200).set_body_json(listed(json!([]))))
        .expect(1)
        .mount(&t.server)
        .await;
    let ids: Vec<String> = t
        .client
        .list_conversations()
        .website_id(WEBSITE)
        .stream()
        .map_ok(|c| c.session_id)
        .try_collect()
        .await
        .expect("stream");
    assert_eq!(ids, ["session_a", "session_b"]);
}
