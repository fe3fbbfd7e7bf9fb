//! Contract tests of the `conversations` family: listing, searching, the conversation lifecycle,
//! metadata and state (messages in `conversations_messages` and `conversations_send`; the other
//! `conversations_*` modules for actions, activity, state slices and batch operations).

use crate::support::{SESSION, WEBSITE, contract, conversation_path, ctx};
use crisp_api::types::{self};
use serde_json::json;
use std::collections::HashMap;
use wiremock::ResponseTemplate;

pub(crate) const OPERATOR: &str = "a4b2e1c9-6d3f-4f7e-8c21-5b9d0e7f3a16";

// ------------------------------------------------------------------ listing and searching

contract! {
    fn list_conversations_first_page(t: ctx) {
        t.expect("list_conversations", "GET", &format!("/website/{WEBSITE}/conversations/1"));
        t.client.list_conversations().website_id(WEBSITE).page_number(1u32).call();
        |list| {
            assert_eq!(list.len(), 2);
            let first = &list[0];
            assert_eq!(first.session_id, SESSION);
            assert_eq!(first.website_id, WEBSITE);
            assert_eq!(first.state.as_deref(), Some("unresolved"));
            assert_eq!(first.status, Some(1));
            assert_eq!(
                first.active.as_ref().and_then(|a| a.last),
                Some(1_732_105_913_421)
            );
            assert_eq!(
                first.preview_message.as_ref().and_then(|p| p.fingerprint),
                Some(524_653_764_345)
            );
            assert_eq!(first.unread.as_ref().and_then(|u| u.operator), Some(2));
            assert_eq!(
                first.assigned.as_ref().and_then(|a| a.user_id.as_deref()),
                Some(OPERATOR)
            );
            let meta = first.meta.as_ref().expect("meta");
            assert_eq!(
                meta.email.as_deref(),
                Some("margaret.holloway@northwind.io")
            );
            assert_eq!(meta.segments, ["customer", "billing"]);
            let coords = meta
                .device
                .as_ref()
                .and_then(|d| d.geolocation.as_ref())
                .and_then(|g| g.coordinates.as_ref())
                .expect("coordinates");
            assert_eq!(coords.latitude, Some(51.5072));
            assert_eq!(coords.longitude, Some(-0.1276));
            assert_eq!(first.waiting_since, Some(1_732_105_802_230));

            let second = &list[1];
            assert_eq!(
                second.session_id,
                "session_3b9c1f2e-0d4a-4e8b-9f61-2c7d8a5e4b10"
            );
            assert_eq!(second.state.as_deref(), Some("resolved"));
            assert_eq!(second.assigned, None);
            assert_eq!(second.waiting_since, None);
        }
    }

    fn list_conversations_text_search(t: ctx) {
        t.expect(
            "list_conversations",
            "GET",
            &format!("/website/{WEBSITE}/conversations/2"),
        )
        .query("search_query", "split invoice & credit note")
        .query("search_type", "text")
        .query("include_empty", "0")
        .query("filter_unread", "1")
        .query("filter_not_resolved", "1")
        .query("filter_inbox_id", "5ad6b6e8-3f5b-4a0a-9bde-7a9a5e3f1f1c")
        .query("order_date_updated", "1")
        .query("per_page", "30");
        t.client
            .list_conversations()
            .website_id(WEBSITE)
            .page_number(2u32)
            .search_query("split invoice & credit note")
            .search_type("text")
            .include_empty(false)
            .filter_unread(true)
            .filter_not_resolved(true)
            .filter_inbox_id("5ad6b6e8-3f5b-4a0a-9bde-7a9a5e3f1f1c")
            .order_date_updated(true)
            .per_page(30u32)
            .call();
        |list| {
            assert_eq!(
                list[0].inbox_id.as_deref(),
                Some("5ad6b6e8-3f5b-4a0a-9bde-7a9a5e3f1f1c")
            );
            assert_eq!(
                list[1].meta.as_ref().and_then(|m| m.nickname.as_deref()),
                Some("Tomás Ferreira")
            );
        }
    }

    fn list_conversations_filter_search(t: ctx) {
        let filter = json!([
            {
                "model": "session",
                "criterion": "meta.email",
                "operator": "eq",
                "query": ["margaret.holloway@northwind.io"]
            },
            {
                "model": "session",
                "criterion": "meta.segments",
                "operator": "has",
                "query": ["billing", "vip"]
            }
        ])
        .to_string();
        t.expect(
            "list_conversations",
            "GET",
            &format!("/website/{WEBSITE}/conversations/3"),
        )
        .query("search_query", &filter)
        .query("search_type", "filter")
        .query("search_operator", "or")
        .query("include_empty", "1")
        .query("filter_resolved", "0")
        .query("filter_mention", "1")
        .query("filter_assigned", OPERATOR)
        .query("filter_unassigned", "0")
        .query("filter_date_start", "2024-11-01T00:00:00.000Z")
        .query("filter_date_end", "2024-11-20T23:59:59.999Z")
        .query("order_date_created", "0")
        .query("order_date_waiting", "1")
        .query("per_page", "50");
        t.client
            .list_conversations()
            .website_id(WEBSITE)
            .page_number(3u32)
            .search_query(crisp_api::Filters::from(vec![
                types::SearchFilter {
                    model: "session".into(),
                    criterion: "meta.email".into(),
                    operator: "eq".into(),
                    query: vec!["margaret.holloway@northwind.io".into()],
                },
                types::SearchFilter {
                    model: "session".into(),
                    criterion: "meta.segments".into(),
                    operator: "has".into(),
                    query: vec!["billing".into(), "vip".into()],
                },
            ]))
            .search_type(types::ListConversationsSearchType::Filter)
            .search_operator("or")
            .include_empty(true)
            .filter_resolved(false)
            .filter_mention(true)
            .filter_assigned(OPERATOR)
            .filter_unassigned(false)
            .filter_date_start("2024-11-01T00:00:00.000Z")
            .filter_date_end("2024-11-20T23:59:59.999Z")
            .order_date_created(false)
            .order_date_waiting(true)
            .per_page(50u32)
            .call();
        |list| {
            assert_eq!(list.len(), 2);
            assert_eq!(list[0].mentions, [OPERATOR]);
        }
    }
}

