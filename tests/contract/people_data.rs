//! Contract tests of the `people` family around profiles: events, custom data, statistics,
//! suggested segments, data keys and events, subscriptions, import and export.

use crate::people::{EMAIL, PEOPLE};
use crate::support::{WEBSITE, contract, ctx};
use crisp_api::types;
use serde_json::json;
use wiremock::ResponseTemplate;

#[tokio::test]
async fn add_people_event() {
    let t = ctx().await;
    t.expect(
        "add_people_event",
        "POST",
        &format!("/website/{WEBSITE}/people/events/{EMAIL}"),
    )
    .body(json!({
        "text": "Invoice paid",
        "data": {"invoice": "INV-2024-0612", "amount": 249.5, "recurring": true},
        "color": "green"
    }))
    .mount()
    .await;
    let mut data = serde_json::Map::new();
    data.insert("invoice".into(), json!("INV-2024-0612"));
    data.insert("amount".into(), json!(249.5));
    data.insert("recurring".into(), json!(true));
    let () = t
        .client
        .add_people_event()
        .website_id(WEBSITE)
        .people_id(EMAIL)
        .body(types::PeopleEventNew {
            text: "Invoice paid".into(),
            data,
            color: Some(types::PeopleEventColor::Green),
        })
        .call()
        .await
        .expect("call");
}

contract! {
    fn list_people_events(t: ctx) {
        t.expect(
            "list_people_events",
            "GET",
            &format!("/website/{WEBSITE}/people/events/{PEOPLE}/list/3"),
        );
        t.client.list_people_events().website_id(WEBSITE).people_id(PEOPLE).page_number(3u32).call();
        |events| {
            assert_eq!(events.len(), 2);
            assert_eq!(events[0].text.as_deref(), Some("Invoice paid"));
            assert_eq!(events[0].color.as_deref(), Some("green"));
            assert_eq!(events[0].timestamp, Some(1718620012345));
            assert_eq!(events[0].data["amount"], json!(249.5));
            assert_eq!(events[0].data["recurring"], json!(true));
            assert_eq!(events[1].data["plan"], json!("pro"));
        }
    }

    fn get_people_data(t: ctx) {
        t.expect("get_people_data", "GET", &format!("/website/{WEBSITE}/people/data/{PEOPLE}"));
        t.client.get_people_data().website_id(WEBSITE).people_id(PEOPLE).call();
        |d| {
            use types::DataValue as V;
            assert_eq!(d.data.len(), 5);
            assert!(matches!(&d.data["plan"], V::String(s) if s == "enterprise"));
            assert!(matches!(d.data["seats"], V::Int64(25)));
            assert!(matches!(d.data["mrr"], V::Double(x) if x == 1249.9));
            assert!(matches!(d.data["sso_enabled"], V::Boolean(true)));
            assert!(matches!(&d.data["external_id"], V::String(s) if s == "cus_P8x2KfQ91LmZ"));
        }
    }
}

