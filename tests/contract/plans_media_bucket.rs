//! Contract tests of the `plans` (plan subscriptions), `media` (animations) and `bucket`
//! (upload URLs) families.

use crate::support::{WEBSITE, ctx, user_ctx};
use crisp_api::types;
use futures::TryStreamExt;
use serde_json::json;
use wiremock::ResponseTemplate;

/// The payment method of the spec examples.
const CARD: &str = "e4a7c2d9-3f16-4b85-a0d2-6c91b8f3e507";

// ------------------------------------------------------------------ plans

#[tokio::test]
async fn list_all_active_plan_subscriptions() {
    let t = user_ctx().await;
    t.expect(
        "list_all_active_plan_subscriptions",
        "GET",
        "/plans/subscription",
    )
    .mount()
    .await;
    let list = t
        .client
        .list_all_active_plan_subscriptions()
        .call()
        .await
        .expect("call");
    assert_eq!(list.len(), 1);
    let sub = &list[0];
    assert_eq!(sub.name.as_deref(), Some("Essentials"));
    assert_eq!(sub.price, Some(95));
    assert_eq!(sub.bill_period.as_deref(), Some("monthly"));
    assert_eq!(sub.active, Some(true));
    assert_eq!(sub.sandbox, Some(false));
    assert_eq!(sub.card_id.as_deref(), Some(CARD));
    let website = sub.website.as_ref().expect("website");
    assert_eq!(website.id.as_deref(), Some(WEBSITE));
    assert_eq!(website.domain.as_deref(), Some("northwind-labs.com"));
    let owner = sub.owner.as_ref().expect("owner");
    assert_eq!(owner.first_name.as_deref(), Some("Amélie"));
    assert_eq!(owner.email.as_deref(), Some("ops@northwind-labs.com"));
}

#[tokio::test]
async fn get_plan_subscription_for_website() {
    let t = ctx().await;
    t.expect(
        "get_plan_subscription_for_website",
        "GET",
        &format!("/plans/subscription/{WEBSITE}"),
    )
    .mount()
    .await;
    let sub = t
        .client
        .get_plan_subscription_for_website()
        .website_id(WEBSITE)
        .call()
        .await
        .expect("call");
    assert_eq!(sub.name.as_deref(), Some("Plus"));
    assert_eq!(sub.trialing, Some(true));
    assert_eq!(sub.trial_end.as_deref(), Some("2024-11-16T15:04:11.000Z"));
    assert_eq!(sub.trial_end_date.as_deref(), Some("2024-11-16"));
    assert_eq!(sub.bill_period.as_deref(), Some("yearly"));
    assert_eq!(sub.coupon_redeemed, Some(true));
    assert_eq!(sub.card_id, None);
}

#[tokio::test]
async fn subscribe_website_to_plan() {
    let t = user_ctx().await;
    t.expect(
        "subscribe_website_to_plan",
        "POST",
        &format!("/plans/subscription/{WEBSITE}"),
    )
    .body(json!({"plan_id": "3a4b5c6d-7e8f-4a0b-8c1d-2e3f4a5b6c7d"}))
    .mount()
    .await;
    let () = t
        .client
        .subscribe_website_to_plan()
        .website_id(WEBSITE)
        .body_map(|b| b.plan_id("3a4b5c6d-7e8f-4a0b-8c1d-2e3f4a5b6c7d"))
        .call()
        .await
        .expect("call");
}

#[tokio::test]
async fn unsubscribe_plan_from_website() {
    let t = user_ctx().await;
    t.expect(
        "unsubscribe_plan_from_website",
        "DELETE",
        &format!("/plans/subscription/{WEBSITE}"),
    )
    .mount()
    .await;
    let () = t
        .client
        .unsubscribe_plan_from_website()
        .website_id(WEBSITE)
        .call()
        .await
        .expect("call");
}

#[tokio::test]
async fn change_bill_period_for_website_plan_subscription() {
    let t = user_ctx().await;
    t.expect(
        "change_bill_period_for_website_plan_subscription",
        "PATCH",
        &format!("/plans/subscription/{WEBSITE}/bill/period"),
    )
    .body(json!({"period": "yearly"}))
    .mount()
    .await;
    let () = t
        .client
        .change_bill_period_for_website_plan_subscription()
        .website_id(WEBSITE)
        .body_map(|b| b.period(types::PlanBillPeriod::Yearly))
        .call()
        .await
        .expect("call");
}

