//! Conversations, their state and messages, batches, lists, search and validation.

use crate::{W, conversation, fake, send};
use crisp_api::message::Sender;
use crisp_api::types::{self, MessageContent};
use crisp_api::{Method, RetryPolicy};
use futures::TryStreamExt;
use serde_json::{Value, json};

#[tokio::test]
async fn a_conversation_keeps_its_state_meta_routing_and_marks() {
    let fake = fake().await;
    let client = fake.client();
    let sid = conversation(&client).await;
    assert!(sid.starts_with("session_"), "{sid}");

    let got = client
        .get_conversation()
        .website_id(W)
        .session_id(&sid)
        .call()
        .await
        .unwrap();
    assert_eq!(got.session_id, sid);
    assert_eq!(got.state.as_deref(), Some("pending"));
    assert!(
        client
            .check_conversation_exists()
            .website_id(W)
            .session_id(&sid)
            .exists()
            .await
            .unwrap()
    );

    client
        .update_conversation_metas()
        .website_id(W)
        .session_id(&sid)
        .body(types::ConversationMeta {
            nickname: Some("Jane Doe".into()),
            email: Some("jane@example.com".into()),
            segments: vec!["vip".into()],
            ..Default::default()
        })
        .call()
        .await
        .unwrap();
    let meta = client
        .get_conversation_metas()
        .website_id(W)
        .session_id(&sid)
        .call()
        .await
        .unwrap();
    assert_eq!(meta.nickname.as_deref(), Some("Jane Doe"));
    assert_eq!(meta.segments, vec!["vip".to_owned()]);

    client
        .change_conversation_state()
        .website_id(W)
        .session_id(&sid)
        .body_map(|b| b.state(types::ChangeConversationStateBodyState::Resolved))
        .call()
        .await
        .unwrap();
    let state = client
        .get_conversation_state()
        .website_id(W)
        .session_id(&sid)
        .call()
        .await
        .unwrap();
    assert_eq!(state.state.as_deref(), Some("resolved"));

    let operator = "a4b2e1c9-6d3f-4f7e-8c21-5b9d0e7f3a16";
    client
        .assign_conversation_routing()
        .website_id(W)
        .session_id(&sid)
        .body(types::ConversationRoutingAssignUpdate {
            assigned: Some(types::ConversationAssigned {
                user_id: Some(operator.into()),
            }),
            silent: None,
        })
        .call()
        .await
        .unwrap();
    let routing = client
        .get_conversation_routing_assign()
        .website_id(W)
        .session_id(&sid)
        .call()
        .await
        .unwrap();
    assert_eq!(
        routing.assigned.and_then(|a| a.user_id).as_deref(),
        Some(operator)
    );

    client
        .block_incoming_messages_for_conversation()
        .website_id(W)
        .session_id(&sid)
        .body_map(|b| b.blocked(true))
        .call()
        .await
        .unwrap();
    let block = client
        .get_block_status_for_conversation()
        .website_id(W)
        .session_id(&sid)
        .call()
        .await
        .unwrap();
    assert_eq!(block.blocked, Some(true));

    client
        .update_conversation_open_state()
        .website_id(W)
        .session_id(&sid)
        .body_map(|b| b.opened(true))
        .call()
        .await
        .unwrap();
    client
        .save_conversation_participants()
        .website_id(W)
        .session_id(&sid)
        .body(
            serde_json::from_value::<types::SaveConversationParticipantsBody>(json!({
                "participants": [{"type": "email", "target": "boss@example.com"}]
            }))
            .unwrap(),
        )
        .call()
        .await
        .unwrap();
    let participants = client
        .get_conversation_participants()
        .website_id(W)
        .session_id(&sid)
        .call()
        .await
        .unwrap();
    assert_eq!(participants.participants.len(), 1);
    assert_eq!(
        participants.participants[0].target.as_deref(),
        Some("boss@example.com")
    );

    let inbox = "5ad6b6e8-3f5b-4a0a-9bde-7a9a5e3f1f1c";
    client
        .update_conversation_inbox()
        .website_id(W)
        .session_id(&sid)
        .body_map(|b| b.inbox_id(Some(inbox.to_owned())))
        .call()
        .await
        .unwrap();
    let got = client
        .get_conversation()
        .website_id(W)
        .session_id(&sid)
        .call()
        .await
        .unwrap();
    assert_eq!(got.inbox_id.as_deref(), Some(inbox));
    assert_eq!(got.is_blocked, Some(true));

    client
        .remove_conversation()
        .website_id(W)
        .session_id(&sid)
        .call()
        .await
        .unwrap();
    assert!(
        !client
            .check_conversation_exists()
            .website_id(W)
            .session_id(&sid)
            .exists()
            .await
            .unwrap()
    );
    let err = client
        .get_conversation()
        .website_id(W)
        .session_id(&sid)
        .call()
        .await
        .unwrap_err();
    assert_eq!(
        (err.status().map(|s| s.as_u16()), err.reason()),
        (Some(404), Some("not_found"))
    );
}

