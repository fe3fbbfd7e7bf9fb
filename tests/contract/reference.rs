//! Contract tests of what Crisp's own REST reference documents beyond the official clients:
//! query parameters, the people export body, wider request values, the routes where the
//! reference and the clients disagree (with their raw-call fallback) and the reference's path
//! parameter names. Each test is compiled with its operation's family.

#![cfg_attr(
    not(all(
        feature = "campaigns",
        feature = "conversations",
        feature = "helpdesk",
        feature = "media",
        feature = "people",
        feature = "website"
    )),
    allow(unused_imports, dead_code)
)]

use crate::support::{AUTHORIZATION, SESSION, WEBSITE, contract, conversation_path, ctx, user_ctx};
use crisp_api::Method;
use crisp_api::types;
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, ResponseTemplate};

#[cfg(feature = "helpdesk")]
const ARTICLE: &str = "fd036d68-c619-4c63-9deb-e2ce91733dd6";
#[cfg(feature = "helpdesk")]
const CATEGORY: &str = "33bc73b7-b7db-40a9-80fc-fcba8ebd1067";
#[cfg(feature = "helpdesk")]
const SECTION: &str = "14886b8c-faf6-4967-af0a-2d90b3419263";
#[cfg(feature = "campaigns")]
const CAMPAIGN: &str = "355d805f-a72f-457e-a3e5-5d01521f3cd8";
#[cfg(feature = "conversations")]
const PLUGIN: &str = "c64f3595-adee-425a-8d3a-89d47f7ed6bb";
#[cfg(feature = "conversations")]
const BROWSING: &str = "browsing_05a9392d-ff3f-45e7-b021-1179c45668fa";
#[cfg(feature = "conversations")]
const CALL: &str = "call_35a0c062-72fa-4095-a2a0-f9911d47ee56";

// ---------------------------------------------------------------- query parameters

