//! Events: every event example of the spec decodes into its variant, typed fields, the shapes
//! the official clients disagree on, unknown and malformed bodies, and the sandbox's signed
//! deliveries (signatures and freshness in `webhooks`).

#[cfg(feature = "conversations")]
use crate::support::SESSION;
use crate::support::WEBSITE;
use crisp_api::Event;
use crisp_api::webhook::{self, Error, Verifier};
use serde_json::{Value, json};
use std::time::Duration;

const SPEC: &str = include_str!("../../openapi/crisp-v1.json");

/// The secret of the sandbox's deliveries.
const SECRET: &str = "whsec_crisp_test_secret";

fn table() -> serde_json::Map<String, Value> {
    let spec: Value = serde_json::from_str(SPEC).expect("spec");
    spec["x-crisp-events"]
        .as_object()
        .expect("the bundle has x-crisp-events")
        .clone()
}

/// The events of the catalogue whose family is compiled in, and those without a family (always
/// typed): every event with the default features.
fn enabled_table() -> serde_json::Map<String, Value> {
    let enabled = |family: &str| match family {
        "conversations" => cfg!(feature = "conversations"),
        "people" => cfg!(feature = "people"),
        "website" => cfg!(feature = "website"),
        "analytics" => cfg!(feature = "analytics"),
        "helpdesk" => cfg!(feature = "helpdesk"),
        "campaigns" => cfg!(feature = "campaigns"),
        "plugins" => cfg!(feature = "plugins"),
        "plans" => cfg!(feature = "plans"),
        "media" => cfg!(feature = "media"),
        "bucket" => cfg!(feature = "bucket"),
        "user" => cfg!(feature = "user"),
        other => panic!("an event of an unknown family {other}"),
    };
    table()
        .into_iter()
        .filter(|(_, entry)| entry["family"].as_str().is_none_or(enabled))
        .collect()
}

#[test]
fn every_event_example_decodes_into_its_variant() {
    assert!(
        table().len() >= 80,
        "the catalogue covers every known event"
    );
    let table = enabled_table();
    assert_eq!(table.len(), Event::KNOWN.len());
    for (name, entry) in &table {
        assert!(Event::KNOWN.contains(&name.as_str()), "{name}");
        let example = entry["example"].clone();
        let event =
            Event::from_parts(name, example.clone()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!matches!(event, Event::Unknown { .. }), "{name} is unknown");
        assert_eq!(event.name(), name);
        assert_eq!(
            event.website_id(),
            example["website_id"].as_str(),
            "{name}: website_id"
        );
        assert_eq!(
            event.session_id(),
            example["session_id"].as_str(),
            "{name}: session_id"
        );
        assert_eq!(
            event.timestamp(),
            example["timestamp"].as_i64(),
            "{name}: timestamp"
        );
        // The typed payload goes back to JSON and decodes to the same event.
        let again = Event::from_parts(name, event.data().expect("data")).expect("round trip");
        assert_eq!(again, event, "{name}: round trip");
        // And through a whole web hook body.
        let body = serde_json::to_vec(&json!({
            "website_id": WEBSITE, "event": name, "data": example, "timestamp": 1716300120000_i64
        }))
        .unwrap();
        let delivery = webhook::parse(&body).expect("parse");
        assert_eq!(delivery.event, event, "{name}: through parse");
    }
}

#[cfg(all(feature = "conversations", feature = "people", feature = "bucket"))]
#[test]
fn payloads_decode_into_typed_fields() {
    let table = table();
    let event = |name: &str| Event::from_parts(name, table[name]["example"].clone()).unwrap();
    match event("session:set_state") {
        Event::SessionSetState(p) => {
            assert_eq!(p.session_id, SESSION);
            assert_eq!(p.inbox_id, None);
            assert_eq!(p.state.as_deref(), Some("resolved"));
        }
        other => panic!("{other:?}"),
    }
    match event("message:received") {
        Event::MessageReceived(m) => {
            assert_eq!(m.type_.as_deref(), Some("note"));
            assert_eq!(m.origin.as_deref(), Some("urn:acme:support-bot:0"));
            assert_eq!(m.fingerprint, Some(163408846731581));
        }
        other => panic!("{other:?}"),
    }
    match event("people:profile:updated") {
        Event::PeopleProfileUpdated(p) => {
            let update = p.update.expect("update");
            assert_eq!(update.updated_at, Some(1716300300000));
            let person = update.person.expect("person");
            assert_eq!(person.nickname.as_deref(), Some("Jane Doe"));
        }
        other => panic!("{other:?}"),
    }
    match event("bucket:url:upload:generated") {
        Event::BucketUrlUploadGenerated(p) => {
            assert_eq!(p.id.as_deref(), Some("upload-1042"));
            assert_eq!(p.policy.unwrap().size_limit, Some(20_000_000));
        }
        other => panic!("{other:?}"),
    }
    match event("message:acknowledge:ignored") {
        Event::MessageAcknowledgeIgnored(p) => {
            assert_eq!(p.fingerprints, vec![163408846731581]);
            assert_eq!(p.details.unwrap().reason.as_deref(), Some("bounced"));
        }
        other => panic!("{other:?}"),
    }
}

