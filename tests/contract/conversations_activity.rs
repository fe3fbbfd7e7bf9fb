//! Contract tests of the activity around a conversation: message removal, original e-mails,
//! browsed pages, events, files, co-browsing and calls.

use crate::support::{SESSION, WEBSITE, contract, conversation_path, ctx};
use crisp_api::types;
use serde_json::json;

const BROWSING: &str = "browsing_9d41c7e2-5b3a-4f08-a6e1-2c8f0b7d4a95";
const CALL: &str = "call_e27b4d90-1c6f-4a38-9b52-7f0d3e8a61c4";
const ORIGINAL: &str = "0e7a3f5c-6a1d-4c8b-b2f9-91d3c4e5a6b7";

// ------------------------------------------------------------------ messages and originals

contract! {
    fn remove_message_in_conversation(t: ctx) {
        t.expect(
            "remove_message_in_conversation",
            "DELETE",
            &format!("{}/message/524653764345", conversation_path()),
        );
        t.client
            .remove_message_in_conversation()
            .website_id(WEBSITE)
            .session_id(SESSION)
            .fingerprint(524_653_764_345_i64)
            .call();
    }

    fn get_original_message_in_conversation(t: ctx) {
        t.expect(
            "get_original_message_in_conversation",
            "GET",
            &format!("{}/original/{ORIGINAL}", conversation_path()),
        );
        t.client
            .get_original_message_in_conversation()
            .website_id(WEBSITE)
            .session_id(SESSION)
            .original_id(ORIGINAL)
            .call();
        |o| {
            assert_eq!(o.original_id.as_deref(), Some(ORIGINAL));
            assert_eq!(o.website_id.as_deref(), Some(WEBSITE));
            assert_eq!(o.session_id.as_deref(), Some(SESSION));
            assert_eq!(o.type_.as_deref(), Some("text/html"));
            assert_eq!(
                o.headers.get("subject"),
                Some(&json!("Re: October invoice"))
            );
            assert_eq!(
                o.headers.get("message-id"),
                Some(&json!("<CAF3x9Zq1m7@mail.northwind.io>"))
            );
            assert!(
                o.content
                    .as_deref()
                    .is_some_and(|c| c.contains("split it by department"))
            );
            assert_eq!(o.timestamp, Some(1_732_105_111_402));
        }
    }

    /// An original identifier is one path segment, whatever it contains.
    fn get_original_message_percent_encodes_the_identifier(t: ctx) {
        t.expect(
            "get_original_message_in_conversation",
            "GET",
            &format!(
                "{}/original/%3CCAF3x9Zq1m7@mail.northwind.io%3E%2Fpart%201",
                conversation_path()
            ),
        );
        t.client
            .get_original_message_in_conversation()
            .website_id(WEBSITE)
            .session_id(SESSION)
            .original_id("<CAF3x9Zq1m7@mail.northwind.io>/part 1")
            .call();
        |o| {
            assert_eq!(o.original_id.as_deref(), Some(ORIGINAL));
        }
    }
}

// ------------------------------------------------------------------ pages, events, files

contract! {
    fn list_conversation_pages(t: ctx) {
        t.expect("list_conversation_pages", "GET", &format!("{}/pages/1", conversation_path()));
        t.client
            .list_conversation_pages()
            .website_id(WEBSITE)
            .session_id(SESSION)
            .page_number(1u32)
            .call();
        |pages| {
            assert_eq!(pages.len(), 2);
            assert_eq!(
                pages[0].page_title.as_deref(),
                Some("Billing and invoices — Acme Supplies")
            );
            assert_eq!(
                pages[0].page_url.as_deref(),
                Some("https://acme-supplies.com/account/billing")
            );
            assert_eq!(
                pages[0].page_referrer.as_deref(),
                Some("https://acme-supplies.com/account")
            );
            assert_eq!(pages[0].timestamp, Some(1_732_105_802_230));
            assert_eq!(
                pages[1].page_url.as_deref(),
                Some("https://acme-supplies.com/pricing?plan=business")
            );
            assert_eq!(pages[1].timestamp, Some(1_732_101_198_640));
        }
    }

    fn list_conversation_events(t: ctx) {
        t.expect("list_conversation_events", "GET", &format!("{}/events/3", conversation_path()));
        t.client
            .list_conversation_events()
            .website_id(WEBSITE)
            .session_id(SESSION)
            .page_number(3u32)
            .call();
        |events| {
            assert_eq!(events.len(), 2);
            assert_eq!(events[0].text.as_deref(), Some("Invoice downloaded"));
            assert_eq!(events[0].color.as_deref(), Some("blue"));
            assert_eq!(events[0].data.get("invoice"), Some(&json!("INV-2024-1187")));
            assert_eq!(events[0].data.get("amount_cents"), Some(&json!(129_900)));
            assert_eq!(
                events[0].data.get("departments"),
                Some(&json!(["finance", "sales"]))
            );
            assert_eq!(events[0].timestamp, Some(1_732_105_790_114));
            assert_eq!(events[1].text.as_deref(), Some("Checkout abandoned"));
            assert_eq!(events[1].color.as_deref(), Some("red"));
            assert!(events[1].data.is_empty());
        }
    }

    fn list_conversation_files(t: ctx) {
        t.expect("list_conversation_files", "GET", &format!("{}/files/2", conversation_path()));
        t.client
            .list_conversation_files()
            .website_id(WEBSITE)
            .session_id(SESSION)
            .page_number(2u32)
            .call();
        |files| {
            assert_eq!(files.len(), 2);
            assert_eq!(
                files[0].name.as_deref(),
                Some("invoice-2024-10-finance.pdf")
            );
            assert_eq!(files[0].type_.as_deref(), Some("application/pdf"));
            assert!(
                files[0]
                    .url
                    .as_deref()
                    .is_some_and(|u| u.ends_with("invoice-2024-10-finance_4f1c2d.pdf"))
            );
            assert_eq!(files[0].fingerprint, Some(173_210_594_481_214));
            assert_eq!(files[0].timestamp, Some(1_732_106_021_575));
            assert_eq!(files[1].type_.as_deref(), Some("image/png"));
            assert_eq!(files[1].fingerprint, Some(524_653_764_345));
        }
    }
}