contract! {
    #[cfg(feature = "helpdesk")]
    fn list_helpdesk_locale_articles_with_every_reference_filter(t: ctx) {
        t.expect(
            "list_helpdesk_locale_articles",
            "GET",
            &format!("/website/{WEBSITE}/helpdesk/locale/en/articles/1"),
        )
        .query("order_visits", "1")
        .query("search_title", "refund & billing")
        .query("filter_category_id", CATEGORY)
        .query("filter_section_id", SECTION)
        .query("filter_status_published", "1")
        .query("filter_status_draft", "0")
        .query("filter_visibility_visible", "1")
        .query("filter_visibility_hidden", "0")
        .query("filter_date_start", "2026-01-01T00:00:00.000Z")
        .query("filter_date_end", "2026-06-30T23:59:59.000Z");
        t.client
            .list_helpdesk_locale_articles()
            .website_id(WEBSITE)
            .locale("en")
            .page_number(1u32)
            .order_visits(true)
            .search_title("refund & billing")
            .filter_category_id(CATEGORY)
            .filter_section_id(SECTION)
            .filter_status_published(true)
            .filter_status_draft(false)
            .filter_visibility_visible(true)
            .filter_visibility_hidden(false)
            .filter_date_start("2026-01-01T00:00:00.000Z")
            .filter_date_end("2026-06-30T23:59:59.000Z")
            .call();
        |articles| {
            assert_eq!(articles[0].article_id.as_deref(), Some(ARTICLE));
            assert_eq!(articles[0].visits, Some(1834));
        }
    }

    #[cfg(feature = "helpdesk")]
    fn list_helpdesk_locale_categories_searched_by_name(t: ctx) {
        t.expect(
            "list_helpdesk_locale_categories",
            "GET",
            &format!("/website/{WEBSITE}/helpdesk/locale/fr/categories/1"),
        )
        .query("search_name", "Factur");
        t.client
            .list_helpdesk_locale_categories()
            .website_id(WEBSITE)
            .locale("fr")
            .page_number(1u32)
            .search_name("Factur")
            .call();
        |categories| {
            assert_eq!(categories[1].name.as_deref(), Some("Facturation"));
        }
    }

    #[cfg(feature = "helpdesk")]
    fn list_helpdesk_locale_sections_searched_by_name(t: ctx) {
        t.expect(
            "list_helpdesk_locale_sections",
            "GET",
            &format!("/website/{WEBSITE}/helpdesk/locale/fr/category/{CATEGORY}/sections/1"),
        )
        .query("search_name", "Install");
        t.client
            .list_helpdesk_locale_sections()
            .website_id(WEBSITE)
            .locale("fr")
            .category_id(CATEGORY)
            .page_number(1u32)
            .search_name("Install")
            .call();
        |sections| {
            assert_eq!(sections[0].name.as_deref(), Some("Installation"));
        }
    }

    #[cfg(feature = "conversations")]
    fn list_spam_conversations_filtered_by_type(t: user_ctx) {
        t.expect(
            "list_spam_conversations",
            "GET",
            &format!("/website/{WEBSITE}/conversations/spams/1"),
        )
        .query("filter_type", "email");
        t.client
            .list_spam_conversations()
            .website_id(WEBSITE)
            .page_number(1u32)
            .filter_type("email")
            .call();
        |spams| {
            assert_eq!(spams[0].type_.as_deref(), Some("email"));
        }
    }

    #[cfg(feature = "campaigns")]
    fn list_campaign_statistics_with_a_page_size(t: ctx) {
        t.expect(
            "list_campaign_statistics",
            "GET",
            &format!("/website/{WEBSITE}/campaign/{CAMPAIGN}/statistics/opened/3"),
        )
        .query("per_page", "50");
        t.client
            .list_campaign_statistics()
            .website_id(WEBSITE)
            .campaign_id(CAMPAIGN)
            .action("opened")
            .page_number(3u32)
            .per_page(50u32)
            .call();
        |stats| {
            assert_eq!(stats[0].created_at, Some(1_712_226_033_000));
        }
    }

    #[cfg(feature = "media")]
    fn list_animation_medias_with_a_page_size(t: ctx) {
        t.expect("list_animation_medias", "GET", "/media/animation/list/2")
            .query("search_query", "high five")
            .query("per_page", "10");
        t.client
            .list_animation_medias()
            .page_number(2u32)
            .search_query("high five")
            .per_page(10u32)
            .call();
        |list| {
            assert_eq!(list[1].type_.as_deref(), Some("image/gif"));
        }
    }
}

// ---------------------------------------------------------------- people export

#[cfg(feature = "people")]
fn export_path() -> String {
    format!("/website/{WEBSITE}/people/export/profiles")
}

contract! {
    #[cfg(feature = "people")]
    fn export_people_profiles_by_identifier(t: ctx) {
        let ids = ["c7e2a9d4-3b1f-4e8a-a6d0-5f9b8c7e1d23", "4f1d3c2a-8b7e-4a6f-9d5c-2e1b0a9f8e7d"];
        t.expect("export_people_profiles", "POST", &export_path()).body(json!({"profiles": ids}));
        t.client
            .export_people_profiles()
            .website_id(WEBSITE)
            .body_map(|b| b.profiles(ids.map(String::from).to_vec()))
            .call();
        |()| {}
    }

    #[cfg(feature = "people")]
    fn export_people_profiles_matching_a_search(t: ctx) {
        t.expect("export_people_profiles", "POST", &export_path())
            .body(json!({"search": {
                "operator": "and",
                "filter": [{"model": "people", "criterion": "segments", "operator": "eq",
                            "query": ["churn-risk"]}]
            }}));
        t.client
            .export_people_profiles()
            .website_id(WEBSITE)
            .body(types::PeopleExport {
                profiles: Vec::new(),
                search: Some(types::BatchPeopleSearch {
                    filter: vec![types::SearchFilter {
                        model: "people".into(),
                        criterion: "segments".into(),
                        operator: "eq".into(),
                        query: vec!["churn-risk".into()],
                    }],
                    operator: Some(types::PeopleSearchOperator::And),
                }),
            })
            .call();
        |()| {}
    }

    #[cfg(feature = "people")]
    fn export_people_profiles_without_a_selection_exports_everything(t: ctx) {
        t.expect("export_people_profiles", "POST", &export_path()).body(json!({}));
        t.client.export_people_profiles().website_id(WEBSITE).call();
        |()| {}
    }
}

