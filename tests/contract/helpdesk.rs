//! Contract tests of the helpdesk family: the helpdesk itself, its locales, the content tree,
//! history, feedback, import/export, redirections, settings and domain, then the deprecated
//! per-locale article, category and section routes.

use crate::support::{SESSION, WEBSITE, ctx, user_ctx};
use crisp_api::Method;
use crisp_api::types;
use futures::TryStreamExt;
use serde_json::json;
use wiremock::ResponseTemplate;

const USER: &str = "9d62e0b4-1c8a-4f37-b5e2-7a0c3d91f6e8";
const ARTICLE: &str = "fd036d68-c619-4c63-9deb-e2ce91733dd6";
const CATEGORY: &str = "33bc73b7-b7db-40a9-80fc-fcba8ebd1067";
const SECTION: &str = "14886b8c-faf6-4967-af0a-2d90b3419263";
const REDIRECTION: &str = "e2b5c8d1-4f7a-4b0c-9d3e-6f1a2b4c7d9e";
/// A nested tree path (an entry inside a group).
const ENTRY: &str = "getting-started/install-the-chatbox";
/// The same path as the generated methods put it on the wire: one segment, `/` encoded.
const ENTRY_WIRE: &str = "getting-started%2Finstall-the-chatbox";

/// The wire path of a helpdesk route, below `/v1`.
fn hd(rest: &str) -> String {
    format!("/website/{WEBSITE}/helpdesk{rest}")
}

/// The wire path of a legacy per-locale route, below `/v1`.
fn loc(locale: &str, rest: &str) -> String {
    hd(&format!("/locale/{locale}{rest}"))
}

/// The wire path of a legacy article route, below `/v1`.
fn art(rest: &str) -> String {
    loc("en", &format!("/article/{ARTICLE}{rest}"))
}

/// The wire path of a legacy category route, below `/v1`.
fn cat(rest: &str) -> String {
    loc("fr", &format!("/category/{CATEGORY}{rest}"))
}

/// The wire path of a legacy section route, below `/v1`.
fn sec() -> String {
    cat(&format!("/section/{SECTION}"))
}

fn articles() -> types::HelpdeskContentType {
    types::HelpdeskContentType::Articles
}

/// Answers a HEAD check with `status`.
fn status(code: u16) -> ResponseTemplate {
    ResponseTemplate::new(code)
}

// ---------------------------------------------------------------------------------------------
// The helpdesk itself
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn check_helpdesk_exists() {
    let t = ctx().await;
    t.expect("check_helpdesk_exists", "HEAD", &hd(""))
        .mount()
        .await;
    let found = t
        .client
        .check_helpdesk_exists()
        .website_id(WEBSITE)
        .exists()
        .await
        .expect("exists");
    assert!(found);
}

#[tokio::test]
async fn check_helpdesk_exists_not_found() {
    let t = ctx().await;
    t.expect("check_helpdesk_exists", "HEAD", &hd(""))
        .respond(status(404))
        .mount()
        .await;
    let found = t
        .client
        .check_helpdesk_exists()
        .website_id(WEBSITE)
        .exists()
        .await
        .expect("exists");
    assert!(!found);
}

#[tokio::test]
async fn get_helpdesk() {
    let t = ctx().await;
    t.expect("get_helpdesk", "GET", &hd("")).mount().await;
    let helpdesk = t
        .client
        .get_helpdesk()
        .website_id(WEBSITE)
        .call()
        .await
        .expect("call");
    assert_eq!(helpdesk.name.as_deref(), Some("Acme Robotics Help Center"));
    assert_eq!(helpdesk.url.as_deref(), Some("https://acme-robotics.help/"));
}

#[tokio::test]
async fn initialize_helpdesk() {
    let t = ctx().await;
    t.expect("initialize_helpdesk", "POST", &hd(""))
        .body(json!({"name": "Acme Robotics Help Center", "domain_basic": "acme-robotics"}))
        .mount()
        .await;
    t.client
        .initialize_helpdesk()
        .website_id(WEBSITE)
        .body(types::HelpdeskCreate {
            name: "Acme Robotics Help Center".into(),
            domain_basic: "acme-robotics".into(),
        })
        .call()
        .await
        .expect("call");
}

#[tokio::test]
async fn delete_helpdesk() {
    let t = user_ctx().await;
    t.expect("delete_helpdesk", "DELETE", &hd(""))
        .body(json!({"verify": {"method": "password", "secret": "correct horse battery staple"}}))
        .mount()
        .await;
    t.client
        .delete_helpdesk()
        .website_id(WEBSITE)
        .body(types::WebsiteDelete {
            verify: types::WebsiteVerifyChallenge {
                method: types::WebsiteVerifyMethod::Password,
                secret: "correct horse battery staple".into(),
            },
        })
        .call()
        .await
        .expect("call");
}