#[tokio::test]
async fn messages_come_back_in_batches_206_then_200_and_change() {
    let fake = fake().await;
    let client = fake.client();
    let sid = conversation(&client).await;
    let mut fingerprints = Vec::new();
    for i in 0..45 {
        let from = if i % 2 == 0 {
            Sender::User
        } else {
            Sender::Operator
        };
        fingerprints.push(send(&client, &sid, from, &format!("message {i}")).await);
    }
    let latest = client
        .list_messages_in_conversation()
        .website_id(W)
        .session_id(&sid)
        .response()
        .await
        .unwrap();
    assert_eq!(latest.status.as_u16(), 206, "older messages remain");
    assert_eq!(latest.data.len(), 20);
    assert_eq!(
        latest.data.last().unwrap().fingerprint,
        Some(fingerprints[44])
    );
    let oldest_seen = latest.data[0].timestamp.unwrap();
    let before = client
        .list_messages_in_conversation()
        .website_id(W)
        .session_id(&sid)
        .timestamp_before(oldest_seen)
        .response()
        .await
        .unwrap();
    assert_eq!((before.status.as_u16(), before.data.len()), (206, 20));
    let last = client
        .list_messages_in_conversation()
        .website_id(W)
        .session_id(&sid)
        .timestamp_before(before.data[0].timestamp.unwrap())
        .response()
        .await
        .unwrap();
    assert_eq!(
        (last.status.as_u16(), last.data.len()),
        (200, 5),
        "the oldest batch answers 200"
    );
    let history: Vec<_> = client
        .list_messages_in_conversation()
        .website_id(W)
        .session_id(&sid)
        .history()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(history.len(), 45);
    assert_eq!(
        history[0].fingerprint,
        Some(fingerprints[44]),
        "newest first"
    );

    let one = client
        .get_message_in_conversation()
        .website_id(W)
        .session_id(&sid)
        .fingerprint(fingerprints[3])
        .call()
        .await
        .unwrap();
    assert_eq!(
        one.content,
        Some(MessageContent::String("message 3".into()))
    );
    assert_eq!(one.from.as_deref(), Some("operator"));
    client
        .update_message_in_conversation()
        .website_id(W)
        .session_id(&sid)
        .fingerprint(fingerprints[3])
        .body_map(|b| b.content(MessageContent::String("edited".into())))
        .call()
        .await
        .unwrap();
    let one = client
        .get_message_in_conversation()
        .website_id(W)
        .session_id(&sid)
        .fingerprint(fingerprints[3])
        .call()
        .await
        .unwrap();
    assert_eq!(
        (one.content, one.edited),
        (Some(MessageContent::String("edited".into())), Some(true))
    );
    client
        .remove_message_in_conversation()
        .website_id(W)
        .session_id(&sid)
        .fingerprint(fingerprints[3])
        .call()
        .await
        .unwrap();
    let err = client
        .get_message_in_conversation()
        .website_id(W)
        .session_id(&sid)
        .fingerprint(fingerprints[3])
        .call()
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err}");

    // Read, delivered and unread marks move the conversation's unread counts.
    let unread = |c: &types::Conversation| c.unread.as_ref().and_then(|u| u.operator);
    let got = client
        .get_conversation()
        .website_id(W)
        .session_id(&sid)
        .call()
        .await
        .unwrap();
    assert_eq!(unread(&got), Some(23));
    client
        .mark_messages_read_in_conversation()
        .website_id(W)
        .session_id(&sid)
        .body_map(|b| {
            b.from(types::ConversationMessagesMarkFrom::User)
                .origin("chat".to_owned())
        })
        .call()
        .await
        .unwrap();
    let got = client
        .get_conversation()
        .website_id(W)
        .session_id(&sid)
        .call()
        .await
        .unwrap();
    assert_eq!(unread(&got), Some(0));
    client
        .mark_messages_delivered_in_conversation()
        .website_id(W)
        .session_id(&sid)
        .body_map(|b| b.from("operator").origin("chat".to_owned()))
        .call()
        .await
        .unwrap();
    let delivered = client
        .get_message_in_conversation()
        .website_id(W)
        .session_id(&sid)
        .fingerprint(fingerprints[1])
        .call()
        .await
        .unwrap();
    assert_eq!(delivered.delivered.as_deref(), Some("chat"));
    client
        .mark_conversation_as_unread()
        .website_id(W)
        .session_id(&sid)
        .body_map(|b| b.from(types::MarkConversationAsUnreadBodyFrom::User))
        .call()
        .await
        .unwrap();
    let got = client
        .get_conversation()
        .website_id(W)
        .session_id(&sid)
        .call()
        .await
        .unwrap();
    assert_eq!(unread(&got), Some(1));
    client
        .compose_message_in_conversation()
        .website_id(W)
        .session_id(&sid)
        .body_map(|b| b.type_("start").from("operator"))
        .call()
        .await
        .unwrap();
}

