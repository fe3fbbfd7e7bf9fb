//! Redirects never carry a request to another host.

use crate::cross::{client_for, example, get_conversation};
use crate::support::{SESSION, WEBSITE, catch_all, conversation_path};
use crisp_api::{Error, Method};
use reqwest::StatusCode;
use serde_json::Value;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn redirects_are_refused_not_followed() {
    let crisp = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    // Nothing may reach the other host.
    catch_all(&elsewhere).await;
    let target = format!("{}/v1/people/jane%40doe.com", elsewhere.uri());
    for status in [301, 302, 307, 308] {
        Mock::given(wiremock::matchers::any())
            .respond_with(ResponseTemplate::new(status).insert_header("location", target.as_str()))
            .up_to_n_times(4)
            .with_priority(1)
            .mount(&crisp)
            .await;
        let client = client_for(&crisp);
        let get = get_conversation(&client).await.unwrap_err();
        let patch = client
            .change_conversation_state()
            .website_id(WEBSITE)
            .session_id(SESSION)
            .body_map(|b| b.state("resolved"))
            .call()
            .await
            .unwrap_err();
        let delete = client
            .remove_conversation()
            .website_id(WEBSITE)
            .session_id(SESSION)
            .call()
            .await
            .unwrap_err();
        let head = client
            .check_conversation_exists()
            .website_id(WEBSITE)
            .session_id(SESSION)
            .exists()
            .await
            .unwrap_err();
        for err in [get, patch, delete, head] {
            assert!(
                matches!(&err, Error::Redirect { status: s, location: Some(l), .. }
                    if s.as_u16() == status && *l == elsewhere.uri()),
                "{err:?}"
            );
            assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
            // The target's path (an e-mail) is not kept.
            assert!(!format!("{err} {err:?}").contains("jane"), "{err:?}");
        }
        crisp.reset().await;
    }
}

#[tokio::test]
async fn a_callers_client_that_followed_a_redirect_gets_no_foreign_data() {
    let crisp = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(302).insert_header(
            "location",
            format!("{}/v1{}", elsewhere.uri(), conversation_path()).as_str(),
        ))
        .mount(&crisp)
        .await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_json(example("get_conversation")))
        .mount(&elsewhere)
        .await;
    // A caller's client that follows redirects (reqwest's default policy).
    let following = crisp_api::http_client_builder()
        .unwrap()
        .redirect(reqwest::redirect::Policy::limited(5))
        .build()
        .unwrap();
    let client = crate::support::client_builder(format!("{}/v1", crisp.uri()))
        .http_client(following)
        .build()
        .unwrap();
    let err = get_conversation(&client)
        .await
        .expect_err("the foreign answer is refused");
    assert!(
        matches!(&err, Error::Redirect { status, location: Some(l), .. }
            if *status == StatusCode::MISDIRECTED_REQUEST && *l == elsewhere.uri()),
        "{err:?}"
    );
    let raw = client
        .raw(
            Method::GET,
            format!("website/{WEBSITE}/conversation/{SESSION}"),
        )
        .call::<Value>()
        .await
        .unwrap_err();
    assert!(matches!(raw, Error::Redirect { .. }), "{raw:?}");
}