// ---------------------------------------------------------------------------------------------
// Locales
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_helpdesk_locales() {
    let t = ctx().await;
    t.expect("list_helpdesk_locales", "GET", &hd("/locales/1"))
        .mount()
        .await;
    let locales = t
        .client
        .list_helpdesk_locales()
        .website_id(WEBSITE)
        .page_number(1u32)
        .call()
        .await
        .expect("call");
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

#[tokio::test]
async fn add_helpdesk_locale() {
    let t = ctx().await;
    t.expect("add_helpdesk_locale", "POST", &hd("/locale"))
        .body(json!({"locale": "pt-br"}))
        .mount()
        .await;
    t.client
        .add_helpdesk_locale()
        .website_id(WEBSITE)
        .body(types::HelpdeskLocaleAdd {
            locale: "pt-br".into(),
        })
        .call()
        .await
        .expect("call");
}

#[tokio::test]
async fn check_helpdesk_locale_exists() {
    let t = ctx().await;
    t.expect("check_helpdesk_locale_exists", "HEAD", &hd("/locale/pt-br"))
        .respond(status(404))
        .mount()
        .await;
    let found = t
        .client
        .check_helpdesk_locale_exists()
        .website_id(WEBSITE)
        .locale("pt-br")
        .exists()
        .await
        .expect("exists");
    assert!(!found);
}

#[tokio::test]
async fn get_helpdesk_locale() {
    let t = ctx().await;
    t.expect("get_helpdesk_locale", "GET", &hd("/locale/fr"))
        .mount()
        .await;
    let locale = t
        .client
        .get_helpdesk_locale()
        .website_id(WEBSITE)
        .locale("fr")
        .call()
        .await
        .expect("call");
    assert_eq!(locale.locale.as_deref(), Some("fr"));
    let stats = locale.statistics.expect("statistics");
    assert_eq!(stats.news.and_then(|n| n.entries), Some(0));
}

#[tokio::test]
async fn delete_helpdesk_locale() {
    let t = ctx().await;
    t.expect("delete_helpdesk_locale", "DELETE", &hd("/locale/de"))
        .mount()
        .await;
    t.client
        .delete_helpdesk_locale()
        .website_id(WEBSITE)
        .locale("de")
        .call()
        .await
        .expect("call");
}

// ---------------------------------------------------------------------------------------------
// Published pages
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_helpdesk_pages() {
    let t = ctx().await;
    t.expect(
        "list_helpdesk_pages",
        "GET",
        &hd("/page/list/en/articles/1"),
    )
    .mount()
    .await;
    let pages = t
        .client
        .list_helpdesk_pages()
        .website_id(WEBSITE)
        .locale("en")
        .content_type(articles())
        .page_number(1u32)
        .call()
        .await
        .expect("call");
    assert_eq!(pages.len(), 2);
    assert_eq!(pages[0].tree_path.as_deref(), Some(ENTRY));
    assert_eq!(pages[1].entity_id.as_deref(), Some("9p3d7zn"));
}

#[tokio::test]
async fn get_helpdesk_page_entity() {
    let t = ctx().await;
    t.expect(
        "get_helpdesk_page_entity",
        "GET",
        &hd("/page/entity/fr/guides/1x8r2kq"),
    )
    .mount()
    .await;
    let page = t
        .client
        .get_helpdesk_page_entity()
        .website_id(WEBSITE)
        .locale("fr")
        .content_type(types::HelpdeskContentType::Guides)
        .entity_id("1x8r2kq")
        .call()
        .await
        .expect("call");
    assert_eq!(
        page.title.as_deref(),
        Some("Installer la chatbox sur votre site")
    );
    assert_eq!(
        page.tree_path.as_deref(),
        Some("premiers-pas/installer-la-chatbox")
    );
}

// ---------------------------------------------------------------------------------------------
// The content tree
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_helpdesk_tree() {
    let t = ctx().await;
    t.expect("list_helpdesk_tree", "GET", &hd("/tree/list/en/articles/1"))
        .query("sub_path", "getting-started")
        .query("search_title", "chatbox & widget")
        .query("filter_date_start", "2026-10-01T00:00:00Z")
        .query("filter_date_end", "2026-10-31T23:59:59Z")
        .mount()
        .await;
    let tree = t
        .client
        .list_helpdesk_tree()
        .website_id(WEBSITE)
        .locale("en")
        .content_type(articles())
        .page_number(1u32)
        .sub_path("getting-started")
        .search_title("chatbox & widget")
        .filter_date_start("2026-10-01T00:00:00Z")
        .filter_date_end("2026-10-31T23:59:59Z")
        .call()
        .await
        .expect("call");
    assert_eq!(tree.len(), 2);
    assert_eq!(tree[0].type_.as_deref(), Some("group"));
    assert_eq!(tree[0].children.len(), 2);
    let entry = &tree[0].children[0];
    assert_eq!(entry.slug.as_deref(), Some("install-the-chatbox"));
    assert_eq!(entry.state.as_ref().and_then(|s| s.featured), Some(true));
    assert!(tree[1].children.is_empty());
}

#[tokio::test]
async fn list_helpdesk_tree_stream() {
    let t = ctx().await;
    t.expect("list_helpdesk_tree", "GET", &hd("/tree/list/en/news/1"))
        .mount()
        .await;
    t.expect("list_helpdesk_tree", "GET", &hd("/tree/list/en/news/2"))
        .respond(
            ResponseTemplate::new(200)
                .set_body_json(json!({"error": false, "reason": "listed", "data": []})),
        )
        .mount()
        .await;
    let slugs: Vec<String> = t
        .client
        .list_helpdesk_tree()
        .website_id(WEBSITE)
        .locale("en")
        .content_type(types::HelpdeskContentType::News)
        .stream()
        .map_ok(|e| e.slug.unwrap_or_default())
        .try_collect()
        .await
        .expect("stream");
    assert_eq!(slugs, ["getting-started", "billing"]);
}

#[tokio::test]
async fn create_helpdesk_tree_path() {
    let t = ctx().await;
    t.expect(
        "create_helpdesk_tree_path",
        "POST",
        &hd(&format!("/tree/path/en/articles/{ENTRY_WIRE}")),
    )
    .mount()
    .await;
    t.client
        .create_helpdesk_tree_path()
        .website_id(WEBSITE)
        .locale("en")
        .content_type(articles())
        .path(ENTRY)
        .call()
        .await
        .expect("call");
}

#[tokio::test]
async fn get_helpdesk_tree_path() {
    let t = ctx().await;
    t.expect(
        "get_helpdesk_tree_path",
        "GET",
        &hd("/tree/path/en/articles/getting-started"),
    )
    .mount()
    .await;
    let node = t
        .client
        .get_helpdesk_tree_path()
        .website_id(WEBSITE)
        .locale("en")
        .content_type(articles())
        .path("getting-started")
        .call()
        .await
        .expect("call");
    assert_eq!(node.title.as_deref(), Some("Getting started"));
    assert_eq!(node.children.len(), 2);
    assert_eq!(
        node.children[1].state.as_ref().and_then(|s| s.published),
        Some(false)
    );
}

#[tokio::test]
async fn get_helpdesk_tree_path_encodes_every_reserved_character() {
    // Spaces, `?`, `#`, `%` and non-ASCII letters are percent-encoded (UTF-8), and so is `/`:
    // the whole tree path is one segment on the wire.
    let t = ctx().await;
    t.expect(
        "get_helpdesk_tree_path",
        "GET",
        &hd("/tree/path/fr/articles/premiers-pas%2Fd%C3%A9marrer%20%C3%A0%20100%25%20%23crisp%3F"),
    )
    .mount()
    .await;
    t.client
        .get_helpdesk_tree_path()
        .website_id(WEBSITE)
        .locale("fr")
        .content_type(articles())
        .path("premiers-pas/démarrer à 100% #crisp?")
        .call()
        .await
        .expect("call");
}

#[tokio::test]
async fn tree_path_as_a_raw_sub_path_through_raw_calls() {
    // Both official clients put the tree path into the URL unescaped (a raw sub-path). The
    // generated methods cannot (progenitor encodes `/`), so the documented fallback is a raw
    // call: its string path is split on `/` and each segment is encoded.
    let t = ctx().await;
    t.expect(
        "get_helpdesk_tree_content",
        "GET",
        &hd("/tree/content/fr/articles/premiers-pas/d%C3%A9marrer%20avec%20Crisp%3F"),
    )
    .mount()
    .await;
    let tree_path = "premiers-pas/démarrer avec Crisp?";
    let content: types::HelpdeskTreeContent = t
        .client
        .raw(
            Method::GET,
            format!("website/{WEBSITE}/helpdesk/tree/content/fr/articles/{tree_path}"),
        )
        .call()
        .await
        .expect("call");
    assert!(
        content
            .content
            .is_some_and(|c| c.starts_with("## Paste the snippet"))
    );
}

#[tokio::test]
async fn update_helpdesk_tree_path() {
    let t = ctx().await;
    t.expect(
        "update_helpdesk_tree_path",
        "PATCH",
        &hd(&format!("/tree/path/en/articles/{ENTRY_WIRE}")),
    )
    .body(
        json!({"action": "move", "path": {"to": "onboarding/install-the-chatbox"}, "position": 2}),
    )
    .mount()
    .await;
    t.client
        .update_helpdesk_tree_path()
        .website_id(WEBSITE)
        .locale("en")
        .content_type(articles())
        .path(ENTRY)
        .body(types::HelpdeskTreePathUpdate {
            action: "move".into(),
            path: Some(types::HelpdeskTreePathUpdatePath {
                to: "onboarding/install-the-chatbox".into(),
            }),
            position: Some(2),
        })
        .call()
        .await
        .expect("call");
}

#[tokio::test]
async fn delete_helpdesk_tree_path() {
    let t = ctx().await;
    t.expect(
        "delete_helpdesk_tree_path",
        "DELETE",
        &hd("/tree/path/de/references/api%2Fv1%2Fwebhooks"),
    )
    .mount()
    .await;
    t.client
        .delete_helpdesk_tree_path()
        .website_id(WEBSITE)
        .locale("de")
        .content_type(types::HelpdeskContentType::References)
        .path("api/v1/webhooks")
        .call()
        .await
        .expect("call");
}

#[tokio::test]
async fn get_helpdesk_tree_content() {
    let t = ctx().await;
    t.expect(
        "get_helpdesk_tree_content",
        "GET",
        &hd(&format!("/tree/content/en/articles/{ENTRY_WIRE}")),
    )
    .mount()
    .await;
    let content = t
        .client
        .get_helpdesk_tree_content()
        .website_id(WEBSITE)
        .locale("en")
        .content_type(articles())
        .path(ENTRY)
        .call()
        .await
        .expect("call");
    let markdown = content.content.expect("content");
    assert!(markdown.contains("**Settings › Chatbox**"));
    assert!(markdown.ends_with("within a minute.\n"));
}

#[tokio::test]
async fn save_helpdesk_tree_content() {
    let t = ctx().await;
    let markdown = "## Paste the snippet\n\nCopy it before `</head>`.\n";
    t.expect(
        "save_helpdesk_tree_content",
        "PUT",
        &hd(&format!("/tree/content/en/articles/{ENTRY_WIRE}")),
    )
    .body(json!({"content": markdown}))
    .mount()
    .await;
    t.client
        .save_helpdesk_tree_content()
        .website_id(WEBSITE)
        .locale("en")
        .content_type(articles())
        .path(ENTRY)
        .body(types::HelpdeskTreeContentSave {
            content: markdown.into(),
        })
        .call()
        .await
        .expect("call");
}

#[tokio::test]
async fn get_helpdesk_tree_metadata() {
    let t = ctx().await;
    t.expect(
        "get_helpdesk_tree_metadata",
        "GET",
        &hd(&format!("/tree/metadata/en/articles/{ENTRY_WIRE}")),
    )
    .mount()
    .await;
    let meta = t
        .client
        .get_helpdesk_tree_metadata()
        .website_id(WEBSITE)
        .locale("en")
        .content_type(articles())
        .path(ENTRY)
        .call()
        .await
        .expect("call");
    assert_eq!(
        meta.title.as_deref(),
        Some("Install the chatbox on your website")
    );
    assert_eq!(meta.format.as_deref(), Some("markdown"));
    assert_eq!(meta.state.and_then(|s| s.published), Some(true));
    assert_eq!(meta.author.and_then(|a| a.user_id).as_deref(), Some(USER));
    assert_eq!(meta.color.as_deref(), Some("#2f6fed"));
}

#[tokio::test]
async fn update_helpdesk_tree_metadata() {
    // Publishing an entry is a metadata update.
    let t = ctx().await;
    t.expect(
        "update_helpdesk_tree_metadata",
        "PATCH",
        &hd(&format!("/tree/metadata/en/articles/{ENTRY_WIRE}")),
    )
    .body(json!({
        "title": "Install the chatbox on your website",
        "state": {"published": true, "featured": false}
    }))
    .mount()
    .await;
    t.client
        .update_helpdesk_tree_metadata()
        .website_id(WEBSITE)
        .locale("en")
        .content_type(articles())
        .path(ENTRY)
        .body(types::HelpdeskTreeMetadata {
            title: Some("Install the chatbox on your website".into()),
            state: Some(types::HelpdeskTreeState {
                published: Some(true),
                featured: Some(false),
                hidden: None,
            }),
            ..Default::default()
        })
        .call()
        .await
        .expect("call");
}

#[tokio::test]
async fn get_helpdesk_tree_page() {
    let t = ctx().await;
    t.expect(
        "get_helpdesk_tree_page",
        "GET",
        &hd(&format!("/tree/page/en/articles/{ENTRY_WIRE}")),
    )
    .mount()
    .await;
    let page = t
        .client
        .get_helpdesk_tree_page()
        .website_id(WEBSITE)
        .locale("en")
        .content_type(articles())
        .path(ENTRY)
        .call()
        .await
        .expect("call");
    assert_eq!(
        page.url.as_deref(),
        Some("https://acme-robotics.help/en/article/install-the-chatbox-1x8r2kq/")
    );
}

// ---------------------------------------------------------------------------------------------
// History
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_helpdesk_history_changes() {
    let t = ctx().await;
    t.expect(
        "list_helpdesk_history_changes",
        "GET",
        &hd("/history/changes/3"),
    )
    .query("filter_locale", "en")
    .query("filter_type", "articles")
    .query("filter_tree_path", ENTRY)
    .mount()
    .await;
    let changes = t
        .client
        .list_helpdesk_history_changes()
        .website_id(WEBSITE)
        .page_number(3u32)
        .filter_locale("en")
        .filter_type("articles")
        .filter_tree_path(ENTRY)
        .call()
        .await
        .expect("call");
    assert_eq!(changes.len(), 1);
    let change = &changes[0];
    assert_eq!(change.change_id.as_deref(), Some("c4a1f9e2b7d3"));
    assert_eq!(change.created_at, Some(1_761_900_000_000));
    assert_eq!(
        change.edits.as_ref().map(|e| (e.insertions, e.deletions)),
        Some((Some(12), Some(3)))
    );
    assert_eq!(change.files[0].path.as_deref(), Some(ENTRY));
}

#[tokio::test]
async fn get_helpdesk_history_change() {
    let t = ctx().await;
    t.expect(
        "get_helpdesk_history_change",
        "GET",
        &hd("/history/change/c4a1f9e2b7d3"),
    )
    .mount()
    .await;
    let change = t
        .client
        .get_helpdesk_history_change()
        .website_id(WEBSITE)
        .change_id("c4a1f9e2b7d3")
        .call()
        .await
        .expect("call");
    let author = change.author.expect("author");
    assert_eq!(author.name.as_deref(), Some("Maya Lindqvist"));
    let file = &change.files[0];
    assert_eq!(file.change.as_deref(), Some("modified"));
    assert_eq!(
        file.metadata
            .as_ref()
            .and_then(|m| m.state.as_ref())
            .and_then(|s| s.featured),
        Some(true)
    );
}

#[tokio::test]
async fn cancel_helpdesk_history_change() {
    let t = ctx().await;
    t.expect(
        "cancel_helpdesk_history_change",
        "DELETE",
        &hd("/history/change/c4a1f9e2b7d3"),
    )
    .body(json!({"action": "revert"}))
    .mount()
    .await;
    t.client
        .cancel_helpdesk_history_change()
        .website_id(WEBSITE)
        .change_id("c4a1f9e2b7d3")
        .body(types::HelpdeskHistoryChangeCancel {
            action: "revert".into(),
        })
        .call()
        .await
        .expect("call");
}

// ---------------------------------------------------------------------------------------------
// Refresh, feedback, import and export
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn request_helpdesk_content_refresh() {
    let t = ctx().await;
    t.expect(
        "request_helpdesk_content_refresh",
        "POST",
        &hd("/refresh/en/guides"),
    )
    .mount()
    .await;
    t.client
        .request_helpdesk_content_refresh()
        .website_id(WEBSITE)
        .locale("en")
        .content_type(types::HelpdeskContentType::Guides)
        .call()
        .await
        .expect("call");
}

#[tokio::test]
async fn get_helpdesk_feedback_ratings() {
    let t = ctx().await;
    t.expect(
        "get_helpdesk_feedback_ratings",
        "GET",
        &hd("/feedback/ratings/en/articles"),
    )
    .query("filter_date_start", "2026-10-01T00:00:00+02:00")
    .mount()
    .await;
    let ratings = t
        .client
        .get_helpdesk_feedback_ratings()
        .website_id(WEBSITE)
        .locale("en")
        .content_type(articles())
        .filter_date_start("2026-10-01T00:00:00+02:00")
        .call()
        .await
        .expect("call");
    let counts = ratings.ratings.expect("ratings");
    assert_eq!((counts.helpful, counts.unhelpful), (Some(318), Some(27)));
}

#[tokio::test]
async fn list_helpdesk_feedbacks() {
    let t = ctx().await;
    t.expect(
        "list_helpdesk_feedbacks",
        "GET",
        &hd("/feedback/list/en/articles/1"),
    )
    .query("filter_date_start", "2026-10-01T00:00:00Z")
    .query("filter_date_end", "2026-10-31T23:59:59Z")
    .mount()
    .await;
    let feedbacks = t
        .client
        .list_helpdesk_feedbacks()
        .website_id(WEBSITE)
        .locale("en")
        .content_type(articles())
        .page_number(1u32)
        .filter_date_start("2026-10-01T00:00:00Z")
        .filter_date_end("2026-10-31T23:59:59Z")
        .call()
        .await
        .expect("call");
    let feedback = &feedbacks[0];
    assert_eq!(feedback.rating.as_deref(), Some("unhelpful"));
    let session = feedback.session.as_ref().expect("session");
    assert_eq!(session.session_id.as_deref(), Some(SESSION));
    let geo = session.geolocation.as_ref().expect("geolocation");
    assert_eq!(geo.country.as_deref(), Some("DE"));
    assert_eq!(
        session.assigned.as_ref().and_then(|a| a.user_id.as_deref()),
        Some(USER)
    );
    assert_eq!(feedback.created_at, Some(1_761_985_123_000));
}

#[tokio::test]
async fn import_external_helpdesk() {
    let t = ctx().await;
    t.expect(
        "import_external_helpdesk",
        "POST",
        &hd("/import/en/articles"),
    )
    .body(json!({
        "helpdesk_url": "https://support.acme-robotics.com/hc/en-us",
        "detect_locales": true,
        "other_locales": ["fr", "de"]
    }))
    .mount()
    .await;
    t.client
        .import_external_helpdesk()
        .website_id(WEBSITE)
        .locale("en")
        .content_type(articles())
        .body(types::HelpdeskExternalImport {
            helpdesk_url: "https://support.acme-robotics.com/hc/en-us".into(),
            detect_locales: Some(true),
            other_locales: vec!["fr".into(), "de".into()],
        })
        .call()
        .await
        .expect("call");
}

#[tokio::test]
async fn export_helpdesk_content() {
    let t = ctx().await;
    t.expect("export_helpdesk_content", "POST", &hd("/export/fr/news"))
        .mount()
        .await;
    t.client
        .export_helpdesk_content()
        .website_id(WEBSITE)
        .locale("fr")
        .content_type(types::HelpdeskContentType::News)
        .call()
        .await
        .expect("call");
}

// ---------------------------------------------------------------------------------------------
// Redirections
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_helpdesk_redirections() {
    let t = ctx().await;
    t.expect("list_helpdesk_redirections", "GET", &hd("/redirections/1"))
        .mount()
        .await;
    let redirections = t
        .client
        .list_helpdesk_redirections()
        .website_id(WEBSITE)
        .page_number(1u32)
        .call()
        .await
        .expect("call");
    assert_eq!(redirections[0].redirection_id.as_deref(), Some(REDIRECTION));
    assert_eq!(
        redirections[0].path.as_deref(),
        Some("/en/article/old-install-guide/")
    );
    assert_eq!(redirections[0].updated_at, Some(1_759_300_000_000));
}

#[tokio::test]
async fn add_helpdesk_redirection() {
    let t = ctx().await;
    t.expect("add_helpdesk_redirection", "POST", &hd("/redirection"))
        .body(json!({
            "path": "/en/article/old-install-guide/",
            "target": "/en/article/install-the-chatbox-1x8r2kq/"
        }))
        .mount()
        .await;
    let added = t
        .client
        .add_helpdesk_redirection()
        .website_id(WEBSITE)
        .body(types::HelpdeskRedirectionAdd {
            path: "/en/article/old-install-guide/".into(),
            target: "/en/article/install-the-chatbox-1x8r2kq/".into(),
        })
        .call()
        .await
        .expect("call");
    assert_eq!(added.redirection_id.as_deref(), Some(REDIRECTION));
}

#[tokio::test]
async fn check_helpdesk_redirection_exists() {
    let t = ctx().await;
    t.expect(
        "check_helpdesk_redirection_exists",
        "HEAD",
        &hd(&format!("/redirection/{REDIRECTION}")),
    )
    .mount()
    .await;
    let found = t
        .client
        .check_helpdesk_redirection_exists()
        .website_id(WEBSITE)
        .redirection_id(REDIRECTION)
        .exists()
        .await
        .expect("exists");
    assert!(found);
}

#[tokio::test]
async fn get_helpdesk_redirection() {
    let t = ctx().await;
    t.expect(
        "get_helpdesk_redirection",
        "GET",
        &hd(&format!("/redirection/{REDIRECTION}")),
    )
    .mount()
    .await;
    let redirection = t
        .client
        .get_helpdesk_redirection()
        .website_id(WEBSITE)
        .redirection_id(REDIRECTION)
        .call()
        .await
        .expect("call");
    assert_eq!(
        redirection.target.as_deref(),
        Some("/en/article/install-the-chatbox-1x8r2kq/")
    );
    assert_eq!(redirection.created_at, Some(1_759_300_000_000));
}

#[tokio::test]
async fn delete_helpdesk_redirection() {
    let t = ctx().await;
    t.expect(
        "delete_helpdesk_redirection",
        "DELETE",
        &hd(&format!("/redirection/{REDIRECTION}")),
    )
    .mount()
    .await;
    t.client
        .delete_helpdesk_redirection()
        .website_id(WEBSITE)
        .redirection_id(REDIRECTION)
        .call()
        .await
        .expect("call");
}

// ---------------------------------------------------------------------------------------------
// Settings and domain
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn get_helpdesk_settings() {
    let t = ctx().await;
    t.expect("get_helpdesk_settings", "GET", &hd("/settings"))
        .mount()
        .await;
    let settings = t
        .client
        .get_helpdesk_settings()
        .website_id(WEBSITE)
        .call()
        .await
        .expect("call");
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

#[tokio::test]
async fn get_helpdesk_domain() {
    let t = ctx().await;
    t.expect("get_helpdesk_domain", "GET", &hd("/domain"))
        .mount()
        .await;
    let domain = t
        .client
        .get_helpdesk_domain()
        .website_id(WEBSITE)
        .call()
        .await
        .expect("call");
    assert_eq!(domain.basic.as_deref(), Some("acme-robotics"));
    assert_eq!(domain.custom.as_deref(), Some("help.acme-robotics.com"));
    assert_eq!(domain.verified, Some(true));
}

#[tokio::test]
async fn request_helpdesk_domain_change() {
    let t = ctx().await;
    t.expect("request_helpdesk_domain_change", "PATCH", &hd("/domain"))
        .body(json!({"custom": "docs.acme-robotics.com"}))
        .mount()
        .await;
    t.client
        .request_helpdesk_domain_change()
        .website_id(WEBSITE)
        .body(types::HelpdeskDomainChange {
            basic: None,
            custom: Some("docs.acme-robotics.com".into()),
        })
        .call()
        .await
        .expect("call");
}

#[tokio::test]
async fn generate_helpdesk_domain_setup_flow() {
    let t = ctx().await;
    t.expect(
        "generate_helpdesk_domain_setup_flow",
        "GET",
        &hd("/domain/setup"),
    )
    .query("custom", "help.acme-robotics.com")
    .mount()
    .await;
    let flow = t
        .client
        .generate_helpdesk_domain_setup_flow()
        .website_id(WEBSITE)
        .custom("help.acme-robotics.com")
        .call()
        .await
        .expect("call");
    assert_eq!(flow.custom.as_deref(), Some("help.acme-robotics.com"));
    let records = flow.setup.expect("setup").records;
    assert_eq!(records.len(), 2);
    assert_eq!(records[0].type_.as_deref(), Some("CNAME"));
    assert_eq!(
        records[1].value.as_deref(),
        Some("crisp-verify=5f2c7a9e1b3d")
    );
}

// ---------------------------------------------------------------------------------------------
// Deprecated: articles of a locale
// ---------------------------------------------------------------------------------------------

#[test]
fn legacy_routes_are_flagged_deprecated() {
    for id in [
        "list_helpdesk_locale_articles",
        "publish_helpdesk_locale_article",
        "delete_helpdesk_locale_section",
        "export_helpdesk_locale_articles",
    ] {
        assert!(
            crisp_api::operations::find(id).expect(id).deprecated,
            "{id}"
        );
    }
    for id in ["list_helpdesk_tree", "update_helpdesk_tree_metadata"] {
        assert!(
            !crisp_api::operations::find(id).expect(id).deprecated,
            "{id}"
        );
    }
}

#[tokio::test]
async fn list_helpdesk_locale_articles() {
    let t = ctx().await;
    t.expect(
        "list_helpdesk_locale_articles",
        "GET",
        &loc("en", "/articles/1"),
    )
    .mount()
    .await;
    let list = t
        .client
        .list_helpdesk_locale_articles()
        .website_id(WEBSITE)
        .locale("en")
        .page_number(1u32)
        .call()
        .await
        .expect("call");
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].article_id.as_deref(), Some(ARTICLE));
    assert_eq!(list[0].status.as_deref(), Some("published"));
    assert_eq!(list[0].visits, Some(1834));
    assert_eq!(list[0].published_at, Some(1_727_780_400_000));
    // A `null` description decodes as absent.
    assert_eq!(list[1].description, None);
    assert_eq!(list[1].visibility.as_deref(), Some("hidden"));
    assert_eq!(
        list[1].title.as_deref(),
        Some("Actualizar el método de pago")
    );
}

