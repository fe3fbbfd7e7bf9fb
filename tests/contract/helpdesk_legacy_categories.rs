//! Contract tests of the deprecated per-locale category, section, feedback, import and export
//! routes of the helpdesk (spec file `openapi/helpdesk-legacy.yaml`).

use crate::helpdesk::{CATEGORY, SECTION, cat, loc, sec, status};
use crate::support::{WEBSITE, contract};
use crisp_api::types;
use serde_json::json;

// ---------------------------------------------------------------------------------------------
// Deprecated: categories and sections of a locale
// ---------------------------------------------------------------------------------------------

contract! {
    fn list_helpdesk_locale_categories(t: ctx) {
        t.expect("list_helpdesk_locale_categories", "GET", &loc("fr", "/categories/1"));
        t.client
            .list_helpdesk_locale_categories()
            .website_id(WEBSITE)
            .locale("fr")
            .page_number(1u32)
            .call();
        |categories| {
            assert_eq!(categories[0].category_id.as_deref(), Some(CATEGORY));
            assert_eq!(categories[0].order, Some(1));
            assert_eq!(categories[1].name.as_deref(), Some("Facturation"));
            assert_eq!(categories[1].image, None);
        }
    }

    fn add_helpdesk_locale_category(t: ctx) {
        t.expect(
            "add_helpdesk_locale_category",
            "POST",
            &loc("fr", "/category"),
        )
        .body(json!({"name": "Premiers pas"}));
        t.client
            .add_helpdesk_locale_category()
            .website_id(WEBSITE)
            .locale("fr")
            .body(types::HelpdeskLocaleCategoryAdd {
                name: "Premiers pas".into(),
            })
            .call();
        |added| {
            assert_eq!(added.category_id.as_deref(), Some(CATEGORY));
        }
    }

    fn check_helpdesk_locale_category_exists(t: ctx) {
        t.expect("check_helpdesk_locale_category_exists", "HEAD", &cat(""));
        t.client
            .check_helpdesk_locale_category_exists()
            .website_id(WEBSITE)
            .locale("fr")
            .category_id(CATEGORY)
            .exists();
        |found| {
            assert!(found);
        }
    }

    fn get_helpdesk_locale_category(t: ctx) {
        t.expect("get_helpdesk_locale_category", "GET", &cat(""));
        t.client
            .get_helpdesk_locale_category()
            .website_id(WEBSITE)
            .locale("fr")
            .category_id(CATEGORY)
            .call();
        |category| {
            assert_eq!(category.name.as_deref(), Some("Getting started"));
            assert_eq!(category.color.as_deref(), Some("#2f6fed"));
            assert_eq!(category.created_at, Some(1_727_776_800_000));
        }
    }

    fn save_helpdesk_locale_category(t: ctx) {
        t.expect("save_helpdesk_locale_category", "PUT", &cat(""))
            .body(json!({
                "name": "Premiers pas",
                "description": "Tout pour installer Crisp.",
                "color": "#2f6fed",
                "image": null,
                "order": 1
            }));
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
            .call();
    }

    fn update_helpdesk_locale_category(t: ctx) {
        t.expect("update_helpdesk_locale_category", "PATCH", &cat("")).body(json!({"order": 3}));
        t.client
            .update_helpdesk_locale_category()
            .website_id(WEBSITE)
            .locale("fr")
            .category_id(CATEGORY)
            .body(types::HelpdeskLocaleCategoryUpdate {
                order: Some(3),
                ..Default::default()
            })
            .call();
    }

    fn delete_helpdesk_locale_category(t: ctx) {
        t.expect("delete_helpdesk_locale_category", "DELETE", &cat(""));
        t.client
            .delete_helpdesk_locale_category()
            .website_id(WEBSITE)
            .locale("fr")
            .category_id(CATEGORY)
            .call();
    }

    fn list_helpdesk_locale_sections(t: ctx) {
        t.expect("list_helpdesk_locale_sections", "GET", &cat("/sections/2"));
        t.client
            .list_helpdesk_locale_sections()
            .website_id(WEBSITE)
            .locale("fr")
            .category_id(CATEGORY)
            .page_number(2u32)
            .call();
        |sections| {
            let names: Vec<_> = sections.iter().filter_map(|s| s.name.as_deref()).collect();
            assert_eq!(names, ["Installation", "Troubleshooting"]);
            assert_eq!(sections[1].order, Some(2));
        }
    }

    fn add_helpdesk_locale_section(t: ctx) {
        t.expect("add_helpdesk_locale_section", "POST", &cat("/section"))
            .body(json!({"name": "Installation"}));
        t.client
            .add_helpdesk_locale_section()
            .website_id(WEBSITE)
            .locale("fr")
            .category_id(CATEGORY)
            .body(types::HelpdeskLocaleSectionAdd {
                name: "Installation".into(),
            })
            .call();
        |added| {
            assert_eq!(added.section_id.as_deref(), Some(SECTION));
        }
    }

    fn check_helpdesk_locale_section_exists(t: ctx) {
        t.expect("check_helpdesk_locale_section_exists", "HEAD", &sec()).respond(status(404));
        t.client
            .check_helpdesk_locale_section_exists()
            .website_id(WEBSITE)
            .locale("fr")
            .category_id(CATEGORY)
            .section_id(SECTION)
            .exists();
        |found| {
            assert!(!found);
        }
    }

    fn get_helpdesk_locale_section(t: ctx) {
        t.expect("get_helpdesk_locale_section", "GET", &sec());
        t.client
            .get_helpdesk_locale_section()
            .website_id(WEBSITE)
            .locale("fr")
            .category_id(CATEGORY)
            .section_id(SECTION)
            .call();
        |section| {
            assert_eq!(section.name.as_deref(), Some("Installation"));
            assert_eq!(section.updated_at, Some(1_759_300_000_000));
        }
    }

    fn save_helpdesk_locale_section(t: ctx) {
        t.expect("save_helpdesk_locale_section", "PUT", &sec())
            .body(json!({"name": "Installation", "order": 1}));
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
            .call();
    }

    fn update_helpdesk_locale_section(t: ctx) {
        t.expect("update_helpdesk_locale_section", "PATCH", &sec())
            .body(json!({"name": "Dépannage"}));
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
            .call();
    }

    fn delete_helpdesk_locale_section(t: ctx) {
        t.expect("delete_helpdesk_locale_section", "DELETE", &sec());
        t.client
            .delete_helpdesk_locale_section()
            .website_id(WEBSITE)
            .locale("fr")
            .category_id(CATEGORY)
            .section_id(SECTION)
            .call();
    }
}

