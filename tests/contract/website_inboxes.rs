//! Contract tests of a website's inboxes (`openapi/website-workspace.yaml`): listing, streaming,
//! creating, reading, changing and removing them, and reordering them in one call.

use crate::support::{WEBSITE, contract, ctx};
use crate::website_workspace::{OPERATOR, TEAM, empty_page};
use crisp_api::types;
use futures::TryStreamExt;
use serde_json::json;
use wiremock::ResponseTemplate;

const INBOX: &str = "6b1e3f8a-2d47-49c0-8e5b-a13f7c9d04e6";
const OTHER_INBOX: &str = "c058abfe-2881-4ff4-8f6a-6eb73e55385e";

contract! {
    fn list_website_inboxes(t: ctx) {
        t.expect("list_website_inboxes", "GET", &format!("/website/{WEBSITE}/inboxes/list/3"));
        t.client.list_website_inboxes().website_id(WEBSITE).page_number(3u32).call();
        |inboxes| {
            assert_eq!(inboxes.len(), 2);
            let vip = &inboxes[0];
            assert_eq!(vip.inbox_id.as_deref(), Some(INBOX));
            assert_eq!(vip.order, Some(1));
            assert_eq!(vip.teams, vec![TEAM]);
            assert_eq!(vip.team_operators, vec![OPERATOR]);
            assert_eq!(vip.operator.as_deref(), Some("and"));
            assert_eq!(vip.conditions[0].criterion.as_deref(), Some("segments"));
            assert_eq!(vip.conditions[0].query, vec!["vip"]);
            assert_eq!(inboxes[1].operator.as_deref(), Some("or"));
            assert_eq!(inboxes[1].conditions[0].query.len(), 2);
        }
    }
}

#[tokio::test]
async fn list_website_inboxes_stream_reads_until_an_empty_page() {
    let t = ctx().await;
    t.expect(
        "list_website_inboxes",
        "GET",
        &format!("/website/{WEBSITE}/inboxes/list/1"),
    )
    .mount()
    .await;
    t.expect(
        "list_website_inboxes",
        "GET",
        &format!("/website/{WEBSITE}/inboxes/list/2"),
    )
    .respond(empty_page())
    .mount()
    .await;
    let inboxes: Vec<_> = t
        .client
        .list_website_inboxes()
        .website_id(WEBSITE)
        .stream()
        .try_collect()
        .await
        .expect("stream");
    assert_eq!(inboxes.len(), 2);
    assert_eq!(inboxes[1].name.as_deref(), Some("Billing"));
}

fn vip_inbox() -> types::WebsiteInboxItem {
    types::WebsiteInboxItem {
        name: "VIP".into(),
        emoji: "⭐".into(),
        order: 1,
        operators: vec![OPERATOR.into()],
        teams: vec![TEAM.into()],
        operator: Some(types::WebsiteInboxConditionsOperator::And),
        conditions: vec![types::WebsiteInboxCondition {
            model: Some("session".into()),
            criterion: Some("segments".into()),
            operator: Some("eq".into()),
            query: vec!["vip".into()],
        }],
    }
}

fn vip_inbox_json() -> serde_json::Value {
    json!({
        "name": "VIP",
        "emoji": "⭐",
        "order": 1,
        "operators": [OPERATOR],
        "teams": [TEAM],
        "operator": "and",
        "conditions": [
            {"model": "session", "criterion": "segments", "operator": "eq", "query": ["vip"]}
        ]
    })
}

contract! {
    fn create_website_inbox(t: ctx) {
        t.expect(
            "create_website_inbox",
            "POST",
            &format!("/website/{WEBSITE}/inbox"),
        )
        .body(vip_inbox_json());
        t.client.create_website_inbox().website_id(WEBSITE).body(vip_inbox()).call();
        |created| {
            assert_eq!(created.inbox_id.as_deref(), Some(INBOX));
        }
    }

    fn check_website_inbox_exists(t: ctx) {
        t.expect(
            "check_website_inbox_exists",
            "HEAD",
            &format!("/website/{WEBSITE}/inbox/{INBOX}"),
        )
        .respond(ResponseTemplate::new(404));
        t.client.check_website_inbox_exists().website_id(WEBSITE).inbox_id(INBOX).exists();
        |found| {
            assert!(!found);
        }
    }

    fn get_website_inbox(t: ctx) {
        t.expect("get_website_inbox", "GET", &format!("/website/{WEBSITE}/inbox/{INBOX}"));
        t.client.get_website_inbox().website_id(WEBSITE).inbox_id(INBOX).call();
        |inbox| {
            assert_eq!(inbox.name.as_deref(), Some("VIP"));
            assert_eq!(inbox.emoji.as_deref(), Some("⭐"));
            assert_eq!(inbox.operators.len(), 2);
            assert_eq!(inbox.conditions[0].model.as_deref(), Some("session"));
            assert_eq!(inbox.conditions[0].operator.as_deref(), Some("eq"));
            assert_eq!(inbox.created_at, Some(1709135782000));
        }
    }

    fn save_website_inbox(t: ctx) {
        t.expect(
            "save_website_inbox",
            "PUT",
            &format!("/website/{WEBSITE}/inbox/{INBOX}"),
        )
        .body(vip_inbox_json());
        t.client.save_website_inbox().website_id(WEBSITE).inbox_id(INBOX).body(vip_inbox()).call();
        |()| {}
    }

    fn delete_website_inbox(t: ctx) {
        t.expect("delete_website_inbox", "DELETE", &format!("/website/{WEBSITE}/inbox/{INBOX}"));
        t.client.delete_website_inbox().website_id(WEBSITE).inbox_id(INBOX).call();
        |()| {}
    }
}

// ---------------------------------------------------------------- order

#[tokio::test]
async fn batch_order_inboxes() {
    let t = ctx().await;
    t.expect(
        "batch_order_inboxes",
        "PATCH",
        &format!("/website/{WEBSITE}/inboxes/batch/order"),
    )
    .body(json!({"orders": [
        {"inbox_id": INBOX, "order": 1},
        {"inbox_id": OTHER_INBOX, "order": 2}
    ]}))
    .mount()
    .await;
    let order = |inbox_id: &str, order: u16| types::BatchInboxOrder {
        inbox_id: inbox_id.to_owned(),
        order,
    };
    t.client
        .batch_order_inboxes()
        .website_id(WEBSITE)
        .body_map(|b| b.orders(vec![order(INBOX, 1), order(OTHER_INBOX, 2)]))
        .call()
        .await
        .expect("call");
}