#[tokio::test]
async fn list_helpdesk_locale_articles_stream() {
    let t = ctx().await;
    t.expect(
        "list_helpdesk_locale_articles",
        "GET",
        &loc("en", "/articles/1"),
    )
    .mount()
    .await;
    t.expect(
        "list_helpdesk_locale_articles",
        "GET",
        &loc("en", "/articles/2"),
    )
    .respond(
        ResponseTemplate::new(206)
            .set_body_json(json!({"error": false, "reason": "listed", "data": []})),
    )
    .mount()
    .await;
    let ids: Vec<String> = t
        .client
        .list_helpdesk_locale_articles()
        .website_id(WEBSITE)
        .locale("en")
        .stream()
        .map_ok(|a| a.article_id.unwrap_or_default())
        .try_collect()
        .await
        .expect("stream");
    assert_eq!(ids, [ARTICLE, "5c0e8a61-3b7d-4f29-a1e4-9d2c6b8f0a37"]);
}

#[tokio::test]
async fn add_helpdesk_locale_article() {
    let t = ctx().await;
    t.expect(
        "add_helpdesk_locale_article",
        "POST",
        &loc("en", "/article"),
    )
    .body(json!({"title": "Install the chatbox on your website"}))
    .mount()
    .await;
    let added = t
        .client
        .add_helpdesk_locale_article()
        .website_id(WEBSITE)
        .locale("en")
        .body(types::HelpdeskLocaleArticleAdd {
            title: "Install the chatbox on your website".into(),
        })
        .call()
        .await
        .expect("call");
    assert_eq!(added.article_id.as_deref(), Some(ARTICLE));
}