// ------------------------------------------------------------------ conversation lifecycle

contract! {
    fn create_conversation(t: ctx) {
        t.expect("create_conversation", "POST", &format!("/website/{WEBSITE}/conversation"));
        t.client.create_conversation().website_id(WEBSITE).call();
        |created| {
            assert_eq!(created.session_id, SESSION);
        }
    }

    fn get_conversation(t: ctx) {
        t.expect("get_conversation", "GET", &conversation_path());
        t.client.get_conversation().website_id(WEBSITE).session_id(SESSION).call();
        |c| {
            assert_eq!(c.session_id, SESSION);
            assert_eq!(
                c.people_id.as_deref(),
                Some("2f0f6c2c-8f6d-4a49-9b0b-3a41d5e2c0a7")
            );
            assert_eq!(c.is_verified, Some(true));
            assert_eq!(c.is_blocked, Some(false));
            assert_eq!(c.availability.as_deref(), Some("online"));
            assert_eq!(c.topic.as_deref(), Some("October invoice"));
            assert_eq!(c.verifications[0].identity.as_deref(), Some("email"));
            assert_eq!(c.verifications[0].method.as_deref(), Some("link"));
            assert_eq!(
                c.participants[0].target.as_deref(),
                Some("accounts-payable@northwind.io")
            );

            let compose = c.compose.as_ref().expect("compose");
            let operator = compose.operator.as_ref().expect("operator typing");
            assert_eq!(operator.type_.as_deref(), Some("start"));
            assert_eq!(operator.timestamp, Some(1_732_105_930_112));
            assert_eq!(operator.automated, Some(false));
            assert_eq!(
                operator.user.as_ref().and_then(|u| u.nickname.as_deref()),
                Some("Daniel Okafor")
            );
            assert_eq!(
                compose.visitor.as_ref().and_then(|v| v.type_.as_deref()),
                Some("stop")
            );
            assert_eq!(c.unread.as_ref().and_then(|u| u.visitor), Some(0));

            let meta = c.meta.as_ref().expect("meta");
            assert_eq!(
                meta.address.as_deref(),
                Some("12 Finsbury Square, London EC2A 1AS")
            );
            assert_eq!(
                meta.data.get("plan"),
                Some(&types::DataValue::String("business".into()))
            );
            assert_eq!(meta.data.get("seats"), Some(&types::DataValue::Int64(25)));
            assert_eq!(
                meta.data.get("trial"),
                Some(&types::DataValue::Boolean(false))
            );
            assert_eq!(
                meta.connection.as_ref().and_then(|n| n.asn.as_deref()),
                Some("AS2856")
            );
            let device = meta.device.as_ref().expect("device");
            assert_eq!(device.capabilities, ["browsing", "call"]);
            assert_eq!(device.timezone, Some(-60));
            let system = device.system.as_ref().expect("system");
            assert_eq!(
                system.os.as_ref().and_then(|o| o.version.as_deref()),
                Some("14.6.1")
            );
            assert_eq!(
                system.engine.as_ref().and_then(|e| e.name.as_deref()),
                Some("WebKit")
            );
            assert_eq!(
                system.browser.as_ref().and_then(|b| b.major.as_deref()),
                Some("17")
            );
            assert!(
                system
                    .useragent
                    .as_deref()
                    .is_some_and(|ua| ua.contains("Safari/605.1.15"))
            );
            assert_eq!(c.created_at, Some(1_732_101_220_118));
        }
    }
}

