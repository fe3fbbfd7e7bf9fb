//! Contract tests of the `campaigns` family: campaigns, templates, recipients, statistics and
//! the campaigns a contact received.

use crate::support::{WEBSITE, contract, ctx};
use crisp_api::types;
use futures::TryStreamExt;
use serde_json::json;
use wiremock::ResponseTemplate;

/// The campaign of the spec examples.
const CAMPAIGN: &str = "3c1f9a7e-52d4-4b8e-a0f6-9e2d7c4b1a83";
/// The template of the spec examples.
const TEMPLATE: &str = "0d6a8f24-7b31-4c9e-85f2-c1e4b9a7d350";
/// An operator id.
const OPERATOR: &str = "a4b2e1c9-6d3f-4f7e-8c21-5b9d0e7f3a16";

fn campaign_path(tail: &str) -> String {
    format!("/website/{WEBSITE}/campaign/{CAMPAIGN}{tail}")
}

fn template_path() -> String {
    format!("/website/{WEBSITE}/campaigns/template/{TEMPLATE}")
}

fn empty_page() -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_json(json!({"error": false, "reason": "listed", "data": []}))
}

// ------------------------------------------------------------------ campaigns

contract! {
    fn list_campaigns(t: ctx) {
        t.expect("list_campaigns", "GET", &format!("/website/{WEBSITE}/campaigns/list/1"));
        t.client.list_campaigns().website_id(WEBSITE).page_number(1u32).call();
        |list| {
            assert_eq!(list.len(), 2);
            let first = &list[0];
            assert_eq!(first.campaign_id.as_deref(), Some(CAMPAIGN));
            assert_eq!(first.type_.as_deref(), Some("one-shot"));
            assert_eq!(first.format.as_deref(), Some("markdown"));
            assert_eq!(first.tag.as_deref(), Some("newsletter"));
            assert_eq!(first.ready, Some(true));
            assert_eq!(first.dispatched, Some(true));
            assert_eq!(first.progress, Some(100));
            assert_eq!(first.targets, Some(1840));
            assert_eq!(first.reached, Some(1796));
            assert_eq!(first.dispatched_at, Some(1_712_224_800_000));
            let second = &list[1];
            assert_eq!(second.type_.as_deref(), Some("automated"));
            assert_eq!(second.running, Some(true));
            assert_eq!(second.dispatched_at, None);
        }
    }

    fn list_campaigns_with_filters(t: ctx) {
        t.expect(
            "list_campaigns",
            "GET",
            &format!("/website/{WEBSITE}/campaigns/list/2"),
        )
        .query("search_name", "spring & summer")
        .query("filter_tag", "newsletter")
        .query("filter_type_one_shot", "1")
        .query("filter_type_automated", "0")
        .query("filter_status_not_configured", "0")
        .query("filter_status_ready", "1")
        .query("filter_status_paused", "0")
        .query("filter_status_sending", "1")
        .query("filter_status_done", "1");
        t.client
            .list_campaigns()
            .website_id(WEBSITE)
            .page_number(2u32)
            .search_name("spring & summer")
            .filter_tag("newsletter")
            .filter_type_one_shot(true)
            .filter_type_automated(false)
            .filter_status_not_configured(false)
            .filter_status_ready(true)
            .filter_status_paused(false)
            .filter_status_sending(true)
            .filter_status_done(true)
            .call();
        |list| {
            assert_eq!(list[0].name.as_deref(), Some("Spring product update"));
        }
    }
}

/// The stream keeps the filters on every page and ends on the first empty page.
#[tokio::test]
async fn list_campaigns_stream() {
    let t = ctx().await;
    t.expect(
        "list_campaigns",
        "GET",
        &format!("/website/{WEBSITE}/campaigns/list/1"),
    )
    .query("filter_tag", "onboarding")
    .mount()
    .await;
    t.expect(
        "list_campaigns",
        "GET",
        &format!("/website/{WEBSITE}/campaigns/list/2"),
    )
    .query("filter_tag", "onboarding")
    .respond(empty_page())
    .mount()
    .await;
    let all: Vec<_> = t
        .client
        .list_campaigns()
        .website_id(WEBSITE)
        .filter_tag("onboarding")
        .stream()
        .try_collect()
        .await
        .expect("stream");
    assert_eq!(all.len(), 2);
    assert_eq!(
        all[1].campaign_id.as_deref(),
        Some("b7e2d4c9-18a3-4f65-9c0b-5d7e3a1f6b24")
    );
}

