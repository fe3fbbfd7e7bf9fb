//! Contract tests of the `conversations` family: conversations, their metadata and messages.

use crate::support::{SESSION, WEBSITE, conversation_path, ctx};
use crisp_api::message::{Content, NewMessage, Sender};
use crisp_api::types::{self, MessageContent};
use serde_json::json;
use std::collections::HashMap;
use wiremock::ResponseTemplate;

const OPERATOR: &str = "a4b2e1c9-6d3f-4f7e-8c21-5b9d0e7f3a16";

// ------------------------------------------------------------------ listing and searching

#[tokio::test]
async fn list_conversations_first_page() {
    let t = ctx().await;
    t.expect(
        "list_conversations",
        "GET",
        &format!("/website/{WEBSITE}/conversations/1"),
    )
    .mount()
    .await;
    let list = t
        .client
        .list_conversations()
        .website_id(WEBSITE)
        .page_number(1u32)
        .call()
        .await
        .expect("call");
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

#[tokio::test]
async fn list_conversations_text_search() {
    let t = ctx().await;
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
    .query("per_page", "30")
    .mount()
    .await;
    let list = t
        .client
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
        .call()
        .await
        .expect("call");
    assert_eq!(
        list[0].inbox_id.as_deref(),
        Some("5ad6b6e8-3f5b-4a0a-9bde-7a9a5e3f1f1c")
    );
    assert_eq!(
        list[1].meta.as_ref().and_then(|m| m.nickname.as_deref()),
        Some("Tomás Ferreira")
    );
}

#[tokio::test]
async fn list_conversations_filter_search() {
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
    let t = ctx().await;
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
    .query("per_page", "50")
    .mount()
    .await;
    let list = t
        .client
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
        .call()
        .await
        .expect("call");
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].mentions, [OPERATOR]);
}

// ------------------------------------------------------------------ conversation lifecycle

#[tokio::test]
async fn create_conversation() {
    let t = ctx().await;
    t.expect(
        "create_conversation",
        "POST",
        &format!("/website/{WEBSITE}/conversation"),
    )
    .mount()
    .await;
    let created = t
        .client
        .create_conversation()
        .website_id(WEBSITE)
        .call()
        .await
        .expect("call");
    assert_eq!(created.session_id, SESSION);
}

