//! Error mapping and tolerant decoding: API errors, HTML and truncated bodies, hostile bodies,
//! unknown fields, nulls, HEAD checks, missing parameters and transport failures.

use crate::cross::get_conversation;
use crate::support::{KEY, SESSION, WEBSITE, client_builder, conversation_path, ctx, refused_url};
use crisp_api::Error;
use reqwest::StatusCode;
use serde_json::{Value, json};
use wiremock::ResponseTemplate;

#[tokio::test]
async fn api_errors_keep_status_reason_and_message() {
    for (status, reason, message) in [
        (401, "invalid_session", "the token is not valid"),
        (
            403,
            "restricted_route_tier",
            "this route is not allowed for your tier",
        ),
        (404, "not_found", "the route does not exist"),
        (429, "rate_limited", "slow down"),
        (500, "internal_error", "something broke"),
    ] {
        let t = ctx().await;
        t.expect("get_conversation", "GET", &conversation_path())
            .respond(ResponseTemplate::new(status).set_body_json(json!({
                "error": true, "reason": reason, "data": {"namespace": "response", "message": message}
            })))
            .mount()
            .await;
        let err = get_conversation(&t.client).await.expect_err("an error");
        assert_eq!(err.status(), Some(StatusCode::from_u16(status).unwrap()));
        assert_eq!(err.reason(), Some(reason));
        assert_eq!(err.to_string(), format!("{status} {reason}: {message}"));
        assert!(matches!(err, Error::Api { .. }));
        assert_eq!(err.is_not_found(), status == 404);
        assert_eq!(err.is_rate_limited(), status == 429);
    }
}

#[tokio::test]
async fn html_error_pages_are_decode_errors_with_status_and_snippet() {
    let t = ctx().await;
    let html = format!(
        "<html><body><h1>502 Bad Gateway</h1>{}</body></html>",
        "x".repeat(4000)
    );
    t.expect("get_conversation", "GET", &conversation_path())
        .respond(ResponseTemplate::new(502).set_body_raw(html, "text/html"))
        .mount()
        .await;
    let err = get_conversation(&t.client).await.expect_err("an error");
    match &err {
        Error::Decode {
            status, snippet, ..
        } => {
            assert_eq!(*status, Some(StatusCode::BAD_GATEWAY));
            let snippet = snippet.as_str();
            assert!(snippet.starts_with("<html><body><h1>502 Bad Gateway</h1>"));
            assert!(
                snippet.len() <= crisp_api::SNIPPET_LEN + 3,
                "bounded: {}",
                snippet.len()
            );
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert!(
        err.to_string()
            .starts_with("502 get_conversation (GET /website/{website_id}/conversation/{session_id}): undecodable response"),
        "{err}"
    );
}

#[tokio::test]
async fn truncated_success_bodies_are_decode_errors_with_status() {
    let t = ctx().await;
    t.expect("get_conversation", "GET", &conversation_path())
        .respond(ResponseTemplate::new(200).set_body_raw(
            r#"{"error":false,"reason":"resolved","data":{"session_id":"session_7"#,
            "application/json",
        ))
        .mount()
        .await;
    let err = get_conversation(&t.client).await.expect_err("an error");
    assert_eq!(err.status(), Some(StatusCode::OK));
    assert!(
        matches!(&err, Error::Decode { snippet, .. } if snippet.as_str().contains("session_7")),
        "{err:?}"
    );
}

#[tokio::test]
async fn hostile_bodies_are_errors_not_panics() {
    let nested = "[".repeat(100_000);
    for body in [
        nested.as_str(),
        "null",
        "\u{0}\u{1}binary",
        "{\"error\":false}",
        "[]",
    ] {
        let t = ctx().await;
        t.expect("get_conversation", "GET", &conversation_path())
            .respond(ResponseTemplate::new(200).set_body_raw(body.to_owned(), "application/json"))
            .mount()
            .await;
        let err = get_conversation(&t.client).await.expect_err("an error");
        assert!(
            matches!(
                err,
                Error::Decode {
                    status: Some(StatusCode::OK),
                    ..
                }
            ),
            "{err:?}"
        );
    }
}

#[tokio::test]
async fn empty_error_bodies_name_the_status() {
    let t = ctx().await;
    t.expect("get_conversation", "GET", &conversation_path())
        .respond(ResponseTemplate::new(401))
        .mount()
        .await;
    let err = get_conversation(&t.client).await.expect_err("an error");
    assert_eq!(err.to_string(), "401 unauthorized");
}

#[tokio::test]
async fn unknown_fields_and_enum_values_decode() {
    let t = ctx().await;
    let mut example = crisp_api::sandbox::example("get_conversation").expect("example");
    example["data"]["state"] = json!("snoozed");
    example["data"]["a_field_crisp_added_later"] = json!({"nested": [1, 2, 3]});
    example["brand_new_envelope_field"] = json!(true);
    t.expect("get_conversation", "GET", &conversation_path())
        .respond(ResponseTemplate::new(200).set_body_json(example))
        .mount()
        .await;
    let conversation = get_conversation(&t.client)
        .await
        .expect("tolerant decoding");
    assert_eq!(conversation.session_id, SESSION);
    assert_eq!(conversation.state.as_deref(), Some("snoozed"));
}

#[tokio::test]
async fn responses_keep_status_headers_and_reason() {
    let t = ctx().await;
    let example = crisp_api::sandbox::example("get_conversation").expect("example");
    t.expect("get_conversation", "GET", &conversation_path())
        .respond(
            ResponseTemplate::new(200)
                .insert_header("bloom-status", "HIT")
                .set_body_json(example.clone()),
        )
        .mount()
        .await;
    let response = t
        .client
        .get_conversation()
        .website_id(WEBSITE)
        .session_id(SESSION)
        .response()
        .await
        .expect("response");
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.headers["bloom-status"], "HIT");
    assert_eq!(response.reason, example["reason"].as_str().unwrap());
    assert_eq!(response.data.session_id, SESSION);
}

#[tokio::test]
async fn missing_parameters_are_invalid_requests_not_panics() {
    let t = ctx().await;
    let err = t
        .client
        .get_conversation()
        .website_id(WEBSITE)
        .call()
        .await
        .expect_err("no session id");
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        "invalid request: `get_conversation`: the required parameter `session_id` is not set"
    );
}