// ---------------------------------------------------------------- wider request values

#[cfg(feature = "conversations")]
#[tokio::test]
async fn assist_existing_browsing_session_controls_the_session() {
    use types::ConversationBrowsingAssistAction as Action;
    let t = ctx().await;
    let route = format!("{}/browsing/{BROWSING}/assist", conversation_path());
    for action in ["start", "heartbeat", "stop"] {
        t.expect("assist_existing_browsing_session", "PATCH", &route)
            .body(json!({"action": action}))
            .mount()
            .await;
    }
    for action in [Action::Start, Action::Heartbeat, Action::Stop] {
        t.client
            .assist_existing_browsing_session()
            .website_id(WEBSITE)
            .session_id(SESSION)
            .browsing_id(BROWSING)
            .body_map(|b| b.action(action))
            .call()
            .await
            .expect("call");
    }
}

#[cfg(feature = "conversations")]
#[tokio::test]
async fn deliver_widget_button_action_carries_any_json_value() {
    let t = user_ctx().await;
    let route = format!("{}/widget/{PLUGIN}/button", conversation_path());
    let values = [
        json!({"refund": "partial", "amount": 1250, "currency": "EUR"}),
        json!("full"),
        json!(3),
    ];
    for value in &values {
        t.expect(
            "deliver_widget_button_action_for_conversation",
            "POST",
            &route,
        )
        .body(json!({
            "section_id": "payments",
            "item_id": "refund_on_stripe",
            "data": {"invoice": "D-1929-X"},
            "value": value
        }))
        .mount()
        .await;
    }
    for value in values {
        let receipt = t
            .client
            .deliver_widget_button_action_for_conversation()
            .website_id(WEBSITE)
            .session_id(SESSION)
            .plugin_id(PLUGIN)
            .body(types::ConversationWidgetButton {
                section_id: "payments".into(),
                item_id: "refund_on_stripe".into(),
                data: json!({"invoice": "D-1929-X"})
                    .as_object()
                    .cloned()
                    .expect("an object"),
                value: Some(value),
            })
            .call()
            .await
            .expect("call");
        assert!(receipt.correlation_id.is_some());
    }
}

// ---------------------------------------------------------------- disputed routes, raw fallback

#[cfg(any(feature = "website", feature = "conversations"))]
/// Expects one raw `PATCH` on `raw_path` (below `/v1`) with the client's credentials and tier
/// and this body, answered `{error: false, reason}`.
async fn expect_raw_patch(t: &crate::support::Ctx, raw_path: &str, body: serde_json::Value) {
    Mock::given(method("PATCH"))
        .and(path(format!("/v1{raw_path}")))
        .and(header("authorization", AUTHORIZATION))
        .and(header("x-crisp-tier", "plugin"))
        .and(body_json(body))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"error": false, "reason": "sent"})),
        )
        .expect(1)
        .mount(&t.server)
        .await;
}

#[cfg(feature = "website")]
#[tokio::test]
async fn send_email_to_website_operators_by_the_references_method_as_a_raw_call() {
    let t = ctx().await;
    let email = json!({
        "recipient": "owners",
        "subject": "Plugin quota reached",
        "message": "Your workspace used all the translations included this month."
    });
    expect_raw_patch(
        &t,
        &format!("/website/{WEBSITE}/operators/email"),
        email.clone(),
    )
    .await;
    let sent = t
        .client
        .raw(Method::PATCH, format!("website/{WEBSITE}/operators/email"))
        .json(&email)
        .response::<()>()
        .await
        .expect("call");
    assert_eq!(sent.reason, "sent");
    // The generated operation keeps the clients' method.
    assert_eq!(
        crisp_api::operations::find("send_email_to_website_operators")
            .expect("op")
            .method,
        "POST"
    );
}

