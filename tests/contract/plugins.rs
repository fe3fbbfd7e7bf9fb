//! Plugin subscriptions: `/plugins/subscription/…`.

use crate::support::{WEBSITE, ctx};
use serde_json::json;

/// Plugin id used by the spec examples.
const PLUGIN: &str = "1f4c2d3e-9b7a-4f60-8e21-5a9d0c7b3e48";

#[tokio::test]
async fn list_all_active_subscriptions() {
    let t = ctx().await;
    let path = "/plugins/subscription";
    t.expect("list_all_active_subscriptions", "GET", path)
        .mount()
        .await;
    let data = t
        .client
        .list_all_active_subscriptions()
        .call()
        .await
        .expect("call");
    assert_eq!(data.len(), 2);
    let first = &data[0];
    assert_eq!(first.id.as_deref(), Some(PLUGIN));
    assert_eq!(first.urn.as_deref(), Some("urn:crisp.im:shopify:0"));
    assert_eq!(first.website_id.as_deref(), Some(WEBSITE));
    assert_eq!(first.active, Some(true));
    assert_eq!(first.configurable, Some(true));
    assert_eq!(first.price, Some(0));
    assert_eq!(first.plans.len(), 1);
    assert_eq!(first.plans[0].name.as_deref(), Some("Free"));
    assert_eq!(first.since.as_deref(), Some("2024-02-19T10:15:42.000Z"));
    let second = &data[1];
    assert_eq!(second.price, Some(9));
    assert_eq!(second.plans[0].price, Some(9));
    assert_eq!(second.bill_period.as_deref(), Some("monthly"));
    assert_eq!(
        second.card_id.as_deref(),
        Some("e4a7c2d9-3f16-4b85-a0d2-6c91b8f3e507")
    );
}

#[tokio::test]
async fn list_subscriptions_for_website() {
    let t = ctx().await;
    let path = format!("/plugins/subscription/{WEBSITE}");
    t.expect("list_subscriptions_for_website", "GET", &path)
        .mount()
        .await;
    let data = t
        .client
        .list_subscriptions_for_website()
        .website_id(WEBSITE)
        .call()
        .await
        .expect("call");
    assert_eq!(data.len(), 2);
    assert!(
        data.iter()
            .all(|s| s.website_id.as_deref() == Some(WEBSITE))
    );
    assert_eq!(data[0].name.as_deref(), Some("Shopify"));
    assert_eq!(
        data[0].video_url.as_deref(),
        Some("https://www.youtube.com/watch?v=Qm3xZ8w1rTk")
    );
    assert_eq!(data[1].active, Some(false));
    assert_eq!(data[1].configurable, Some(false));
    assert_eq!(data[1].bill_period.as_deref(), Some("yearly"));
    assert_eq!(
        data[1].plans[0].id.as_deref(),
        Some("5e8a2c17-b9d3-4f60-a1e4-d2c7f09b3a85")
    );
}

#[tokio::test]
async fn get_subscription_details() {
    let t = ctx().await;
    let path = format!("/plugins/subscription/{WEBSITE}/{PLUGIN}");
    t.expect("get_subscription_details", "GET", &path)
        .mount()
        .await;
    let data = t
        .client
        .get_subscription_details()
        .website_id(WEBSITE)
        .plugin_id(PLUGIN)
        .call()
        .await
        .expect("call");
    assert_eq!(data.id.as_deref(), Some(PLUGIN));
    assert_eq!(data.type_.as_deref(), Some("integration"));
    assert_eq!(data.category.as_deref(), Some("ecommerce"));
    assert_eq!(data.color.as_deref(), Some("#95bf47"));
    assert_eq!(data.features.len(), 2);
    assert_eq!(data.showcase.len(), 1);
    assert_eq!(data.screenshots.len(), 1);
    assert!(
        data.description
            .as_deref()
            .unwrap()
            .contains("Shopify store")
    );
    assert_eq!(data.plans.len(), 2);
    assert_eq!(data.plans[1].name.as_deref(), Some("Plus"));
    assert_eq!(data.plans[1].price, Some(19));
    assert_eq!(
        data.contact_url.as_deref(),
        Some("mailto:support@shopify-bridge.io")
    );
    assert_eq!(
        data.terms_url.as_deref(),
        Some("https://shopify-bridge.io/terms")
    );
    assert_eq!(
        data.privacy_url.as_deref(),
        Some("https://shopify-bridge.io/privacy")
    );
    assert_eq!(
        data.help_url.as_deref(),
        Some("https://help.shopify-bridge.io/")
    );
    assert_eq!(
        data.bill_valid_until.as_deref(),
        Some("2025-08-19T10:15:42.000Z")
    );
    assert_eq!(data.website_id.as_deref(), Some(WEBSITE));
}

