//! Legacy user-tier account endpoints: `/user/account…` and `/user/session/…`.
//!
//! Every call here goes out with `X-Crisp-Tier: user` (the harness checks the header).
#![allow(deprecated)]

use crate::support::contract;
use serde_json::json;

/// User id used by the spec examples.
const USER: &str = "4a8f2c61-9d3e-4b07-a5c2-e81f6b39d704";
const EMAIL: &str = "valerie.martin@acme-inc.com";

contract! {
    fn get_user_account(t: user_ctx) {
        t.expect("get_user_account", "GET", "/user/account");
        t.client.get_user_account().call();
        |data| {
            assert_eq!(data.user_id.as_deref(), Some(USER));
        }
    }

    fn create_user_account(t: user_ctx) {
        t.expect("create_user_account", "POST", "/user/account")
            .body(json!({
                "email": EMAIL,
                "password": "correct-horse-battery-staple",
                "first_name": "Valérie",
                "last_name": "Martin"
            }));
        t.client
            .create_user_account()
            .body_map(|b| {
                b.email(EMAIL)
                    .password("correct-horse-battery-staple")
                    .first_name(Some("Valérie".to_owned()))
                    .last_name(Some("Martin".to_owned()))
            })
            .call();
        |()| {}
    }

    fn get_user_notification_preferences(t: user_ctx) {
        let path = "/user/account/notification";
        t.expect("get_user_notification_preferences", "GET", path);
        t.client.get_user_notification_preferences().call();
        |data| {
            assert_eq!(data.user_id.as_deref(), Some(USER));
            assert_eq!(data.disabled, Some(false));
            assert_eq!(data.messages_online, Some(true));
            assert_eq!(data.messages_offline, Some(true));
            assert_eq!(data.messages_unread, Some(true));
            assert_eq!(data.messages_transcript, Some(false));
            assert_eq!(data.messages_rating, Some(true));
            assert_eq!(data.billing_invoice, Some(true));
            assert_eq!(data.visitor_browsing, Some(false));
            assert_eq!(data.sounds, Some(true));
        }
    }

    fn update_user_notification_preferences(t: user_ctx) {
        // The route is /user/account/notification (the retired PHP client used a wrong path).
        let path = "/user/account/notification";
        t.expect("update_user_notification_preferences", "PATCH", path)
            .body(json!({"messages_transcript": true, "sounds": false}));
        t.client
            .update_user_notification_preferences()
            .body_map(|b| b.messages_transcript(Some(true)).sounds(Some(false)))
            .call();
        |()| {}
    }

    fn get_user_profile(t: user_ctx) {
        t.expect("get_user_profile", "GET", "/user/account/profile");
        t.client.get_user_profile().call();
        |data| {
            assert_eq!(data.user_id.as_deref(), Some(USER));
            assert_eq!(data.email.as_deref(), Some(EMAIL));
            assert_eq!(data.first_name.as_deref(), Some("Valérie"));
            assert_eq!(data.last_name.as_deref(), Some("Martin"));
            assert_eq!(data.phone.as_deref(), Some("+33 6 12 34 56 78"));
            assert_eq!(data.locale.as_deref(), Some("fr"));
            assert!(data.avatar.as_deref().unwrap().starts_with("https://"));
        }
    }

    fn update_user_profile(t: user_ctx) {
        t.expect("update_user_profile", "PATCH", "/user/account/profile")
            .body(json!({"first_name": "Valérie", "phone": "+33 6 98 76 54 32"}));
        t.client
            .update_user_profile()
            .body_map(|b| {
                b.first_name(Some("Valérie".to_owned()))
                    .phone(Some("+33 6 98 76 54 32".to_owned()))
            })
            .call();
        |()| {}
    }

    fn list_user_websites(t: user_ctx) {
        t.expect("list_user_websites", "GET", "/user/account/websites");
        t.client.list_user_websites().call();
        |data| {
            assert_eq!(data.len(), 2);
            assert_eq!(
                data[0].id.as_deref(),
                Some("8c842203-7ed8-4e29-a608-7cf78a7d2fcc")
            );
            assert_eq!(data[0].name.as_deref(), Some("Acme Outdoor"));
            assert_eq!(data[0].domain.as_deref(), Some("acme-outdoor.com"));
            assert_eq!(data[0].members.len(), 2);
            assert_eq!(data[0].members[0], USER);
            assert_eq!(data[0].count, Some(3));
            assert_eq!(data[0].assigned, Some(1));
            assert_eq!(data[1].logo.as_deref(), Some(""));
            assert_eq!(data[1].count, Some(0));
        }
    }

    fn login_with_email(t: user_ctx) {
        t.expect("login_with_email", "POST", "/user/session/login")
            .body(json!({"email": EMAIL, "password": "correct-horse-battery-staple"}));
        t.client
            .login_with_email()
            .body_map(|b| b.email(EMAIL).password("correct-horse-battery-staple"))
            .call();
        |data| {
            assert_eq!(data.identifier, "0f6b3e92-47ad-4c18-b5e0-9d2c71a8f436");
            assert_eq!(data.key.len(), 64);
            assert!(data.key.starts_with("3e9a7c15"));
        }
    }

    fn logout_user_session(t: user_ctx) {
        t.expect("logout_user_session", "POST", "/user/session/logout");
        t.client.logout_user_session().call();
        |()| {}
    }

    fn reset_user_password(t: user_ctx) {
        t.expect("reset_user_password", "POST", "/user/session/reset").body(json!({"email": EMAIL}));
        t.client.reset_user_password().body_map(|b| b.email(EMAIL)).call();
        |()| {}
    }
}