#[tokio::test]
async fn get_conversation_not_found() {
    let t = ctx().await;
    t.expect("get_conversation", "GET", &conversation_path())
        .respond(ResponseTemplate::new(404).set_body_json(json!({
            "error": true,
            "reason": "not_found",
            "data": {"namespace": "response", "message": "the conversation does not exist"}
        })))
        .mount()
        .await;
    let err = t
        .client
        .get_conversation()
        .website_id(WEBSITE)
        .session_id(SESSION)
        .call()
        .await
        .expect_err("404");
    match err {
        crisp_api::Error::Api {
            status,
            reason,
            message,
            ..
        } => {
            assert_eq!(status.as_u16(), 404);
            assert_eq!(reason, "not_found");
            assert_eq!(message.as_deref(), Some("the conversation does not exist"));
        }
        other => panic!("expected an API error, got {other:?}"),
    }
}

contract! {
    fn remove_conversation(t: ctx) {
        t.expect("remove_conversation", "DELETE", &conversation_path());
        t.client.remove_conversation().website_id(WEBSITE).session_id(SESSION).call();
    }

    fn initiate_conversation_with_existing_session(t: ctx) {
        t.expect(
            "initiate_conversation_with_existing_session",
            "POST",
            &format!("{}/initiate", conversation_path()),
        );
        t.client
            .initiate_conversation_with_existing_session()
            .website_id(WEBSITE)
            .session_id(SESSION)
            .call();
    }
}

// ------------------------------------------------------------------ metadata

contract! {
    fn get_conversation_metas(t: ctx) {
        t.expect("get_conversation_metas", "GET", &format!("{}/meta", conversation_path()));
        t.client.get_conversation_metas().website_id(WEBSITE).session_id(SESSION).call();
        |meta| {
            assert_eq!(meta.nickname.as_deref(), Some("Margaret Holloway"));
            assert_eq!(meta.phone.as_deref(), Some("+44 20 7946 0958"));
            assert_eq!(meta.subject.as_deref(), Some("October invoice"));
            assert_eq!(meta.ip.as_deref(), Some("81.2.69.142"));
            assert_eq!(meta.origin.as_deref(), Some("chat"));
            assert_eq!(meta.data.get("mrr"), Some(&types::DataValue::Double(249.5)));
            assert_eq!(meta.data.len(), 4);
            assert_eq!(
                meta.connection.as_ref().and_then(|c| c.isp.as_deref()),
                Some("British Telecommunications PLC")
            );
            let device = meta.device.as_ref().expect("device");
            assert_eq!(device.locales, ["en-GB", "en"]);
            let geo = device.geolocation.as_ref().expect("geolocation");
            assert_eq!(geo.country.as_deref(), Some("GB"));
            assert_eq!(geo.region.as_deref(), Some("England"));
            assert_eq!(geo.city.as_deref(), Some("London"));
            let browser = device
                .system
                .as_ref()
                .and_then(|s| s.browser.as_ref())
                .expect("browser");
            assert_eq!(browser.name.as_deref(), Some("Safari"));
            assert_eq!(browser.version.as_deref(), Some("17.6"));
        }
    }
}

