//! Messages of a conversation: send, list by batches back in time (`timestamp_before`), get,
//! update, remove, compose (an event only), and the read, delivered and unread marks.

use crate::api::{Answer, Ctx, Failure, Outcome, Request};
use crate::conversations::find;
use crate::events::Pending;
use crate::state::{Conversation, Message, Store};
use serde_json::{Map, Value, json};

/// The operations this module keeps state for.
pub const OPERATIONS: &[&str] = &[
    "send_message_in_conversation",
    "list_messages_in_conversation",
    "get_message_in_conversation",
    "update_message_in_conversation",
    "remove_message_in_conversation",
    "compose_message_in_conversation",
    "mark_messages_read_in_conversation",
    "mark_messages_delivered_in_conversation",
    "mark_conversation_as_unread",
];

/// How many messages a batch of the history holds (Crisp does not document its own size).
pub const BATCH: usize = 20;

/// Handles `req` if it is one of [`OPERATIONS`].
pub fn handle(ctx: &mut Ctx, req: &Request) -> Option<Outcome> {
    if !OPERATIONS.contains(&req.op) {
        return None;
    }
    Some(match req.op {
        "send_message_in_conversation" => req.object().cloned().and_then(|body| {
            send(
                ctx.store,
                ctx.events,
                req.website(),
                req.param("session_id"),
                body,
            )
        }),
        "list_messages_in_conversation" => list(ctx.store, req),
        _ => one(ctx, req),
    })
}

/// Sends `body` (`{type, from, origin, content, …}`) into a conversation and records
/// `message:send` (from the visitor) or `message:received` (from an operator).
pub fn send(
    store: &mut Store,
    events: &mut Pending,
    website_id: &str,
    session_id: &str,
    mut body: Map<String, Value>,
) -> Outcome {
    let mut take = |name: &str| match body.remove(name) {
        Some(Value::String(s)) => Ok(s),
        _ => Err(Failure::invalid(name, "is required and must be a string")),
    };
    let (kind, from, origin) = (take("type")?, take("from")?, take("origin")?);
    if from != "user" && from != "operator" {
        return Err(Failure::invalid("from", "must be user or operator"));
    }
    let content = body
        .remove("content")
        .ok_or_else(|| Failure::invalid("content", "is required"))?;
    if matches!(kind.as_str(), "text" | "note") && !content.is_string() {
        return Err(Failure::invalid(
            "content",
            "must be a string for a text or note message",
        ));
    }
    let now = store.tick();
    let fingerprint = match body.remove("fingerprint") {
        Some(v) => v
            .as_i64()
            .ok_or_else(|| Failure::invalid("fingerprint", "must be an integer"))?,
        None => store.fingerprint(now),
    };
    let operator = store.website(website_id).operator_id().map(str::to_owned);
    let conversation = store
        .website(website_id)
        .conversations
        .get_mut(session_id)
        .ok_or_else(|| Failure::missing("conversation"))?;
    if !body.contains_key("user") {
        let user = if from == "user" {
            let nickname = conversation
                .meta
                .get("nickname")
                .cloned()
                .unwrap_or_else(|| "Visitor".into());
            json!({"user_id": session_id, "nickname": nickname})
        } else {
            json!({"user_id": operator, "nickname": "Fake Operator", "type": "website"})
        };
        body.insert("user".into(), user);
    }
    let message = Message {
        fingerprint,
        timestamp: now,
        kind,
        from: from.clone(),
        origin,
        content,
        read: None,
        delivered: None,
        edited: false,
        extra: body.into(),
    };
    let payload = message.to_json(website_id, session_id);
    conversation.messages.push(message);
    conversation.updated_at = now;
    if from == "user" {
        conversation.unread_operator += 1;
        conversation.waiting_since.get_or_insert(now);
        if conversation.state == "resolved" {
            conversation.state = "unresolved".into();
        }
    } else {
        conversation.unread_visitor += 1;
        conversation.waiting_since = None;
        if conversation.state == "pending" {
            conversation.state = "unresolved".into();
        }
    }
    let change = if from == "user" {
        "visitor message"
    } else {
        "operator message"
    };
    events.push(change, website_id, now, payload);
    Ok(Answer {
        status: 200,
        reason: "dispatched",
        data: Some(json!({ "fingerprint": fingerprint })),
    })
}

fn list(store: &mut Store, req: &Request) -> Outcome {
    let before = req.query_i64("timestamp_before")?;
    let after = req.query_i64("timestamp_after")?;
    req.query_i64("timestamp_around")?;
    let website_id = req.website().to_owned();
    let conversation = find(store, req)?;
    let window: Vec<&Message> = conversation
        .messages
        .iter()
        .filter(|m| before.is_none_or(|b| m.timestamp < b) && after.is_none_or(|a| m.timestamp > a))
        .collect();
    let start = window.len().saturating_sub(BATCH);
    let items = window[start..]
        .iter()
        .map(|m| m.to_json(&website_id, &conversation.session_id))
        .collect();
    // 206 while older messages remain, 200 for the oldest batch.
    Ok(Answer::page(items, start > 0))
}