#[tokio::test]
async fn check_helpdesk_locale_article_exists() {
    let t = ctx().await;
    t.expect("check_helpdesk_locale_article_exists", "HEAD", &art(""))
        .respond(status(404))
        .mount()
        .await;
    let found = t
        .client
        .check_helpdesk_locale_article_exists()
        .website_id(WEBSITE)
        .locale("en")
        .article_id(ARTICLE)
        .exists()
        .await
        .expect("exists");
    assert!(!found);
}

#[tokio::test]
async fn get_helpdesk_locale_article() {
    let t = ctx().await;
    t.expect("get_helpdesk_locale_article", "GET", &art(""))
        .mount()
        .await;
    let article = t
        .client
        .get_helpdesk_locale_article()
        .website_id(WEBSITE)
        .locale("en")
        .article_id(ARTICLE)
        .call()
        .await
        .expect("call");
    assert_eq!(article.featured, Some(true));
    assert_eq!(article.order, Some(1));
    assert!(article.content.is_some_and(|c| c.starts_with("## Paste")));
    assert_eq!(article.updated_at, Some(1_761_900_000_000));
}

#[tokio::test]
async fn save_helpdesk_locale_article() {
    let t = ctx().await;
    t.expect("save_helpdesk_locale_article", "PUT", &art(""))
        .body(json!({
            "title": "Install the chatbox on your website",
            "description": "Paste the snippet and check the chatbox.",
            "content": "Crisp lets you add the chatbox in **one step**.",
            "featured": false,
            "order": 1,
            "visibility": "visible"
        }))
        .mount()
        .await;
    t.client
        .save_helpdesk_locale_article()
        .website_id(WEBSITE)
        .locale("en")
        .article_id(ARTICLE)
        .body(types::HelpdeskLocaleArticleSave {
            title: "Install the chatbox on your website".into(),
            description: Some("Paste the snippet and check the chatbox.".into()),
            content: "Crisp lets you add the chatbox in **one step**.".into(),
            featured: false,
            order: 1,
            visibility: Some(types::HelpdeskLocaleArticleVisibility::Visible),
        })
        .call()
        .await
        .expect("call");
}