// ------------------------------------------------------------------ co-browsing

contract! {
    fn list_browsing_sessions_for_conversation(t: ctx) {
        t.expect(
            "list_browsing_sessions_for_conversation",
            "GET",
            &format!("{}/browsing", conversation_path()),
        );
        t.client
            .list_browsing_sessions_for_conversation()
            .website_id(WEBSITE)
            .session_id(SESSION)
            .call();
        |sessions| {
            assert_eq!(sessions.len(), 1);
            let b = &sessions[0];
            assert_eq!(b.browsing_id.as_deref(), Some(BROWSING));
            assert_eq!(
                b.browsing_token.as_deref(),
                Some("6f2a9c1e84b7d3056e1f4a2b9c8d7e60")
            );
            assert!(
                b.useragent
                    .as_deref()
                    .is_some_and(|ua| ua.contains("Version/17.6 Safari"))
            );
            // The browsing token grants access to the visitor's screen: never in debug output.
            let debug = format!("{b:?}");
            assert!(
                !debug.contains("6f2a9c1e84b7d3056e1f4a2b9c8d7e60"),
                "{debug}"
            );
            assert!(debug.contains(BROWSING), "{debug}");
        }
    }

    fn initiate_browsing_session_for_conversation(t: ctx) {
        t.expect(
            "initiate_browsing_session_for_conversation",
            "POST",
            &format!("{}/browsing", conversation_path()),
        );
        t.client
            .initiate_browsing_session_for_conversation()
            .website_id(WEBSITE)
            .session_id(SESSION)
            .call();
    }

    fn send_action_to_existing_browsing_session(t: ctx) {
        t.expect(
            "send_action_to_existing_browsing_session",
            "PATCH",
            &format!("{}/browsing/{BROWSING}", conversation_path()),
        )
        .body(json!({"action": "start"}));
        t.client
            .send_action_to_existing_browsing_session()
            .website_id(WEBSITE)
            .session_id(SESSION)
            .browsing_id(BROWSING)
            .body_map(|b| b.action("start"))
            .call();
    }

    fn assist_existing_browsing_session_moves_the_pointer(t: ctx) {
        t.expect(
            "assist_existing_browsing_session",
            "PATCH",
            &format!("{}/browsing/{BROWSING}/assist", conversation_path()),
        )
        .body(json!({"action": "mouse", "mouse": {"x": 412, "y": 784}}));
        t.client
            .assist_existing_browsing_session()
            .website_id(WEBSITE)
            .session_id(SESSION)
            .browsing_id(BROWSING)
            .body(types::ConversationBrowsingAssist {
                action: types::ConversationBrowsingAssistAction::Mouse,
                mouse: Some(types::ConversationBrowsingAssistPoint {
                    x: Some(412),
                    y: Some(784),
                }),
                click: None,
                scroll: None,
            })
            .call();
    }

    fn assist_existing_browsing_session_scrolls(t: ctx) {
        t.expect(
            "assist_existing_browsing_session",
            "PATCH",
            &format!("{}/browsing/{BROWSING}/assist", conversation_path()),
        )
        .body(json!({"action": "scroll", "scroll": {"x": 0, "y": 1920}}));
        t.client
            .assist_existing_browsing_session()
            .website_id(WEBSITE)
            .session_id(SESSION)
            .browsing_id(BROWSING)
            .body_map(|b| {
                b.action(types::ConversationBrowsingAssistAction::Scroll)
                    .scroll(Some(types::ConversationBrowsingAssistPoint {
                        x: Some(0),
                        y: Some(1920),
                    }))
            })
            .call();
    }
}

