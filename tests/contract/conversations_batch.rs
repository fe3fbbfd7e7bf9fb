//! Contract tests of the batch operations: many conversations (or people profiles) changed in one
//! call, and the reordering of inboxes.

use crate::support::{SESSION, WEBSITE, contract, ctx};
use crisp_api::types::{self, DataValue};
use serde_json::json;
use std::collections::HashMap;
use wiremock::ResponseTemplate;

const OTHER_SESSION: &str = "session_19e5240f-0a8d-461e-a661-a3123fc6eec9";
const INBOX: &str = "5ad6b6e8-3f5b-4a0a-9bde-7a9a5e3f1f1c";
const OPERATOR: &str = "a4b2e1c9-6d3f-4f7e-8c21-5b9d0e7f3a16";
const PROFILE: &str = "eee8759d-52db-48e5-982d-3426e3566ce0";
const OTHER_PROFILE: &str = "2f0f6c2c-8f6d-4a49-9b0b-3a41d5e2c0a7";

fn batch_path(action: &str) -> String {
    format!("/website/{WEBSITE}/batch/{action}")
}

fn sessions() -> Vec<String> {
    vec![SESSION.to_owned(), OTHER_SESSION.to_owned()]
}

// ------------------------------------------------------------------ state of conversations

contract! {
    fn batch_resolve_conversations(t: ctx) {
        t.expect(
            "batch_resolve_conversations",
            "PATCH",
            &batch_path("resolve"),
        )
        .body(json!({"sessions": [SESSION, OTHER_SESSION]}));
        t.client
            .batch_resolve_conversations()
            .website_id(WEBSITE)
            .body_map(|b| b.sessions(sessions()))
            .call();
        |()| {}
    }

    fn batch_resolve_conversations_of_a_whole_inbox(t: ctx) {
        t.expect(
            "batch_resolve_conversations",
            "PATCH",
            &batch_path("resolve"),
        )
        .body(json!({"inbox_id": INBOX}));
        t.client
            .batch_resolve_conversations()
            .website_id(WEBSITE)
            .body(types::BatchConversations {
                inbox_id: Some(INBOX.to_owned()),
                sessions: Vec::new(),
            })
            .call();
    }

    fn batch_unresolve_conversations(t: ctx) {
        t.expect(
            "batch_unresolve_conversations",
            "PATCH",
            &batch_path("unresolve"),
        )
        .body(json!({"inbox_id": INBOX, "sessions": [SESSION, OTHER_SESSION]}));
        t.client
            .batch_unresolve_conversations()
            .website_id(WEBSITE)
            .body_map(|b| b.inbox_id(INBOX.to_owned()).sessions(sessions()))
            .call();
    }

    fn batch_read_conversations(t: ctx) {
        t.expect("batch_read_conversations", "PATCH", &batch_path("read"))
            .body(json!({"sessions": [OTHER_SESSION]}));
        t.client
            .batch_read_conversations()
            .website_id(WEBSITE)
            .body_map(|b| b.sessions(vec![OTHER_SESSION.to_owned()]))
            .call();
    }

    /// An empty selection is not sent at all: the body is `{}`, which Crisp reads as "everything".
    fn batch_read_conversations_empty_selection_means_all(t: ctx) {
        t.expect("batch_read_conversations", "PATCH", &batch_path("read")).body(json!({}));
        t.client
            .batch_read_conversations()
            .website_id(WEBSITE)
            .body(types::BatchConversations::default())
            .call();
    }

    fn batch_unread_conversations(t: ctx) {
        t.expect("batch_unread_conversations", "PATCH", &batch_path("unread"))
            .body(json!({"sessions": [SESSION, OTHER_SESSION]}));
        t.client
            .batch_unread_conversations()
            .website_id(WEBSITE)
            .body_map(|b| b.sessions(sessions()))
            .call();
    }

    fn batch_block_conversations(t: ctx) {
        t.expect("batch_block_conversations", "PATCH", &batch_path("block"))
            .body(json!({"sessions": [SESSION, OTHER_SESSION], "blocked": true}));
        t.client
            .batch_block_conversations()
            .website_id(WEBSITE)
            .body_map(|b| b.sessions(sessions()).blocked(true))
            .call();
    }

    fn batch_unblock_conversations_sends_false(t: ctx) {
        t.expect("batch_block_conversations", "PATCH", &batch_path("block"))
            .body(json!({"sessions": [OTHER_SESSION], "blocked": false}));
        t.client
            .batch_block_conversations()
            .website_id(WEBSITE)
            .body(types::BatchBlock {
                sessions: vec![OTHER_SESSION.to_owned()],
                blocked: false,
            })
            .call();
    }
}