#[tokio::test]
async fn update_helpdesk_locale_article() {
    let t = ctx().await;
    t.expect("update_helpdesk_locale_article", "PATCH", &art(""))
        .body(json!({"content": "Crisp lets you add the chatbox in **one step**."}))
        .mount()
        .await;
    t.client
        .update_helpdesk_locale_article()
        .website_id(WEBSITE)
        .locale("en")
        .article_id(ARTICLE)
        .body(types::HelpdeskLocaleArticleUpdate {
            content: Some("Crisp lets you add the chatbox in **one step**.".into()),
            ..Default::default()
        })
        .call()
        .await
        .expect("call");
}

#[tokio::test]
async fn delete_helpdesk_locale_article() {
    let t = ctx().await;
    t.expect("delete_helpdesk_locale_article", "DELETE", &art(""))
        .mount()
        .await;
    t.client
        .delete_helpdesk_locale_article()
        .website_id(WEBSITE)
        .locale("en")
        .article_id(ARTICLE)
        .call()
        .await
        .expect("call");
}

#[tokio::test]
async fn get_helpdesk_locale_article_page() {
    let t = ctx().await;
    t.expect("get_helpdesk_locale_article_page", "GET", &art("/page"))
        .mount()
        .await;
    let page = t
        .client
        .get_helpdesk_locale_article_page()
        .website_id(WEBSITE)
        .locale("en")
        .article_id(ARTICLE)
        .call()
        .await
        .expect("call");
    assert_eq!(
        page.title.as_deref(),
        Some("Install the chatbox on your website")
    );
}

