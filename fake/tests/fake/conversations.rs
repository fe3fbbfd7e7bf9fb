//! Conversations: their state, meta, routing and marks, and their messages.

use crate::{W, conversation, exists, fake, get, message, send, status_reason};
use crisp_api::message::Sender;
use crisp_api::types::{self, MessageContent};
use futures::TryStreamExt;
use serde_json::json;

#[tokio::test]
async fn a_conversation_keeps_its_state_meta_routing_and_marks() {
    let fake = fake().await;
    let client = fake.client();
    let sid = conversation(&client).await;
    assert!(sid.starts_with("session_"), "{sid}");

    let got = get(&client, &sid).await.unwrap();
    assert_eq!(got.session_id, sid);
    assert_eq!(got.state.as_deref(), Some("pending"));
    assert!(exists(&client, &sid).await);

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
    let got = get(&client, &sid).await.unwrap();
    assert_eq!(got.inbox_id.as_deref(), Some(inbox));
    assert_eq!(got.is_blocked, Some(true));

    client
        .remove_conversation()
        .website_id(W)
        .session_id(&sid)
        .call()
        .await
        .unwrap();
    assert!(!exists(&client, &sid).await);
    let err = get(&client, &sid).await.unwrap_err();
    assert_eq!(status_reason(&err), (Some(404), Some("not_found")));
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

    let one = message(&client, &sid, fingerprints[3]).await.unwrap();
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
    let one = message(&client, &sid, fingerprints[3]).await.unwrap();
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
    let err = message(&client, &sid, fingerprints[3]).await.unwrap_err();
    assert!(err.is_not_found(), "{err}");

    // Read, delivered and unread marks move the conversation's unread counts.
    let unread = |c: &types::Conversation| c.unread.as_ref().and_then(|u| u.operator);
    let got = get(&client, &sid).await.unwrap();
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
    let got = get(&client, &sid).await.unwrap();
    assert_eq!(unread(&got), Some(0));
    client
        .mark_messages_delivered_in_conversation()
        .website_id(W)
        .session_id(&sid)
        .body_map(|b| {
            b.from("operator")
                .origin("chat".to_owned())
                .fingerprints(fingerprints.clone())
        })
        .call()
        .await
        .unwrap();
    let delivered = message(&client, &sid, fingerprints[1]).await.unwrap();
    assert_eq!(delivered.delivered.as_deref(), Some("chat"));
    client
        .mark_conversation_as_unread()
        .website_id(W)
        .session_id(&sid)
        .body_map(|b| b.from(types::MarkConversationAsUnreadBodyFrom::User))
        .call()
        .await
        .unwrap();
    let got = get(&client, &sid).await.unwrap();
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