// ------------------------------------------------------------------ calls

contract! {
    fn get_ongoing_call_session_for_conversation(t: ctx) {
        t.expect(
            "get_ongoing_call_session_for_conversation",
            "GET",
            &format!("{}/call", conversation_path()),
        );
        t.client
            .get_ongoing_call_session_for_conversation()
            .website_id(WEBSITE)
            .session_id(SESSION)
            .call();
        |call| {
            assert_eq!(call.call_id.as_deref(), Some(CALL));
        }
    }

    fn initiate_new_call_session_for_conversation(t: ctx) {
        t.expect(
            "initiate_new_call_session_for_conversation",
            "POST",
            &format!("{}/call", conversation_path()),
        )
        .body(json!({
            "mode": "video",
            "user": {
                "type": "website",
                "nickname": "Daniel Okafor",
                "avatar": "https://avatars.example.net/daniel-okafor.png"
            },
            "origin": "chat"
        }));
        t.client
            .initiate_new_call_session_for_conversation()
            .website_id(WEBSITE)
            .session_id(SESSION)
            .body(types::ConversationCallNew {
                mode: types::ConversationCallNewMode::Video,
                user: Some(types::MessageUser {
                    type_: Some("website".into()),
                    nickname: Some("Daniel Okafor".into()),
                    avatar: Some("https://avatars.example.net/daniel-okafor.png".into()),
                    ..Default::default()
                }),
                origin: Some("chat".into()),
            })
            .call();
        |call| {
            assert_eq!(call.call_id.as_deref(), Some(CALL));
        }
    }

    fn initiate_new_audio_call_with_only_the_mode(t: ctx) {
        t.expect(
            "initiate_new_call_session_for_conversation",
            "POST",
            &format!("{}/call", conversation_path()),
        )
        .body(json!({"mode": "audio"}));
        t.client
            .initiate_new_call_session_for_conversation()
            .website_id(WEBSITE)
            .session_id(SESSION)
            .body_map(|b| b.mode(types::ConversationCallNewMode::Audio))
            .call();
        |call| {
            assert_eq!(call.call_id.as_deref(), Some(CALL));
        }
    }

    fn abort_ongoing_call_session_for_conversation(t: ctx) {
        t.expect(
            "abort_ongoing_call_session_for_conversation",
            "DELETE",
            &format!("{}/call/{CALL}", conversation_path()),
        )
        .body(json!({
            "user": {"type": "website", "nickname": "Daniel Okafor"},
            "origin": "urn:crisp.im:slack:0"
        }));
        t.client
            .abort_ongoing_call_session_for_conversation()
            .website_id(WEBSITE)
            .session_id(SESSION)
            .call_id(CALL)
            .body_map(|b| {
                b.user(Some(types::MessageUser {
                    type_: Some("website".into()),
                    nickname: Some("Daniel Okafor".into()),
                    ..Default::default()
                }))
                .origin(Some("urn:crisp.im:slack:0".to_owned()))
            })
            .call();
    }

    /// Without `user` or `origin`, the body is an empty object.
    fn abort_ongoing_call_with_an_empty_body(t: ctx) {
        t.expect(
            "abort_ongoing_call_session_for_conversation",
            "DELETE",
            &format!("{}/call/{CALL}", conversation_path()),
        )
        .body(json!({}));
        t.client
            .abort_ongoing_call_session_for_conversation()
            .website_id(WEBSITE)
            .session_id(SESSION)
            .call_id(CALL)
            .call();
    }
}

#[tokio::test]
async fn transmit_signaling_on_ongoing_call_session() {
    let sdp = "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";
    let t = ctx().await;
    t.expect(
        "transmit_signaling_on_ongoing_call_session",
        "PATCH",
        &format!("{}/call/{CALL}", conversation_path()),
    )
    .body(json!({
        "type": "sdp",
        "payload": {"type": "offer", "sdp": sdp}
    }))
    .mount()
    .await;
    let payload = json!({"type": "offer", "sdp": sdp});
    t.client
        .transmit_signaling_on_ongoing_call_session()
        .website_id(WEBSITE)
        .session_id(SESSION)
        .call_id(CALL)
        .body(types::ConversationCallSignaling {
            type_: "sdp".into(),
            payload: payload.as_object().cloned().expect("an object"),
        })
        .call()
        .await
        .expect("call");
}
