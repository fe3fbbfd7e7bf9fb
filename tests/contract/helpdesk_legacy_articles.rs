//! Contract tests of the deprecated per-locale article routes of the helpdesk (spec file
//! `openapi/helpdesk-legacy.yaml`).

use crate::helpdesk::{ARTICLE, CATEGORY, SECTION, art, loc, status};
use crate::support::{WEBSITE, contract, ctx};
use crisp_api::types;
use futures::TryStreamExt;
use serde_json::json;
use wiremock::ResponseTemplate;

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

contract! {
    fn list_helpdesk_locale_articles(t: ctx) {
        t.expect("list_helpdesk_locale_articles", "GET", &loc("en", "/articles/1"));
        t.client
            .list_helpdesk_locale_articles()
            .website_id(WEBSITE)
            .locale("en")
            .page_number(1u32)
            .call();
        |list| {
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
    }
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

contract! {
    fn add_helpdesk_locale_article(t: ctx) {
        t.expect(
            "add_helpdesk_locale_article",
            "POST",
            &loc("en", "/article"),
        )
        .body(json!({"title": "Install the chatbox on your website"}));
        t.client
            .add_helpdesk_locale_article()
            .website_id(WEBSITE)
            .locale("en")
            .body(types::HelpdeskLocaleArticleAdd {
                title: "Install the chatbox on your website".into(),
            })
            .call();
        |added| {
            assert_eq!(added.article_id.as_deref(), Some(ARTICLE));
        }
    }

    fn check_helpdesk_locale_article_exists(t: ctx) {
        t.expect("check_helpdesk_locale_article_exists", "HEAD", &art("")).respond(status(404));
        t.client
            .check_helpdesk_locale_article_exists()
            .website_id(WEBSITE)
            .locale("en")
            .article_id(ARTICLE)
            .exists();
        |found| {
            assert!(!found);
        }
    }

    fn get_helpdesk_locale_article(t: ctx) {
        t.expect("get_helpdesk_locale_article", "GET", &art(""));
        t.client
            .get_helpdesk_locale_article()
            .website_id(WEBSITE)
            .locale("en")
            .article_id(ARTICLE)
            .call();
        |article| {
            assert_eq!(article.featured, Some(true));
            assert_eq!(article.order, Some(1));
            assert!(article.content.is_some_and(|c| c.starts_with("## Paste")));
            assert_eq!(article.updated_at, Some(1_761_900_000_000));
        }
    }

    fn save_helpdesk_locale_article(t: ctx) {
        t.expect("save_helpdesk_locale_article", "PUT", &art(""))
            .body(json!({
                "title": "Install the chatbox on your website",
                "description": "Paste the snippet and check the chatbox.",
                "content": "Crisp lets you add the chatbox in **one step**.",
                "featured": false,
                "order": 1,
                "visibility": "visible"
            }));
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
            .call();
    }

    fn update_helpdesk_locale_article(t: ctx) {
        t.expect("update_helpdesk_locale_article", "PATCH", &art(""))
            .body(json!({"content": "Crisp lets you add the chatbox in **one step**."}));
        t.client
            .update_helpdesk_locale_article()
            .website_id(WEBSITE)
            .locale("en")
            .article_id(ARTICLE)
            .body(types::HelpdeskLocaleArticleUpdate {
                content: Some("Crisp lets you add the chatbox in **one step**.".into()),
                ..Default::default()
            })
            .call();
    }

    fn delete_helpdesk_locale_article(t: ctx) {
        t.expect("delete_helpdesk_locale_article", "DELETE", &art(""));
        t.client
            .delete_helpdesk_locale_article()
            .website_id(WEBSITE)
            .locale("en")
            .article_id(ARTICLE)
            .call();
    }

    fn get_helpdesk_locale_article_page(t: ctx) {
        t.expect("get_helpdesk_locale_article_page", "GET", &art("/page"));
        t.client
            .get_helpdesk_locale_article_page()
            .website_id(WEBSITE)
            .locale("en")
            .article_id(ARTICLE)
            .call();
        |page| {
            assert_eq!(
                page.title.as_deref(),
                Some("Install the chatbox on your website")
            );
        }
    }

    fn get_helpdesk_locale_article_category(t: ctx) {
        t.expect("get_helpdesk_locale_article_category", "GET", &art("/category"));
        t.client
            .get_helpdesk_locale_article_category()
            .website_id(WEBSITE)
            .locale("en")
            .article_id(ARTICLE)
            .call();
        |filed| {
            assert_eq!(filed.category_id.as_deref(), Some(CATEGORY));
            assert_eq!(filed.section_id.as_deref(), Some(SECTION));
        }
    }

    fn update_helpdesk_locale_article_category(t: ctx) {
        t.expect(
            "update_helpdesk_locale_article_category",
            "PATCH",
            &art("/category"),
        )
        .body(json!({"category_id": CATEGORY}));
        t.client
            .update_helpdesk_locale_article_category()
            .website_id(WEBSITE)
            .locale("en")
            .article_id(ARTICLE)
            .body(types::HelpdeskLocaleArticleCategoryUpdate {
                category_id: CATEGORY.into(),
                section_id: None,
            })
            .call();
    }

    fn list_helpdesk_locale_article_alternates(t: ctx) {
        t.expect("list_helpdesk_locale_article_alternates", "GET", &art("/alternates"));
        t.client
            .list_helpdesk_locale_article_alternates()
            .website_id(WEBSITE)
            .locale("en")
            .article_id(ARTICLE)
            .call();
        |alternates| {
            let locales: Vec<_> = alternates
                .iter()
                .filter_map(|a| a.locale.as_deref())
                .collect();
            assert_eq!(locales, ["fr", "de"]);
        }
    }

    fn check_helpdesk_locale_article_alternate_exists(t: ctx) {
        t.expect("check_helpdesk_locale_article_alternate_exists", "HEAD", &art("/alternate/pt-br"));
        t.client
            .check_helpdesk_locale_article_alternate_exists()
            .website_id(WEBSITE)
            .locale("en")
            .article_id(ARTICLE)
            .locale_linked("pt-br")
            .exists();
        |found| {
            assert!(found);
        }
    }

    fn get_helpdesk_locale_article_alternate(t: ctx) {
        t.expect("get_helpdesk_locale_article_alternate", "GET", &art("/alternate/de"));
        t.client
            .get_helpdesk_locale_article_alternate()
            .website_id(WEBSITE)
            .locale("en")
            .article_id(ARTICLE)
            .locale_linked("de")
            .call();
        |alternate| {
            assert_eq!(
                alternate.article_id.as_deref(),
                Some("8f5d2a03-6c1e-4b97-a4d8-3e0b7f9c6a15")
            );
        }
    }

    fn save_helpdesk_locale_article_alternate(t: ctx) {
        t.expect(
            "save_helpdesk_locale_article_alternate",
            "PUT",
            &art("/alternate/de"),
        )
        .body(json!({"article_id": "8f5d2a03-6c1e-4b97-a4d8-3e0b7f9c6a15"}));
        t.client
            .save_helpdesk_locale_article_alternate()
            .website_id(WEBSITE)
            .locale("en")
            .article_id(ARTICLE)
            .locale_linked("de")
            .body(types::HelpdeskLocaleArticleAlternateSave {
                article_id: "8f5d2a03-6c1e-4b97-a4d8-3e0b7f9c6a15".into(),
            })
            .call();
    }

    fn delete_helpdesk_locale_article_alternate(t: ctx) {
        t.expect("delete_helpdesk_locale_article_alternate", "DELETE", &art("/alternate/de"));
        t.client
            .delete_helpdesk_locale_article_alternate()
            .website_id(WEBSITE)
            .locale("en")
            .article_id(ARTICLE)
            .locale_linked("de")
            .call();
    }

    fn publish_helpdesk_locale_article(t: ctx) {
        t.expect("publish_helpdesk_locale_article", "POST", &art("/publish"));
        t.client
            .publish_helpdesk_locale_article()
            .website_id(WEBSITE)
            .locale("en")
            .article_id(ARTICLE)
            .call();
        |published| {
            assert_eq!(
                published.url.as_deref(),
                Some("https://acme-robotics.help/en/article/install-the-chatbox-1x8r2kq/")
            );
        }
    }

    fn unpublish_helpdesk_locale_article(t: ctx) {
        t.expect("unpublish_helpdesk_locale_article", "POST", &art("/unpublish"));
        t.client
            .unpublish_helpdesk_locale_article()
            .website_id(WEBSITE)
            .locale("en")
            .article_id(ARTICLE)
            .call();
    }
}
