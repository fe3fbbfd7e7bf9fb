//! What is sent, and what is refused before sending: transport errors without personal data,
//! arguments checked first, raw calls (a path string, headers, methods), logging in without
//! credentials.

use crate::cross::example;
use crate::support::{AUTHORIZATION, SESSION, WEBSITE, catch_all, ctx, refused_url};
use crisp_api::{Client, Error, Method, Tier};
use reqwest::StatusCode;
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

// ---------------------------------------------------------------------------------------------
// Transport errors say what happened, without personal data
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn transport_errors_name_the_route_template_not_the_filled_path() {
    let client = crate::support::client_builder(refused_url())
        .build()
        .unwrap();
    let err = client
        .get_people_profile()
        .website_id(WEBSITE)
        .people_id("jane.doe@example.com")
        .call()
        .await
        .unwrap_err();
    assert!(err.is_connect(), "{err:?}");
    assert!(!err.is_timeout());
    let shown = format!("{err} | {err:?}");
    assert!(!shown.contains("jane"), "{shown}");
    assert_eq!(
        err.to_string(),
        "get_people_profile (GET /website/{website_id}/people/profile/{people_id}): connection refused"
    );
}

// ---------------------------------------------------------------------------------------------
// Arguments checked before anything is sent
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn bad_arguments_name_the_operation_and_the_parameter() {
    // The catch-all fails the test if anything is sent.
    let t = ctx().await;
    let err = t
        .client
        .list_conversations()
        .website_id(WEBSITE)
        .page_number(0u32)
        .call()
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid request: `list_conversations`: `page_number` must be at least 1 (page numbers start at 1)"
    );
    let err = t
        .client
        .get_conversation()
        .session_id(SESSION)
        .call()
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid request: `get_conversation`: the required parameter `website_id` is not set"
    );
}

#[tokio::test]
async fn dot_segments_are_refused_not_resolved_to_another_route() {
    // `…/conversation/..` would be resolved by the URL parser (even as `%2E%2E`) to
    // `DELETE /website/{id}/`, deleting the website. The catch-all fails the test if anything
    // is sent.
    let t = ctx().await;
    for dots in [".", ".."] {
        let err = t
            .client
            .remove_conversation()
            .website_id(WEBSITE)
            .session_id(dots)
            .call()
            .await
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "invalid request: `remove_conversation`: `session_id` cannot be `{dots}` (a URL \
                 would resolve it to another route)"
            )
        );
        let exists = t
            .client
            .check_conversation_exists()
            .website_id(dots)
            .session_id(SESSION)
            .exists()
            .await;
        assert!(
            matches!(exists, Err(crisp_api::Error::InvalidRequest(_))),
            "{exists:?}"
        );
        let raw = t
            .client
            .raw(crisp_api::Method::DELETE, ["website", WEBSITE, dots])
            .call::<serde_json::Value>()
            .await;
        assert!(
            matches!(&raw, Err(crisp_api::Error::InvalidRequest(m)) if m.contains(dots)),
            "{raw:?}"
        );
    }
    // `...` is an ordinary name, and a backslash (read as `/` by URL parsers) is encoded.
    Mock::given(method("GET"))
        .and(path("/v1/website/a%5Cb/..."))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "error": false, "reason": "resolved", "data": {}
        })))
        .expect(1)
        .mount(&t.server)
        .await;
    t.client
        .raw(crisp_api::Method::GET, "website/a\\b/...")
        .call::<serde_json::Value>()
        .await
        .expect("an ordinary segment");
}

// ---------------------------------------------------------------------------------------------
// The raw call: a path string, headers, methods
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn raw_calls_take_a_path_string_and_headers_but_not_auth_headers() {
    let t = ctx().await;
    Mock::given(method("POST"))
        .and(path(format!(
            "/v1/website/{WEBSITE}/people/profile/jane.doe@example.com"
        )))
        .and(header("authorization", AUTHORIZATION))
        .and(header("x-crisp-tier", "plugin"))
        .and(header("accept-language", "fr"))
        .and(query_param("dry", "1"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "error": false, "reason": "added", "data": {"people_id": "p1"}
        })))
        .expect(1)
        .mount(&t.server)
        .await;
    let response = t
        .client
        .raw(
            Method::POST,
            format!("/website/{WEBSITE}/people/profile/jane.doe@example.com"),
        )
        .query("dry", 1)
        .header("Accept-Language", "fr")
        .json(&json!({"email": "jane.doe@example.com"}))
        .response::<Value>()
        .await
        .unwrap();
    assert_eq!(response.status, StatusCode::CREATED);
    assert_eq!(response.data["people_id"], "p1");

    for name in ["Authorization", "X-Crisp-Tier", "user-agent", "bad header"] {
        let err = t
            .client
            .raw(Method::GET, "website")
            .header(name, "x")
            .call::<Value>()
            .await
            .unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(_)), "{name}: {err:?}");
        assert!(!err.to_string().contains(": x"), "{err}");
    }
}

// ---------------------------------------------------------------------------------------------
// Logging in without credentials
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_client_without_credentials_logs_in_without_authorization() {
    let server = MockServer::start().await;
    catch_all(&server).await;
    Mock::given(method("POST"))
        .and(path("/v1/user/session/login"))
        .and(header("x-crisp-tier", "user"))
        .and(|r: &Request| !r.headers.contains_key("authorization"))
        .respond_with(ResponseTemplate::new(200).set_body_json(example("login_with_email")))
        .expect(1)
        .mount(&server)
        .await;
    let anonymous = Client::builder()
        .tier(Tier::User)
        .base_url(format!("{}/v1", server.uri()))
        .build()
        .unwrap();
    let keypair = anonymous
        .login_with_email()
        .body_map(|b| {
            b.email("valerie.martin@acme-inc.com")
                .password("correct-horse-battery-staple")
        })
        .call()
        .await
        .unwrap();
    assert_eq!(keypair.identifier, "0f6b3e92-47ad-4c18-b5e0-9d2c71a8f436");
}
