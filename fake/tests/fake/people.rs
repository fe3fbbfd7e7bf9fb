//! People profiles, data, events and conversations; the website, settings and operators.

use crate::{W, conversation, fake, get};
use crisp_api::types;
use futures::TryStreamExt;
use serde_json::json;

/// A profile body: `PeopleProfileSave` for add and save, `PeopleProfileCard` for updates.
fn card<T: serde::de::DeserializeOwned>(email: &str, nickname: &str, segments: &[&str]) -> T {
    serde_json::from_value(json!({
        "email": email,
        "person": {"nickname": nickname},
        "segments": segments,
    }))
    .unwrap()
}

#[tokio::test]
async fn profiles_live_and_are_found_by_text_and_filter() {
    let fake = fake().await;
    let client = fake.client();
    let jane = client
        .add_new_people_profile()
        .website_id(W)
        .body(card::<types::PeopleProfileSave>(
            "jane@example.com",
            "Jane Cooper",
            &["customer"],
        ))
        .call()
        .await
        .unwrap()
        .people_id;
    let marc = client
        .add_new_people_profile()
        .website_id(W)
        .body(card::<types::PeopleProfileSave>(
            "marc@example.org",
            "Marc Lee",
            &["lead"],
        ))
        .call()
        .await
        .unwrap()
        .people_id;
    assert_ne!(jane, marc);
    let err = client
        .add_new_people_profile()
        .website_id(W)
        .body(card::<types::PeopleProfileSave>(
            "jane@example.com",
            "Twin",
            &[],
        ))
        .call()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(409));

    // By id, or by e-mail (a path segment with `@`).
    let by_id = client
        .get_people_profile()
        .website_id(W)
        .people_id(&jane)
        .call()
        .await
        .unwrap();
    let by_email = client
        .get_people_profile()
        .website_id(W)
        .people_id("jane@example.com")
        .call()
        .await
        .unwrap();
    assert_eq!(by_id.people_id, by_email.people_id);
    assert_eq!(
        by_id.person.and_then(|p| p.nickname).as_deref(),
        Some("Jane Cooper")
    );
    assert!(
        client
            .check_people_profile_exists()
            .website_id(W)
            .people_id(&jane)
            .exists()
            .await
            .unwrap()
    );

    client
        .update_people_profile()
        .website_id(W)
        .people_id(&jane)
        .body(
            serde_json::from_value::<types::PeopleProfileCard>(json!({"notepad": "VIP"})).unwrap(),
        )
        .call()
        .await
        .unwrap();
    let got = client
        .get_people_profile()
        .website_id(W)
        .people_id(&jane)
        .call()
        .await
        .unwrap();
    assert_eq!(
        (got.notepad.as_deref(), got.email.as_deref()),
        (Some("VIP"), Some("jane@example.com")),
        "update merges"
    );
    client
        .save_people_profile()
        .website_id(W)
        .people_id(&jane)
        .body(card::<types::PeopleProfileSave>(
            "jane@example.com",
            "Jane C.",
            &["customer", "vip"],
        ))
        .call()
        .await
        .unwrap();
    let got = client
        .get_people_profile()
        .website_id(W)
        .people_id(&jane)
        .call()
        .await
        .unwrap();
    assert_eq!(got.notepad, None, "save replaces");
    assert_eq!(got.segments, vec!["customer".to_owned(), "vip".to_owned()]);

    let found: Vec<_> = client
        .list_people_profiles()
        .website_id(W)
        .search_text("marc")
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        found
            .iter()
            .map(|p| p.people_id.clone())
            .collect::<Vec<_>>(),
        vec![Some(marc.clone())]
    );
    let filter =
        json!([{"model": "people", "criterion": "segments", "operator": "eq", "query": ["vip"]}])
            .to_string();
    let found: Vec<_> = client
        .list_people_profiles()
        .website_id(W)
        .search_filter(filter)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].people_id.as_deref(), Some(jane.as_str()));
    let page = client
        .list_people_profiles()
        .website_id(W)
        .page_number(1u32)
        .response()
        .await
        .unwrap();
    assert_eq!(
        (page.status.as_u16(), page.data.len()),
        (200, 2),
        "one page only: 200"
    );

    // Data: save replaces, update merges.
    let data = |v: serde_json::Value| {
        serde_json::from_value::<types::PeopleData>(json!({ "data": v })).unwrap()
    };
    client
        .save_people_data()
        .website_id(W)
        .people_id(&jane)
        .body(data(json!({"plan": "pro", "seats": 3})))
        .call()
        .await
        .unwrap();
    client
        .update_people_data()
        .website_id(W)
        .people_id(&jane)
        .body(data(json!({"seats": 5})))
        .call()
        .await
        .unwrap();
    let got = client
        .get_people_data()
        .website_id(W)
        .people_id(&jane)
        .call()
        .await
        .unwrap();
    assert_eq!(
        serde_json::to_value(&got.data).unwrap(),
        json!({"plan": "pro", "seats": 5})
    );

    // Events, newest first.
    for text in ["Signed up", "Paid"] {
        client
            .add_people_event()
            .website_id(W)
            .people_id(&jane)
            .body(
                serde_json::from_value::<types::PeopleEventNew>(
                    json!({"text": text, "color": "green"}),
                )
                .unwrap(),
            )
            .call()
            .await
            .unwrap();
    }
    let events = client
        .list_people_events()
        .website_id(W)
        .people_id(&jane)
        .page_number(1u32)
        .call()
        .await
        .unwrap();
    assert_eq!(
        events
            .iter()
            .map(|e| e.text.clone().unwrap_or_default())
            .collect::<Vec<_>>(),
        ["Paid", "Signed up"]
    );

    // A person's conversations: those whose meta e-mail is theirs.
    let sid = conversation(&client).await;
    client
        .update_conversation_metas()
        .website_id(W)
        .session_id(&sid)
        .body(types::ConversationMeta {
            email: Some("jane@example.com".into()),
            ..Default::default()
        })
        .call()
        .await
        .unwrap();
    let theirs = client
        .list_people_conversations()
        .website_id(W)
        .people_id(&jane)
        .page_number(1u32)
        .call()
        .await
        .unwrap();
    assert_eq!(theirs, vec![sid.clone()]);
    let linked = get(&client, &sid).await.unwrap();
    assert_eq!(
        linked.people_id.as_deref(),
        Some(jane.as_str()),
        "the e-mail links the profile"
    );

    client
        .remove_people_profile()
        .website_id(W)
        .people_id(&marc)
        .call()
        .await
        .unwrap();
    assert!(
        !client
            .check_people_profile_exists()
            .website_id(W)
            .people_id(&marc)
            .exists()
            .await
            .unwrap()
    );
    client
        .batch_remove_items()
        .website_id(W)
        .body(
            serde_json::from_value::<types::BatchRemove>(json!({"people": {"profiles": [jane]}}))
                .unwrap(),
        )
        .call()
        .await
        .unwrap();
    assert!(
        !client
            .check_people_profile_exists()
            .website_id(W)
            .people_id("jane@example.com")
            .exists()
            .await
            .unwrap()
    );
}

#[tokio::test]
async fn the_website_its_settings_and_operators() {
    let fake = fake().await;
    let client = fake.client();
    let website = client.get_website().website_id(W).call().await.unwrap();
    assert_eq!(website.website_id.as_deref(), Some(W));
    client
        .update_website_settings()
        .website_id(W)
        .body(
            serde_json::from_value::<types::WebsiteSettings>(
                json!({"name": "Acme", "chatbox": {"locale": "fr"}}),
            )
            .unwrap(),
        )
        .call()
        .await
        .unwrap();
    let settings = client
        .get_website_settings()
        .website_id(W)
        .call()
        .await
        .unwrap();
    let settings = serde_json::to_value(settings).unwrap();
    assert_eq!(
        (
            settings["name"].clone(),
            settings["chatbox"]["locale"].clone()
        ),
        (json!("Acme"), json!("fr"))
    );
    assert_eq!(
        settings["chatbox"]["color_theme"], "default",
        "a patch merges"
    );
    let operators = client
        .list_website_operators()
        .website_id(W)
        .call()
        .await
        .unwrap();
    assert_eq!(operators.len(), 1);
}
