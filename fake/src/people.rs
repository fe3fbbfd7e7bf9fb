//! People: profiles (add, get, exists, update, save, remove, list with `search_text` and
//! `search_filter`), their custom data (get, save, merge), their events (add, list) and their
//! conversations.

use crate::api::{Answer, Ctx, Failure, Outcome, Request, paginate, per_page};
use crate::state::{Person, Store, Website, merge};
use serde_json::{Map, Value, json};

/// The operations this module keeps state for.
pub const OPERATIONS: &[&str] = &[
    "add_new_people_profile",
    "get_people_profile",
    "check_people_profile_exists",
    "update_people_profile",
    "save_people_profile",
    "remove_people_profile",
    "list_people_profiles",
    "get_people_data",
    "save_people_data",
    "update_people_data",
    "add_people_event",
    "list_people_events",
    "list_people_conversations",
];

/// The editable fields of a profile (`PeopleProfileCard`).
const CARD: &[&str] = &[
    "email", "person", "company", "segments", "notepad", "active",
];

/// Handles `req` if it is one of [`OPERATIONS`].
pub fn handle(ctx: &mut Ctx, req: &Request) -> Option<Outcome> {
    Some(match req.op {
        "add_new_people_profile" => add(ctx, req),
        "list_people_profiles" => list(ctx.store, req),
        op if OPERATIONS.contains(&op) => one(ctx, req),
        _ => return None,
    })
}

/// The id of the profile `key` (a people id or an e-mail address) of `site`.
pub fn lookup(site: &Website, key: &str) -> Option<String> {
    if site.people.contains_key(key) {
        return Some(key.to_owned());
    }
    site.people
        .iter()
        .find(|(_, p)| p.profile.get("email").and_then(Value::as_str) == Some(key))
        .map(|(id, _)| id.clone())
}

fn card(req: &Request) -> Result<Map<String, Value>, Failure> {
    let body = req.object()?;
    if let Some(email) = body.get("email")
        && !email.as_str().is_some_and(|e| e.contains('@'))
    {
        return Err(Failure::invalid("email", "must be an e-mail address"));
    }
    if body.get("segments").is_some_and(|s| !s.is_array()) {
        return Err(Failure::invalid("segments", "must be an array of strings"));
    }
    let mut out = Map::new();
    for (key, value) in body {
        if CARD.contains(&key.as_str()) {
            out.insert(key.clone(), value.clone());
        }
    }
    Ok(out)
}

fn add(ctx: &mut Ctx, req: &Request) -> Outcome {
    let card = card(req)?;
    let email = card
        .get("email")
        .and_then(Value::as_str)
        .ok_or_else(|| Failure::invalid("email", "is required"))?
        .to_owned();
    let now = ctx.store.tick();
    let people_id = ctx.store.uuid();
    let site = ctx.store.website(req.website());
    if lookup(site, &email).is_some() {
        return Err(Failure::new(
            409,
            "people_exists",
            "a profile with this e-mail exists",
        ));
    }
    let mut profile = json!({
        "people_id": people_id,
        "person": {},
        "segments": [],
        "score": 0,
        "created_at": now,
        "updated_at": now,
    });
    merge(&mut profile, &Value::Object(card));
    let profile = activity(profile, now);
    site.people.insert(
        people_id.clone(),
        Person {
            profile,
            data: Map::new(),
            events: Vec::new(),
        },
    );
    ctx.events.push(
        "profile created",
        req.website(),
        now,
        json!({"website_id": req.website(), "people_id": people_id, "email": email}),
    );
    Ok(Answer {
        status: 200,
        reason: "added",
        data: Some(json!({ "people_id": people_id })),
    })
}

