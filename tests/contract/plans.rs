//! Contract tests of the `plans` family (plan subscriptions; spec file `openapi/plans.yaml`).

use crate::support::{WEBSITE, contract};
use crisp_api::types;
use serde_json::json;

/// The payment method of the spec examples.
const CARD: &str = "e4a7c2d9-3f16-4b85-a0d2-6c91b8f3e507";

contract! {
    fn list_all_active_plan_subscriptions(t: user_ctx) {
        t.expect("list_all_active_plan_subscriptions", "GET", "/plans/subscription");
        t.client.list_all_active_plan_subscriptions().call();
        |list| {
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
    }

    fn get_plan_subscription_for_website(t: ctx) {
        t.expect(
            "get_plan_subscription_for_website",
            "GET",
            &format!("/plans/subscription/{WEBSITE}"),
        );
        t.client.get_plan_subscription_for_website().website_id(WEBSITE).call();
        |sub| {
            assert_eq!(sub.name.as_deref(), Some("Plus"));
            assert_eq!(sub.trialing, Some(true));
            assert_eq!(sub.trial_end.as_deref(), Some("2024-11-16T15:04:11.000Z"));
            assert_eq!(sub.trial_end_date.as_deref(), Some("2024-11-16"));
            assert_eq!(sub.bill_period.as_deref(), Some("yearly"));
            assert_eq!(sub.coupon_redeemed, Some(true));
            assert_eq!(sub.card_id, None);
        }
    }

    fn subscribe_website_to_plan(t: user_ctx) {
        t.expect(
            "subscribe_website_to_plan",
            "POST",
            &format!("/plans/subscription/{WEBSITE}"),
        )
        .body(json!({"plan_id": "3a4b5c6d-7e8f-4a0b-8c1d-2e3f4a5b6c7d"}));
        t.client
            .subscribe_website_to_plan()
            .website_id(WEBSITE)
            .body_map(|b| b.plan_id("3a4b5c6d-7e8f-4a0b-8c1d-2e3f4a5b6c7d"))
            .call();
        |()| {}
    }

    fn unsubscribe_plan_from_website(t: user_ctx) {
        t.expect(
            "unsubscribe_plan_from_website",
            "DELETE",
            &format!("/plans/subscription/{WEBSITE}"),
        );
        t.client.unsubscribe_plan_from_website().website_id(WEBSITE).call();
        |()| {}
    }

    fn change_bill_period_for_website_plan_subscription(t: user_ctx) {
        t.expect(
            "change_bill_period_for_website_plan_subscription",
            "PATCH",
            &format!("/plans/subscription/{WEBSITE}/bill/period"),
        )
        .body(json!({"period": "yearly"}));
        t.client
            .change_bill_period_for_website_plan_subscription()
            .website_id(WEBSITE)
            .body_map(|b| b.period(types::PlanBillPeriod::Yearly))
            .call();
        |()| {}
    }

    fn check_coupon_availability_for_website_plan_subscription(t: user_ctx) {
        t.expect(
            "check_coupon_availability_for_website_plan_subscription",
            "GET",
            &format!("/plans/subscription/{WEBSITE}/coupon"),
        )
        .query("code", "SPRING 25&more");
        t.client
            .check_coupon_availability_for_website_plan_subscription()
            .website_id(WEBSITE)
            .code("SPRING 25&more")
            .call();
        |coupon| {
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
    }

    fn redeem_coupon_for_website_plan_subscription(t: user_ctx) {
        t.expect(
            "redeem_coupon_for_website_plan_subscription",
            "PATCH",
            &format!("/plans/subscription/{WEBSITE}/coupon"),
        )
        .body(json!({"code": "SPRING-25"}));
        t.client
            .redeem_coupon_for_website_plan_subscription()
            .website_id(WEBSITE)
            .body_map(|b| b.code("SPRING-25"))
            .call();
        |()| {}
    }
}