#[tokio::test]
async fn get_conversation() {
    let t = ctx().await;
    t.expect("get_conversation", "GET", &conversation_path())
        .mount()
        .await;
    let c = t
        .client
        .get_conversation()
        .website_id(WEBSITE)
        .session_id(SESSION)
        .call()
        .await
        .expect("call");
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

#[tokio::test]
async fn remove_conversation() {
    let t = ctx().await;
    t.expect("remove_conversation", "DELETE", &conversation_path())
        .mount()
        .await;
    t.client
        .remove_conversation()
        .website_id(WEBSITE)
        .session_id(SESSION)
        .call()
        .await
        .expect("call");
}

#[tokio::test]
async fn initiate_conversation_with_existing_session() {
    let t = ctx().await;
    t.expect(
        "initiate_conversation_with_existing_session",
        "POST",
        &format!("{}/initiate", conversation_path()),
    )
    .mount()
    .await;
    t.client
        .initiate_conversation_with_existing_session()
        .website_id(WEBSITE)
        .session_id(SESSION)
        .call()
        .await
        .expect("call");
}

// ------------------------------------------------------------------ reading messages

#[tokio::test]
async fn list_messages_in_conversation_decodes_every_content_kind() {
    let t = ctx().await;
    t.expect(
        "list_messages_in_conversation",
        "GET",
        &format!("{}/messages", conversation_path()),
    )
    .mount()
    .await;
    let m = t
        .client
        .list_messages_in_conversation()
        .website_id(WEBSITE)
        .session_id(SESSION)
        .call()
        .await
        .expect("call");
    assert_eq!(m.len(), 9);
    let kinds: Vec<_> = m.iter().map(|m| m.type_.as_deref().unwrap_or("")).collect();
    assert_eq!(
        kinds,
        [
            "text",
            "note",
            "file",
            "animation",
            "audio",
            "picker",
            "field",
            "carousel",
            "event"
        ]
    );

    // text
    assert_eq!(m[0].from.as_deref(), Some("user"));
    assert_eq!(m[0].fingerprint, Some(524_653_764_345));
    assert_eq!(
        m[0].content,
        Some(MessageContent::String(
            "Hi! The October invoice arrived. Could you split it by department?".into()
        ))
    );
    assert_eq!(m[0].read.as_deref(), Some("chat"));
    assert_eq!(m[0].stamped, Some(true));

    // note
    assert_eq!(
        m[1].content,
        Some(MessageContent::String(
            "@Priya can you prepare the split? Finance and Sales only.".into()
        ))
    );
    assert_eq!(m[1].mentions, ["e9c1d6a2-47b3-4f0e-a8d5-1c2b3a4f5e60"]);
    assert_eq!(
        m[1].user.as_ref().and_then(|u| u.type_.as_deref()),
        Some("participant")
    );

    // file
    let Some(MessageContent::MessageFileContent(file)) = &m[2].content else {
        panic!("file content decoded as {:?}", m[2].content)
    };
    assert_eq!(file.name, "invoice-2024-10-finance.pdf");
    assert_eq!(file.type_, "application/pdf");
    assert!(file.url.ends_with("invoice-2024-10-finance_4f1c2d.pdf"));

    // animation
    let Some(MessageContent::MessageAnimationContent(animation)) = &m[3].content else {
        panic!("animation content decoded as {:?}", m[3].content)
    };
    assert_eq!(animation.type_, "image/gif");
    assert_eq!(
        animation.url,
        "https://media.giphy.com/media/3oEjI6SIIHBdRxXI40/giphy.gif"
    );

    // audio
    let Some(MessageContent::MessageAudioContent(audio)) = &m[4].content else {
        panic!("audio content decoded as {:?}", m[4].content)
    };
    assert_eq!(audio.duration, 14);
    assert_eq!(audio.type_, "audio/webm");

    // picker
    let Some(MessageContent::MessagePickerContent(picker)) = &m[5].content else {
        panic!("picker content decoded as {:?}", m[5].content)
    };
    assert_eq!(picker.id, "invoice-format");
    assert_eq!(picker.required, Some(true));
    assert_eq!(picker.choices.len(), 3);
    assert_eq!(picker.choices[0].selected, Some(true));
    assert_eq!(picker.choices[0].icon.as_deref(), Some("📄"));
    let action = picker.choices[2].action.as_ref().expect("action");
    assert_eq!(action.type_.as_deref(), Some("frame"));
    assert_eq!(
        action.target.as_deref(),
        Some("https://billing.northwind.io/invoices")
    );
    assert_eq!(m[5].origin.as_deref(), Some("urn:crisp.im:bot:0"));
    assert_eq!(m[5].automated, Some(true));

    // field
    let Some(MessageContent::MessageFieldContent(field)) = &m[6].content else {
        panic!("field content decoded as {:?}", m[6].content)
    };
    assert_eq!(field.id, "purchase-order");
    assert_eq!(
        field.explain,
        "Enter the PO number printed on your order form"
    );
    assert_eq!(field.value.as_deref(), Some("PO-88412"));
    assert_eq!(field.required, Some(false));

    // carousel
    let Some(MessageContent::MessageCarouselContent(carousel)) = &m[7].content else {
        panic!("carousel content decoded as {:?}", m[7].content)
    };
    assert_eq!(
        carousel.text,
        "These plans include per-department invoicing"
    );
    assert_eq!(carousel.targets.len(), 2);
    assert_eq!(
        carousel.targets[0].image.as_deref(),
        Some("https://northwind.io/static/plans/business.png")
    );
    assert_eq!(carousel.targets[1].image, None);
    assert_eq!(
        carousel.targets[1].actions[1].url.as_deref(),
        Some("https://northwind.io/static/enterprise.pdf")
    );

    // event
    let Some(MessageContent::MessageEventContent(event)) = &m[8].content else {
        panic!("event content decoded as {:?}", m[8].content)
    };
    assert_eq!(event.namespace, "state:resolved");
    assert_eq!(
        event.text.as_deref(),
        Some("Conversation resolved by Daniel Okafor")
    );
    assert_eq!(m[8].timestamp, Some(1_732_105_944_812));
}

#[tokio::test]
async fn list_messages_in_conversation_before() {
    let t = ctx().await;
    t.expect(
        "list_messages_in_conversation",
        "GET",
        &format!("{}/messages", conversation_path()),
    )
    .query("timestamp_before", "1732105802230")
    .mount()
    .await;
    let m = t
        .client
        .list_messages_in_conversation()
        .website_id(WEBSITE)
        .session_id(SESSION)
        .timestamp_before(1_732_105_802_230_i64)
        .call()
        .await
        .expect("call");
    assert_eq!(m[0].session_id.as_deref(), Some(SESSION));
    assert_eq!(m[0].website_id.as_deref(), Some(WEBSITE));
}

#[tokio::test]
async fn list_messages_in_conversation_after_and_around() {
    let t = ctx().await;
    t.expect(
        "list_messages_in_conversation",
        "GET",
        &format!("{}/messages", conversation_path()),
    )
    .query("timestamp_after", "1732101220118")
    .query("timestamp_around", "1732105911077")
    .mount()
    .await;
    let m = t
        .client
        .list_messages_in_conversation()
        .website_id(WEBSITE)
        .session_id(SESSION)
        .timestamp_after(1_732_101_220_118_i64)
        .timestamp_around(1_732_105_911_077_i64)
        .call()
        .await
        .expect("call");
    assert_eq!(m.len(), 9);
}

/// A content object of a shape this SDK does not know stays readable as free-form JSON.
#[tokio::test]
async fn list_messages_in_conversation_keeps_unknown_content_shapes() {
    let t = ctx().await;
    t.expect(
        "list_messages_in_conversation",
        "GET",
        &format!("{}/messages", conversation_path()),
    )
    .respond(ResponseTemplate::new(200).set_body_json(json!({
        "error": false,
        "reason": "resolved",
        "data": [{
            "session_id": SESSION,
            "website_id": WEBSITE,
            "type": "location",
            "from": "user",
            "origin": "chat",
            "content": {"latitude": 48.8566, "longitude": 2.3522, "label": "Paris office"},
            "fingerprint": 173210600012345_i64,
            "timestamp": 1732106000123_i64
        }]
    })))
    .mount()
    .await;
    let m = t
        .client
        .list_messages_in_conversation()
        .website_id(WEBSITE)
        .session_id(SESSION)
        .call()
        .await
        .expect("call");
    let Some(MessageContent::Object(content)) = &m[0].content else {
        panic!("unknown content decoded as {:?}", m[0].content)
    };
    assert_eq!(content.get("label"), Some(&json!("Paris office")));
    assert_eq!(m[0].type_.as_deref(), Some("location"));
}

#[tokio::test]
async fn get_message_in_conversation() {
    let t = ctx().await;
    t.expect(
        "get_message_in_conversation",
        "GET",
        &format!("{}/message/524653764345", conversation_path()),
    )
    .mount()
    .await;
    let m = t
        .client
        .get_message_in_conversation()
        .website_id(WEBSITE)
        .session_id(SESSION)
        .fingerprint(524_653_764_345_i64)
        .call()
        .await
        .expect("call");
    assert_eq!(m.fingerprint, Some(524_653_764_345));
    assert_eq!(m.type_.as_deref(), Some("text"));
    assert!(
        matches!(&m.content, Some(MessageContent::String(s)) if s.starts_with("Sure, I can split"))
    );
    assert_eq!(m.delivered.as_deref(), Some("chat"));
    assert_eq!(m.edited, Some(false));
    assert_eq!(m.translated, Some(false));
    let preview = &m.preview[0];
    assert_eq!(preview.website.as_deref(), Some("help.northwind.io"));
    assert_eq!(preview.stamped, Some(true));
    assert_eq!(
        preview.preview.as_ref().and_then(|p| p.image.as_deref()),
        Some("https://help.northwind.io/static/split-invoices.png")
    );
    let user = m.user.as_ref().expect("user");
    assert_eq!(user.user_id.as_deref(), Some(OPERATOR));
    assert_eq!(
        user.avatar.as_deref(),
        Some("https://avatars.example.net/daniel-okafor.png")
    );
    assert_eq!(m.references[0].type_.as_deref(), Some("url"));
    assert_eq!(
        m.references[0].name.as_deref(),
        Some("Splitting an invoice")
    );
    assert_eq!(
        m.original.as_ref().and_then(|o| o.original_id.as_deref()),
        Some("0e7a3f5c-6a1d-4c8b-b2f9-91d3c4e5a6b7")
    );
    assert_eq!(
        m.properties.get("ticket"),
        Some(&types::DataValue::String("INV-2024-1187".into()))
    );
    assert_eq!(
        m.properties.get("priority"),
        Some(&types::DataValue::Int64(2))
    );
}

// ------------------------------------------------------------------ editing messages

#[tokio::test]
async fn update_message_in_conversation_text() {
    let t = ctx().await;
    t.expect(
        "update_message_in_conversation",
        "PATCH",
        &format!("{}/message/524653764345", conversation_path()),
    )
    .body(json!({"content": "Sure, I can split it per department (Finance and Sales)."}))
    .mount()
    .await;
    t.client
        .update_message_in_conversation()
        .website_id(WEBSITE)
        .session_id(SESSION)
        .fingerprint(524_653_764_345_i64)
        .body_map(|b| {
            b.content(MessageContent::String(
                "Sure, I can split it per department (Finance and Sales).".into(),
            ))
        })
        .call()
        .await
        .expect("call");
}

#[tokio::test]
async fn update_message_in_conversation_file() {
    let t = ctx().await;
    t.expect(
        "update_message_in_conversation",
        "PATCH",
        &format!("{}/message/173210589102447", conversation_path()),
    )
    .body(json!({"content": {
        "name": "invoice-2024-10-finance-v2.pdf",
        "url": "https://storage.crisp.chat/users/upload/operator/a4b2e1c9/invoice-2024-10-finance-v2_7d3e1a.pdf",
        "type": "application/pdf"
    }}))
    .mount()
    .await;
    t.client
        .update_message_in_conversation()
        .website_id(WEBSITE)
        .session_id(SESSION)
        .fingerprint(173_210_589_102_447_i64)
        .body(types::UpdateMessageInConversationBody {
            content: types::MessageFileContent {
                name: "invoice-2024-10-finance-v2.pdf".into(),
                url: "https://storage.crisp.chat/users/upload/operator/a4b2e1c9/invoice-2024-10-finance-v2_7d3e1a.pdf".into(),
                type_: "application/pdf".into(),
            }
            .into(),
        })
        .call()
        .await
        .expect("call");
}

// ------------------------------------------------------------------ metadata

#[tokio::test]
async fn get_conversation_metas() {
    let t = ctx().await;
    t.expect(
        "get_conversation_metas",
        "GET",
        &format!("{}/meta", conversation_path()),
    )
    .mount()
    .await;
    let meta = t
        .client
        .get_conversation_metas()
        .website_id(WEBSITE)
        .session_id(SESSION)
        .call()
        .await
        .expect("call");
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

#[tokio::test]
async fn change_conversation_state() {
    let t = ctx().await;
    t.expect(
        "change_conversation_state",
        "PATCH",
        &format!("{}/state", conversation_path()),
    )
    .body(json!({"state": "resolved"}))
    .mount()
    .await;
    t.client
        .change_conversation_state()
        .website_id(WEBSITE)
        .session_id(SESSION)
        .body_map(|b| b.state(types::ChangeConversationStateBodyState::Resolved))
        .call()
        .await
        .expect("call");
}

#[tokio::test]
async fn change_conversation_state_on_behalf_of_an_operator() {
    let t = ctx().await;
    t.expect(
        "change_conversation_state",
        "PATCH",
        &format!("{}/state", conversation_path()),
    )
    .body(json!({
        "state": "pending",
        "user": {"type": "participant", "nickname": "Support Bot"},
        "origin": "urn:crisp.im:bot:0"
    }))
    .mount()
    .await;
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
        .call()
        .await
        .expect("call");
}

#[tokio::test]
async fn block_incoming_messages_for_conversation() {
    let t = ctx().await;
    t.expect(
        "block_incoming_messages_for_conversation",
        "PATCH",
        &format!("{}/block", conversation_path()),
    )
    .body(json!({"blocked": true}))
    .mount()
    .await;
    t.client
        .block_incoming_messages_for_conversation()
        .website_id(WEBSITE)
        .session_id(SESSION)
        .body_map(|b| b.blocked(true))
        .call()
        .await
        .expect("call");
}

#[tokio::test]
async fn mark_messages_read_in_conversation() {
    let t = ctx().await;
    t.expect(
        "mark_messages_read_in_conversation",
        "PATCH",
        &format!("{}/read", conversation_path()),
    )
    .body(json!({
        "from": "user",
        "origin": "chat",
        "fingerprints": [524653764345_i64, 173210590233810_i64]
    }))
    .mount()
    .await;
    t.client
        .mark_messages_read_in_conversation()
        .website_id(WEBSITE)
        .session_id(SESSION)
        .body_map(|b| {
            b.from(types::ConversationMessagesMarkFrom::User)
                .origin("chat".to_owned())
                .fingerprints(vec![524_653_764_345_i64, 173_210_590_233_810])
        })
        .call()
        .await
        .expect("call");
}

// ------------------------------------------------------------------ sending messages

fn send_path() -> String {
    format!("{}/message", conversation_path())
}

#[tokio::test]
async fn send_text_message() {
    let t = ctx().await;
    t.expect("send_message_in_conversation", "POST", &send_path())
        .body(json!({
            "type": "text",
            "from": "operator",
            "origin": "chat",
            "content": "Hello Margaret, the split invoices are on their way.",
            "fingerprint": 173210594481214_i64,
            "user": {
                "type": "website",
                "nickname": "Northwind Billing",
                "avatar": "https://avatars.example.net/northwind.png"
            },
            "references": [{
                "type": "url",
                "name": "Billing portal",
                "target": "https://billing.northwind.io/invoices"
            }],
            "stealth": true,
            "translated": false,
            "automated": false
        }))
        .mount()
        .await;
    let message = NewMessage::text(
        Sender::Operator,
        "Hello Margaret, the split invoices are on their way.",
    )
    .origin("chat")
    .fingerprint(173_210_594_481_214)
    .user(types::MessageUser {
        type_: Some("website".into()),
        nickname: Some("Northwind Billing".into()),
        avatar: Some("https://avatars.example.net/northwind.png".into()),
        ..Default::default()
    })
    .references(vec![types::MessageReference {
        type_: Some("url".into()),
        name: Some("Billing portal".into()),
        target: Some("https://billing.northwind.io/invoices".into()),
    }])
    .stealth(true)
    .translated(false)
    .automated(false);
    let sent = t
        .client
        .send_message_in_conversation()
        .website_id(WEBSITE)
        .session_id(SESSION)
        .body(message)
        .call()
        .await
        .expect("call");
    assert_eq!(sent.fingerprint, 173_210_594_481_214);
}

#[tokio::test]
async fn send_note_with_mentions() {
    let t = ctx().await;
    t.expect("send_message_in_conversation", "POST", &send_path())
        .body(json!({
            "type": "note",
            "from": "operator",
            "origin": "chat",
            "content": "@Priya please double-check the VAT lines before sending.",
            "mentions": ["e9c1d6a2-47b3-4f0e-a8d5-1c2b3a4f5e60"]
        }))
        .mount()
        .await;
    let sent = t
        .client
        .send_message_in_conversation()
        .website_id(WEBSITE)
        .session_id(SESSION)
        .body(
            NewMessage::note(
                Sender::Operator,
                "@Priya please double-check the VAT lines before sending.",
            )
            .origin("chat")
            .mentions(vec!["e9c1d6a2-47b3-4f0e-a8d5-1c2b3a4f5e60".to_owned()]),
        )
        .call()
        .await
        .expect("call");
    assert_eq!(sent.fingerprint, 173_210_594_481_214);
}

#[tokio::test]
async fn send_file_message() {
    let t = ctx().await;
    t.expect("send_message_in_conversation", "POST", &send_path())
        .body(json!({
            "type": "file",
            "from": "user",
            "origin": "email",
            "content": {
                "name": "purchase-order-88412.pdf",
                "url": "https://files.northwind.io/po/purchase-order-88412.pdf",
                "type": "application/pdf"
            },
            "original": {
                "type": "text/plain",
                "content": "Hello, please find our purchase order attached.\n\nMargaret"
            }
        }))
        .mount()
        .await;
    let file = types::MessageFileContent {
        name: "purchase-order-88412.pdf".into(),
        url: "https://files.northwind.io/po/purchase-order-88412.pdf".into(),
        type_: "application/pdf".into(),
    };
    let sent = t
        .client
        .send_message_in_conversation()
        .website_id(WEBSITE)
        .session_id(SESSION)
        .body(
            NewMessage::new(Sender::User, Content::File(file))
                .origin("email")
                .original(types::MessageOriginal {
                    type_: Some("text/plain".into()),
                    content: Some(
                        "Hello, please find our purchase order attached.\n\nMargaret".into(),
                    ),
                    ..Default::default()
                }),
        )
        .call()
        .await
        .expect("call");
    assert_eq!(sent.fingerprint, 173_210_594_481_214);
}

#[tokio::test]
async fn send_picker_message() {
    let t = ctx().await;
    t.expect("send_message_in_conversation", "POST", &send_path())
        .body(json!({
            "type": "picker",
            "from": "operator",
            "origin": "urn:crisp.im:bot:0",
            "content": {
                "id": "invoice-format",
                "text": "Which format do you want the split invoices in?",
                "choices": [
                    {"value": "pdf", "label": "PDF", "selected": false, "icon": "📄"},
                    {"value": "csv", "label": "CSV spreadsheet", "selected": false},
                    {
                        "value": "portal",
                        "label": "Open the billing portal",
                        "selected": false,
                        "action": {"type": "frame", "target": "https://billing.northwind.io/invoices"}
                    }
                ],
                "required": true
            },
            "automated": true
        }))
        .mount()
        .await;
    let choice = |value: &str, label: &str| types::MessagePickerChoice {
        value: Some(value.into()),
        label: Some(label.into()),
        selected: Some(false),
        ..Default::default()
    };
    let picker = types::MessagePickerContent {
        id: "invoice-format".into(),
        text: "Which format do you want the split invoices in?".into(),
        choices: vec![
            types::MessagePickerChoice {
                icon: Some("📄".into()),
                ..choice("pdf", "PDF")
            },
            choice("csv", "CSV spreadsheet"),
            types::MessagePickerChoice {
                action: Some(types::MessagePickerChoiceAction {
                    type_: Some("frame".into()),
                    target: Some("https://billing.northwind.io/invoices".into()),
                }),
                ..choice("portal", "Open the billing portal")
            },
        ],
        required: Some(true),
    };
    t.client
        .send_message_in_conversation()
        .website_id(WEBSITE)
        .session_id(SESSION)
        .body(
            NewMessage::new(Sender::Operator, Content::Picker(picker))
                .origin("urn:crisp.im:bot:0")
                .automated(true),
        )
        .call()
        .await
        .expect("call");
}

#[tokio::test]
async fn send_carousel_message() {
    let t = ctx().await;
    t.expect("send_message_in_conversation", "POST", &send_path())
        .body(json!({
            "type": "carousel",
            "from": "operator",
            "origin": "chat",
            "content": {
                "text": "These plans include per-department invoicing",
                "targets": [
                    {
                        "title": "Business",
                        "description": "Up to 50 seats, split invoices, priority support",
                        "image": "https://northwind.io/static/plans/business.png",
                        "actions": [{"label": "Compare plans", "url": "https://northwind.io/pricing#business"}]
                    },
                    {
                        "title": "Enterprise",
                        "description": "Unlimited seats, cost centres, dedicated manager",
                        "actions": [
                            {"label": "Talk to sales", "url": "https://northwind.io/contact-sales"},
                            {"label": "Read the brochure", "url": "https://northwind.io/static/enterprise.pdf"}
                        ]
                    }
                ]
            }
        }))
        .mount()
        .await;
    let action = |label: &str, url: &str| types::MessageCarouselAction {
        label: Some(label.into()),
        url: Some(url.into()),
    };
    let carousel = types::MessageCarouselContent {
        text: "These plans include per-department invoicing".into(),
        targets: vec![
            types::MessageCarouselTarget {
                title: Some("Business".into()),
                description: Some("Up to 50 seats, split invoices, priority support".into()),
                image: Some("https://northwind.io/static/plans/business.png".into()),
                actions: vec![action(
                    "Compare plans",
                    "https://northwind.io/pricing#business",
                )],
            },
            types::MessageCarouselTarget {
                title: Some("Enterprise".into()),
                description: Some("Unlimited seats, cost centres, dedicated manager".into()),
                image: None,
                actions: vec![
                    action("Talk to sales", "https://northwind.io/contact-sales"),
                    action(
                        "Read the brochure",
                        "https://northwind.io/static/enterprise.pdf",
                    ),
                ],
            },
        ],
    };
    t.client
        .send_message_in_conversation()
        .website_id(WEBSITE)
        .session_id(SESSION)
        .body(NewMessage::new(Sender::Operator, Content::Carousel(carousel)).origin("chat"))
        .call()
        .await
        .expect("call");
}

#[tokio::test]
async fn send_event_message() {
    let t = ctx().await;
    t.expect("send_message_in_conversation", "POST", &send_path())
        .body(json!({
            "type": "event",
            "from": "operator",
            "origin": "urn:crisp.im:zapier:0",
            "content": {"namespace": "order:shipped", "text": "Order #88412 has shipped"}
        }))
        .mount()
        .await;
    let event = types::MessageEventContent {
        namespace: "order:shipped".into(),
        text: Some("Order #88412 has shipped".into()),
    };
    let sent = t
        .client
        .send_message_in_conversation()
        .website_id(WEBSITE)
        .session_id(SESSION)
        .body(
            NewMessage::new(Sender::Operator, Content::Event(event))
                .origin("urn:crisp.im:zapier:0"),
        )
        .call()
        .await
        .expect("call");
    assert_eq!(sent.fingerprint, 173_210_594_481_214);
}

/// Path segments are percent-encoded, so an odd identifier can never escape its segment.
#[tokio::test]
async fn path_segments_are_percent_encoded() {
    let t = ctx().await;
    t.expect(
        "get_message_in_conversation",
        "GET",
        &format!(
            "/website/{WEBSITE}/conversation/session_imported%2F42%20b%3Fx/message/524653764345"
        ),
    )
    .mount()
    .await;
    let m = t
        .client
        .get_message_in_conversation()
        .website_id(WEBSITE)
        .session_id("session_imported/42 b?x")
        .fingerprint(524_653_764_345_i64)
        .call()
        .await
        .expect("call");
    assert_eq!(m.fingerprint, Some(524_653_764_345));
}