#[tokio::test]
async fn get_subscription_details_percent_encodes_path_segments() {
    // Identifiers are put in the path one segment each: a `/` or a space must not escape it.
    let t = ctx().await;
    let path = format!("/plugins/subscription/{WEBSITE}/shop%20ify%2F0");
    t.expect("get_subscription_details", "GET", &path)
        .mount()
        .await;
    let data = t
        .client
        .get_subscription_details()
        .website_id(WEBSITE)
        .plugin_id("shop ify/0")
        .call()
        .await
        .expect("call");
    assert_eq!(data.name.as_deref(), Some("Shopify"));
}

#[tokio::test]
async fn subscribe_website_to_plugin() {
    let t = ctx().await;
    let path = format!("/plugins/subscription/{WEBSITE}");
    t.expect("subscribe_website_to_plugin", "POST", &path)
        .body(json!({"plugin_id": PLUGIN}))
        .mount()
        .await;
    let () = t
        .client
        .subscribe_website_to_plugin()
        .website_id(WEBSITE)
        .body_map(|b| b.plugin_id(PLUGIN))
        .call()
        .await
        .expect("call");
}

#[tokio::test]
async fn unsubscribe_plugin_from_website() {
    let t = ctx().await;
    let path = format!("/plugins/subscription/{WEBSITE}/{PLUGIN}");
    t.expect("unsubscribe_plugin_from_website", "DELETE", &path)
        .mount()
        .await;
    let () = t
        .client
        .unsubscribe_plugin_from_website()
        .website_id(WEBSITE)
        .plugin_id(PLUGIN)
        .call()
        .await
        .expect("call");
}

#[tokio::test]
async fn get_subscription_settings() {
    let t = ctx().await;
    let path = format!("/plugins/subscription/{WEBSITE}/{PLUGIN}/settings");
    t.expect("get_subscription_settings", "GET", &path)
        .mount()
        .await;
    let data = t
        .client
        .get_subscription_settings()
        .website_id(WEBSITE)
        .plugin_id(PLUGIN)
        .call()
        .await
        .expect("call");
    assert_eq!(data.plugin_id.as_deref(), Some(PLUGIN));
    assert_eq!(data.website_id.as_deref(), Some(WEBSITE));
    assert_eq!(
        data.token.as_deref(),
        Some("5b0e7d2a9c4f4e81b6a3d9f07c12e845")
    );
    assert_eq!(
        data.settings["store_domain"],
        json!("acme-outdoor.myshopify.com")
    );
    assert_eq!(data.settings["show_refunds"], json!(true));
    assert_eq!(data.settings["sidebar"]["order_count"], json!(5));
    assert_eq!(data.schema["type"], json!("object"));
    assert_eq!(
        data.schema["properties"]["show_refunds"]["type"],
        json!("boolean")
    );
    assert_eq!(
        data.settings_form_url.as_deref(),
        Some("https://shopify-bridge.io/crisp/settings")
    );
    assert_eq!(
        data.callback_url.as_deref(),
        Some("https://shopify-bridge.io/crisp/callback")
    );
}

#[tokio::test]
async fn update_subscription_settings() {
    let t = ctx().await;
    let settings = json!({"show_refunds": false, "sidebar": {"order_count": 10}});
    let path = format!("/plugins/subscription/{WEBSITE}/{PLUGIN}/settings");
    t.expect("update_subscription_settings", "PATCH", &path)
        .body(settings.clone())
        .mount()
        .await;
    let serde_json::Value::Object(map) = settings else {
        unreachable!()
    };
    let () = t
        .client
        .update_subscription_settings()
        .website_id(WEBSITE)
        .plugin_id(PLUGIN)
        .body(map)
        .call()
        .await
        .expect("call");
}