fn one(ctx: &mut Ctx, req: &Request) -> Outcome {
    let website_id = req.website().to_owned();
    let now = if req.op.starts_with("get_") {
        ctx.store.now_ms
    } else {
        ctx.store.tick()
    };
    let conversation = find(ctx.store, req)?;
    let (sid, inbox) = (
        conversation.session_id.clone(),
        conversation.inbox_id.clone(),
    );
    let mut emit = |change: &str, payload: Value| {
        ctx.events
            .session(change, &website_id, &sid, inbox.as_deref(), now, payload);
    };
    match req.op {
        "compose_message_in_conversation" => {
            let kind = req.str_field("type")?;
            let from = req.str_field("from")?;
            let change = match from {
                "user" => "visitor composes",
                "operator" => "operator composes",
                _ => return Err(Failure::invalid("from", "must be user or operator")),
            };
            let mut payload = json!({"type": kind, "timestamp": now});
            if let Some(excerpt) = req.object()?.get("excerpt") {
                payload["excerpt"] = excerpt.clone();
            }
            emit(change, payload);
            Ok(Answer::ok("dispatched"))
        }
        "mark_messages_read_in_conversation" | "mark_messages_delivered_in_conversation" => {
            let read = req.op == "mark_messages_read_in_conversation";
            let from = req.str_field("from")?;
            if from != "user" && from != "operator" {
                return Err(Failure::invalid("from", "must be user or operator"));
            }
            let origin = req
                .object()?
                .get("origin")
                .and_then(Value::as_str)
                .unwrap_or("chat")
                .to_owned();
            let wanted: Option<Vec<i64>> = match req.object()?.get("fingerprints") {
                None | Some(Value::Null) => None,
                Some(Value::Array(list)) => Some(
                    list.iter()
                        .map(|f| {
                            f.as_i64().ok_or_else(|| {
                                Failure::invalid("fingerprints", "must hold integers")
                            })
                        })
                        .collect::<Result<_, _>>()?,
                ),
                Some(_) => return Err(Failure::invalid("fingerprints", "must be an array")),
            };
            let marked = mark(conversation, from, wanted.as_deref(), &origin, read);
            let change = match (read, from) {
                (false, _) => "delivered",
                (true, "operator") => "visitor read",
                (true, _) => "operator read",
            };
            emit(change, json!({"origin": origin, "fingerprints": marked}));
            Ok(Answer::ok("updated"))
        }
        "mark_conversation_as_unread" => {
            let from = req.str_field("from")?;
            match from {
                "user" => conversation.unread_operator = conversation.unread_operator.max(1),
                "operator" => conversation.unread_visitor = conversation.unread_visitor.max(1),
                _ => return Err(Failure::invalid("from", "must be user or operator")),
            }
            emit(
                "marked unread",
                json!({"origin": "chat", "fingerprints": []}),
            );
            Ok(Answer::ok("updated"))
        }
        _ => {
            let fingerprint: i64 = req
                .param("fingerprint")
                .parse()
                .map_err(|_| Failure::invalid("fingerprint", "is not an integer"))?;
            let index = conversation
                .messages
                .iter()
                .position(|m| m.fingerprint == fingerprint)
                .ok_or_else(|| Failure::missing("message"))?;
            match req.op {
                "get_message_in_conversation" => Ok(Answer::data(
                    "resolved",
                    conversation.messages[index].to_json(&website_id, &sid),
                )),
                "update_message_in_conversation" => {
                    let content = req
                        .object()?
                        .get("content")
                        .ok_or_else(|| Failure::invalid("content", "is required"))?;
                    let message = &mut conversation.messages[index];
                    message.content = content.clone();
                    message.edited = true;
                    emit(
                        "message updated",
                        json!({"fingerprint": fingerprint, "content": content}),
                    );
                    Ok(Answer::ok("updated"))
                }
                _ => {
                    conversation.messages.remove(index);
                    emit("message removed", json!({"fingerprint": fingerprint}));
                    Ok(Answer::ok("deleted"))
                }
            }
        }
    }
}

/// Marks the messages sent by `from` (those of `wanted`, or every one not marked yet) as read
/// or delivered on `origin`; returns their fingerprints.
fn mark(
    conversation: &mut Conversation,
    from: &str,
    wanted: Option<&[i64]>,
    origin: &str,
    read: bool,
) -> Vec<i64> {
    let mut marked = Vec::new();
    for message in conversation.messages.iter_mut().filter(|m| m.from == from) {
        let slot = if read {
            &mut message.read
        } else {
            &mut message.delivered
        };
        let hit = match wanted {
            Some(list) => list.contains(&message.fingerprint),
            None => slot.is_none(),
        };
        if hit {
            *slot = Some(origin.to_owned());
            marked.push(message.fingerprint);
        }
    }
    if read {
        let unread = |from_side: &str| {
            conversation
                .messages
                .iter()
                .filter(|m| m.from == from_side && m.read.is_none())
                .count()
        };
        conversation.unread_operator = u32::try_from(unread("user")).unwrap_or(u32::MAX);
        conversation.unread_visitor = u32::try_from(unread("operator")).unwrap_or(u32::MAX);
    }
    marked
}
