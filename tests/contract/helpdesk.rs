//! Contract tests of the helpdesk family: the helpdesk itself, its locales, published pages,
//! redirections, settings and domain; the shared identifiers and wire paths of the `helpdesk_*`
//! modules (the content tree in `helpdesk_tree`, the deprecated per-locale routes in
//! `helpdesk_legacy_articles` and `helpdesk_legacy_categories`).

use crate::support::{WEBSITE, contract, ctx};
use crisp_api::types;
use futures::TryStreamExt;
use serde_json::json;
use wiremock::ResponseTemplate;

pub(crate) const USER: &str = "9d62e0b4-1c8a-4f37-b5e2-7a0c3d91f6e8";
pub(crate) const ARTICLE: &str = "fd036d68-c619-4c63-9deb-e2ce91733dd6";
pub(crate) const CATEGORY: &str = "33bc73b7-b7db-40a9-80fc-fcba8ebd1067";
pub(crate) const SECTION: &str = "14886b8c-faf6-4967-af0a-2d90b3419263";
pub(crate) const REDIRECTION: &str = "e2b5c8d1-4f7a-4b0c-9d3e-6f1a2b4c7d9e";
/// A nested tree path (an entry inside a group).
pub(crate) const ENTRY: &str = "getting-started/install-the-chatbox";
/// The same path as the generated methods put it on the wire: one segment, `/` encoded.
pub(crate) const ENTRY_WIRE: &str = "getting-started%2Finstall-the-chatbox";

/// The wire path of a helpdesk route, below `/v1`.
pub(crate) fn hd(rest: &str) -> String {
    format!("/website/{WEBSITE}/helpdesk{rest}")
}

/// The wire path of a legacy per-locale route, below `/v1`.
pub(crate) fn loc(locale: &str, rest: &str) -> String {
    hd(&format!("/locale/{locale}{rest}"))
}

/// The wire path of a legacy article route, below `/v1`.
pub(crate) fn art(rest: &str) -> String {
    loc("en", &format!("/article/{ARTICLE}{rest}"))
}

/// The wire path of a legacy category route, below `/v1`.
pub(crate) fn cat(rest: &str) -> String {
    loc("fr", &format!("/category/{CATEGORY}{rest}"))
}

/// The wire path of a legacy section route, below `/v1`.
pub(crate) fn sec() -> String {
    cat(&format!("/section/{SECTION}"))
}

/// The `articles` content type.
pub(crate) fn articles() -> types::HelpdeskContentType {
    types::HelpdeskContentType::Articles
}

/// Answers a HEAD check with `status`.
pub(crate) fn status(code: u16) -> ResponseTemplate {
    ResponseTemplate::new(code)
}

// ---------------------------------------------------------------------------------------------
// The helpdesk itself
// ---------------------------------------------------------------------------------------------

contract! {
    fn check_helpdesk_exists(t: ctx) {
        t.expect("check_helpdesk_exists", "HEAD", &hd(""));
        t.client.check_helpdesk_exists().website_id(WEBSITE).exists();
        |found| {
            assert!(found);
        }
    }

    fn check_helpdesk_exists_not_found(t: ctx) {
        t.expect("check_helpdesk_exists", "HEAD", &hd("")).respond(status(404));
        t.client.check_helpdesk_exists().website_id(WEBSITE).exists();
        |found| {
            assert!(!found);
        }
    }

    fn get_helpdesk(t: ctx) {
        t.expect("get_helpdesk", "GET", &hd(""));
        t.client.get_helpdesk().website_id(WEBSITE).call();
        |helpdesk| {
            assert_eq!(helpdesk.name.as_deref(), Some("Acme Robotics Help Center"));
            assert_eq!(helpdesk.url.as_deref(), Some("https://acme-robotics.help/"));
        }
    }

    fn initialize_helpdesk(t: ctx) {
        t.expect("initialize_helpdesk", "POST", &hd(""))
            .body(json!({"name": "Acme Robotics Help Center", "domain_basic": "acme-robotics"}));
        t.client
            .initialize_helpdesk()
            .website_id(WEBSITE)
            .body(types::HelpdeskCreate {
                name: "Acme Robotics Help Center".into(),
                domain_basic: "acme-robotics".into(),
            })
            .call();
    }

    fn delete_helpdesk(t: user_ctx) {
        t.expect("delete_helpdesk", "DELETE", &hd(""))
            .body(json!({"verify": {"method": "password", "secret": "correct horse battery staple"}}));
        t.client
            .delete_helpdesk()
            .website_id(WEBSITE)
            .body(types::WebsiteDelete {
                verify: types::WebsiteVerifyChallenge {
                    method: types::WebsiteVerifyMethod::Password,
                    secret: "correct horse battery staple".into(),
                },
            })
            .call();
    }
}