#[tokio::test]
async fn transport_failures_are_transport_errors() {
    let client = client_builder(refused_url()).build().unwrap();
    let err = client
        .get_website()
        .website_id(WEBSITE)
        .call()
        .await
        .expect_err("refused");
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(!format!("{err:?}{err}").contains(KEY));
}

#[tokio::test]
async fn explicit_nulls_for_lists_and_maps_decode_as_empty() {
    let t = ctx().await;
    let mut example = crisp_api::sandbox::example("get_conversation").expect("example");
    example["data"]["mentions"] = Value::Null;
    example["data"]["participants"] = Value::Null;
    example["data"]["meta"]["segments"] = Value::Null;
    example["data"]["meta"]["data"] = Value::Null;
    t.expect("get_conversation", "GET", &conversation_path())
        .respond(ResponseTemplate::new(200).set_body_json(example))
        .mount()
        .await;
    let conversation = get_conversation(&t.client).await.expect("nulls are empty");
    assert!(conversation.mentions.is_empty());
    assert!(conversation.participants.is_empty());
    let meta = conversation.meta.expect("meta");
    assert!(meta.segments.is_empty() && meta.data.is_empty());
}

#[tokio::test]
async fn head_checks_fail_on_anything_but_found_or_not_found() {
    for status in [401u16, 500] {
        let t = ctx().await;
        t.expect("check_website_exists", "HEAD", "/website")
            .query("domain", "acme-robotics.com")
            .respond(ResponseTemplate::new(status))
            .mount()
            .await;
        let err = t
            .client
            .check_website_exists()
            .domain("acme-robotics.com")
            .exists()
            .await
            .expect_err("neither found nor not found");
        assert_eq!(
            err.status(),
            Some(StatusCode::from_u16(status).unwrap()),
            "{err:?}"
        );
    }
}
