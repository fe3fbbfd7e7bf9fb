//! Contract tests of the website family: the website itself, its settings, its operators and
//! its live visitors.

use crate::support::{Ctx, SESSION, WEBSITE, contract, ctx, ctx_with_tier};
use crisp_api::Tier;
use crisp_api::types;
use serde_json::json;
use wiremock::ResponseTemplate;

const OPERATOR: &str = "9d62e0b4-1c8a-4f37-b5e2-7a0c3d91f6e8";

/// Expects exactly one `HEAD /v1/website?domain=<domain>`, answered with `status` and no body.
async fn expect_head_website(t: &Ctx, domain: &str, status: u16) {
    t.expect("check_website_exists", "HEAD", "/website")
        .query("domain", domain)
        .respond(ResponseTemplate::new(status))
        .mount()
        .await;
}

// ---------------------------------------------------------------------------------------------
// Website
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn check_website_exists_found() {
    let t = ctx().await;
    expect_head_website(&t, "acme-robotics.com", 200).await;
    let found = t
        .client
        .check_website_exists()
        .domain("acme-robotics.com")
        .exists()
        .await
        .expect("exists");
    assert!(found);
}

#[tokio::test]
async fn check_website_exists_not_found() {
    let t = ctx().await;
    expect_head_website(&t, "unknown-shop.example", 404).await;
    let found = t
        .client
        .check_website_exists()
        .domain("unknown-shop.example")
        .exists()
        .await
        .expect("exists");
    assert!(!found);
}

#[tokio::test]
async fn check_website_exists_encodes_the_domain() {
    // An internationalised domain travels percent-encoded (UTF-8) in the query and decodes
    // back to the very same string on the server side.
    let t = ctx().await;
    expect_head_website(&t, "bücher-müller.de", 200).await;
    let found = t
        .client
        .check_website_exists()
        .domain("bücher-müller.de")
        .exists()
        .await
        .expect("exists");
    assert!(found);
    let requests = t.server.received_requests().await.expect("recording");
    let query = requests[0].url.query().expect("a query");
    assert_eq!(query, "domain=b%C3%BCcher-m%C3%BCller.de");
}

#[tokio::test]
async fn create_website() {
    let t = ctx_with_tier(Tier::User).await;
    t.expect("create_website", "POST", "/website")
        .body(json!({"name": "Acme Robotics", "domain": "acme-robotics.com"}))
        .mount()
        .await;
    let website = t
        .client
        .create_website()
        .body(types::WebsiteCreate {
            name: "Acme Robotics".into(),
            domain: "acme-robotics.com".into(),
        })
        .call()
        .await
        .expect("call");
    assert_eq!(
        website.website_id.as_deref(),
        Some("2b7d4a9e-61f3-4c0a-8e15-97d3c2f6a408")
    );
    assert_eq!(website.name.as_deref(), Some("Acme Robotics"));
    assert_eq!(website.domain.as_deref(), Some("acme-robotics.com"));
    assert_eq!(website.logo.as_deref(), Some(""));
    assert_eq!(website.verified, Some(false));
    assert_eq!(website.institutional, Some(false));
}

contract! {
    fn get_website(t: ctx) {
        t.expect("get_website", "GET", &format!("/website/{WEBSITE}"));
        t.client.get_website().website_id(WEBSITE).call();
        |website| {
            assert_eq!(website.website_id.as_deref(), Some(WEBSITE));
            assert_eq!(website.name.as_deref(), Some("Acme Robotics"));
            assert_eq!(website.domain.as_deref(), Some("acme-robotics.com"));
            assert!(website.logo.as_deref().is_some_and(|l| l.ends_with(".png")));
            assert_eq!(website.verified, Some(true));
            assert_eq!(website.institutional, Some(false));
        }
    }
}

#[tokio::test]
async fn delete_website() {
    let t = ctx_with_tier(Tier::User).await;
    t.expect("delete_website", "DELETE", &format!("/website/{WEBSITE}"))
        .body(json!({"verify": {"method": "token", "secret": "482913"}}))
        .mount()
        .await;
    t.client
        .delete_website()
        .website_id(WEBSITE)
        .body(types::WebsiteDelete {
            verify: types::WebsiteVerifyChallenge {
                method: types::WebsiteVerifyMethod::Token,
                secret: "482913".into(),
            },
        })
        .call()
        .await
        .expect("call");
}

// ---------------------------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------------------------