// ---------------------------------------------------------------------------------------------
// Locales
// ---------------------------------------------------------------------------------------------

contract! {
    fn list_helpdesk_locales(t: ctx) {
        t.expect("list_helpdesk_locales", "GET", &hd("/locales/1"));
        t.client.list_helpdesk_locales().website_id(WEBSITE).page_number(1u32).call();
        |locales| {
            assert_eq!(locales.len(), 2);
            assert_eq!(locales[0].locale.as_deref(), Some("en"));
            let stats = locales[0].statistics.as_ref().expect("statistics");
            let articles = stats.articles.as_ref().expect("articles");
            assert_eq!((articles.entries, articles.groups), (Some(42), Some(6)));
            assert_eq!(
                locales[1].url.as_deref(),
                Some("https://acme-robotics.help/fr/")
            );
        }
    }
}

#[tokio::test]
async fn list_helpdesk_locales_stream() {
    // Page 1 is the example (two locales), page 2 is empty: the stream stops there.
    let t = ctx().await;
    t.expect("list_helpdesk_locales", "GET", &hd("/locales/1"))
        .mount()
        .await;
    t.expect("list_helpdesk_locales", "GET", &hd("/locales/2"))
        .respond(
            ResponseTemplate::new(200)
                .set_body_json(json!({"error": false, "reason": "listed", "data": []})),
        )
        .mount()
        .await;
    let codes: Vec<String> = t
        .client
        .list_helpdesk_locales()
        .website_id(WEBSITE)
        .stream()
        .map_ok(|l| l.locale.unwrap_or_default())
        .try_collect()
        .await
        .expect("stream");
    assert_eq!(codes, ["en", "fr"]);
}

contract! {
    fn add_helpdesk_locale(t: ctx) {
        t.expect("add_helpdesk_locale", "POST", &hd("/locale")).body(json!({"locale": "pt-br"}));
        t.client
            .add_helpdesk_locale()
            .website_id(WEBSITE)
            .body(types::HelpdeskLocaleAdd {
                locale: "pt-br".into(),
            })
            .call();
    }

    fn check_helpdesk_locale_exists(t: ctx) {
        t.expect("check_helpdesk_locale_exists", "HEAD", &hd("/locale/pt-br")).respond(status(404));
        t.client.check_helpdesk_locale_exists().website_id(WEBSITE).locale("pt-br").exists();
        |found| {
            assert!(!found);
        }
    }

    fn get_helpdesk_locale(t: ctx) {
        t.expect("get_helpdesk_locale", "GET", &hd("/locale/fr"));
        t.client.get_helpdesk_locale().website_id(WEBSITE).locale("fr").call();
        |locale| {
            assert_eq!(locale.locale.as_deref(), Some("fr"));
            let stats = locale.statistics.expect("statistics");
            assert_eq!(stats.news.and_then(|n| n.entries), Some(0));
        }
    }

    fn delete_helpdesk_locale(t: ctx) {
        t.expect("delete_helpdesk_locale", "DELETE", &hd("/locale/de"));
        t.client.delete_helpdesk_locale().website_id(WEBSITE).locale("de").call();
    }
}

