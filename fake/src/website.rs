//! The website (`get_website`), its settings, its operators, RTM discovery
//! (`connect/endpoints`) and the batch routes (resolve, unresolve, read, unread, remove).

use crate::api::{Answer, Ctx, Failure, Outcome, Request};
use crate::state::merge;
use serde_json::{Value, json};

/// The operations this module keeps state for.
pub const OPERATIONS: &[&str] = &[
    "get_website",
    "get_website_settings",
    "update_website_settings",
    "list_website_operators",
    "get_connect_endpoints",
    "get_website_connect_endpoints",
    "batch_resolve_conversations",
    "batch_unresolve_conversations",
    "batch_read_conversations",
    "batch_unread_conversations",
    "batch_remove_items",
];

/// Handles `req` if it is one of [`OPERATIONS`].
pub fn handle(ctx: &mut Ctx, req: &Request) -> Option<Outcome> {
    let answer = match req.op {
        "get_connect_endpoints" | "get_website_connect_endpoints" => {
            Answer::data("resolved", crate::rtm::endpoints(ctx.base))
        }
        "get_website" => {
            let site = ctx.store.website(req.website());
            Answer::data("resolved", Value::Object(site.website.clone()))
        }
        "get_website_settings" => Answer::data(
            "resolved",
            ctx.store.website(req.website()).settings.clone(),
        ),
        "update_website_settings" => {
            let patch = match req.object() {
                Ok(patch) => Value::Object(patch.clone()),
                Err(e) => return Some(Err(e)),
            };
            merge(&mut ctx.store.website(req.website()).settings, &patch);
            Answer::ok("updated")
        }
        "list_website_operators" => Answer::data(
            "listed",
            Value::Array(ctx.store.website(req.website()).operators.clone()),
        ),
        op if op.starts_with("batch_") && OPERATIONS.contains(&op) => return Some(batch(ctx, req)),
        _ => return None,
    };
    Some(Ok(answer))
}

fn strings(req: &Request, field: &str) -> Result<Option<Vec<String>>, Failure> {
    let mut value = &req.body;
    for part in field.split('.') {
        value = &value[part];
    }
    match value {
        Value::Null => Ok(None),
        Value::Array(items) => items
            .iter()
            .map(|i| {
                i.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| Failure::invalid(field, "must hold strings"))
            })
            .collect::<Result<_, _>>()
            .map(Some),
        _ => Err(Failure::invalid(field, "must be an array of strings")),
    }
}

fn batch(ctx: &mut Ctx, req: &Request) -> Outcome {
    if !req.body.is_null() {
        req.object()?;
    }
    let website_id = req.website().to_owned();
    let sessions = strings(req, "sessions")?;
    let people = strings(req, "people.profiles")?;
    let inbox = req.body["inbox_id"].as_str();
    let now = ctx.store.tick();
    let site = ctx.store.website(&website_id);
    if req.op == "batch_remove_items"
        && let Some(people) = people
    {
        for id in people {
            if let Some(person) = site.people.remove(&id) {
                let email = person.profile.get("email").cloned().unwrap_or(Value::Null);
                ctx.events.push(
                    "profile removed",
                    &website_id,
                    now,
                    json!({"website_id": website_id, "people_id": id, "email": email}),
                );
            }
        }
        return Ok(Answer::ok("deleted"));
    }
    let chosen: Vec<String> = site
        .conversations
        .values()
        .filter(|c| {
            sessions
                .as_ref()
                .is_none_or(|s| s.is_empty() || s.contains(&c.session_id))
        })
        .filter(|c| inbox.is_none_or(|i| c.inbox_id.as_deref() == Some(i)))
        .map(|c| c.session_id.clone())
        .collect();
    for sid in chosen {
        let conversation = site.conversations.get_mut(&sid).expect("chosen above");
        let inbox_id = conversation.inbox_id.clone();
        let mut emit = |change: &str, payload: Value| {
            ctx.events
                .session(change, &website_id, &sid, inbox_id.as_deref(), now, payload);
        };
        match req.op {
            "batch_resolve_conversations" | "batch_unresolve_conversations" => {
                let state = if req.op == "batch_resolve_conversations" {
                    "resolved"
                } else {
                    "unresolved"
                };
                conversation.state = state.into();
                conversation.updated_at = now;
                emit("state", json!({ "state": state }));
            }
            "batch_read_conversations" => {
                let mut marked = Vec::new();
                for m in conversation
                    .messages
                    .iter_mut()
                    .filter(|m| m.from == "user" && m.read.is_none())
                {
                    m.read = Some("chat".into());
                    marked.push(m.fingerprint);
                }
                conversation.unread_operator = 0;
                emit(
                    "operator read",
                    json!({"origin": "chat", "fingerprints": marked}),
                );
            }
            "batch_unread_conversations" => {
                conversation.unread_operator = conversation.unread_operator.max(1);
                emit(
                    "marked unread",
                    json!({"origin": "chat", "fingerprints": []}),
                );
            }
            _ => {
                site.conversations.remove(&sid);
                emit("conversation removed", json!({}));
            }
        }
    }
    Ok(Answer::ok(if req.op == "batch_remove_items" {
        "deleted"
    } else {
        "updated"
    }))
}