#[tokio::test]
async fn get_helpdesk_locale_article_category() {
    let t = ctx().await;
    t.expect(
        "get_helpdesk_locale_article_category",
        "GET",
        &art("/category"),
    )
    .mount()
    .await;
    let filed = t
        .client
        .get_helpdesk_locale_article_category()
        .website_id(WEBSITE)
        .locale("en")
        .article_id(ARTICLE)
        .call()
        .await
        .expect("call");
    assert_eq!(filed.category_id.as_deref(), Some(CATEGORY));
    assert_eq!(filed.section_id.as_deref(), Some(SECTION));
}

#[tokio::test]
async fn update_helpdesk_locale_article_category() {
    let t = ctx().await;
    t.expect(
        "update_helpdesk_locale_article_category",
        "PATCH",
        &art("/category"),
    )
    .body(json!({"category_id": CATEGORY}))
    .mount()
    .await;
    t.client
        .update_helpdesk_locale_article_category()
        .website_id(WEBSITE)
        .locale("en")
        .article_id(ARTICLE)
        .body(types::HelpdeskLocaleArticleCategoryUpdate {
            category_id: CATEGORY.into(),
            section_id: None,
        })
        .call()
        .await
        .expect("call");
}

#[tokio::test]
async fn list_helpdesk_locale_article_alternates() {
    let t = ctx().await;
    t.expect(
        "list_helpdesk_locale_article_alternates",
        "GET",
        &art("/alternates"),
    )
    .mount()
    .await;
    let alternates = t
        .client
        .list_helpdesk_locale_article_alternates()
        .website_id(WEBSITE)
        .locale("en")
        .article_id(ARTICLE)
        .call()
        .await
        .expect("call");
    let locales: Vec<_> = alternates
        .iter()
        .filter_map(|a| a.locale.as_deref())
        .collect();
    assert_eq!(locales, ["fr", "de"]);
}

#[tokio::test]
async fn check_helpdesk_locale_article_alternate_exists() {
    let t = ctx().await;
    t.expect(
        "check_helpdesk_locale_article_alternate_exists",
        "HEAD",
        &art("/alternate/pt-br"),
    )
    .mount()
    .await;
    let found = t
        .client
        .check_helpdesk_locale_article_alternate_exists()
        .website_id(WEBSITE)
        .locale("en")
        .article_id(ARTICLE)
        .locale_linked("pt-br")
        .exists()
        .await
        .expect("exists");
    assert!(found);
}

#[tokio::test]
async fn get_helpdesk_locale_article_alternate() {
    let t = ctx().await;
    t.expect(
        "get_helpdesk_locale_article_alternate",
        "GET",
        &art("/alternate/de"),
    )
    .mount()
    .await;
    let alternate = t
        .client
        .get_helpdesk_locale_article_alternate()
        .website_id(WEBSITE)
        .locale("en")
        .article_id(ARTICLE)
        .locale_linked("de")
        .call()
        .await
        .expect("call");
    assert_eq!(
        alternate.article_id.as_deref(),
        Some("8f5d2a03-6c1e-4b97-a4d8-3e0b7f9c6a15")
    );
}

