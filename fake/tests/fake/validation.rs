//! Bad requests refused as Crisp refuses them, and operations without state (examples, or 501
//! when strict).

use crate::{W, conversation, fake, plain, status_reason};
use crisp_api::{Method, RetryPolicy};
use serde_json::{Value, json};

#[tokio::test]
async fn bad_requests_are_refused_as_crisp_does_naming_the_field() {
    let fake = fake().await;
    let client = plain(&fake);
    let sid = conversation(&client).await;
    let path = format!("website/{W}/conversation/{sid}/state");
    let err = client
        .raw(Method::PATCH, &path)
        .json(&json!({"state": "closed"}))
        .call::<Value>()
        .await
        .unwrap_err();
    assert_eq!(status_reason(&err), (Some(400), Some("invalid_data")));
    assert!(err.to_string().contains("state"), "{err}");
    let err = client
        .raw(Method::GET, format!("website/{W}/conversations/1"))
        .query("per_page", "lots")
        .call::<Value>()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("per_page"), "{err}");
    let err = client
        .raw(
            Method::POST,
            format!("website/{W}/conversation/{sid}/message"),
        )
        .json(&json!({"type": "text", "from": "user", "origin": "chat"}))
        .call::<Value>()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("content"), "{err}");

    let err = client
        .raw(Method::GET, "no/such/route")
        .call::<Value>()
        .await
        .unwrap_err();
    assert_eq!(status_reason(&err), (Some(404), Some("not_found")));
    assert!(
        err.to_string().contains("the route does not exist"),
        "{err}"
    );

    let stranger = fake
        .client_builder()
        .credentials("someone", "else")
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let err = stranger
        .get_website()
        .website_id(W)
        .call()
        .await
        .unwrap_err();
    assert_eq!(status_reason(&err), (Some(401), Some("invalid_session")));
}

#[tokio::test]
async fn operations_without_state_answer_their_example_or_501_when_strict() {
    let fake = fake().await;
    let answer = fake
        .client()
        .get_helpdesk_settings()
        .website_id(W)
        .response()
        .await
        .unwrap();
    assert_eq!(answer.headers[crisp_fake::EXAMPLE_HEADER], "example");
    let strict = crisp_fake::Fake::builder()
        .strict(true)
        .start()
        .await
        .unwrap();
    let err = plain(&strict)
        .get_helpdesk_settings()
        .website_id(W)
        .call()
        .await
        .unwrap_err();
    assert_eq!(status_reason(&err), (Some(501), Some("not_implemented")));
    // Stateful operations work the same in strict mode.
    assert!(
        plain(&strict)
            .get_website()
            .website_id(W)
            .call()
            .await
            .is_ok()
    );
}
