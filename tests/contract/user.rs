//! Legacy user-tier account endpoints: `/user/account…` and `/user/session/…`.
//!
//! Every call here goes out with `X-Crisp-Tier: user` (the harness checks the header).
#![allow(deprecated)]

use crate::support::user_ctx;
use serde_json::json;

/// User id used by the spec examples.
const USER: &str = "4a8f2c61-9d3e-4b07-a5c2-e81f6b39d704";
const EMAIL: &str = "valerie.martin@acme-inc.com";

#[tokio::test]
async fn get_user_account() {
    let t = user_ctx().await;
    t.expect("get_user_account", "GET", "/user/account")
        .mount()
        .await;
    let data = t.client.get_user_account().call().await.expect("call");
    assert_eq!(data.user_id.as_deref(), Some(USER));
}

#[tokio::test]
async fn create_user_account() {
    let t = user_ctx().await;
    t.expect("create_user_account", "POST", "/user/account")
        .body(json!({
            "email": EMAIL,
            "password": "correct-horse-battery-staple",
            "first_name": "Valérie",
            "last_name": "Martin"
        }))
        .mount()
        .await;
    let () = t
        .client
        .create_user_account()
        .body_map(|b| {
            b.email(EMAIL)
                .password("correct-horse-battery-staple")
                .first_name(Some("Valérie".to_owned()))
                .last_name(Some("Martin".to_owned()))
        })
        .call()
        .await
        .expect("call");
}

#[tokio::test]
async fn get_user_notification_preferences() {
    let t = user_ctx().await;
    let path = "/user/account/notification";
    t.expect("get_user_notification_preferences", "GET", path)
        .mount()
        .await;
    let data = t
        .client
        .get_user_notification_preferences()
        .call()
        .await
        .expect("call");
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

#[tokio::test]
async fn update_user_notification_preferences() {
    // The route is /user/account/notification (the retired PHP client used a wrong path).
    let t = user_ctx().await;
    let path = "/user/account/notification";
    t.expect("update_user_notification_preferences", "PATCH", path)
        .body(json!({"messages_transcript": true, "sounds": false}))
        .mount()
        .await;
    let () = t
        .client
        .update_user_notification_preferences()
        .body_map(|b| b.messages_transcript(Some(true)).sounds(Some(false)))
        .call()
        .await
        .expect("call");
}

#[tokio::test]
async fn get_user_profile() {
    let t = user_ctx().await;
    t.expect("get_user_profile", "GET", "/user/account/profile")
        .mount()
        .await;
    let data = t.client.get_user_profile().call().await.expect("call");
    assert_eq!(data.user_id.as_deref(), Some(USER));
    assert_eq!(data.email.as_deref(), Some(EMAIL));
    assert_eq!(data.first_name.as_deref(), Some("Valérie"));
    assert_eq!(data.last_name.as_deref(), Some("Martin"));
    assert_eq!(data.phone.as_deref(), Some("+33 6 12 34 56 78"));
    assert_eq!(data.locale.as_deref(), Some("fr"));
    assert!(data.avatar.as_deref().unwrap().starts_with("https://"));
}

#[tokio::test]
async fn update_user_profile() {
    let t = user_ctx().await;
    t.expect("update_user_profile", "PATCH", "/user/account/profile")
        .body(json!({"first_name": "Valérie", "phone": "+33 6 98 76 54 32"}))
        .mount()
        .await;
    let () = t
        .client
        .update_user_profile()
        .body_map(|b| {
            b.first_name(Some("Valérie".to_owned()))
                .phone(Some("+33 6 98 76 54 32".to_owned()))
        })
        .call()
        .await
        .expect("call");
}

#[tokio::test]
async fn list_user_websites() {
    let t = user_ctx().await;
    t.expect("list_user_websites", "GET", "/user/account/websites")
        .mount()
        .await;
    let data = t.client.list_user_websites().call().await.expect("call");
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

#[tokio::test]
async fn login_with_email() {
    let t = user_ctx().await;
    t.expect("login_with_email", "POST", "/user/session/login")
        .body(json!({"email": EMAIL, "password": "correct-horse-battery-staple"}))
        .mount()
        .await;
    let data = t
        .client
        .login_with_email()
        .body_map(|b| b.email(EMAIL).password("correct-horse-battery-staple"))
        .call()
        .await
        .expect("call");
    assert_eq!(data.identifier, "0f6b3e92-47ad-4c18-b5e0-9d2c71a8f436");
    assert_eq!(data.key.len(), 64);
    assert!(data.key.starts_with("3e9a7c15"));
}

#[tokio::test]
async fn logout_user_session() {
    let t = user_ctx().await;
    t.expect("logout_user_session", "POST", "/user/session/logout")
        .mount()
        .await;
    let () = t.client.logout_user_session().call().await.expect("call");
}

#[tokio::test]
async fn reset_user_password() {
    let t = user_ctx().await;
    t.expect("reset_user_password", "POST", "/user/session/reset")
        .body(json!({"email": EMAIL}))
        .mount()
        .await;
    let () = t
        .client
        .reset_user_password()
        .body_map(|b| b.email(EMAIL))
        .call()
        .await
        .expect("call");
}