#[tokio::test]
async fn save_helpdesk_locale_article_alternate() {
    let t = ctx().await;
    t.expect(
        "save_helpdesk_locale_article_alternate",
        "PUT",
        &art("/alternate/de"),
    )
    .body(json!({"article_id": "8f5d2a03-6c1e-4b97-a4d8-3e0b7f9c6a15"}))
    .mount()
    .await;
    t.client
        .save_helpdesk_locale_article_alternate()
        .website_id(WEBSITE)
        .locale("en")
        .article_id(ARTICLE)
        .locale_linked("de")
        .body(types::HelpdeskLocaleArticleAlternateSave {
            article_id: "8f5d2a03-6c1e-4b97-a4d8-3e0b7f9c6a15".into(),
        })
        .call()
        .await
        .expect("call");
}

#[tokio::test]
async fn delete_helpdesk_locale_article_alternate() {
    let t = ctx().await;
    t.expect(
        "delete_helpdesk_locale_article_alternate",
        "DELETE",
        &art("/alternate/de"),
    )
    .mount()
    .await;
    t.client
        .delete_helpdesk_locale_article_alternate()
        .website_id(WEBSITE)
        .locale("en")
        .article_id(ARTICLE)
        .locale_linked("de")
        .call()
        .await
        .expect("call");
}

#[tokio::test]
async fn publish_helpdesk_locale_article() {
    let t = ctx().await;
    t.expect("publish_helpdesk_locale_article", "POST", &art("/publish"))
        .mount()
        .await;
    let published = t
        .client
        .publish_helpdesk_locale_article()
        .website_id(WEBSITE)
        .locale("en")
        .article_id(ARTICLE)
        .call()
        .await
        .expect("call");
    assert_eq!(
        published.url.as_deref(),
        Some("https://acme-robotics.help/en/article/install-the-chatbox-1x8r2kq/")
    );
}

#[tokio::test]
async fn unpublish_helpdesk_locale_article() {
    let t = ctx().await;
    t.expect(
        "unpublish_helpdesk_locale_article",
        "POST",
        &art("/unpublish"),
    )
    .mount()
    .await;
    t.client
        .unpublish_helpdesk_locale_article()
        .website_id(WEBSITE)
        .locale("en")
        .article_id(ARTICLE)
        .call()
        .await
        .expect("call");
}

// ---------------------------------------------------------------------------------------------
// Deprecated: categories and sections of a locale
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_helpdesk_locale_categories() {
    let t = ctx().await;
    t.expect(
        "list_helpdesk_locale_categories",
        "GET",
        &loc("fr", "/categories/1"),
    )
    .mount()
    .await;
    let categories = t
        .client
        .list_helpdesk_locale_categories()
        .website_id(WEBSITE)
        .locale("fr")
        .page_number(1u32)
        .call()
        .await
        .expect("call");
    assert_eq!(categories[0].category_id.as_deref(), Some(CATEGORY));
    assert_eq!(categories[0].order, Some(1));
    assert_eq!(categories[1].name.as_deref(), Some("Facturation"));
    assert_eq!(categories[1].image, None);
}

#[tokio::test]
async fn add_helpdesk_locale_category() {
    let t = ctx().await;
    t.expect(
        "add_helpdesk_locale_category",
        "POST",
        &loc("fr", "/category"),
    )
    .body(json!({"name": "Premiers pas"}))
    .mount()
    .await;
    let added = t
        .client
        .add_helpdesk_locale_category()
        .website_id(WEBSITE)
        .locale("fr")
        .body(types::HelpdeskLocaleCategoryAdd {
            name: "Premiers pas".into(),
        })
        .call()
        .await
        .expect("call");
    assert_eq!(added.category_id.as_deref(), Some(CATEGORY));
}

#[tokio::test]
async fn check_helpdesk_locale_category_exists() {
    let t = ctx().await;
    t.expect("check_helpdesk_locale_category_exists", "HEAD", &cat(""))
        .mount()
        .await;
    let found = t
        .client
        .check_helpdesk_locale_category_exists()
        .website_id(WEBSITE)
        .locale("fr")
        .category_id(CATEGORY)
        .exists()
        .await
        .expect("exists");
    assert!(found);
}

#[tokio::test]
async fn get_helpdesk_locale_category() {
    let t = ctx().await;
    t.expect("get_helpdesk_locale_category", "GET", &cat(""))
        .mount()
        .await;
    let category = t
        .client
        .get_helpdesk_locale_category()
        .website_id(WEBSITE)
        .locale("fr")
        .category_id(CATEGORY)
        .call()
        .await
        .expect("call");
    assert_eq!(category.name.as_deref(), Some("Getting started"));
    assert_eq!(category.color.as_deref(), Some("#2f6fed"));
    assert_eq!(category.created_at, Some(1_727_776_800_000));
}

#[tokio::test]
async fn save_helpdesk_locale_category() {
    let t = ctx().await;
    t.expect("save_helpdesk_locale_category", "PUT", &cat(""))
        .body(json!({
            "name": "Premiers pas",
            "description": "Tout pour installer Crisp.",
            "color": "#2f6fed",
            "image": null,
            "order": 1
        }))
        .mount()
        .await;
    t.client
        .save_helpdesk_locale_category()
        .website_id(WEBSITE)
        .locale("fr")
        .category_id(CATEGORY)
        .body(types::HelpdeskLocaleCategorySave {
            name: "Premiers pas".into(),
            description: Some("Tout pour installer Crisp.".into()),
            color: Some("#2f6fed".into()),
            // Required, and sent as `null`: a replace that clears the image.
            image: None,
            order: 1,
        })
        .call()
        .await
        .expect("call");
}

#[tokio::test]
async fn update_helpdesk_locale_category() {
    let t = ctx().await;
    t.expect("update_helpdesk_locale_category", "PATCH", &cat(""))
        .body(json!({"order": 3}))
        .mount()
        .await;
    t.client
        .update_helpdesk_locale_category()
        .website_id(WEBSITE)
        .locale("fr")
        .category_id(CATEGORY)
        .body(types::HelpdeskLocaleCategoryUpdate {
            order: Some(3),
            ..Default::default()
        })
        .call()
        .await
        .expect("call");
}

#[tokio::test]
async fn delete_helpdesk_locale_category() {
    let t = ctx().await;
    t.expect("delete_helpdesk_locale_category", "DELETE", &cat(""))
        .mount()
        .await;
    t.client
        .delete_helpdesk_locale_category()
        .website_id(WEBSITE)
        .locale("fr")
        .category_id(CATEGORY)
        .call()
        .await
        .expect("call");
}

