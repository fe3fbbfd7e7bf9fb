//! Plugin subscriptions (`/plugins/subscription/…`) and plugin connect (`/plugin/connect/…`).

use crate::support::{SESSION, WEBSITE, contract, ctx};
use crisp_api::types;
use futures::TryStreamExt;
use serde_json::json;

/// Plugin id used by the spec examples.
const PLUGIN: &str = "1f4c2d3e-9b7a-4f60-8e21-5a9d0c7b3e48";

contract! {
    fn list_all_active_subscriptions(t: ctx) {
        let path = "/plugins/subscription";
        t.expect("list_all_active_subscriptions", "GET", path);
        t.client.list_all_active_subscriptions().call();
        |data| {
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
    }

    fn list_subscriptions_for_website(t: ctx) {
        let path = format!("/plugins/subscription/{WEBSITE}");
        t.expect("list_subscriptions_for_website", "GET", &path);
        t.client.list_subscriptions_for_website().website_id(WEBSITE).call();
        |data| {
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
    }

    fn get_subscription_details(t: ctx) {
        let path = format!("/plugins/subscription/{WEBSITE}/{PLUGIN}");
        t.expect("get_subscription_details", "GET", &path);
        t.client.get_subscription_details().website_id(WEBSITE).plugin_id(PLUGIN).call();
        |data| {
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
    }

    fn get_subscription_details_percent_encodes_path_segments(t: ctx) {
        // Identifiers are put in the path one segment each: a `/` or a space must not escape it.
        let path = format!("/plugins/subscription/{WEBSITE}/shop%20ify%2F0");
        t.expect("get_subscription_details", "GET", &path);
        t.client.get_subscription_details().website_id(WEBSITE).plugin_id("shop ify/0").call();
        |data| {
            assert_eq!(data.name.as_deref(), Some("Shopify"));
        }
    }

    fn subscribe_website_to_plugin(t: ctx) {
        let path = format!("/plugins/subscription/{WEBSITE}");
        t.expect("subscribe_website_to_plugin", "POST", &path).body(json!({"plugin_id": PLUGIN}));
        t.client
            .subscribe_website_to_plugin()
            .website_id(WEBSITE)
            .body_map(|b| b.plugin_id(PLUGIN))
            .call();
        |()| {}
    }

    fn unsubscribe_plugin_from_website(t: ctx) {
        let path = format!("/plugins/subscription/{WEBSITE}/{PLUGIN}");
        t.expect("unsubscribe_plugin_from_website", "DELETE", &path);
        t.client.unsubscribe_plugin_from_website().website_id(WEBSITE).plugin_id(PLUGIN).call();
        |()| {}
    }

    fn get_subscription_settings(t: ctx) {
        let path = format!("/plugins/subscription/{WEBSITE}/{PLUGIN}/settings");
        t.expect("get_subscription_settings", "GET", &path);
        t.client.get_subscription_settings().website_id(WEBSITE).plugin_id(PLUGIN).call();
        |data| {
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
    }
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

#[tokio::test]
async fn save_subscription_settings() {
    let t = ctx().await;
    let settings = json!({
        "store_domain": "acme-outdoor.myshopify.com",
        "show_refunds": false,
        "sidebar": {"order_count": 10}
    });
    let path = format!("/plugins/subscription/{WEBSITE}/{PLUGIN}/settings");
    t.expect("save_subscription_settings", "PUT", &path)
        .body(settings.clone())
        .mount()
        .await;
    let serde_json::Value::Object(map) = settings else {
        unreachable!()
    };
    let () = t
        .client
        .save_subscription_settings()
        .website_id(WEBSITE)
        .plugin_id(PLUGIN)
        .body(map)
        .call()
        .await
        .expect("call");
}

contract! {
    fn get_plugin_usage_bills(t: ctx) {
        let path = format!("/plugins/subscription/{WEBSITE}/{PLUGIN}/bill/usage");
        t.expect("get_plugin_usage_bills", "GET", &path);
        t.client.get_plugin_usage_bills().website_id(WEBSITE).plugin_id(PLUGIN).call();
        |bills| {
            assert_eq!(bills.len(), 2);
            assert_eq!(bills[0].name.as_deref(), Some("Translated messages"));
            assert_eq!(bills[0].units, Some(1250));
            assert_eq!(bills[0].price, Some(2.5));
            assert_eq!(bills[1].units, Some(40));
        }
    }

    fn report_plugin_usage_to_bill(t: ctx) {
        let path = format!("/plugins/subscription/{WEBSITE}/{PLUGIN}/bill/usage");
        t.expect("report_plugin_usage_to_bill", "POST", &path)
            .body(json!({"name": "Translated messages", "units": 250, "price": 0.5}));
        t.client
            .report_plugin_usage_to_bill()
            .website_id(WEBSITE)
            .plugin_id(PLUGIN)
            .body(types::PluginBillUsageReport {
                name: "Translated messages".into(),
                units: 250,
                price: 0.5,
            })
            .call();
        |()| {}
    }

    fn get_plugin_attest_provenance(t: ctx) {
        let path = format!("/plugins/subscription/{WEBSITE}/{PLUGIN}/attest/provenance");
        t.expect("get_plugin_attest_provenance", "GET", &path);
        t.client.get_plugin_attest_provenance().website_id(WEBSITE).plugin_id(PLUGIN).call();
        |attest| {
            let payload = attest.payload.as_ref().expect("payload");
            assert_eq!(
                payload
                    .website
                    .as_ref()
                    .and_then(|w| w.website_id.as_deref()),
                Some(WEBSITE)
            );
            assert_eq!(
                payload.user.as_ref().and_then(|u| u.role.as_deref()),
                Some("owner")
            );
            assert_eq!(
                payload.plugin.as_ref().and_then(|p| p.plugin_id.as_deref()),
                Some(PLUGIN)
            );
            assert_eq!(attest.expire_at, Some(1_732_237_200_000));
            assert_eq!(attest.signed.as_deref().map(str::len), Some(64));
        }
    }
}

#[tokio::test]
async fn forward_plugin_payload_to_channel() {
    let t = ctx().await;
    let path = format!("/plugins/subscription/{WEBSITE}/{PLUGIN}/channel");
    t.expect("forward_plugin_payload_to_channel", "POST", &path)
        .body(json!({
            "namespace": "order:refreshed",
            "identifier": SESSION,
            "payload": {"order_id": "#1042", "status": "shipped"}
        }))
        .mount()
        .await;
    let serde_json::Value::Object(payload) = json!({"order_id": "#1042", "status": "shipped"})
    else {
        unreachable!()
    };
    let () = t
        .client
        .forward_plugin_payload_to_channel()
        .website_id(WEBSITE)
        .plugin_id(PLUGIN)
        .body(types::PluginChannelForward {
            namespace: "order:refreshed".into(),
            identifier: Some(SESSION.into()),
            payload,
        })
        .call()
        .await
        .expect("call");
}

#[tokio::test]
async fn dispatch_plugin_event() {
    let t = ctx().await;
    let path = format!("/plugins/subscription/{WEBSITE}/{PLUGIN}/event");
    t.expect("dispatch_plugin_event", "POST", &path)
        .body(json!({"name": "order_shipped", "data": {"order_id": "#1042", "carrier": "UPS"}}))
        .mount()
        .await;
    let serde_json::Value::Object(data) = json!({"order_id": "#1042", "carrier": "UPS"}) else {
        unreachable!()
    };
    let () = t
        .client
        .dispatch_plugin_event()
        .website_id(WEBSITE)
        .plugin_id(PLUGIN)
        .body(types::PluginEventDispatch {
            name: "order_shipped".into(),
            data,
        })
        .call()
        .await
        .expect("call");
}

// ------------------------------------------------------------------ plugin connect

contract! {
    fn get_connect_account(t: ctx) {
        t.expect("get_connect_account", "GET", "/plugin/connect/account");
        t.client.get_connect_account().call();
        |account| {
            assert_eq!(account.plugin_id.as_deref(), Some(PLUGIN));
        }
    }

    fn check_connect_session_validity(t: ctx) {
        t.expect("check_connect_session_validity", "HEAD", "/plugin/connect/session");
        t.client.check_connect_session_validity().exists();
        |valid| {
            assert!(valid);
        }
    }

    fn list_all_connect_websites(t: ctx) {
        t.expect(
            "list_all_connect_websites",
            "GET",
            "/plugin/connect/websites/all/1",
        )
        .query("filter_configured", "1")
        .query("include_plan", "1");
        t.client
            .list_all_connect_websites()
            .page_number(1u32)
            .filter_configured(true)
            .include_plan(true)
            .call();
        |list| {
            assert_eq!(list.len(), 2);
            let first = &list[0];
            assert_eq!(first.website_id.as_deref(), Some(WEBSITE));
            assert_eq!(first.price, Some(0));
            assert_eq!(
                first.token.as_deref(),
                Some("5b0e7d2a9c4f4e81b6a3d9f07c12e845")
            );
            assert_eq!(
                first.settings["store_domain"],
                json!("acme-outdoor.myshopify.com")
            );
            let plan = first.plan.as_ref().expect("plan");
            assert_eq!(plan.name.as_deref(), Some("Essentials"));
            assert_eq!(plan.trialing, Some(false));
            assert_eq!(first.difference, None);
            assert!(list[1].settings.is_empty());
            assert_eq!(list[1].plan.as_ref().and_then(|p| p.trialing), Some(true));
            // The per-website token is a secret: it stays out of `Debug`.
            assert!(!format!("{first:?}").contains("5b0e7d2a9c4f4e81b6a3d9f07c12e845"));
        }
    }
}

#[tokio::test]
async fn list_all_connect_websites_stream() {
    let t = ctx().await;
    t.expect(
        "list_all_connect_websites",
        "GET",
        "/plugin/connect/websites/all/1",
    )
    .query("filter_configured", "0")
    .mount()
    .await;
    t.expect(
        "list_all_connect_websites",
        "GET",
        "/plugin/connect/websites/all/2",
    )
    .query("filter_configured", "0")
    .respond(wiremock::ResponseTemplate::new(200).set_body_json(json!({
        "error": false,
        "reason": "listed",
        "data": []
    })))
    .mount()
    .await;
    let ids: Vec<Option<String>> = t
        .client
        .list_all_connect_websites()
        .filter_configured(false)
        .stream()
        .map_ok(|w| w.website_id)
        .try_collect()
        .await
        .expect("stream");
    assert_eq!(
        ids,
        [
            Some(WEBSITE.to_owned()),
            Some("2d4b9c71-5e0a-4f38-8b16-c7a3e9d2f054".to_owned())
        ]
    );
}

contract! {
    fn list_connect_websites_since(t: ctx) {
        t.expect(
            "list_connect_websites_since",
            "GET",
            "/plugin/connect/websites/since",
        )
        .query("date_since", "2024-06-01T00:00:00Z")
        .query("filter_configured", "0")
        .query("include_plan", "0");
        t.client
            .list_connect_websites_since()
            .date_since("2024-06-01T00:00:00Z")
            .filter_configured(false)
            .include_plan(false)
            .call();
        |list| {
            assert_eq!(list.len(), 2);
            assert_eq!(list[0].difference.as_deref(), Some("added"));
            assert_eq!(
                list[0].settings["store_domain"],
                json!("brightpath-store.myshopify.com")
            );
            assert_eq!(list[1].difference.as_deref(), Some("removed"));
            assert!(list[1].plan.is_none());
        }
    }

    fn get_connect_endpoints(t: ctx) {
        t.expect("get_connect_endpoints", "GET", "/plugin/connect/endpoints");
        t.client.get_connect_endpoints().call();
        |endpoints| {
            assert_eq!(
                endpoints.socket.as_ref().and_then(|s| s.app.as_deref()),
                Some("wss://plugin.relay.crisp.chat/p/7/")
            );
            assert_eq!(
                endpoints
                    .rescue
                    .as_ref()
                    .and_then(|r| r.socket.as_ref())
                    .and_then(|s| s.app.as_deref()),
                Some("wss://plugin.relay.rescue.crisp.chat/p/7/")
            );
        }
    }
}