#[tokio::test]
async fn save_people_data() {
    let t = ctx().await;
    t.expect(
        "save_people_data",
        "PUT",
        &format!("/website/{WEBSITE}/people/data/{PEOPLE}"),
    )
    .body(json!({"data": {"plan": "pro", "seats": 3, "mrr": 89.5, "beta_tester": false}}))
    .mount()
    .await;
    use types::DataValue as V;
    let data = [
        ("plan", V::String("pro".into())),
        ("seats", V::Int64(3)),
        ("mrr", V::Double(89.5)),
        ("beta_tester", V::Boolean(false)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    let () = t
        .client
        .save_people_data()
        .website_id(WEBSITE)
        .people_id(PEOPLE)
        .body(types::PeopleData { data })
        .call()
        .await
        .expect("call");
}

contract! {
    fn list_suggested_people_segments(t: ctx) {
        t.expect(
            "list_suggested_people_segments",
            "GET",
            &format!("/website/{WEBSITE}/people/suggest/segments/1"),
        );
        t.client.list_suggested_people_segments().website_id(WEBSITE).page_number(1u32).call();
        |segments| {
            assert_eq!(segments.len(), 3);
            assert_eq!(segments[0].segment.as_deref(), Some("customer"));
            assert_eq!(segments[0].count, Some(1843));
            assert_eq!(segments[2].segment.as_deref(), Some("enterprise"));
            assert_eq!(segments[2].count, Some(57));
        }
    }
}

#[tokio::test]
async fn update_people_data_merges_keys() {
    let t = ctx().await;
    t.expect(
        "update_people_data",
        "PATCH",
        &format!("/website/{WEBSITE}/people/data/{EMAIL}"),
    )
    .body(json!({"data": {"signup": "finished", "seats": 12}}))
    .mount()
    .await;
    use types::DataValue as V;
    let data = [
        ("signup".to_owned(), V::String("finished".into())),
        ("seats".to_owned(), V::Int64(12)),
    ]
    .into_iter()
    .collect();
    let () = t
        .client
        .update_people_data()
        .website_id(WEBSITE)
        .people_id(EMAIL)
        .body(types::PeopleData { data })
        .call()
        .await
        .expect("call");
}

contract! {
    fn get_people_statistics(t: ctx) {
        t.expect("get_people_statistics", "GET", &format!("/website/{WEBSITE}/people/stats"));
        t.client.get_people_statistics().website_id(WEBSITE).call();
        |stats| {
            assert_eq!(stats.total, Some(18452));
        }
    }

    fn delete_suggested_people_segment(t: ctx) {
        t.expect(
            "delete_suggested_people_segment",
            "DELETE",
            &format!("/website/{WEBSITE}/people/suggest/segment"),
        )
        .body(json!({"segment": "enterprize"}));
        t.client
            .delete_suggested_people_segment()
            .website_id(WEBSITE)
            .body(types::PeopleSuggestedSegmentDelete {
                segment: "enterprize".into(),
            })
            .call();
        |()| {}
    }

    fn list_suggested_people_data_keys(t: ctx) {
        t.expect(
            "list_suggested_people_data_keys",
            "GET",
            &format!("/website/{WEBSITE}/people/suggest/data/2"),
        );
        t.client.list_suggested_people_data_keys().website_id(WEBSITE).page_number(2u32).call();
        |keys| {
            assert_eq!(keys.len(), 3);
            assert_eq!(keys[0].key.as_deref(), Some("plan"));
            assert_eq!(keys[0].count, Some(9120));
            assert_eq!(keys[2].key.as_deref(), Some("mrr"));
        }
    }
}

#[tokio::test]
async fn list_suggested_people_data_keys_stream() {
    let t = ctx().await;
    t.expect(
        "list_suggested_people_data_keys",
        "GET",
        &format!("/website/{WEBSITE}/people/suggest/data/1"),
    )
    .mount()
    .await;
    t.expect(
        "list_suggested_people_data_keys",
        "GET",
        &format!("/website/{WEBSITE}/people/suggest/data/2"),
    )
    .respond(
        ResponseTemplate::new(200)
            .set_body_json(json!({"error": false, "reason": "listed", "data": []})),
    )
    .mount()
    .await;
    use futures::TryStreamExt;
    let keys: Vec<String> = t
        .client
        .list_suggested_people_data_keys()
        .website_id(WEBSITE)
        .stream()
        .map_ok(|k| k.key.unwrap_or_default())
        .try_collect()
        .await
        .expect("stream");
    assert_eq!(keys, vec!["plan", "external_id", "mrr"]);
}

contract! {
    fn delete_suggested_people_data_key(t: ctx) {
        t.expect(
            "delete_suggested_people_data_key",
            "DELETE",
            &format!("/website/{WEBSITE}/people/suggest/data"),
        )
        .body(json!({"key": "legacy_plan"}));
        t.client
            .delete_suggested_people_data_key()
            .website_id(WEBSITE)
            .body(types::PeopleSuggestedDataKeyDelete {
                key: "legacy_plan".into(),
            })
            .call();
        |()| {}
    }

    fn list_suggested_people_events(t: ctx) {
        t.expect(
            "list_suggested_people_events",
            "GET",
            &format!("/website/{WEBSITE}/people/suggest/events/1"),
        );
        t.client.list_suggested_people_events().website_id(WEBSITE).page_number(1u32).call();
        |events| {
            assert_eq!(events.len(), 2);
            assert_eq!(events[1].text.as_deref(), Some("Invoice paid"));
            assert_eq!(events[1].count, Some(6310));
        }
    }

    fn delete_suggested_people_event(t: ctx) {
        t.expect(
            "delete_suggested_people_event",
            "DELETE",
            &format!("/website/{WEBSITE}/people/suggest/event"),
        )
        .body(json!({"text": "Signed up (old)"}));
        t.client
            .delete_suggested_people_event()
            .website_id(WEBSITE)
            .body(types::PeopleSuggestedEventDelete {
                text: "Signed up (old)".into(),
            })
            .call();
        |()| {}
    }

    fn get_people_subscription_status(t: ctx) {
        t.expect(
            "get_people_subscription_status",
            "GET",
            &format!("/website/{WEBSITE}/people/subscription/{EMAIL}"),
        );
        t.client.get_people_subscription_status().website_id(WEBSITE).people_id(EMAIL).call();
        |sub| {
            assert_eq!(sub.email, Some(true));
        }
    }

    /// Unsubscribing sends `false` (the Go client's `omitempty` would drop it).
    fn update_people_subscription_status_sends_false(t: ctx) {
        t.expect(
            "update_people_subscription_status",
            "PATCH",
            &format!("/website/{WEBSITE}/people/subscription/{PEOPLE}"),
        )
        .body(json!({"email": false}));
        t.client
            .update_people_subscription_status()
            .website_id(WEBSITE)
            .people_id(PEOPLE)
            .body(types::PeopleSubscriptionUpdate { email: false })
            .call();
        |()| {}
    }

    fn export_people_profiles(t: ctx) {
        t.expect(
            "export_people_profiles",
            "POST",
            &format!("/website/{WEBSITE}/people/export/profiles"),
        )
        .body(json!({}));
        t.client.export_people_profiles().website_id(WEBSITE).call();
        |()| {}
    }

    fn import_people_profiles(t: ctx) {
        let url = "https://storage.crisp.chat/users/processing/import/aa0b64dd/contacts.csv";
        t.expect(
            "import_people_profiles",
            "POST",
            &format!("/website/{WEBSITE}/people/import/profiles"),
        )
        .body(json!({
            "url": url,
            "mapping": [
                {"column": 1, "field": "email"},
                {"column": 2, "field": "person.nickname"}
            ],
            "options": {"column_separator": ";", "skip_header": true}
        }));
        t.client
            .import_people_profiles()
            .website_id(WEBSITE)
            .body(types::PeopleProfileImportSetup {
                url: url.into(),
                mapping: vec![
                    types::PeopleProfileImportMapping {
                        column: 1,
                        field: "email".into(),
                    },
                    types::PeopleProfileImportMapping {
                        column: 2,
                        field: "person.nickname".into(),
                    },
                ],
                options: types::PeopleProfileImportOptions {
                    column_separator: Some(";".into()),
                    skip_header: Some(true),
                },
            })
            .call();
        |job| {
            assert_eq!(
                job.import_id.as_deref(),
                Some("5e0b9f7a-3c21-4d8e-a6f4-19b2c7d0e853")
            );
        }
    }
}
