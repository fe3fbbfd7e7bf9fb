//! Every 2xx is a success; 206 is data.

use crate::cross::{client_for, example, history, listed};
use crate::support::{SESSION, WEBSITE, catch_all, conversation_path, ctx};
use futures::TryStreamExt;
use reqwest::StatusCode;
use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

#[tokio::test]
async fn a_206_on_a_single_get_is_a_success_and_keeps_its_status() {
    let t = ctx().await;
    t.expect("get_conversation", "GET", &conversation_path())
        .respond(ResponseTemplate::new(206).set_body_json(example("get_conversation")))
        .mount()
        .await;
    let response = t
        .client
        .get_conversation()
        .website_id(WEBSITE)
        .session_id(SESSION)
        .response()
        .await
        .expect("206 is a success");
    assert_eq!(response.status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(response.data.session_id, SESSION);
}

#[tokio::test]
async fn a_206_page_in_a_stream_is_data_and_the_walk_goes_on() {
    let t = ctx().await;
    let page1 = example("list_conversations");
    let per_page = page1["data"].as_array().unwrap().len();
    let mut page2 = page1.clone();
    page2["data"][0]["session_id"] = json!("session_2f3d1b1e-7f43-4bd6-9f0e-6c1d5f8a2b77");
    let base = format!("/website/{WEBSITE}/conversations");
    for (page, status, body) in [
        (1, 206, page1),
        (2, 200, page2),
        (3, 200, listed(json!([]))),
    ] {
        t.expect("list_conversations", "GET", &format!("{base}/{page}"))
            .respond(ResponseTemplate::new(status).set_body_json(body))
            .mount()
            .await;
    }
    let items: Vec<_> = t
        .client
        .list_conversations()
        .website_id(WEBSITE)
        .stream()
        .try_collect()
        .await
        .expect("stream");
    // A 200 does not end the walk by itself: only the empty page does.
    assert_eq!(items.len(), 2 * per_page);
    assert_eq!(
        items[per_page].session_id,
        "session_2f3d1b1e-7f43-4bd6-9f0e-6c1d5f8a2b77"
    );
}

#[tokio::test]
async fn a_206_batch_in_the_history_is_data() {
    let server = MockServer::start().await;
    catch_all(&server).await;
    let messages = format!("/v1{}/messages", conversation_path());
    let batch = |timestamps: &[i64]| {
        let data: Vec<Value> = timestamps
            .iter()
            .map(|t| {
                json!({"session_id": SESSION, "website_id": WEBSITE, "type": "text",
                       "from": "user", "origin": "chat", "content": format!("m{t}"),
                       "fingerprint": t, "timestamp": t})
            })
            .collect();
        listed(json!(data))
    };
    // Latest batch: 206 (older messages remain).
    Mock::given(method("GET"))
        .and(path(messages.as_str()))
        .and(|r: &Request| r.url.query().is_none())
        .respond_with(ResponseTemplate::new(206).set_body_json(batch(&[300, 400])))
        .expect(1)
        .mount(&server)
        .await;
    // Older: 206 again, then the last batch, 200, then nothing.
    for (before, status, body) in [
        ("300", 206, batch(&[100, 200])),
        ("100", 200, batch(&[50])),
        ("50", 200, batch(&[])),
    ] {
        Mock::given(method("GET"))
            .and(path(messages.as_str()))
            .and(query_param("timestamp_before", before))
            .respond_with(ResponseTemplate::new(status).set_body_json(body))
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = client_for(&server);
    let history: Vec<_> = history(&client).await.expect("history");
    let stamps: Vec<_> = history.iter().map(|m| m.timestamp.unwrap()).collect();
    assert_eq!(stamps, [400, 300, 200, 100, 50]);
}

#[tokio::test]
async fn head_checks_accept_any_2xx() {
    let t = ctx().await;
    t.expect("check_conversation_exists", "HEAD", &conversation_path())
        .respond(ResponseTemplate::new(204))
        .mount()
        .await;
    assert!(
        t.client
            .check_conversation_exists()
            .website_id(WEBSITE)
            .session_id(SESSION)
            .exists()
            .await
            .unwrap()
    );
}

#[tokio::test]
async fn the_sandbox_answers_206_then_an_empty_200() {
    let sandbox = crisp_api::sandbox::Sandbox::start().await;
    let client = sandbox.client();
    let first = client
        .list_conversations()
        .website_id(WEBSITE)
        .page_number(1u32)
        .response()
        .await
        .unwrap();
    assert_eq!(first.status, StatusCode::PARTIAL_CONTENT);
    assert!(!first.data.is_empty());
    let second = client
        .list_conversations()
        .website_id(WEBSITE)
        .page_number(2u32)
        .response()
        .await
        .unwrap();
    assert_eq!(second.status, StatusCode::OK);
    assert!(second.data.is_empty());
    let latest = client
        .list_messages_in_conversation()
        .website_id(WEBSITE)
        .session_id(SESSION)
        .response()
        .await
        .unwrap();
    assert_eq!(latest.status, StatusCode::PARTIAL_CONTENT);
    let history: Vec<_> = history(&client).await.unwrap();
    assert_eq!(history.len(), latest.data.len());
}