contract! {
    fn list_campaign_tags(t: ctx) {
        t.expect("list_campaign_tags", "GET", &format!("/website/{WEBSITE}/campaigns/tags"));
        t.client.list_campaign_tags().website_id(WEBSITE).call();
        |tags| {
            assert_eq!(tags, ["newsletter", "onboarding", "product"]);
        }
    }

    fn create_campaign(t: ctx) {
        t.expect(
            "create_campaign",
            "POST",
            &format!("/website/{WEBSITE}/campaign"),
        )
        .body(json!({"type": "one-shot", "name": "Summer release announcement"}));
        t.client
            .create_campaign()
            .website_id(WEBSITE)
            .body(types::CampaignNew {
                type_: "one-shot".into(),
                name: "Summer release announcement".into(),
            })
            .call();
        |created| {
            assert_eq!(
                created.campaign_id.as_deref(),
                Some("e4c7a2f1-9d38-4b6e-8a05-3f1b7d9c2e60")
            );
        }
    }

    fn check_campaign_exists(t: ctx) {
        t.expect("check_campaign_exists", "HEAD", &campaign_path(""));
        t.client.check_campaign_exists().website_id(WEBSITE).campaign_id(CAMPAIGN).exists();
        |found| {
            assert!(found);
        }
    }

    fn check_campaign_exists_not_found(t: ctx) {
        t.expect("check_campaign_exists", "HEAD", &campaign_path(""))
            .respond(ResponseTemplate::new(404));
        t.client.check_campaign_exists().website_id(WEBSITE).campaign_id(CAMPAIGN).exists();
        |found| {
            assert!(!found);
        }
    }

    fn get_campaign(t: ctx) {
        t.expect("get_campaign", "GET", &campaign_path(""));
        t.client.get_campaign().website_id(WEBSITE).campaign_id(CAMPAIGN).call();
        |c| {
            assert_eq!(c.campaign_id.as_deref(), Some(CAMPAIGN));
            assert_eq!(
                c.subject.as_deref(),
                Some("What's new in Northwind this spring")
            );
            assert_eq!(
                c.sender.as_ref().and_then(|s| s.user_id.as_deref()),
                Some(OPERATOR)
            );
            let recipients = c.recipients.as_ref().expect("recipients");
            assert_eq!(recipients.type_.as_deref(), Some("filter"));
            assert!(recipients.segments.is_empty());
            assert_eq!(recipients.filter.len(), 2);
            assert_eq!(recipients.filter[0].criterion, "segments");
            assert_eq!(recipients.filter[0].operator, "has");
            assert_eq!(recipients.filter[0].query, ["customer"]);
            assert_eq!(recipients.filter[1].model, "people");
            assert!(c.message.as_deref().unwrap().contains("shared inboxes"));
            let options = c.options.as_ref().expect("options");
            assert_eq!(options.deliver_to_chatbox, Some(true));
            assert_eq!(options.sender_name_website, Some(false));
            assert_eq!(options.tracking, Some(true));
            let stats = c.statistics.as_ref().expect("statistics");
            assert_eq!(stats.opened, Some(1122));
            assert_eq!(stats.clicked, Some(287));
            assert_eq!(stats.unsubscribed, Some(9));
            assert!(c.flow.is_none());
        }
    }

    fn save_campaign(t: ctx) {
        t.expect("save_campaign", "PUT", &campaign_path(""))
            .body(json!({
                "type": "one-shot",
                "name": "Summer release announcement",
                "format": "markdown",
                "subject": "Summer is here",
                "sender": {"user_id": OPERATOR},
                "recipients": {"type": "segment", "segments": ["customer"]},
                "message": "Hello {{ user.nickname }}!",
                "options": {"deliver_to_email": true, "tracking": true}
            }));
        t.client
            .save_campaign()
            .website_id(WEBSITE)
            .campaign_id(CAMPAIGN)
            .body(types::CampaignSave {
                type_: "one-shot".into(),
                name: "Summer release announcement".into(),
                format: "markdown".into(),
                subject: "Summer is here".into(),
                sender: types::CampaignSender {
                    user_id: Some(OPERATOR.into()),
                },
                recipients: Some(types::CampaignRecipients {
                    type_: Some("segment".into()),
                    segments: vec!["customer".into()],
                    ..Default::default()
                }),
                message: "Hello {{ user.nickname }}!".into(),
                options: Some(types::CampaignOptions {
                    deliver_to_email: Some(true),
                    tracking: Some(true),
                    ..Default::default()
                }),
                flow: None,
                tag: None,
            })
            .call();
        |()| {}
    }

    fn update_campaign(t: ctx) {
        t.expect("update_campaign", "PATCH", &campaign_path(""))
            .body(json!({
                "flow": {
                    "launch_event": "signup",
                    "assert_filter": [
                        {"model": "people", "criterion": "segments", "operator": "has", "query": ["trial"]}
                    ],
                    "assert_delay": 72,
                    "deliver_once": true
                }
            }));
        t.client
            .update_campaign()
            .website_id(WEBSITE)
            .campaign_id(CAMPAIGN)
            .body(types::Campaign {
                flow: Some(types::CampaignFlow {
                    launch_event: Some("signup".into()),
                    assert_filter: vec![types::SearchFilter {
                        model: "people".into(),
                        criterion: "segments".into(),
                        operator: "has".into(),
                        query: vec!["trial".into()],
                    }],
                    assert_delay: Some(72),
                    deliver_once: Some(true),
                    ..Default::default()
                }),
                ..Default::default()
            })
            .call();
        |()| {}
    }

    fn remove_campaign(t: ctx) {
        t.expect("remove_campaign", "DELETE", &campaign_path(""));
        t.client.remove_campaign().website_id(WEBSITE).campaign_id(CAMPAIGN).call();
        |()| {}
    }

    fn dispatch_campaign(t: ctx) {
        t.expect("dispatch_campaign", "POST", &campaign_path("/dispatch"));
        t.client.dispatch_campaign().website_id(WEBSITE).campaign_id(CAMPAIGN).call();
        |()| {}
    }

    fn resume_campaign(t: ctx) {
        t.expect("resume_campaign", "POST", &campaign_path("/resume"));
        t.client.resume_campaign().website_id(WEBSITE).campaign_id(CAMPAIGN).call();
        |()| {}
    }

    fn pause_campaign(t: ctx) {
        t.expect("pause_campaign", "POST", &campaign_path("/pause"));
        t.client.pause_campaign().website_id(WEBSITE).campaign_id(CAMPAIGN).call();
        |()| {}
    }

    fn test_campaign(t: ctx) {
        t.expect("test_campaign", "POST", &campaign_path("/test"));
        t.client.test_campaign().website_id(WEBSITE).campaign_id(CAMPAIGN).call();
        |()| {}
    }

    fn list_campaign_recipients(t: ctx) {
        t.expect("list_campaign_recipients", "GET", &campaign_path("/recipients/1"));
        t.client
            .list_campaign_recipients()
            .website_id(WEBSITE)
            .campaign_id(CAMPAIGN)
            .page_number(1u32)
            .call();
        |list| {
            assert_eq!(list.len(), 2);
            assert_eq!(
                list[0].email.as_deref(),
                Some("jane.cooper@northwind-labs.com")
            );
            assert_eq!(
                list[0].person.as_ref().and_then(|p| p.nickname.as_deref()),
                Some("Jane Cooper")
            );
            assert_eq!(list[0].subscribed, Some(true));
            assert_eq!(list[1].subscribed, Some(false));
            assert_eq!(
                list[1].person.as_ref().and_then(|p| p.avatar.as_deref()),
                None
            );
        }
    }
}

