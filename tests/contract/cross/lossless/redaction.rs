//! Decode errors: operation and path, no personal data in `Display` or `Debug`.

use super::{SECRET, conversations, hook, json_response, signed};
use crate::support::{SESSION, WEBSITE, ctx};
use crisp_api::webhook::{self, Verifier};
use crisp_api::{Error, Event, Method};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

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