#[tokio::test]
async fn list_helpdesk_locale_sections() {
    let t = ctx().await;
    t.expect("list_helpdesk_locale_sections", "GET", &cat("/sections/2"))
        .mount()
        .await;
    let sections = t
        .client
        .list_helpdesk_locale_sections()
        .website_id(WEBSITE)
        .locale("fr")
        .category_id(CATEGORY)
        .page_number(2u32)
        .call()
        .await
        .expect("call");
    let names: Vec<_> = sections.iter().filter_map(|s| s.name.as_deref()).collect();
    assert_eq!(names, ["Installation", "Troubleshooting"]);
    assert_eq!(sections[1].order, Some(2));
}

#[tokio::test]
async fn add_helpdesk_locale_section() {
    let t = ctx().await;
    t.expect("add_helpdesk_locale_section", "POST", &cat("/section"))
        .body(json!({"name": "Installation"}))
        .mount()
        .await;
    let added = t
        .client
        .add_helpdesk_locale_section()
        .website_id(WEBSITE)
        .locale("fr")
        .category_id(CATEGORY)
        .body(types::HelpdeskLocaleSectionAdd {
            name: "Installation".into(),
        })
        .call()
        .await
        .expect("call");
    assert_eq!(added.section_id.as_deref(), Some(SECTION));
}

#[tokio::test]
async fn check_helpdesk_locale_section_exists() {
    let t = ctx().await;
    t.expect("check_helpdesk_locale_section_exists", "HEAD", &sec())
        .respond(status(404))
        .mount()
        .await;
    let found = t
        .client
        .check_helpdesk_locale_section_exists()
        .website_id(WEBSITE)
        .locale("fr")
        .category_id(CATEGORY)
        .section_id(SECTION)
        .exists()
        .await
        .expect("exists");
    assert!(!found);
}

#[tokio::test]
async fn get_helpdesk_locale_section() {
    let t = ctx().await;
    t.expect("get_helpdesk_locale_section", "GET", &sec())
        .mount()
        .await;
    let section = t
        .client
        .get_helpdesk_locale_section()
        .website_id(WEBSITE)
        .locale("fr")
        .category_id(CATEGORY)
        .section_id(SECTION)
        .call()
        .await
        .expect("call");
    assert_eq!(section.name.as_deref(), Some("Installation"));
    assert_eq!(section.updated_at, Some(1_759_300_000_000));
}

#[tokio::test]
async fn save_helpdesk_locale_section() {
    let t = ctx().await;
    t.expect("save_helpdesk_locale_section", "PUT", &sec())
        .body(json!({"name": "Installation", "order": 1}))
        .mount()
        .await;
    t.client
        .save_helpdesk_locale_section()
        .website_id(WEBSITE)
        .locale("fr")
        .category_id(CATEGORY)
        .section_id(SECTION)
        .body(types::HelpdeskLocaleSectionSave {
            name: "Installation".into(),
            order: 1,
        })
        .call()
        .await
        .expect("call");
}

#[tokio::test]
async fn update_helpdesk_locale_section() {
    let t = ctx().await;
    t.expect("update_helpdesk_locale_section", "PATCH", &sec())
        .body(json!({"name": "Dépannage"}))
        .mount()
        .await;
    t.client
        .update_helpdesk_locale_section()
        .website_id(WEBSITE)
        .locale("fr")
        .category_id(CATEGORY)
        .section_id(SECTION)
        .body(types::HelpdeskLocaleSectionUpdate {
            name: Some("Dépannage".into()),
            order: None,
        })
        .call()
        .await
        .expect("call");
}

#[tokio::test]
async fn delete_helpdesk_locale_section() {
    let t = ctx().await;
    t.expect("delete_helpdesk_locale_section", "DELETE", &sec())
        .mount()
        .await;
    t.client
        .delete_helpdesk_locale_section()
        .website_id(WEBSITE)
        .locale("fr")
        .category_id(CATEGORY)
        .section_id(SECTION)
        .call()
        .await
        .expect("call");
}

// ---------------------------------------------------------------------------------------------
// Deprecated: per-locale feedback, import and export
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn get_helpdesk_locale_feedback_ratings() {
    let t = ctx().await;
    t.expect(
        "get_helpdesk_locale_feedback_ratings",
        "GET",
        &loc("fr", "/feedback/ratings"),
    )
    .query("filter_date_start", "2026-10-01T00:00:00Z")
    .query("filter_date_end", "2026-10-31T23:59:59Z")
    .mount()
    .await;
    let ratings = t
        .client
        .get_helpdesk_locale_feedback_ratings()
        .website_id(WEBSITE)
        .locale("fr")
        .filter_date_start("2026-10-01T00:00:00Z")
        .filter_date_end("2026-10-31T23:59:59Z")
        .call()
        .await
        .expect("call");
    assert_eq!(ratings.ratings.and_then(|r| r.helpful), Some(91));
}

#[tokio::test]
async fn list_helpdesk_locale_feedbacks() {
    let t = ctx().await;
    t.expect(
        "list_helpdesk_locale_feedbacks",
        "GET",
        &loc("fr", "/feedback/list/1"),
    )
    .mount()
    .await;
    let feedbacks = t
        .client
        .list_helpdesk_locale_feedbacks()
        .website_id(WEBSITE)
        .locale("fr")
        .page_number(1u32)
        .call()
        .await
        .expect("call");
    assert_eq!(
        feedbacks[0].comment.as_deref(),
        Some("Clair et rapide, merci !")
    );
    let session = feedbacks[0].session.as_ref().expect("session");
    assert_eq!(
        session
            .geolocation
            .as_ref()
            .and_then(|g| g.region.as_deref()),
        Some("Île-de-France")
    );
    assert!(session.assigned.is_none());
}

#[tokio::test]
async fn import_external_helpdesk_to_locale() {
    let t = ctx().await;
    t.expect(
        "import_external_helpdesk_to_locale",
        "POST",
        &loc("en", "/import"),
    )
    .body(json!({"helpdesk_url": "https://support.acme-robotics.com/hc/en-us"}))
    .mount()
    .await;
    t.client
        .import_external_helpdesk_to_locale()
        .website_id(WEBSITE)
        .locale("en")
        .body(types::HelpdeskExternalImport {
            helpdesk_url: "https://support.acme-robotics.com/hc/en-us".into(),
            detect_locales: None,
            other_locales: Vec::new(),
        })
        .call()
        .await
        .expect("call");
}

#[tokio::test]
async fn export_helpdesk_locale_articles() {
    let t = ctx().await;
    t.expect(
        "export_helpdesk_locale_articles",
        "POST",
        &loc("en", "/export"),
    )
    .mount()
    .await;
    t.client
        .export_helpdesk_locale_articles()
        .website_id(WEBSITE)
        .locale("en")
        .call()
        .await
        .expect("call");
}