#[tokio::test]
async fn list_campaign_recipients_stream() {
    let t = ctx().await;
    t.expect(
        "list_campaign_recipients",
        "GET",
        &campaign_path("/recipients/1"),
    )
    .mount()
    .await;
    t.expect(
        "list_campaign_recipients",
        "GET",
        &campaign_path("/recipients/2"),
    )
    .respond(empty_page())
    .mount()
    .await;
    let emails: Vec<Option<String>> = t
        .client
        .list_campaign_recipients()
        .website_id(WEBSITE)
        .campaign_id(CAMPAIGN)
        .stream()
        .map_ok(|r| r.email)
        .try_collect()
        .await
        .expect("stream");
    assert_eq!(
        emails,
        [
            Some("jane.cooper@northwind-labs.com".to_owned()),
            Some("marcus.lee@brightpath.io".to_owned())
        ]
    );
}

contract! {
    fn list_campaign_statistics(t: ctx) {
        t.expect("list_campaign_statistics", "GET", &campaign_path("/statistics/clicked/1"));
        t.client
            .list_campaign_statistics()
            .website_id(WEBSITE)
            .campaign_id(CAMPAIGN)
            .action("clicked")
            .page_number(1u32)
            .call();
        |list| {
            assert_eq!(list.len(), 1);
            let stat = &list[0];
            assert_eq!(stat.type_.as_deref(), Some("clicked"));
            assert_eq!(
                stat.data["url"],
                json!("https://northwind-labs.com/changelog")
            );
            assert_eq!(stat.created_at, Some(1_712_226_033_000));
            let profile = stat.profile.as_ref().expect("profile");
            assert_eq!(
                profile.people_id.as_deref(),
                Some("4f1d3c2a-8b7e-4a6f-9d5c-2e1b0a9f8e7d")
            );
            let geo = profile
                .person
                .as_ref()
                .and_then(|p| p.geolocation.as_ref())
                .expect("geolocation");
            assert_eq!(geo.city.as_deref(), Some("Paris"));
            assert_eq!(
                geo.coordinates.as_ref().and_then(|c| c.latitude),
                Some(48.8566)
            );
        }
    }
}