/// Turns the card's `active` (a timestamp) into the profile's `{now, last}`.
fn activity(profile: Value, now: i64) -> Map<String, Value> {
    let mut profile = match profile {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    let last = match profile.get("active") {
        Some(Value::Number(n)) => n.as_i64().unwrap_or(now),
        Some(Value::Object(a)) => a.get("last").and_then(Value::as_i64).unwrap_or(now),
        _ => now,
    };
    profile.insert("active".into(), json!({"now": false, "last": last}));
    profile
}

fn one(ctx: &mut Ctx, req: &Request) -> Outcome {
    let website_id = req.website().to_owned();
    let reading =
        req.op.starts_with("get_") || req.op.starts_with("check_") || req.op.starts_with("list_");
    let now = if reading {
        ctx.store.now_ms
    } else {
        ctx.store.tick()
    };
    let site = ctx.store.website(&website_id);
    let people_id =
        lookup(site, req.param("people_id")).ok_or_else(|| Failure::missing("people profile"))?;
    if req.op == "list_people_conversations" {
        return conversations(site, req, &people_id);
    }
    if req.op == "remove_people_profile" {
        let removed = site.people.remove(&people_id).expect("looked up");
        let email = removed.profile.get("email").cloned().unwrap_or(Value::Null);
        ctx.events.push(
            "profile removed",
            &website_id,
            now,
            json!({"website_id": website_id, "people_id": people_id, "email": email}),
        );
        return Ok(Answer::ok("deleted"));
    }
    let person = site.people.get_mut(&people_id).expect("looked up");
    let answer = match req.op {
        "get_people_profile" => Answer::data("resolved", Value::Object(person.profile.clone())),
        "check_people_profile_exists" => Answer::ok("resolved"),
        "update_people_profile" | "save_people_profile" => {
            let card = card(req)?;
            let mut profile = Value::Object(std::mem::take(&mut person.profile));
            if req.op == "save_people_profile" {
                for field in CARD {
                    if let Some(map) = profile.as_object_mut() {
                        map.remove(*field);
                    }
                }
            }
            merge(&mut profile, &Value::Object(card.clone()));
            profile["updated_at"] = now.into();
            person.profile = activity(profile, now);
            let mut update = card;
            update.insert("updated_at".into(), now.into());
            let email = person.profile.get("email").cloned().unwrap_or(Value::Null);
            ctx.events.push(
                "profile updated",
                &website_id,
                now,
                json!({"website_id": website_id, "people_id": people_id, "email": email, "update": update}),
            );
            Answer::ok("updated")
        }
        "get_people_data" => Answer::data("resolved", json!({"data": person.data})),
        "save_people_data" | "update_people_data" => {
            let data = match req.object()?.get("data") {
                Some(Value::Object(d)) => d.clone(),
                _ => {
                    return Err(Failure::invalid(
                        "data",
                        "is required and must be an object",
                    ));
                }
            };
            if req.op == "save_people_data" {
                person.data = data;
            } else {
                person.data.extend(data);
            }
            Answer::ok("updated")
        }
        "add_people_event" => {
            let text = req.str_field("text")?;
            let mut event = json!({"text": text, "timestamp": now});
            for field in ["color", "data"] {
                if let Some(value) = req.object()?.get(field) {
                    event[field] = value.clone();
                }
            }
            person.events.push(event);
            Answer::ok("added")
        }
        "list_people_events" => {
            let newest_first: Vec<Value> = person.events.iter().rev().cloned().collect();
            let (items, more) = paginate(&newest_first, req.page()?, per_page(req)?);
            Answer::page(items, more)
        }
        _ => return Err(Failure::no_route()),
    };
    Ok(answer)
}

fn conversations(site: &Website, req: &Request, people_id: &str) -> Outcome {
    let email = site.people[people_id].profile.get("email").cloned();
    let mut found: Vec<_> = site
        .conversations
        .values()
        .filter(|c| {
            c.people_id.as_deref() == Some(people_id)
                || (email.is_some() && c.meta.get("email") == email.as_ref())
        })
        .filter(|c| !req.flag("filter_resolved") || c.state == "resolved")
        .filter(|c| !req.flag("filter_not_resolved") || c.state != "resolved")
        .filter(|c| !req.flag("filter_unread") || c.unread_operator > 0)
        .collect();
    found.sort_by_key(|c| std::cmp::Reverse((c.updated_at, c.session_id.clone())));
    let ids: Vec<Value> = found.iter().map(|c| c.session_id.clone().into()).collect();
    let (items, more) = paginate(&ids, req.page()?, 20);
    Ok(Answer::page(items, more))
}

fn list(store: &mut Store, req: &Request) -> Outcome {
    let (page, per_page) = (req.page()?, per_page(req)?);
    let text = req.query.get("search_text").map(|t| t.to_lowercase());
    let filters: Vec<Value> = match req.query.get("search_filter") {
        Some(f) => serde_json::from_str(f)
            .map_err(|_| Failure::invalid("search_filter", "must be a JSON array of filters"))?,
        None => Vec::new(),
    };
    let any = req.query.get("search_operator").map(String::as_str) == Some("or");
    let site = store.website(req.website());
    let mut found: Vec<&Map<String, Value>> = site
        .people
        .values()
        .map(|p| &p.profile)
        .filter(|p| {
            text.as_ref().is_none_or(|t| {
                Value::Object((*p).clone())
                    .to_string()
                    .to_lowercase()
                    .contains(t.as_str())
            })
        })
        .filter(|p| {
            let check = |f: &Value| filter_matches(p, f);
            filters.is_empty()
                || if any {
                    filters.iter().any(check)
                } else {
                    filters.iter().all(check)
                }
        })
        .collect();
    let field = req
        .query
        .get("sort_field")
        .map_or("created_at", String::as_str);
    found.sort_by(|a, b| {
        let key = |p: &Map<String, Value>| p.get(field).map(Value::to_string).unwrap_or_default();
        key(a).cmp(&key(b)).then_with(|| key_id(a).cmp(&key_id(b)))
    });
    if req.query.get("sort_order").map(String::as_str) != Some("ascending") {
        found.reverse();
    }
    let (items, more) = paginate(&found, page, per_page);
    Ok(Answer::page(
        items
            .into_iter()
            .map(|p| Value::Object(p.clone()))
            .collect(),
        more,
    ))
}

fn key_id(p: &Map<String, Value>) -> String {
    p.get("people_id").map(Value::to_string).unwrap_or_default()
}

/// One `search_filter` item `{model, criterion, operator, query[]}` against a profile: the
/// criterion is a (dotted) field of the profile; operators `eq`, `neq`, `has`, `nhas`.
fn filter_matches(profile: &Map<String, Value>, filter: &Value) -> bool {
    let criterion = filter["criterion"].as_str().unwrap_or_default();
    let whole = Value::Object(profile.clone());
    let mut value = &whole;
    for part in criterion.split('.') {
        value = &value[part];
    }
    let text = |v: &Value| {
        v.as_str()
            .map_or_else(|| v.to_string(), str::to_owned)
            .to_lowercase()
    };
    let actual: Vec<String> = match value {
        Value::Array(items) => items.iter().map(text).collect(),
        Value::Null => Vec::new(),
        other => vec![text(other)],
    };
    let operator = filter["operator"].as_str().unwrap_or("eq");
    let mut wanted = filter["query"].as_array().into_iter().flatten().map(text);
    let hit = wanted.any(|w| match operator {
        "eq" | "neq" => actual.contains(&w),
        _ => actual.iter().any(|a| a.contains(&w)),
    });
    if operator.starts_with('n') { !hit } else { hit }
}
