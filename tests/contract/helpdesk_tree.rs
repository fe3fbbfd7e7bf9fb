//! Contract tests of the helpdesk's content tree: entries, their content, metadata and pages,
//! the history of changes, content refresh, feedback, import and export.

use crate::helpdesk::{ENTRY, ENTRY_WIRE, USER, articles, hd};
use crate::support::{SESSION, WEBSITE, contract, ctx};
use crisp_api::Method;
use crisp_api::types;
use futures::TryStreamExt;
use serde_json::json;
use wiremock::ResponseTemplate;

// ---------------------------------------------------------------------------------------------
// The content tree
// ---------------------------------------------------------------------------------------------

contract! {
    fn list_helpdesk_tree(t: ctx) {
        t.expect("list_helpdesk_tree", "GET", &hd("/tree/list/en/articles/1"))
            .query("sub_path", "getting-started")
            .query("search_title", "chatbox & widget")
            .query("filter_date_start", "2026-10-01T00:00:00Z")
            .query("filter_date_end", "2026-10-31T23:59:59Z");
        t.client
            .list_helpdesk_tree()
            .website_id(WEBSITE)
            .locale("en")
            .content_type(articles())
            .page_number(1u32)
            .sub_path("getting-started")
            .search_title("chatbox & widget")
            .filter_date_start("2026-10-01T00:00:00Z")
            .filter_date_end("2026-10-31T23:59:59Z")
            .call();
        |tree| {
            assert_eq!(tree.len(), 2);
            assert_eq!(tree[0].type_.as_deref(), Some("group"));
            assert_eq!(tree[0].children.len(), 2);
            let entry = &tree[0].children[0];
            assert_eq!(entry.slug.as_deref(), Some("install-the-chatbox"));
            assert_eq!(entry.state.as_ref().and_then(|s| s.featured), Some(true));
            assert!(tree[1].children.is_empty());
        }
    }
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

contract! {
    fn create_helpdesk_tree_path(t: ctx) {
        t.expect(
            "create_helpdesk_tree_path",
            "POST",
            &hd(&format!("/tree/path/en/articles/{ENTRY_WIRE}")),
        );
        t.client
            .create_helpdesk_tree_path()
            .website_id(WEBSITE)
            .locale("en")
            .content_type(articles())
            .path(ENTRY)
            .call();
    }

    fn get_helpdesk_tree_path(t: ctx) {
        t.expect("get_helpdesk_tree_path", "GET", &hd("/tree/path/en/articles/getting-started"));
        t.client
            .get_helpdesk_tree_path()
            .website_id(WEBSITE)
            .locale("en")
            .content_type(articles())
            .path("getting-started")
            .call();
        |node| {
            assert_eq!(node.title.as_deref(), Some("Getting started"));
            assert_eq!(node.children.len(), 2);
            assert_eq!(
                node.children[1].state.as_ref().and_then(|s| s.published),
                Some(false)
            );
        }
    }

    fn get_helpdesk_tree_path_encodes_every_reserved_character(t: ctx) {
        // Spaces, `?`, `#`, `%` and non-ASCII letters are percent-encoded (UTF-8), and so is `/`:
        // the whole tree path is one segment on the wire.
        t.expect(
            "get_helpdesk_tree_path",
            "GET",
            &hd("/tree/path/fr/articles/premiers-pas%2Fd%C3%A9marrer%20%C3%A0%20100%25%20%23crisp%3F"),
        );
        t.client
            .get_helpdesk_tree_path()
            .website_id(WEBSITE)
            .locale("fr")
            .content_type(articles())
            .path("premiers-pas/démarrer à 100% #crisp?")
            .call();
    }
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

contract! {
    fn update_helpdesk_tree_path(t: ctx) {
        t.expect(
            "update_helpdesk_tree_path",
            "PATCH",
            &hd(&format!("/tree/path/en/articles/{ENTRY_WIRE}")),
        )
        .body(
            json!({"action": "move", "path": {"to": "onboarding/install-the-chatbox"}, "position": 2}),
        );
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
            .call();
    }

    fn delete_helpdesk_tree_path(t: ctx) {
        t.expect(
            "delete_helpdesk_tree_path",
            "DELETE",
            &hd("/tree/path/de/references/api%2Fv1%2Fwebhooks"),
        );
        t.client
            .delete_helpdesk_tree_path()
            .website_id(WEBSITE)
            .locale("de")
            .content_type(types::HelpdeskContentType::References)
            .path("api/v1/webhooks")
            .call();
    }

    fn get_helpdesk_tree_content(t: ctx) {
        t.expect(
            "get_helpdesk_tree_content",
            "GET",
            &hd(&format!("/tree/content/en/articles/{ENTRY_WIRE}")),
        );
        t.client
            .get_helpdesk_tree_content()
            .website_id(WEBSITE)
            .locale("en")
            .content_type(articles())
            .path(ENTRY)
            .call();
        |content| {
            let markdown = content.content.expect("content");
            assert!(markdown.contains("**Settings › Chatbox**"));
            assert!(markdown.ends_with("within a minute.\n"));
        }
    }

    fn save_helpdesk_tree_content(t: ctx) {
        let markdown = "## Paste the snippet\n\nCopy it before `</head>`.\n";
        t.expect(
            "save_helpdesk_tree_content",
            "PUT",
            &hd(&format!("/tree/content/en/articles/{ENTRY_WIRE}")),
        )
        .body(json!({"content": markdown}));
        t.client
            .save_helpdesk_tree_content()
            .website_id(WEBSITE)
            .locale("en")
            .content_type(articles())
            .path(ENTRY)
            .body(types::HelpdeskTreeContentSave {
                content: markdown.into(),
            })
            .call();
    }

    fn get_helpdesk_tree_metadata(t: ctx) {
        t.expect(
            "get_helpdesk_tree_metadata",
            "GET",
            &hd(&format!("/tree/metadata/en/articles/{ENTRY_WIRE}")),
        );
        t.client
            .get_helpdesk_tree_metadata()
            .website_id(WEBSITE)
            .locale("en")
            .content_type(articles())
            .path(ENTRY)
            .call();
        |meta| {
            assert_eq!(
                meta.title.as_deref(),
                Some("Install the chatbox on your website")
            );
            assert_eq!(meta.format.as_deref(), Some("markdown"));
            assert_eq!(meta.state.and_then(|s| s.published), Some(true));
            assert_eq!(meta.author.and_then(|a| a.user_id).as_deref(), Some(USER));
            assert_eq!(meta.color.as_deref(), Some("#2f6fed"));
        }
    }

    fn update_helpdesk_tree_metadata(t: ctx) {
        // Publishing an entry is a metadata update.
        t.expect(
            "update_helpdesk_tree_metadata",
            "PATCH",
            &hd(&format!("/tree/metadata/en/articles/{ENTRY_WIRE}")),
        )
        .body(json!({
            "title": "Install the chatbox on your website",
            "state": {"published": true, "featured": false}
        }));
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
            .call();
    }

    fn get_helpdesk_tree_page(t: ctx) {
        t.expect(
            "get_helpdesk_tree_page",
            "GET",
            &hd(&format!("/tree/page/en/articles/{ENTRY_WIRE}")),
        );
        t.client
            .get_helpdesk_tree_page()
            .website_id(WEBSITE)
            .locale("en")
            .content_type(articles())
            .path(ENTRY)
            .call();
        |page| {
            assert_eq!(
                page.url.as_deref(),
                Some("https://acme-robotics.help/en/article/install-the-chatbox-1x8r2kq/")
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// History
// ---------------------------------------------------------------------------------------------

contract! {
    fn list_helpdesk_history_changes(t: ctx) {
        t.expect(
            "list_helpdesk_history_changes",
            "GET",
            &hd("/history/changes/3"),
        )
        .query("filter_locale", "en")
        .query("filter_type", "articles")
        .query("filter_tree_path", ENTRY);
        t.client
            .list_helpdesk_history_changes()
            .website_id(WEBSITE)
            .page_number(3u32)
            .filter_locale("en")
            .filter_type("articles")
            .filter_tree_path(ENTRY)
            .call();
        |changes| {
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
    }

    fn get_helpdesk_history_change(t: ctx) {
        t.expect("get_helpdesk_history_change", "GET", &hd("/history/change/c4a1f9e2b7d3"));
        t.client.get_helpdesk_history_change().website_id(WEBSITE).change_id("c4a1f9e2b7d3").call();
        |change| {
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
    }

    fn cancel_helpdesk_history_change(t: ctx) {
        t.expect(
            "cancel_helpdesk_history_change",
            "DELETE",
            &hd("/history/change/c4a1f9e2b7d3"),
        )
        .body(json!({"action": "revert"}));
        t.client
            .cancel_helpdesk_history_change()
            .website_id(WEBSITE)
            .change_id("c4a1f9e2b7d3")
            .body(types::HelpdeskHistoryChangeCancel {
                action: "revert".into(),
            })
            .call();
    }
}

// ---------------------------------------------------------------------------------------------
// Refresh, feedback, import and export
// ---------------------------------------------------------------------------------------------

contract! {
    fn request_helpdesk_content_refresh(t: ctx) {
        t.expect("request_helpdesk_content_refresh", "POST", &hd("/refresh/en/guides"));
        t.client
            .request_helpdesk_content_refresh()
            .website_id(WEBSITE)
            .locale("en")
            .content_type(types::HelpdeskContentType::Guides)
            .call();
    }

    fn get_helpdesk_feedback_ratings(t: ctx) {
        t.expect(
            "get_helpdesk_feedback_ratings",
            "GET",
            &hd("/feedback/ratings/en/articles"),
        )
        .query("filter_date_start", "2026-10-01T00:00:00+02:00");
        t.client
            .get_helpdesk_feedback_ratings()
            .website_id(WEBSITE)
            .locale("en")
            .content_type(articles())
            .filter_date_start("2026-10-01T00:00:00+02:00")
            .call();
        |ratings| {
            let counts = ratings.ratings.expect("ratings");
            assert_eq!((counts.helpful, counts.unhelpful), (Some(318), Some(27)));
        }
    }

    fn list_helpdesk_feedbacks(t: ctx) {
        t.expect(
            "list_helpdesk_feedbacks",
            "GET",
            &hd("/feedback/list/en/articles/1"),
        )
        .query("filter_date_start", "2026-10-01T00:00:00Z")
        .query("filter_date_end", "2026-10-31T23:59:59Z");
        t.client
            .list_helpdesk_feedbacks()
            .website_id(WEBSITE)
            .locale("en")
            .content_type(articles())
            .page_number(1u32)
            .filter_date_start("2026-10-01T00:00:00Z")
            .filter_date_end("2026-10-31T23:59:59Z")
            .call();
        |feedbacks| {
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
    }

    fn import_external_helpdesk(t: ctx) {
        t.expect(
            "import_external_helpdesk",
            "POST",
            &hd("/import/en/articles"),
        )
        .body(json!({
            "helpdesk_url": "https://support.acme-robotics.com/hc/en-us",
            "detect_locales": true,
            "other_locales": ["fr", "de"]
        }));
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
            .call();
    }

    fn export_helpdesk_content(t: ctx) {
        t.expect("export_helpdesk_content", "POST", &hd("/export/fr/news"));
        t.client
            .export_helpdesk_content()
            .website_id(WEBSITE)
            .locale("fr")
            .content_type(types::HelpdeskContentType::News)
            .call();
    }
}