// ------------------------------------------------------------------ templates

contract! {
    fn list_campaign_templates(t: ctx) {
        t.expect(
            "list_campaign_templates",
            "GET",
            &format!("/website/{WEBSITE}/campaigns/templates/1"),
        )
        .query("search_name", "newsletter")
        .query("filter_type_static", "0")
        .query("filter_type_custom", "1");
        t.client
            .list_campaign_templates()
            .website_id(WEBSITE)
            .page_number(1u32)
            .search_name("newsletter")
            .filter_type_static(false)
            .filter_type_custom(true)
            .call();
        |list| {
            assert_eq!(list.len(), 2);
            assert_eq!(list[0].template_id.as_deref(), Some(TEMPLATE));
            assert_eq!(list[0].type_.as_deref(), Some("custom"));
            assert_eq!(list[0].format.as_deref(), Some("html"));
            assert_eq!(list[1].type_.as_deref(), Some("static"));
            assert_eq!(list[1].updated_at, Some(1_698_832_110_000));
        }
    }

    fn create_campaign_template(t: ctx) {
        t.expect(
            "create_campaign_template",
            "POST",
            &format!("/website/{WEBSITE}/campaigns/template"),
        )
        .body(json!({"format": "html", "name": "Quarterly digest"}));
        t.client
            .create_campaign_template()
            .website_id(WEBSITE)
            .body(types::CampaignTemplateNew {
                format: "html".into(),
                name: "Quarterly digest".into(),
            })
            .call();
        |created| {
            assert_eq!(
                created.template_id.as_deref(),
                Some("5f8b1d3a-6e27-4c94-a1d0-8b3e7f2c9a16")
            );
        }
    }

    fn check_campaign_template_exists(t: ctx) {
        t.expect("check_campaign_template_exists", "HEAD", &template_path());
        t.client.check_campaign_template_exists().website_id(WEBSITE).template_id(TEMPLATE).exists();
        |found| {
            assert!(found);
        }
    }

    fn get_campaign_template(t: ctx) {
        t.expect("get_campaign_template", "GET", &template_path());
        t.client.get_campaign_template().website_id(WEBSITE).template_id(TEMPLATE).call();
        |tpl| {
            assert_eq!(tpl.name.as_deref(), Some("Northwind newsletter"));
            assert!(tpl.content.as_deref().unwrap().contains("{{ message }}"));
            assert_eq!(tpl.created_at, Some(1_698_832_110_000));
        }
    }

    fn save_campaign_template(t: ctx) {
        t.expect("save_campaign_template", "PUT", &template_path())
            .body(json!({
                "name": "Northwind newsletter",
                "format": "html",
                "content": "<html><body><div>{{ message }}</div></body></html>"
            }));
        t.client
            .save_campaign_template()
            .website_id(WEBSITE)
            .template_id(TEMPLATE)
            .body_map(|b| {
                b.name("Northwind newsletter")
                    .format("html")
                    .content("<html><body><div>{{ message }}</div></body></html>")
            })
            .call();
        |()| {}
    }

    fn update_campaign_template(t: ctx) {
        t.expect("update_campaign_template", "PATCH", &template_path())
            .body(json!({"name": "Northwind newsletter (2024)"}));
        t.client
            .update_campaign_template()
            .website_id(WEBSITE)
            .template_id(TEMPLATE)
            .body(types::CampaignTemplate {
                name: Some("Northwind newsletter (2024)".into()),
                ..Default::default()
            })
            .call();
        |()| {}
    }

    fn remove_campaign_template(t: ctx) {
        t.expect("remove_campaign_template", "DELETE", &template_path());
        t.client.remove_campaign_template().website_id(WEBSITE).template_id(TEMPLATE).call();
        |()| {}
    }
}