// ---------------------------------------------------------------------------------------------
// Deprecated: per-locale feedback, import and export
// ---------------------------------------------------------------------------------------------

contract! {
    fn get_helpdesk_locale_feedback_ratings(t: ctx) {
        t.expect(
            "get_helpdesk_locale_feedback_ratings",
            "GET",
            &loc("fr", "/feedback/ratings"),
        )
        .query("filter_date_start", "2026-10-01T00:00:00Z")
        .query("filter_date_end", "2026-10-31T23:59:59Z");
        t.client
            .get_helpdesk_locale_feedback_ratings()
            .website_id(WEBSITE)
            .locale("fr")
            .filter_date_start("2026-10-01T00:00:00Z")
            .filter_date_end("2026-10-31T23:59:59Z")
            .call();
        |ratings| {
            assert_eq!(ratings.ratings.and_then(|r| r.helpful), Some(91));
        }
    }

    fn list_helpdesk_locale_feedbacks(t: ctx) {
        t.expect("list_helpdesk_locale_feedbacks", "GET", &loc("fr", "/feedback/list/1"));
        t.client
            .list_helpdesk_locale_feedbacks()
            .website_id(WEBSITE)
            .locale("fr")
            .page_number(1u32)
            .call();
        |feedbacks| {
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
    }

    fn import_external_helpdesk_to_locale(t: ctx) {
        t.expect(
            "import_external_helpdesk_to_locale",
            "POST",
            &loc("en", "/import"),
        )
        .body(json!({"helpdesk_url": "https://support.acme-robotics.com/hc/en-us"}));
        t.client
            .import_external_helpdesk_to_locale()
            .website_id(WEBSITE)
            .locale("en")
            .body(types::HelpdeskExternalImport {
                helpdesk_url: "https://support.acme-robotics.com/hc/en-us".into(),
                detect_locales: None,
                other_locales: Vec::new(),
            })
            .call();
    }

    fn export_helpdesk_locale_articles(t: ctx) {
        t.expect("export_helpdesk_locale_articles", "POST", &loc("en", "/export"));
        t.client.export_helpdesk_locale_articles().website_id(WEBSITE).locale("en").call();
    }
}
