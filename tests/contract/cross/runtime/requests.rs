//! Raw calls (auth, envelope, encoding, errors, HEAD) and the tier and user agent headers.

use crate::support::{AUTHORIZATION, IDENTIFIER, KEY, WEBSITE, ctx, ctx_with_tier};
use crisp_api::{Client, Tier};
use reqwest::Method;
use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, ResponseTemplate};

#[tokio::test]
async fn raw_calls_share_auth_envelope_and_encoding() {
    let t = ctx().await;
    Mock::given(method("POST"))
        .and(path(format!(
            "/v1/website/{WEBSITE}/people/profile/john@acme.com%2Fsales%3F%23/custom"
        )))
        .and(query_param("dry_run", "1"))
        .and(header("authorization", AUTHORIZATION))
        .and(header("x-crisp-tier", "plugin"))
        .and(body_json(json!({"hello": "world"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "error": false, "reason": "added", "data": {"count": 3, "extra": "ignored"}
        })))
        .expect(1)
        .mount(&t.server)
        .await;

    #[derive(serde::Deserialize)]
    struct Count {
        count: u32,
    }
    let response = t
        .client
        .raw(
            Method::POST,
            [
                "website",
                WEBSITE,
                "people",
                "profile",
                "john@acme.com/sales?#",
                "custom",
            ],
        )
        .query("dry_run", 1)
        .json(&json!({"hello": "world"}))
        .response::<Count>()
        .await
        .expect("raw call");
    assert_eq!(response.data.count, 3);
    assert_eq!(response.reason, "added");
}

#[tokio::test]
async fn raw_calls_map_errors_and_heads() {
    let t = ctx().await;
    Mock::given(method("GET"))
        .and(path("/v1/website/nope"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "error": true, "reason": "not_found", "data": {"message": "the route does not exist"}
        })))
        .mount(&t.server)
        .await;
    Mock::given(method("HEAD"))
        .and(path("/v1/website/yes"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&t.server)
        .await;
    Mock::given(method("HEAD"))
        .and(path("/v1/website/nope"))
        .respond_with(ResponseTemplate::new(404))
        .mount(&t.server)
        .await;
    let err = t
        .client
        .raw(Method::GET, ["website", "nope"])
        .call::<Value>()
        .await
        .expect_err("404");
    assert_eq!(err.to_string(), "404 not_found: the route does not exist");
    assert!(
        t.client
            .raw(Method::HEAD, ["website", "yes"])
            .exists()
            .await
            .unwrap()
    );
    assert!(
        !t.client
            .raw(Method::HEAD, ["website", "nope"])
            .exists()
            .await
            .unwrap()
    );
}

#[tokio::test]
async fn tiers_and_user_agent_suffix_are_sent() {
    let t = ctx_with_tier(Tier::Website).await;
    let example = crisp_api::sandbox::example("get_website").expect("example");
    Mock::given(method("GET"))
        .and(path(format!("/v1/website/{WEBSITE}")))
        .and(header("x-crisp-tier", "website"))
        .and(header(
            "user-agent",
            concat!(
                "crisp-api-rust/",
                env!("CARGO_PKG_VERSION"),
                " support-bot/2.1"
            ),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(example))
        .expect(1)
        .mount(&t.server)
        .await;
    let client = Client::builder()
        .credentials(IDENTIFIER, KEY)
        .tier(Tier::Website)
        .user_agent_suffix("support-bot/2.1")
        .base_url(format!("{}/v1/", t.server.uri()))
        .build()
        .unwrap();
    client
        .get_website()
        .website_id(WEBSITE)
        .call()
        .await
        .expect("website");
}
