//! Conversations: create, get, exists, remove, list (filters, text/segment/filter search,
//! order, `per_page`), and the conversation's meta, state, routing, block, open state,
//! participants and inbox.

use crate::api::{Answer, Ctx, Failure, Outcome, Request, paginate, per_page};
use crate::state::{Conversation, Store};
use serde_json::{Map, Value, json};

/// The operations this module keeps state for.
pub const OPERATIONS: &[&str] = &[
    "create_conversation",
    "get_conversation",
    "check_conversation_exists",
    "remove_conversation",
    "list_conversations",
    "get_conversation_metas",
    "update_conversation_metas",
    "get_conversation_state",
    "change_conversation_state",
    "get_conversation_routing_assign",
    "assign_conversation_routing",
    "get_block_status_for_conversation",
    "block_incoming_messages_for_conversation",
    "update_conversation_open_state",
    "get_conversation_participants",
    "save_conversation_participants",
    "update_conversation_inbox",
];

/// The meta fields whose change emits a `session:set_*` event.
const META_EVENTS: &[&str] = &[
    "email", "phone", "address", "subject", "avatar", "nickname", "origin", "data", "segments",
];

/// Handles `req` if it is one of [`OPERATIONS`].
pub fn handle(ctx: &mut Ctx, req: &Request) -> Option<Outcome> {
    Some(match req.op {
        "create_conversation" => Ok(create(ctx.store, ctx.events, req.website())),
        "list_conversations" => list(ctx.store, req),
        op if OPERATIONS.contains(&op) => one(ctx, req),
        _ => return None,
    })
}

/// Creates a conversation on `website_id` and records `session:request:initiated`; returns
/// the answer holding its `session_id`.
pub fn create(store: &mut Store, events: &mut crate::events::Pending, website_id: &str) -> Answer {
    let now = store.tick();
    let session_id = format!("session_{}", store.uuid());
    let conversation = Conversation {
        session_id: session_id.clone(),
        people_id: None,
        state: "pending".into(),
        is_blocked: false,
        opened: false,
        created_at: now,
        updated_at: now,
        waiting_since: None,
        meta: Map::new(),
        assigned: None,
        inbox_id: None,
        participants: Vec::new(),
        unread_operator: 0,
        unread_visitor: 0,
        mentions: Vec::new(),
        messages: Vec::new(),
    };
    store
        .website(website_id)
        .conversations
        .insert(session_id.clone(), conversation);
    events.session(
        "conversation created",
        website_id,
        &session_id,
        None,
        now,
        json!({}),
    );
    Answer {
        status: 200,
        reason: "added",
        data: Some(json!({ "session_id": session_id })),
    }
}

/// The conversation of the request's path, or 404.
pub fn find<'a>(store: &'a mut Store, req: &Request) -> Result<&'a mut Conversation, Failure> {
    store
        .website(req.website())
        .conversations
        .get_mut(req.param("session_id"))
        .ok_or_else(|| Failure::missing("conversation"))
}