#[tokio::test]
async fn batch_block_conversations_needs_blocked() {
    let t = ctx().await;
    // Nothing may reach the server: the builder refuses a body without `blocked`.
    let err = t
        .client
        .batch_block_conversations()
        .website_id(WEBSITE)
        .body_map(|b| b.sessions(sessions()))
        .call()
        .await
        .expect_err("missing field");
    assert!(err.to_string().contains("blocked"), "{err}");
}

contract! {
    fn batch_report_conversations(t: ctx) {
        t.expect("batch_report_conversations", "POST", &batch_path("report"))
            .body(json!({"sessions": [SESSION, OTHER_SESSION], "flag": "spam"}));
        t.client
            .batch_report_conversations()
            .website_id(WEBSITE)
            .body_map(|b| b.sessions(sessions()).flag("spam"))
            .call();
    }
}

// ------------------------------------------------------------------ routing

contract! {
    fn batch_inbox_conversations(t: ctx) {
        t.expect("batch_inbox_conversations", "PATCH", &batch_path("inbox"))
            .body(json!({"sessions": [SESSION, OTHER_SESSION], "inbox_id": INBOX}));
        t.client
            .batch_inbox_conversations()
            .website_id(WEBSITE)
            .body_map(|b| b.sessions(sessions()).inbox_id(INBOX.to_owned()))
            .call();
    }

    fn batch_inbox_conversations_back_to_default_sends_null(t: ctx) {
        t.expect("batch_inbox_conversations", "PATCH", &batch_path("inbox"))
            .body(json!({"sessions": [SESSION], "inbox_id": null}));
        t.client
            .batch_inbox_conversations()
            .website_id(WEBSITE)
            .body(types::BatchInbox {
                sessions: vec![SESSION.to_owned()],
                inbox_id: None,
            })
            .call();
    }

    fn batch_routing_conversations(t: ctx) {
        t.expect(
            "batch_routing_conversations",
            "PATCH",
            &batch_path("routing"),
        )
        .body(json!({
            "sessions": [SESSION, OTHER_SESSION],
            "assigned": {"user_id": OPERATOR}
        }));
        t.client
            .batch_routing_conversations()
            .website_id(WEBSITE)
            .body_map(|b| {
                b.sessions(sessions())
                    .assigned(Some(types::ConversationAssigned {
                        user_id: Some(OPERATOR.to_owned()),
                    }))
            })
            .call();
    }

    fn batch_routing_conversations_unassign_sends_null(t: ctx) {
        t.expect(
            "batch_routing_conversations",
            "PATCH",
            &batch_path("routing"),
        )
        .body(json!({"sessions": [OTHER_SESSION], "assigned": null}));
        t.client
            .batch_routing_conversations()
            .website_id(WEBSITE)
            .body_map(|b| {
                b.sessions(vec![OTHER_SESSION.to_owned()])
                    .assigned(None::<types::ConversationAssigned>)
            })
            .call();
    }
}

// ------------------------------------------------------------------ conversations or people

contract! {
    fn batch_remove_items_conversations(t: ctx) {
        t.expect("batch_remove_items", "PATCH", &batch_path("remove"))
            .body(json!({"inbox_id": INBOX, "sessions": [SESSION, OTHER_SESSION]}));
        t.client
            .batch_remove_items()
            .website_id(WEBSITE)
            .body_map(|b| b.inbox_id(INBOX.to_owned()).sessions(sessions()))
            .call();
    }

    fn batch_remove_items_people_by_identifier(t: ctx) {
        t.expect("batch_remove_items", "PATCH", &batch_path("remove"))
            .body(json!({"people": {"profiles": [PROFILE, OTHER_PROFILE]}}));
        t.client
            .batch_remove_items()
            .website_id(WEBSITE)
            .body_map(|b| {
                b.people(Some(types::BatchPeopleSelection {
                    profiles: vec![PROFILE.to_owned(), OTHER_PROFILE.to_owned()],
                    search: None,
                }))
            })
            .call();
    }
}