// ---------------------------------------------------------------------------------------------
// Published pages
// ---------------------------------------------------------------------------------------------

contract! {
    fn list_helpdesk_pages(t: ctx) {
        t.expect("list_helpdesk_pages", "GET", &hd("/page/list/en/articles/1"));
        t.client
            .list_helpdesk_pages()
            .website_id(WEBSITE)
            .locale("en")
            .content_type(articles())
            .page_number(1u32)
            .call();
        |pages| {
            assert_eq!(pages.len(), 2);
            assert_eq!(pages[0].tree_path.as_deref(), Some(ENTRY));
            assert_eq!(pages[1].entity_id.as_deref(), Some("9p3d7zn"));
        }
    }

    fn get_helpdesk_page_entity(t: ctx) {
        t.expect("get_helpdesk_page_entity", "GET", &hd("/page/entity/fr/guides/1x8r2kq"));
        t.client
            .get_helpdesk_page_entity()
            .website_id(WEBSITE)
            .locale("fr")
            .content_type(types::HelpdeskContentType::Guides)
            .entity_id("1x8r2kq")
            .call();
        |page| {
            assert_eq!(
                page.title.as_deref(),
                Some("Installer la chatbox sur votre site")
            );
            assert_eq!(
                page.tree_path.as_deref(),
                Some("premiers-pas/installer-la-chatbox")
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Redirections
// ---------------------------------------------------------------------------------------------

contract! {
    fn list_helpdesk_redirections(t: ctx) {
        t.expect("list_helpdesk_redirections", "GET", &hd("/redirections/1"));
        t.client.list_helpdesk_redirections().website_id(WEBSITE).page_number(1u32).call();
        |redirections| {
            assert_eq!(redirections[0].redirection_id.as_deref(), Some(REDIRECTION));
            assert_eq!(
                redirections[0].path.as_deref(),
                Some("/en/article/old-install-guide/")
            );
            assert_eq!(redirections[0].updated_at, Some(1_759_300_000_000));
        }
    }

    fn add_helpdesk_redirection(t: ctx) {
        t.expect("add_helpdesk_redirection", "POST", &hd("/redirection"))
            .body(json!({
                "path": "/en/article/old-install-guide/",
                "target": "/en/article/install-the-chatbox-1x8r2kq/"
            }));
        t.client
            .add_helpdesk_redirection()
            .website_id(WEBSITE)
            .body(types::HelpdeskRedirectionAdd {
                path: "/en/article/old-install-guide/".into(),
                target: "/en/article/install-the-chatbox-1x8r2kq/".into(),
            })
            .call();
        |added| {
            assert_eq!(added.redirection_id.as_deref(), Some(REDIRECTION));
        }
    }

    fn check_helpdesk_redirection_exists(t: ctx) {
        t.expect(
            "check_helpdesk_redirection_exists",
            "HEAD",
            &hd(&format!("/redirection/{REDIRECTION}")),
        );
        t.client
            .check_helpdesk_redirection_exists()
            .website_id(WEBSITE)
            .redirection_id(REDIRECTION)
            .exists();
        |found| {
            assert!(found);
        }
    }

    fn get_helpdesk_redirection(t: ctx) {
        t.expect("get_helpdesk_redirection", "GET", &hd(&format!("/redirection/{REDIRECTION}")));
        t.client.get_helpdesk_redirection().website_id(WEBSITE).redirection_id(REDIRECTION).call();
        |redirection| {
            assert_eq!(
                redirection.target.as_deref(),
                Some("/en/article/install-the-chatbox-1x8r2kq/")
            );
            assert_eq!(redirection.created_at, Some(1_759_300_000_000));
        }
    }

    fn delete_helpdesk_redirection(t: ctx) {
        t.expect(
            "delete_helpdesk_redirection",
            "DELETE",
            &hd(&format!("/redirection/{REDIRECTION}")),
        );
        t.client
            .delete_helpdesk_redirection()
            .website_id(WEBSITE)
            .redirection_id(REDIRECTION)
            .call();
    }
}

// ---------------------------------------------------------------------------------------------
// Settings and domain
// ---------------------------------------------------------------------------------------------

contract! {
    fn get_helpdesk_settings(t: ctx) {
        t.expect("get_helpdesk_settings", "GET", &hd("/settings"));
        t.client.get_helpdesk_settings().website_id(WEBSITE).call();
        |settings| {
            assert_eq!(settings.name.as_deref(), Some("Acme Robotics Help Center"));
            let appearance = settings.appearance.expect("appearance");
            assert_eq!(
                appearance.color.and_then(|c| c.mode).as_deref(),
                Some("light")
            );
            let behavior = settings.behavior.expect("behavior");
            assert_eq!(behavior.table_of_contents, Some(true));
            assert_eq!(behavior.serve_markdown, Some(false));
            assert_eq!(settings.service.and_then(|s| s.mcp_server), Some(true));
            assert_eq!(
                settings.section.and_then(|s| s.references).as_deref(),
                Some("API reference")
            );
            let access = settings.access.expect("access");
            assert_eq!(access.restrict_mode.as_deref(), Some("none"));
            assert!(access.password.is_none());
        }
    }
}

#[tokio::test]
async fn save_helpdesk_settings() {
    let t = ctx().await;
    t.expect("save_helpdesk_settings", "PATCH", &hd("/settings"))
        .body(json!({
            "behavior": {"ask_feedback": false, "locale_picker": true},
            "access": {"restrict_mode": "password", "password": "s3cret-handbook"}
        }))
        .mount()
        .await;
    let access = types::HelpdeskSettingsAccess {
        restrict_mode: Some("password".into()),
        password: Some("s3cret-handbook".into()),
        jwt_secret: None,
    };
    // The access password stays out of `Debug` output.
    assert!(!format!("{access:?}").contains("s3cret-handbook"));
    t.client
        .save_helpdesk_settings()
        .website_id(WEBSITE)
        .body(types::HelpdeskSettings {
            behavior: Some(types::HelpdeskSettingsBehavior {
                ask_feedback: Some(false),
                locale_picker: Some(true),
                ..Default::default()
            }),
            access: Some(access),
            ..Default::default()
        })
        .call()
        .await
        .expect("call");
}

contract! {
    fn get_helpdesk_domain(t: ctx) {
        t.expect("get_helpdesk_domain", "GET", &hd("/domain"));
        t.client.get_helpdesk_domain().website_id(WEBSITE).call();
        |domain| {
            assert_eq!(domain.basic.as_deref(), Some("acme-robotics"));
            assert_eq!(domain.custom.as_deref(), Some("help.acme-robotics.com"));
            assert_eq!(domain.verified, Some(true));
        }
    }

    fn request_helpdesk_domain_change(t: ctx) {
        t.expect("request_helpdesk_domain_change", "PATCH", &hd("/domain"))
            .body(json!({"custom": "docs.acme-robotics.com"}));
        t.client
            .request_helpdesk_domain_change()
            .website_id(WEBSITE)
            .body(types::HelpdeskDomainChange {
                basic: None,
                custom: Some("docs.acme-robotics.com".into()),
            })
            .call();
    }

    fn generate_helpdesk_domain_setup_flow(t: ctx) {
        t.expect(
            "generate_helpdesk_domain_setup_flow",
            "GET",
            &hd("/domain/setup"),
        )
        .query("custom", "help.acme-robotics.com");
        t.client
            .generate_helpdesk_domain_setup_flow()
            .website_id(WEBSITE)
            .custom("help.acme-robotics.com")
            .call();
        |flow| {
            assert_eq!(flow.custom.as_deref(), Some("help.acme-robotics.com"));
            let records = flow.setup.expect("setup").records;
            assert_eq!(records.len(), 2);
            assert_eq!(records[0].type_.as_deref(), Some("CNAME"));
            assert_eq!(
                records[1].value.as_deref(),
                Some("crisp-verify=5f2c7a9e1b3d")
            );
        }
    }
}