#[cfg(feature = "conversations")]
#[tokio::test]
async fn transmit_signaling_by_the_references_route_as_a_raw_call() {
    let t = ctx().await;
    let signal = json!({"type": "candidate", "payload": {
        "candidate": "candidate:842163049 1 udp 1677729535 203.0.113.7 46154 typ srflx",
        "sdpMid": "0", "sdpMLineIndex": 0
    }});
    expect_raw_patch(
        &t,
        &format!("{}/call/{CALL}/signaling", conversation_path()),
        signal.clone(),
    )
    .await;
    let sent = t
        .client
        .raw(
            Method::PATCH,
            format!("website/{WEBSITE}/conversation/{SESSION}/call/{CALL}/signaling"),
        )
        .json(&signal)
        .response::<()>()
        .await
        .expect("call");
    assert_eq!(sent.reason, "sent");
    let op = crisp_api::operations::find("transmit_signaling_on_ongoing_call_session").expect("op");
    assert_eq!(
        (op.method, op.path),
        (
            "PATCH",
            "/website/{website_id}/conversation/{session_id}/call/{call_id}"
        )
    );
}

// ---------------------------------------------------------------- the reference's parameter names

#[cfg(feature = "website")]
#[tokio::test]
async fn blocked_visitors_rule_by_its_reference_name_and_its_former_one() {
    let t = ctx().await;
    let route = format!("/website/{WEBSITE}/visitors/blocked/ip_domain");
    t.expect("count_blocked_visitors_in_rule", "GET", &route)
        .mount()
        .await;
    t.expect("clear_blocked_visitors_in_rule", "DELETE", &route)
        .mount()
        .await;
    let counted = t
        .client
        .count_blocked_visitors_in_rule()
        .website_id(WEBSITE)
        .block_rule("ip_domain")
        .call()
        .await
        .expect("call");
    assert_eq!(counted.blocked, Some(14));
    // The former setter still compiles and sends the same request.
    #[allow(deprecated)]
    let cleared = t
        .client
        .clear_blocked_visitors_in_rule()
        .website_id(WEBSITE)
        .rule("ip_domain");
    let () = cleared.call().await.expect("call");
}

// ---------------------------------------------------------------- required and optional fields

contract! {
    #[cfg(feature = "website")]
    fn change_operator_membership_title_only(t: ctx) {
        let operator = "a4c32c68-be91-4e29-8a05-976e93abbe3f";
        t.expect(
            "change_operator_membership",
            "PATCH",
            &format!("/website/{WEBSITE}/operator/{operator}"),
        )
        .body(json!({"title": "Head of Support"}));
        t.client
            .change_operator_membership()
            .website_id(WEBSITE)
            .user_id(operator)
            .body_map(|b| b.title(Some("Head of Support".to_owned())))
            .call();
    }

    #[cfg(feature = "conversations")]
    fn request_identity_verification_without_a_method(t: ctx) {
        t.expect(
            "request_identity_verification_for_conversation",
            "POST",
            &format!("{}/verify/identity", conversation_path()),
        )
        .body(json!({"identity": "email"}));
        t.client
            .request_identity_verification_for_conversation()
            .website_id(WEBSITE)
            .session_id(SESSION)
            .body_map(|b| b.identity("email"))
            .call();
    }
}

#[cfg(feature = "conversations")]
#[tokio::test]
async fn batch_unresolve_without_sessions_is_refused_before_sending() {
    // `sessions` is required here (the reference has no "every conversation" form for it):
    // forgetting it fails in the builder, and the catch-all route sees no request.
    let t = ctx().await;
    let err = t
        .client
        .batch_unresolve_conversations()
        .website_id(WEBSITE)
        .body_map(|b| b.inbox_id(Some("d42e8b3b-ea8f-4e79-a9f8-d0e467fc1c31".to_owned())))
        .call()
        .await
        .expect_err("refused");
    assert!(
        matches!(&err, crisp_api::Error::InvalidRequest(m) if m.contains("sessions")),
        "{err:?}"
    );
}