contract! {
    fn get_website_settings(t: ctx) {
        t.expect("get_website_settings", "GET", &format!("/website/{WEBSITE}/settings"));
        t.client.get_website_settings().website_id(WEBSITE).call();
        |s| {
            assert_eq!(s.website_id.as_deref(), Some(WEBSITE));
            assert_eq!(s.name.as_deref(), Some("Acme Robotics"));
            assert_eq!(
                s.domain_alternates,
                ["shop.acme-robotics.com", "acme-robotics.de"]
            );
            assert_eq!(s.audit.as_ref().and_then(|a| a.log), Some(true));

            let contact = s.contact.as_ref().expect("contact");
            assert_eq!(contact.email.as_deref(), Some("support@acme-robotics.com"));
            assert_eq!(contact.phone.as_deref(), Some("+14155550132"));
            assert_eq!(contact.instagram.as_deref(), Some("acme.robotics"));

            let inbox = s.inbox.as_ref().expect("inbox");
            assert_eq!(inbox.lock_removal, Some(true));
            assert_eq!(inbox.force_operator_token, Some(false));
            assert_eq!(inbox.locale.as_deref(), Some("en"));

            let emails = s.emails.as_ref().expect("emails");
            assert_eq!(emails.enrich, Some(true));
            assert_eq!(emails.trackers, Some(false));
            assert_eq!(emails.junk_filter, Some(true));

            let chatbox = s.chatbox.as_ref().expect("chatbox");
            assert_eq!(chatbox.tile.as_deref(), Some("default"));
            assert_eq!(chatbox.email_visitors, Some(true));
            assert_eq!(chatbox.visitor_compose, Some(true));
            assert_eq!(chatbox.guard_level.as_deref(), Some("default"));
            assert_eq!(chatbox.helpdesk_navigate.as_deref(), Some("deep"));
            assert_eq!(chatbox.color_theme.as_deref(), Some("teal"));
            assert_eq!(chatbox.color_mode.as_deref(), Some("auto"));
            assert!(chatbox.allowed_pages.is_empty());
            assert_eq!(chatbox.blocked_countries, ["KP"]);
            assert_eq!(chatbox.blocked_locales, ["ru"]);
            assert_eq!(chatbox.blocked_ips, ["203.0.113.42", "198.51.100.0/24"]);
            assert_eq!(chatbox.blocked_pages.len(), 2);
        }
    }

    fn update_website_settings(t: ctx) {
        t.expect(
            "update_website_settings",
            "PATCH",
            &format!("/website/{WEBSITE}/settings"),
        )
        .body(json!({
            "name": "Acme Robotics GmbH",
            "contact": {"email": "help@acme-robotics.com"},
            "emails": {"transcript": false},
            "chatbox": {
                "color_theme": "red",
                "hide_on_mobile": true,
                "blocked_countries": ["KP", "IR"]
            }
        }));
        t.client
            .update_website_settings()
            .website_id(WEBSITE)
            .body(types::WebsiteSettings {
                name: Some("Acme Robotics GmbH".into()),
                contact: Some(types::WebsiteSettingsContact {
                    email: Some("help@acme-robotics.com".into()),
                    ..Default::default()
                }),
                emails: Some(types::WebsiteSettingsEmails {
                    transcript: Some(false),
                    ..Default::default()
                }),
                chatbox: Some(types::WebsiteSettingsChatbox {
                    color_theme: Some("red".into()),
                    hide_on_mobile: Some(true),
                    blocked_countries: vec!["KP".into(), "IR".into()],
                    ..Default::default()
                }),
                ..Default::default()
            })
            .call();
    }
}

// ---------------------------------------------------------------------------------------------
// Operators
// ---------------------------------------------------------------------------------------------

contract! {
    fn list_website_operators(t: ctx) {
        t.expect("list_website_operators", "GET", &format!("/website/{WEBSITE}/operators/list"));
        t.client.list_website_operators().website_id(WEBSITE).call();
        |team| {
            assert_eq!(team.len(), 2);
            assert_eq!(team[0].type_.as_deref(), Some("operator"));
            let owner = team[0].details.as_ref().expect("details");
            assert_eq!(
                owner.user_id.as_deref(),
                Some("3f1b9c2e-5a47-4d8e-9b61-2c7e0a4d8f13")
            );
            assert_eq!(owner.first_name.as_deref(), Some("Marie"));
            assert_eq!(owner.role.as_deref(), Some("owner"));
            assert_eq!(owner.availability.as_deref(), Some("online"));
            assert_eq!(owner.has_token, Some(true));
            let member = team[1].details.as_ref().expect("details");
            assert_eq!(member.user_id.as_deref(), Some(OPERATOR));
            assert_eq!(member.role.as_deref(), Some("member"));
            assert_eq!(member.title.as_deref(), Some("Support Engineer"));
        }
    }

    fn get_website_operator(t: ctx) {
        t.expect("get_website_operator", "GET", &format!("/website/{WEBSITE}/operator/{OPERATOR}"));
        t.client.get_website_operator().website_id(WEBSITE).user_id(OPERATOR).call();
        |op| {
            assert_eq!(op.user_id.as_deref(), Some(OPERATOR));
            assert_eq!(op.email.as_deref(), Some("tom.becker@acme-robotics.com"));
            assert_eq!(op.last_name.as_deref(), Some("Becker"));
            assert_eq!(op.role.as_deref(), Some("member"));
            assert_eq!(op.availability.as_deref(), Some("offline"));
            assert_eq!(op.has_token, Some(true));
            assert_eq!(
                op.identifier.as_deref(),
                Some("4e8a1f3c-9b27-4d60-a1e5-c37f90b2d6a4")
            );
            assert_eq!(op.key.as_ref().map(String::len), Some(64));
        }
    }
}