#[cfg(all(feature = "conversations", feature = "people"))]
#[test]
fn both_clients_shapes_decode_where_they_disagree() {
    use crisp_api::types::{EventCapabilities, EventPeopleImportItems};
    // session:sync:capabilities: Node reads a list, Go an object wrapping the list.
    let go = json!({"website_id": WEBSITE, "session_id": SESSION, "capabilities": {"capabilities": ["call"]}});
    match Event::from_parts("session:sync:capabilities", go).unwrap() {
        Event::SessionSyncCapabilities(p) => assert_eq!(
            p.capabilities,
            Some(EventCapabilities::Object {
                capabilities: vec!["call".into()]
            })
        ),
        other => panic!("{other:?}"),
    }
    // people:import:progress: Go has `items` as a list, Node as `{skipped: [...]}`; Node names
    // the import `people_id`.
    let node = json!({"website_id": WEBSITE, "people_id": "4e2c7a9b", "progress": 10,
        "count": {"skipped": 1, "remaining": 9}, "items": {"skipped": [{"identifier": null, "reason": "empty"}]}});
    match Event::from_parts("people:import:progress", node).unwrap() {
        Event::PeopleImportProgress(p) => {
            assert_eq!(p.people_id.as_deref(), Some("4e2c7a9b"));
            assert!(matches!(
                p.items,
                Some(EventPeopleImportItems::Object { .. })
            ));
        }
        other => panic!("{other:?}"),
    }
}

#[cfg(feature = "conversations")]
#[test]
fn unknown_events_and_extra_fields_decode() {
    let body = json!({
        "website_id": WEBSITE,
        "event": "session:teleported",
        "data": {"website_id": WEBSITE, "session_id": SESSION, "where": "mars", "timestamp": 5},
        "timestamp": 1716300120000_i64
    });
    let delivery = webhook::parse(&serde_json::to_vec(&body).unwrap()).expect("parse");
    match &delivery.event {
        Event::Unknown { name, data } => {
            assert_eq!(name, "session:teleported");
            assert_eq!(data["where"], "mars");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(delivery.event.name(), "session:teleported");
    assert_eq!(delivery.event.website_id(), Some(WEBSITE));
    assert_eq!(delivery.event.session_id(), Some(SESSION));
    assert_eq!(delivery.event.timestamp(), Some(5));
    // Unknown fields on a known event, at the top level and inside, are ignored.
    let mut data = table()["message:send"]["example"].clone();
    data["inbox_id"] = Value::Null;
    data["brand_new_field"] = json!({"nested": [1, 2, 3]});
    data["user"]["badge"] = json!("gold");
    let body = json!({"event": "message:send", "data": data, "extra": true});
    let delivery = webhook::parse(&serde_json::to_vec(&body).unwrap()).expect("parse");
    assert!(matches!(delivery.event, Event::MessageSend(_)));
    assert_eq!(delivery.website_id, None);
    assert_eq!(delivery.timestamp, None);
}

#[test]
fn malformed_bodies_are_clear_errors() {
    let err = webhook::parse(b"not json").unwrap_err();
    assert!(matches!(err, Error::MalformedBody(_)), "{err:?}");
    assert_eq!(err.status(), 400);
    let err = webhook::parse(b"[1, 2]").unwrap_err();
    assert!(matches!(err, Error::MalformedBody(_)), "{err:?}");
    let err = webhook::parse(br#"{"data": {}}"#).unwrap_err();
    assert!(matches!(err, Error::MissingEvent), "{err:?}");
    assert_eq!(err.status(), 400);
}

#[cfg(feature = "conversations")]
#[test]
fn a_mistyped_known_event_reaches_the_application() {
    // A known event whose payload does not fit its type is not refused: it reaches the
    // application under its own name, with its raw payload and what did not fit.
    let delivery =
        webhook::parse(br#"{"event": "session:removed", "data": {"session_id": 42}}"#).unwrap();
    match &delivery.event {
        Event::Mistyped { name, data, error } => {
            assert_eq!(name, "session:removed");
            assert_eq!(data["session_id"], 42);
            assert_eq!(error.path.as_deref(), Some("session_id"), "{error}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(delivery.event.name(), "session:removed");
}

#[tokio::test]
async fn the_sandbox_delivers_signed_events() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let sandbox = crisp_api::sandbox::Sandbox::start().await;
    let receiver = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/hooks/crisp"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&receiver)
        .await;
    let event = Event::from_parts("message:send", table()["message:send"]["example"].clone())
        .expect("event");
    let status = sandbox
        .deliver(&format!("{}/hooks/crisp", receiver.uri()), &event, SECRET)
        .await
        .expect("deliver");
    assert_eq!(status, 200);
    let requests = receiver.received_requests().await.expect("recorded");
    let request = &requests[0];
    let delivery = Verifier::new(SECRET)
        .freshness(Duration::from_secs(60))
        .receive(&request.headers, &request.body)
        .expect("a signed, fresh delivery");
    assert_eq!(delivery.event, event);
    assert_eq!(delivery.website_id.as_deref(), Some(WEBSITE));
    // Another secret does not verify it.
    assert!(matches!(
        Verifier::new("other").verify(&request.headers, &request.body),
        Err(Error::SignatureMismatch)
    ));
}