#[tokio::test]
async fn check_coupon_availability_for_website_plan_subscription() {
    let t = user_ctx().await;
    t.expect(
        "check_coupon_availability_for_website_plan_subscription",
        "GET",
        &format!("/plans/subscription/{WEBSITE}/coupon"),
    )
    .query("code", "SPRING 25&more")
    .mount()
    .await;
    let coupon = t
        .client
        .check_coupon_availability_for_website_plan_subscription()
        .website_id(WEBSITE)
        .code("SPRING 25&more")
        .call()
        .await
        .expect("call");
    assert_eq!(coupon.code.as_deref(), Some("SPRING-25"));
    let policy = coupon.policy.as_ref().expect("policy");
    assert_eq!(policy.rebate_percent, Some(25.0));
    assert_eq!(policy.trial_days, Some(14));
    assert_eq!(coupon.redeem_limit, Some(500));
    assert_eq!(
        coupon.expire_at.as_deref().map(String::as_str),
        Some("2025-06-30T23:59:59.000Z")
    );
}

#[tokio::test]
async fn redeem_coupon_for_website_plan_subscription() {
    let t = user_ctx().await;
    t.expect(
        "redeem_coupon_for_website_plan_subscription",
        "PATCH",
        &format!("/plans/subscription/{WEBSITE}/coupon"),
    )
    .body(json!({"code": "SPRING-25"}))
    .mount()
    .await;
    let () = t
        .client
        .redeem_coupon_for_website_plan_subscription()
        .website_id(WEBSITE)
        .body_map(|b| b.code("SPRING-25"))
        .call()
        .await
        .expect("call");
}

// ------------------------------------------------------------------ media

#[tokio::test]
async fn list_animation_medias() {
    let t = ctx().await;
    t.expect("list_animation_medias", "GET", "/media/animation/list/1")
        .query("list_id", "42")
        .query("search_query", "thank you")
        .mount()
        .await;
    let list = t
        .client
        .list_animation_medias()
        .page_number(1u32)
        .list_id(42i64)
        .search_query("thank you")
        .call()
        .await
        .expect("call");
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].type_.as_deref(), Some("image/gif"));
    assert_eq!(
        list[0].url.as_deref(),
        Some("https://media.crisp.chat/animations/thank-you-3f9a2c.gif")
    );
}

#[tokio::test]
async fn list_animation_medias_stream() {
    let t = ctx().await;
    t.expect("list_animation_medias", "GET", "/media/animation/list/1")
        .query("search_query", "high five")
        .mount()
        .await;
    t.expect("list_animation_medias", "GET", "/media/animation/list/2")
        .query("search_query", "high five")
        .respond(
            ResponseTemplate::new(200)
                .set_body_json(json!({"error": false, "reason": "listed", "data": []})),
        )
        .mount()
        .await;
    let urls: Vec<Option<String>> = t
        .client
        .list_animation_medias()
        .search_query("high five")
        .stream()
        .map_ok(|m| m.url)
        .try_collect()
        .await
        .expect("stream");
    assert_eq!(urls.len(), 2);
}

// ------------------------------------------------------------------ bucket

#[tokio::test]
async fn generate_bucket_url() {
    let t = ctx().await;
    t.expect("generate_bucket_url", "POST", "/bucket/url/generate")
        .body(json!({
            "namespace": "upload",
            "id": "0b5e3c8a-2f71-4d96-8e1a-7c4d9b2f6e03",
            "file": {"name": "invoice-1042.pdf", "type": "application/pdf"},
            "resource": {"type": "website", "id": WEBSITE}
        }))
        .mount()
        .await;
    let () = t
        .client
        .generate_bucket_url()
        .body(types::BucketUrlRequest {
            namespace: "upload".into(),
            id: "0b5e3c8a-2f71-4d96-8e1a-7c4d9b2f6e03".into(),
            file: types::BucketUrlRequestFile {
                name: "invoice-1042.pdf".into(),
                type_: "application/pdf".into(),
            },
            resource: Some(types::BucketUrlRequestResource {
                type_: Some("website".into()),
                id: Some(WEBSITE.into()),
            }),
        })
        .call()
        .await
        .expect("call");
}
