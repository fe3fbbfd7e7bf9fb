//! Lists over 206 then 200, search filters and batch routes.

use crate::{W, conversation, exists, fake, send};
use crisp_api::message::Sender;
use crisp_api::{Client, builder, types};
use futures::TryStreamExt;

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
    let every: Vec<_> = all(&client, |list| list).await;
    assert_eq!(
        every.len(),
        25,
        "conversations without messages are left out"
    );
    let with_empty: Vec<_> = all(&client, |list| list.include_empty(true)).await;
    assert!(with_empty.iter().any(|c| c.session_id == empty));

    let refunds: Vec<_> = all(&client, |list| {
        list.search_query("REFUND")
            .search_type(types::ListConversationsSearchType::Text)
    })
    .await;
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
    let resolved: Vec<_> = all(&client, |list| list.filter_resolved(true)).await;
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
    let unread: Vec<_> = all(&client, |list| list.filter_unread(true)).await;
    assert_eq!(unread.len(), 23);
    client
        .batch_unread_conversations()
        .website_id(W)
        .body_map(|b| b.sessions(chosen.clone()))
        .call()
        .await
        .unwrap();
    let unread: Vec<_> = all(&client, |list| list.filter_unread(true)).await;
    assert_eq!(unread.len(), 25);
    client
        .batch_remove_items()
        .website_id(W)
        .body_map(|b| b.sessions(chosen.clone()))
        .call()
        .await
        .unwrap();
    assert!(!exists(&client, &sessions[1]).await);
}

/// Every conversation of the list with the filters `filter` sets, through `.stream()`.
async fn all<'a>(
    client: &'a Client,
    filter: impl FnOnce(builder::ListConversations<'a>) -> builder::ListConversations<'a>,
) -> Vec<types::Conversation> {
    filter(client.list_conversations().website_id(W))
        .stream()
        .try_collect()
        .await
        .unwrap()
}
