//! Web hooks: surrogates, events that do not fit their type, lenient integers, empty secrets
//! and widget requests.

use super::{CUT, FIXED, SECRET, TS, hook, signed, with_raw};
use crate::support::{SESSION, WEBSITE};
use crisp_api::Event;
use crisp_api::webhook::{self, Verifier};
use serde_json::{Value, json};

#[test]
fn a_signed_delivery_with_a_lone_surrogate_is_received() {
    let message = crisp_api::sandbox::example("get_message_in_conversation").unwrap();
    let mut data = message["data"].clone();
    data["content"] = json!("LONE");
    let body = with_raw(&hook("message:send", data), &[("LONE", CUT)]);
    let delivery = Verifier::new(SECRET)
        .receive(&signed(&body), body.as_bytes())
        .expect("received, not refused");
    let Event::MessageSend(m) = delivery.event else {
        panic!("{:?}", delivery.event)
    };
    assert!(
        matches!(&m.content, Some(crisp_api::types::MessageContent::String(s)) if s == FIXED),
        "{:?}",
        m.content
    );
}

#[test]
fn authentic_events_that_do_not_fit_their_type_reach_the_application() {
    let message = crisp_api::sandbox::example("get_message_in_conversation").unwrap();
    let session = json!({"website_id": WEBSITE, "session_id": SESSION, "inbox_id": null});
    let mut nested = session.clone();
    nested["data"] = json!({"plan": {"name": "pro", "seats": [1, 2]}});
    let mut huge = message["data"].clone();
    huge["fingerprint"] = json!(1e21);
    for (name, data, path) in [
        ("session:request:initiated", json!({}), None),
        ("session:set_data", nested, Some("data.plan")),
        ("message:send", huge, Some("fingerprint")),
    ] {
        let body = hook(name, data.clone()).to_string();
        let delivery = Verifier::new(SECRET)
            .receive(&signed(&body), body.as_bytes())
            .unwrap_or_else(|e| panic!("{name} refused: {e} (HTTP {})", e.status()));
        match &delivery.event {
            Event::Mistyped {
                name: got,
                data: raw,
                error,
            } => {
                assert_eq!(got, name);
                assert_eq!(raw, &data, "the raw payload, untouched");
                if let Some(path) = path {
                    assert_eq!(error.path.as_deref(), Some(path), "{name}: {error}");
                }
                assert!(!error.message.is_empty());
            }
            other => panic!("{name}: expected Mistyped, got {other:?}"),
        }
        assert_eq!(delivery.event.name(), name);
        assert_eq!(
            delivery.event.website_id(),
            data.get("website_id").and_then(Value::as_str)
        );
    }
}

#[test]
fn integers_sent_as_strings_or_floats_are_read_when_exact() {
    let message = crisp_api::sandbox::example("get_message_in_conversation").unwrap();
    for fingerprint in [json!("163408415314923"), json!(163408415314923.0)] {
        let mut data = message["data"].clone();
        data["fingerprint"] = fingerprint.clone();
        let body = hook("message:send", data).to_string();
        let delivery = webhook::parse(body.as_bytes()).unwrap();
        let Event::MessageSend(m) = delivery.event else {
            panic!("{fingerprint}: {:?}", delivery.event)
        };
        assert_eq!(m.fingerprint, Some(163_408_415_314_923), "{fingerprint}");
    }
}

#[test]
fn an_empty_secret_refuses_every_delivery_and_widgets_verify_like_hooks() {
    let body = hook(
        "session:removed",
        json!({"website_id": WEBSITE, "session_id": SESSION}),
    )
    .to_string();
    // Signed with an empty key: anyone could compute it.
    let mut h = http::HeaderMap::new();
    h.insert(webhook::TIMESTAMP_HEADER, TS.parse().unwrap());
    h.insert(
        webhook::SIGNATURE_HEADER,
        webhook::sign("", TS, body.as_bytes()).parse().unwrap(),
    );
    let empty = Verifier::new("");
    assert!(!empty.has_secret());
    let e = empty.receive(&h, body.as_bytes()).unwrap_err();
    assert!(matches!(e, webhook::Error::EmptySecret), "{e:?}");
    assert_eq!(e.status(), 500);
    assert!(matches!(
        empty.verify_widget(&h, body.as_bytes()),
        Err(webhook::Error::EmptySecret)
    ));
    // A widget action request: the same HMAC over `[timestamp;body]`.
    let widget = r#"{"website_id":"w","session_id":"s","token":"t","locale":"en","widget":{"section_id":"s1","item_id":"i1","action":{"type":"button"}}}"#;
    let v = Verifier::new(SECRET);
    assert!(v.has_secret());
    v.verify_widget(&signed(widget), widget.as_bytes())
        .expect("a signed widget request");
    let forged = widget.replace("button", "Button");
    assert!(matches!(
        v.verify_widget(&signed(widget), forged.as_bytes()),
        Err(webhook::Error::SignatureMismatch)
    ));
    let signature = webhook::sign(SECRET, TS, widget.as_bytes());
    v.verify_widget_parts(
        TS,
        &signature,
        widget.as_bytes(),
        std::time::SystemTime::now(),
    )
    .expect("from the parts");
}