#[tokio::test]
async fn lists_page_with_206_then_200_and_search_filters_and_batches() {
    let fake = fake().await;
    let client = fake.client();
    let mut sessions = Vec::new();
    for i in 0..25 {
        let sid = conversation(&client).await;
        let text = if i % 5 == 0 {
            format!("I want a refund for order {i}")
        } else {
            format!("Where is order {i}?")
        };
        send(&client, &sid, Sender::User, &text).await;
        sessions.push(sid);
    }
    let empty = conversation(&client).await;

    let first = client
        .list_conversations()
        .website_id(W)
        .page_number(1u32)
        .response()
        .await
        .unwrap();
    assert_eq!((first.status.as_u16(), first.data.len()), (206, 20));
    assert_eq!(
        first.data[0].session_id, sessions[24],
        "latest updated first"
    );
    let second = client
        .list_conversations()
        .website_id(W)
        .page_number(2u32)
        .response()
        .await
        .unwrap();
    assert_eq!((second.status.as_u16(), second.data.len()), (200, 5));
    let all: Vec<_> = client
        .list_conversations()
        .website_id(W)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 25, "conversations without messages are left out");
    let with_empty: Vec<_> = client
        .list_conversations()
        .website_id(W)
        .include_empty(true)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert!(with_empty.iter().any(|c| c.session_id == empty));

    let refunds: Vec<_> = client
        .list_conversations()
        .website_id(W)
        .search_query("REFUND")
        .search_type(types::ListConversationsSearchType::Text)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(refunds.len(), 5);
    assert!(refunds.iter().all(|c| {
        c.last_message
            .as_deref()
            .unwrap_or_default()
            .contains("refund")
    }));

    // Batch routes.
    let chosen = vec![sessions[0].clone(), sessions[1].clone()];
    client
        .batch_resolve_conversations()
        .website_id(W)
        .body_map(|b| b.sessions(chosen.clone()))
        .call()
        .await
        .unwrap();
    let resolved: Vec<_> = client
        .list_conversations()
        .website_id(W)
        .filter_resolved(true)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        resolved
            .iter()
            .map(|c| c.session_id.clone())
            .collect::<Vec<_>>()
            .len(),
        2
    );
    client
        .batch_unresolve_conversations()
        .website_id(W)
        .body_map(|b| b.sessions(vec![sessions[0].clone()]))
        .call()
        .await
        .unwrap();
    let state = client
        .get_conversation_state()
        .website_id(W)
        .session_id(&sessions[0])
        .call()
        .await
        .unwrap();
    assert_eq!(state.state.as_deref(), Some("unresolved"));
    client
        .batch_read_conversations()
        .website_id(W)
        .body_map(|b| b.sessions(chosen.clone()))
        .call()
        .await
        .unwrap();
    let unread: Vec<_> = client
        .list_conversations()
        .website_id(W)
        .filter_unread(true)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(unread.len(), 23);
    client
        .batch_unread_conversations()
        .website_id(W)
        .body_map(|b| b.sessions(chosen.clone()))
        .call()
        .await
        .unwrap();
    let unread: Vec<_> = client
        .list_conversations()
        .website_id(W)
        .filter_unread(true)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(unread.len(), 25);
    client
        .batch_remove_items()
        .website_id(W)
        .body_map(|b| b.sessions(chosen.clone()))
        .call()
        .await
        .unwrap();
    assert!(
        !client
            .check_conversation_exists()
            .website_id(W)
            .session_id(&sessions[1])
            .exists()
            .await
            .unwrap()
    );
}

#[tokio::test]
async fn bad_requests_are_refused_as_crisp_does_naming_the_field() {
    let fake = fake().await;
    let client = crate::plain(&fake);
    let sid = conversation(&client).await;
    let path = format!("website/{W}/conversation/{sid}/state");
    let err = client
        .raw(Method::PATCH, &path)
        .json(&json!({"state": "closed"}))
        .call::<Value>()
        .await
        .unwrap_err();
    assert_eq!(
        (err.status().map(|s| s.as_u16()), err.reason()),
        (Some(400), Some("invalid_data"))
    );
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
    assert_eq!(
        (err.status().map(|s| s.as_u16()), err.reason()),
        (Some(404), Some("not_found"))
    );
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
    assert_eq!(
        (err.status().map(|s| s.as_u16()), err.reason()),
        (Some(401), Some("invalid_session"))
    );
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
    let err = crate::plain(&strict)
        .get_helpdesk_settings()
        .website_id(W)
        .call()
        .await
        .unwrap_err();
    assert_eq!(
        (err.status().map(|s| s.as_u16()), err.reason()),
        (Some(501), Some("not_implemented"))
    );
    // Stateful operations work the same in strict mode.
    assert!(
        crate::plain(&strict)
            .get_website()
            .website_id(W)
            .call()
            .await
            .is_ok()
    );
}
