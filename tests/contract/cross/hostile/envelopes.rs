//! `error: true` inside a 2xx is an error; `data: null` is an empty list or map, or a decode
//! error where an object is expected.

use crate::cross::{failed_envelope, get_conversation, listed};
use crate::support::{SESSION, WEBSITE, conversation_path, ctx};
use crisp_api::{Error, Method};
use futures::TryStreamExt;
use reqwest::StatusCode;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

const REASON: &str = "invalid_session";
const MESSAGE: &str = "the session is not valid";

/// Asserts that `err` is Crisp's error of the `REASON`/`MESSAGE` envelope, answered with
/// `status`.
fn assert_refused(err: &Error, status: u16) {
    match err {
        Error::Api {
            status: s,
            reason: r,
            message: m,
            ..
        } => {
            assert_eq!(s.as_u16(), status, "{err:?}");
            assert_eq!(r, REASON, "{err:?}");
            assert_eq!(m.as_deref(), Some(MESSAGE), "{err:?}");
        }
        other => panic!("expected an API error, got {other:?}"),
    }
}

#[tokio::test]
async fn error_true_in_a_200_is_an_api_error_for_typed_unit_map_stream_and_raw_calls() {
    let refused = failed_envelope(REASON, MESSAGE);
    let t = ctx().await;
    // A typed read whose data is absent.
    t.expect("get_conversation", "GET", &conversation_path())
        .respond(ResponseTemplate::new(200).set_body_json(refused.clone()))
        .mount()
        .await;
    let err = get_conversation(&t.client).await.unwrap_err();
    assert_refused(&err, 200);

    // A `()` call (PATCH).
    t.expect(
        "change_conversation_state",
        "PATCH",
        &format!("{}/state", conversation_path()),
    )
    .body(json!({"state": "resolved"}))
    .respond(ResponseTemplate::new(200).set_body_json(refused.clone()))
    .mount()
    .await;
    let err = t
        .client
        .change_conversation_state()
        .website_id(WEBSITE)
        .session_id(SESSION)
        .body_map(|b| b.state("resolved"))
        .call()
        .await
        .unwrap_err();
    // The envelope of a `()` route has no `data`, yet the message is kept (an `error: true`
    // envelope never decodes as a success; the body is read as Crisp's error).
    assert_refused(&err, 200);

    // A map read (the error's data would decode as a map).
    let people = "jane.doe@example.com";
    t.expect(
        "get_people_data",
        "GET",
        &format!("/website/{WEBSITE}/people/data/jane.doe@example.com"),
    )
    .respond(ResponseTemplate::new(200).set_body_json(refused.clone()))
    .mount()
    .await;
    let err = t
        .client
        .get_people_data()
        .website_id(WEBSITE)
        .people_id(people)
        .call()
        .await
        .unwrap_err();
    // The error's data would decode as (an empty) `PeopleData`: the message is kept all the same.
    assert_refused(&err, 200);
    assert!(!err.to_string().contains("jane"), "{err}");

    // A stream: the first page fails, the stream ends.
    t.expect(
        "list_conversations",
        "GET",
        &format!("/website/{WEBSITE}/conversations/1"),
    )
    .respond(ResponseTemplate::new(206).set_body_json(refused.clone()))
    .mount()
    .await;
    let err = t
        .client
        .list_conversations()
        .website_id(WEBSITE)
        .stream()
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_refused(&err, 206);

    // A raw call.
    Mock::given(method("GET"))
        .and(path(format!("/v1/website/{WEBSITE}/visitors/count")))
        .respond_with(ResponseTemplate::new(200).set_body_json(refused))
        .expect(1)
        .mount(&t.server)
        .await;
    let err = t
        .client
        .raw(Method::GET, format!("website/{WEBSITE}/visitors/count"))
        .call::<Value>()
        .await
        .unwrap_err();
    assert_refused(&err, 200);
}

#[tokio::test]
async fn null_lists_and_maps_read_as_empty_and_a_null_object_is_a_decode_error() {
    let t = ctx().await;
    let null = listed(json!(null));
    t.expect(
        "list_conversations",
        "GET",
        &format!("/website/{WEBSITE}/conversations/1"),
    )
    .respond(ResponseTemplate::new(200).set_body_json(null.clone()))
    .mount()
    .await;
    let list = t
        .client
        .list_conversations()
        .website_id(WEBSITE)
        .page_number(1u32)
        .call()
        .await
        .expect("an empty list");
    assert!(list.is_empty());

    t.expect(
        "get_people_data",
        "GET",
        &format!("/website/{WEBSITE}/people/data/jane.doe@example.com"),
    )
    .respond(ResponseTemplate::new(200).set_body_json(listed(json!({"data": null}))))
    .mount()
    .await;
    let map = t
        .client
        .get_people_data()
        .website_id(WEBSITE)
        .people_id("jane.doe@example.com")
        .call()
        .await
        .expect("an empty map");
    assert!(map.data.is_empty());

    t.expect("get_conversation", "GET", &conversation_path())
        .respond(ResponseTemplate::new(200).set_body_json(null))
        .mount()
        .await;
    let err = get_conversation(&t.client).await.unwrap_err();
    assert!(
        matches!(&err, Error::Decode { status: Some(s), .. } if *s == StatusCode::OK),
        "{err:?}"
    );
}