#[tokio::test]
async fn batch_remove_items_people_by_search() {
    let t = ctx().await;
    t.expect("batch_remove_items", "PATCH", &batch_path("remove"))
        .body(json!({"people": {"search": {
            "filter": [
                {"model": "people", "criterion": "segments", "operator": "has", "query": ["churned"]},
                {"model": "people", "criterion": "email", "operator": "eq", "query": ["spam@bulkmail.biz"]}
            ],
            "operator": "or"
        }}}))
        .mount()
        .await;
    let filter = |criterion: &str, operator: &str, value: &str| types::SearchFilter {
        model: "people".into(),
        criterion: criterion.into(),
        operator: operator.into(),
        query: vec![value.into()],
    };
    t.client
        .batch_remove_items()
        .website_id(WEBSITE)
        .body(types::BatchRemove {
            inbox_id: None,
            sessions: Vec::new(),
            people: Some(types::BatchPeopleSelection {
                profiles: Vec::new(),
                search: Some(types::BatchPeopleSearch {
                    filter: vec![
                        filter("segments", "has", "churned"),
                        filter("email", "eq", "spam@bulkmail.biz"),
                    ],
                    operator: Some(types::PeopleSearchOperator::Or),
                }),
            }),
        })
        .call()
        .await
        .expect("call");
}

#[tokio::test]
async fn batch_remove_items_refused() {
    let t = ctx().await;
    t.expect("batch_remove_items", "PATCH", &batch_path("remove"))
        .body(json!({"sessions": [SESSION]}))
        .respond(ResponseTemplate::new(403).set_body_json(json!({
            "error": true,
            "reason": "restricted_route_tier",
            "data": {"namespace": "request", "message": "this route is not allowed for your tier"}
        })))
        .mount()
        .await;
    let err = t
        .client
        .batch_remove_items()
        .website_id(WEBSITE)
        .body_map(|b| b.sessions(vec![SESSION.to_owned()]))
        .call()
        .await
        .expect_err("403");
    match err {
        crisp_api::Error::Api {
            status,
            reason,
            message,
            ..
        } => {
            assert_eq!(status.as_u16(), 403);
            assert_eq!(reason, "restricted_route_tier");
            assert_eq!(
                message.as_deref(),
                Some("this route is not allowed for your tier")
            );
        }
        other => panic!("unexpected error {other:?}"),
    }
}

contract! {
    fn batch_update_items_segments_conversations(t: ctx) {
        t.expect(
            "batch_update_items_segments",
            "PATCH",
            &batch_path("segments"),
        )
        .body(json!({"sessions": [SESSION, OTHER_SESSION], "segments": ["vip", "lead"]}));
        t.client
            .batch_update_items_segments()
            .website_id(WEBSITE)
            .body_map(|b| {
                b.sessions(sessions())
                    .segments(vec!["vip".to_owned(), "lead".to_owned()])
            })
            .call();
    }

    fn batch_update_items_segments_people(t: ctx) {
        t.expect(
            "batch_update_items_segments",
            "PATCH",
            &batch_path("segments"),
        )
        .body(json!({"people": {"profiles": [PROFILE]}, "segments": ["enterprise"]}));
        t.client
            .batch_update_items_segments()
            .website_id(WEBSITE)
            .body_map(|b| {
                b.people(Some(types::BatchPeopleSelection {
                    profiles: vec![PROFILE.to_owned()],
                    search: None,
                }))
                .segments(vec!["enterprise".to_owned()])
            })
            .call();
    }
}

#[tokio::test]
async fn batch_update_items_data_conversations() {
    let t = ctx().await;
    t.expect("batch_update_items_data", "PATCH", &batch_path("data"))
        .body(json!({
            "sessions": [SESSION, OTHER_SESSION],
            "data": {"plan": "pro", "subscribed": true, "seats": 25, "mrr": 249.5}
        }))
        .mount()
        .await;
    let data: HashMap<String, DataValue> = [
        ("plan", DataValue::String("pro".into())),
        ("subscribed", DataValue::Boolean(true)),
        ("seats", DataValue::Int64(25)),
        ("mrr", DataValue::Double(249.5)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    t.client
        .batch_update_items_data()
        .website_id(WEBSITE)
        .body_map(|b| b.sessions(sessions()).data(data))
        .call()
        .await
        .expect("call");
}

contract! {
    fn batch_update_items_data_people(t: ctx) {
        t.expect("batch_update_items_data", "PATCH", &batch_path("data"))
            .body(json!({
                "people": {"profiles": [PROFILE, OTHER_PROFILE]},
                "data": {"plan": "starter"}
            }));
        t.client
            .batch_update_items_data()
            .website_id(WEBSITE)
            .body(types::BatchData {
                sessions: Vec::new(),
                people: Some(types::BatchPeopleSelection {
                    profiles: vec![PROFILE.to_owned(), OTHER_PROFILE.to_owned()],
                    search: None,
                }),
                data: HashMap::from([("plan".to_owned(), DataValue::String("starter".into()))]),
            })
            .call();
    }
}