// ------------------------------------------------------------------ a contact's campaigns

contract! {
    /// `people_id` may be an e-mail address; reserved characters of its local part stay inside
    /// the path segment (`/` and `#` are percent-encoded, `@` and `+` are sent as they are).
    fn list_people_campaigns_by_email(t: ctx) {
        t.expect(
            "list_people_campaigns",
            "GET",
            &format!(
                "/website/{WEBSITE}/people/campaigns/billing%2Fops%23eu+vip@northwind-labs.com/list/1"
            ),
        );
        t.client
            .list_people_campaigns()
            .website_id(WEBSITE)
            .people_id("billing/ops#eu+vip@northwind-labs.com")
            .page_number(1u32)
            .call();
        |list| {
            assert_eq!(list.len(), 2);
            assert_eq!(list[0].campaign_id.as_deref(), Some(CAMPAIGN));
            assert_eq!(list[0].occurred_at, Some(1_712_224_861_000));
            assert_eq!(list[0].statistics, ["opened", "clicked"]);
            assert_eq!(list[1].type_.as_deref(), Some("automated"));
            assert_eq!(list[1].dispatched_at, None);
            assert!(list[1].statistics.is_empty());
        }
    }
}

#[tokio::test]
async fn list_people_campaigns_stream() {
    let t = ctx().await;
    let base = format!("/website/{WEBSITE}/people/campaigns/jane.cooper@northwind-labs.com/list");
    t.expect("list_people_campaigns", "GET", &format!("{base}/1"))
        .mount()
        .await;
    t.expect("list_people_campaigns", "GET", &format!("{base}/2"))
        .respond(empty_page())
        .mount()
        .await;
    let names: Vec<Option<String>> = t
        .client
        .list_people_campaigns()
        .website_id(WEBSITE)
        .people_id("jane.cooper@northwind-labs.com")
        .stream()
        .map_ok(|c| c.name)
        .try_collect()
        .await
        .expect("stream");
    assert_eq!(
        names,
        [
            Some("Spring product update".to_owned()),
            Some("Trial day 3 nudge".to_owned())
        ]
    );
}