#[tokio::test]
async fn update_conversation_metas() {
    let t = ctx().await;
    t.expect(
        "update_conversation_metas",
        "PATCH",
        &format!("{}/meta", conversation_path()),
    )
    .body(json!({
        "nickname": "Margaret Holloway",
        "email": "m.holloway@northwind.io",
        "segments": ["customer", "billing", "enterprise-lead"],
        "data": {"plan": "enterprise", "seats": 40, "trial": false},
        "device": {
            "geolocation": {"country": "GB", "city": "Manchester"},
            "timezone": -60,
            "locales": ["en-GB"]
        }
    }))
    .mount()
    .await;
    let data = HashMap::from([
        (
            "plan".to_owned(),
            types::DataValue::String("enterprise".into()),
        ),
        ("seats".to_owned(), types::DataValue::Int64(40)),
        ("trial".to_owned(), types::DataValue::Boolean(false)),
    ]);
    t.client
        .update_conversation_metas()
        .website_id(WEBSITE)
        .session_id(SESSION)
        .body(types::ConversationMeta {
            nickname: Some("Margaret Holloway".into()),
            email: Some("m.holloway@northwind.io".into()),
            segments: vec![
                "customer".into(),
                "billing".into(),
                "enterprise-lead".into(),
            ],
            data,
            device: Some(types::ConversationDevice {
                geolocation: Some(types::Geolocation {
                    country: Some("GB".into()),
                    city: Some("Manchester".into()),
                    ..Default::default()
                }),
                timezone: Some(-60),
                locales: vec!["en-GB".into()],
                ..Default::default()
            }),
            ..Default::default()
        })
        .call()
        .await
        .expect("call");
}

// ------------------------------------------------------------------ state, block, read marks

contract! {
    fn change_conversation_state(t: ctx) {
        t.expect(
            "change_conversation_state",
            "PATCH",
            &format!("{}/state", conversation_path()),
        )
        .body(json!({"state": "resolved"}));
        t.client
            .change_conversation_state()
            .website_id(WEBSITE)
            .session_id(SESSION)
            .body_map(|b| b.state(types::ChangeConversationStateBodyState::Resolved))
            .call();
    }

    fn change_conversation_state_on_behalf_of_an_operator(t: ctx) {
        t.expect(
            "change_conversation_state",
            "PATCH",
            &format!("{}/state", conversation_path()),
        )
        .body(json!({
            "state": "pending",
            "user": {"type": "participant", "nickname": "Support Bot"},
            "origin": "urn:crisp.im:bot:0"
        }));
        t.client
            .change_conversation_state()
            .website_id(WEBSITE)
            .session_id(SESSION)
            .body(types::ChangeConversationStateBody {
                state: "pending".parse().expect("state"),
                user: Some(types::MessageUser {
                    type_: Some("participant".into()),
                    nickname: Some("Support Bot".into()),
                    ..Default::default()
                }),
                origin: Some("urn:crisp.im:bot:0".into()),
            })
            .call();
    }

    fn block_incoming_messages_for_conversation(t: ctx) {
        t.expect(
            "block_incoming_messages_for_conversation",
            "PATCH",
            &format!("{}/block", conversation_path()),
        )
        .body(json!({"blocked": true}));
        t.client
            .block_incoming_messages_for_conversation()
            .website_id(WEBSITE)
            .session_id(SESSION)
            .body_map(|b| b.blocked(true))
            .call();
    }

    fn mark_messages_read_in_conversation(t: ctx) {
        t.expect(
            "mark_messages_read_in_conversation",
            "PATCH",
            &format!("{}/read", conversation_path()),
        )
        .body(json!({
            "from": "user",
            "origin": "chat",
            "fingerprints": [524653764345_i64, 173210590233810_i64]
        }));
        t.client
            .mark_messages_read_in_conversation()
            .website_id(WEBSITE)
            .session_id(SESSION)
            .body_map(|b| {
                b.from(types::ConversationMessagesMarkFrom::User)
                    .origin("chat".to_owned())
                    .fingerprints(vec![524_653_764_345_i64, 173_210_590_233_810])
            })
            .call();
    }
}