fn one(ctx: &mut Ctx, req: &Request) -> Outcome {
    let website_id = req.website().to_owned();
    // Reads do not move the clock; changes do.
    let now = if req.op.starts_with("get_") || req.op.starts_with("check_") {
        ctx.store.now_ms
    } else {
        ctx.store.tick()
    };
    let operator = ctx
        .store
        .website(&website_id)
        .operator_id()
        .map(str::to_owned);
    // Setting the e-mail links the conversation to the profile with that e-mail, if any.
    let linked = match (req.op, req.body.get("email").and_then(Value::as_str)) {
        ("update_conversation_metas", Some(email)) => {
            crate::people::lookup(ctx.store.website(&website_id), email)
        }
        _ => None,
    };
    let conversation = find(ctx.store, req)?;
    if linked.is_some() {
        conversation.people_id = linked;
    }
    let (sid, inbox) = (
        conversation.session_id.clone(),
        conversation.inbox_id.clone(),
    );
    let events = &mut *ctx.events;
    let mut emit = |change: &str, payload: Value| {
        events.session(change, &website_id, &sid, inbox.as_deref(), now, payload);
    };
    let answer = match req.op {
        "get_conversation" => Answer::data("resolved", conversation.to_json(&website_id)),
        "check_conversation_exists" => Answer::ok("resolved"),
        "get_conversation_metas" => {
            Answer::data("resolved", Value::Object(conversation.meta.clone()))
        }
        "get_conversation_state" => Answer::data("resolved", json!({"state": conversation.state})),
        "get_conversation_routing_assign" => Answer::data(
            "resolved",
            json!({"assigned": conversation.assigned.as_ref().map(|u| json!({"user_id": u}))}),
        ),
        "get_block_status_for_conversation" => {
            Answer::data("resolved", json!({"blocked": conversation.is_blocked}))
        }
        "get_conversation_participants" => Answer::data(
            "resolved",
            json!({"participants": conversation.participants}),
        ),
        "remove_conversation" => {
            ctx.store.website(&website_id).conversations.remove(&sid);
            emit("conversation removed", json!({}));
            Answer::ok("deleted")
        }
        "update_conversation_metas" => {
            let patch = req.object()?;
            for (field, value) in patch {
                match (field.as_str(), conversation.meta.get_mut(field)) {
                    ("data", Some(Value::Object(data))) if value.is_object() => {
                        data.extend(
                            value
                                .as_object()
                                .into_iter()
                                .flatten()
                                .map(|(k, v)| (k.clone(), v.clone())),
                        );
                    }
                    _ => {
                        conversation.meta.insert(field.clone(), value.clone());
                    }
                }
                if META_EVENTS.contains(&field.as_str()) {
                    let current = conversation.meta[field.as_str()].clone();
                    emit(&format!("meta {field}"), json!({ field.as_str(): current }));
                }
            }
            conversation.updated_at = now;
            Answer::ok("updated")
        }
        "change_conversation_state" => {
            let state = req.str_field("state")?;
            if !["pending", "unresolved", "resolved"].contains(&state) {
                return Err(Failure::invalid(
                    "state",
                    "must be pending, unresolved or resolved",
                ));
            }
            conversation.state = state.to_owned();
            conversation.updated_at = now;
            emit("state", json!({ "state": state }));
            Answer::ok("updated")
        }
        "assign_conversation_routing" => {
            let assigned = req
                .object()?
                .get("assigned")
                .ok_or_else(|| Failure::invalid("assigned", "is required"))?;
            let user = match assigned {
                Value::Null => None,
                Value::Object(a) => Some(
                    a.get("user_id")
                        .and_then(Value::as_str)
                        .ok_or_else(|| {
                            Failure::invalid("assigned.user_id", "is required and must be a string")
                        })?
                        .to_owned(),
                ),
                _ => return Err(Failure::invalid("assigned", "must be an object or null")),
            };
            let previous = std::mem::replace(&mut conversation.assigned, user.clone());
            conversation.updated_at = now;
            let mut payload = json!({});
            if let Some(user) = user {
                payload["routing_id"] = user.into();
            }
            if let Some(previous) = previous {
                payload["previous_routing_id"] = previous.into();
            }
            emit("routing", payload);
            Answer::ok("updated")
        }
        "block_incoming_messages_for_conversation" => {
            let blocked = req
                .object()?
                .get("blocked")
                .and_then(Value::as_bool)
                .ok_or_else(|| Failure::invalid("blocked", "is required and must be a boolean"))?;
            conversation.is_blocked = blocked;
            emit("block", json!({ "is_blocked": blocked }));
            Answer::ok("updated")
        }
        "update_conversation_open_state" => {
            let opened = req
                .object()?
                .get("opened")
                .and_then(Value::as_bool)
                .ok_or_else(|| Failure::invalid("opened", "is required and must be a boolean"))?;
            conversation.opened = opened;
            let operator = json!({"user_id": operator});
            emit(
                if opened { "opened" } else { "closed" },
                json!({ "operator": operator }),
            );
            Answer::ok("updated")
        }
        "save_conversation_participants" => {
            let participants = req
                .object()?
                .get("participants")
                .and_then(Value::as_array)
                .ok_or_else(|| {
                    Failure::invalid("participants", "is required and must be an array")
                })?;
            conversation.participants = participants.clone();
            emit("participants", json!({ "participants": participants }));
            Answer::ok("updated")
        }
        "update_conversation_inbox" => {
            let inbox = match req.object()?.get("inbox_id") {
                Some(Value::String(s)) => Some(s.clone()),
                Some(Value::Null) => None,
                _ => {
                    return Err(Failure::invalid(
                        "inbox_id",
                        "is required (a string or null)",
                    ));
                }
            };
            let previous = std::mem::replace(&mut conversation.inbox_id, inbox.clone());
            ctx.events.session(
                "inbox",
                &website_id,
                &sid,
                inbox.as_deref(),
                now,
                json!({ "previous_inbox_id": previous }),
            );
            Answer::ok("updated")
        }
        _ => return Err(Failure::no_route()),
    };
    Ok(answer)
}

fn list(store: &mut Store, req: &Request) -> Outcome {
    let page = req.page()?;
    let per_page = per_page(req)?;
    let search = Search::from(req)?;
    let site = store.website(req.website());
    let mut found: Vec<&Conversation> = site
        .conversations
        .values()
        .filter(|c| req.flag("include_empty") || !c.messages.is_empty())
        .filter(|c| !req.flag("filter_resolved") || c.state == "resolved")
        .filter(|c| !req.flag("filter_not_resolved") || c.state != "resolved")
        .filter(|c| !req.flag("filter_unread") || c.unread_operator > 0)
        .filter(|c| !req.flag("filter_unassigned") || c.assigned.is_none())
        .filter(|c| match req.query.get("filter_assigned") {
            Some(user) => c.assigned.as_deref() == Some(user),
            None => true,
        })
        .filter(|c| match req.query.get("filter_inbox_id") {
            Some(inbox) => c.inbox_id.as_deref() == Some(inbox),
            None => true,
        })
        .filter(|c| search.matches(c))
        .collect();
    let (start, end) = (
        date(req, "filter_date_start")?,
        date(req, "filter_date_end")?,
    );
    found.retain(|c| {
        start.is_none_or(|s| c.created_at >= s) && end.is_none_or(|e| c.created_at <= e)
    });
    if req.flag("order_date_created") {
        found.sort_by_key(|c| std::cmp::Reverse((c.created_at, c.session_id.clone())));
    } else if req.flag("order_date_waiting") {
        found.sort_by_key(|c| (c.waiting_since.unwrap_or(i64::MAX), c.session_id.clone()));
    } else {
        found.sort_by_key(|c| std::cmp::Reverse((c.updated_at, c.session_id.clone())));
    }
    let (items, more) = paginate(&found, page, per_page);
    let website_id = req.website();
    Ok(Answer::page(
        items.into_iter().map(|c| c.to_json(website_id)).collect(),
        more,
    ))
}