#[tokio::test]
async fn invite_website_operator() {
    let t = ctx_with_tier(Tier::User).await;
    t.expect(
        "invite_website_operator",
        "POST",
        &format!("/website/{WEBSITE}/operator"),
    )
    .body(json!({
        "email": "nina.park@acme-robotics.com",
        "role": "member",
        "verify": {"method": "password", "secret": "correct horse battery staple"}
    }))
    .mount()
    .await;
    t.client
        .invite_website_operator()
        .website_id(WEBSITE)
        .body(types::WebsiteOperatorInvite {
            email: "nina.park@acme-robotics.com".into(),
            role: types::WebsiteOperatorRole::Member,
            verify: types::WebsiteVerifyChallenge {
                method: types::WebsiteVerifyMethod::Password,
                secret: "correct horse battery staple".into(),
            },
        })
        .call()
        .await
        .expect("call");
}

contract! {
    fn change_operator_membership(t: ctx) {
        t.expect(
            "change_operator_membership",
            "PATCH",
            &format!("/website/{WEBSITE}/operator/{OPERATOR}"),
        )
        .body(json!({"role": "owner", "title": "Head of Support"}));
        t.client
            .change_operator_membership()
            .website_id(WEBSITE)
            .user_id(OPERATOR)
            .body_map(|b| {
                b.role(types::WebsiteOperatorRole::Owner)
                    .title(Some("Head of Support".to_owned()))
            })
            .call();
    }

    fn unlink_operator_from_website(t: ctx) {
        t.expect(
            "unlink_operator_from_website",
            "DELETE",
            &format!("/website/{WEBSITE}/operator/{OPERATOR}"),
        );
        t.client.unlink_operator_from_website().website_id(WEBSITE).user_id(OPERATOR).call();
    }
}

// ---------------------------------------------------------------------------------------------
// Visitors
// ---------------------------------------------------------------------------------------------

contract! {
    fn count_visitors(t: ctx) {
        t.expect("count_visitors", "GET", &format!("/website/{WEBSITE}/visitors/count"));
        t.client.count_visitors().website_id(WEBSITE).call();
        |count| {
            assert_eq!(count.count, 37);
            assert_eq!(count.active, Some(12));
            assert_eq!(count.limited, Some(false));
        }
    }

    fn list_visitors(t: ctx) {
        t.expect("list_visitors", "GET", &format!("/website/{WEBSITE}/visitors/list/2"));
        t.client.list_visitors().website_id(WEBSITE).page_number(2u32).call();
        |visitors| {
            assert_eq!(visitors.len(), 2);

            let lena = &visitors[0];
            assert_eq!(lena.session_id.as_deref(), Some(SESSION));
            assert_eq!(lena.inbox_id, None);
            assert_eq!(lena.nickname.as_deref(), Some("Lena Hoffmann"));
            assert_eq!(lena.email.as_deref(), Some("lena.hoffmann@example.org"));
            assert!(
                lena.useragent
                    .as_deref()
                    .is_some_and(|ua| ua.contains("Safari"))
            );
            assert_eq!(lena.initiated, Some(true));
            assert_eq!(lena.active, Some(true));
            assert_eq!(lena.timezone, Some(-120));
            assert_eq!(lena.capabilities, ["browsing", "call", "legacy"]);
            assert_eq!(lena.locales, ["de", "en"]);
            let page = lena.last_page.as_ref().expect("last_page");
            assert_eq!(page.page_title.as_deref(), Some("Pricing - Acme Robotics"));
            assert_eq!(
                page.page_url.as_deref(),
                Some("https://acme-robotics.com/pricing")
            );
            let geo = lena.geolocation.as_ref().expect("geolocation");
            assert_eq!(geo.city.as_deref(), Some("Berlin"));
            assert_eq!(geo.country.as_deref(), Some("DE"));
            let coords = geo.coordinates.as_ref().expect("coordinates");
            assert_eq!(coords.latitude, Some(52.52));
            assert_eq!(coords.longitude, Some(13.405));

            let other = &visitors[1];
            assert_eq!(
                other.inbox_id.as_deref(),
                Some("6b1e3f8a-2d47-49c0-8e5b-a13f7c9d04e6")
            );
            assert_eq!(other.email, None);
            assert_eq!(other.timezone, Some(300));
            assert_eq!(
                other
                    .geolocation
                    .as_ref()
                    .and_then(|g| g.coordinates.as_ref())
                    .and_then(|c| c.longitude),
                Some(-74.006)
            );
        }
    }
}