/// A conversation search from `search_query`, `search_type` and `search_operator`.
enum Search {
    None,
    Text(String),
    Segment(String),
    Filter {
        any: bool,
        criteria: Vec<(String, String, Vec<String>)>,
    },
}

impl Search {
    fn from(req: &Request) -> Result<Search, Failure> {
        let Some(query) = req.query.get("search_query").filter(|q| !q.is_empty()) else {
            return Ok(Search::None);
        };
        match req.query.get("search_type").map(String::as_str) {
            None | Some("text") => Ok(Search::Text(query.to_lowercase())),
            Some("segment") => Ok(Search::Segment(query.clone())),
            Some("filter") => {
                let filters: Vec<Value> = serde_json::from_str(query).map_err(|_| {
                    Failure::invalid("search_query", "must be a JSON array of filters")
                })?;
                let criteria = filters
                    .iter()
                    .map(|f| {
                        let criterion = f["criterion"].as_str().ok_or_else(|| {
                            Failure::invalid("search_query", "has a filter without `criterion`")
                        })?;
                        let values = f["query"]
                            .as_array()
                            .into_iter()
                            .flatten()
                            .map(|v| {
                                v.as_str()
                                    .map_or_else(|| v.to_string(), str::to_owned)
                                    .to_lowercase()
                            })
                            .collect();
                        Ok((
                            criterion.to_owned(),
                            f["operator"].as_str().unwrap_or("eq").to_owned(),
                            values,
                        ))
                    })
                    .collect::<Result<_, Failure>>()?;
                let any = req.query.get("search_operator").map(String::as_str) == Some("or");
                Ok(Search::Filter { any, criteria })
            }
            Some(_) => Err(Failure::invalid(
                "search_type",
                "must be text, segment or filter",
            )),
        }
    }

    fn matches(&self, c: &Conversation) -> bool {
        match self {
            Search::None => true,
            Search::Text(text) => c.mentions_text(text),
            Search::Segment(segment) => segments(c).iter().any(|s| s == segment),
            Search::Filter { any, criteria } => {
                let check = |(criterion, operator, values): &(String, String, Vec<String>)| {
                    let field = criterion.rsplit('.').next().unwrap_or(criterion);
                    let actual = match c.meta.get(field) {
                        Some(Value::String(s)) => s.to_lowercase(),
                        Some(Value::Array(a)) => Value::Array(a.clone()).to_string().to_lowercase(),
                        Some(other) => other.to_string().to_lowercase(),
                        None => String::new(),
                    };
                    let hit = values.iter().any(|v| match operator.as_str() {
                        "eq" | "neq" => actual == *v,
                        _ => actual.contains(v.as_str()),
                    });
                    if operator.starts_with('n') { !hit } else { hit }
                };
                if *any {
                    criteria.iter().any(check)
                } else {
                    criteria.iter().all(check)
                }
            }
        }
    }
}

fn segments(c: &Conversation) -> Vec<String> {
    c.meta
        .get("segments")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}

/// An ISO 8601 date (`2026-01-31` or `2026-01-31T12:00:00Z`) of the query, as ms since the epoch.
fn date(req: &Request, name: &str) -> Result<Option<i64>, Failure> {
    let Some(text) = req.query.get(name) else {
        return Ok(None);
    };
    parse_date(text)
        .map(Some)
        .ok_or_else(|| Failure::invalid(name, "is not an ISO 8601 date"))
}

fn parse_date(text: &str) -> Option<i64> {
    let number = |range: std::ops::Range<usize>| text.get(range)?.parse::<i64>().ok();
    let (y, m, d) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let (h, min, s) = if text.len() >= 19 {
        (number(11..13)?, number(14..16)?, number(17..19)?)
    } else {
        (0, 0, 0)
    };
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(((days * 24 + h) * 60 + min) * 60_000 + s * 1000)
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_read_as_epoch_milliseconds() {
        assert_eq!(
            super::parse_date("2026-01-01"),
            Some(crate::state::DEFAULT_START_MS)
        );
        assert_eq!(super::parse_date("1970-01-02T00:00:01Z"), Some(86_401_000));
        assert_eq!(super::parse_date("soon"), None);
    }
}
