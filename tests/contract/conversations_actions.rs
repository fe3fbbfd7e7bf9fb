//! Contract tests of the conversation actions: plugin widget actions, reminders, transcripts,
//! reports, feedback, purge and tool calls, the spam quarantine and the conversation suggestion
//! lists.

use crate::support::{SESSION, WEBSITE, contract, conversation_path, ctx};
use crisp_api::types;
use serde_json::json;

const PLUGIN: &str = "c64f3595-adee-425a-8d3a-89d47f7ed6bb";
const SPAM: &str = "b45e7d75-61ab-416c-858b-1919b5fcfd10";

fn object(value: serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
    match value {
        serde_json::Value::Object(map) => map,
        other => panic!("not an object: {other}"),
    }
}

// ------------------------------------------------------------------ plugin widgets

contract! {
    fn deliver_widget_button_action_for_conversation(t: user_ctx) {
        t.expect(
            "deliver_widget_button_action_for_conversation",
            "POST",
            &format!("{}/widget/{PLUGIN}/button", conversation_path()),
        )
        .body(json!({
            "section_id": "payments",
            "item_id": "refund_on_stripe",
            "data": {"invoice": "D-1929-X", "amount": 4900},
            "value": "full"
        }));
        t.client
            .deliver_widget_button_action_for_conversation()
            .website_id(WEBSITE)
            .session_id(SESSION)
            .plugin_id(PLUGIN)
            .body(types::ConversationWidgetButton {
                section_id: "payments".into(),
                item_id: "refund_on_stripe".into(),
                data: object(json!({"invoice": "D-1929-X", "amount": 4900})),
                value: Some("full".into()),
            })
            .call();
        |receipt| {
            assert_eq!(
                receipt.correlation_id.as_deref(),
                Some("3f9d6c1a-7b2e-4e58-a0d4-6c2f81b95e37")
            );
            let strategy = receipt.strategy.expect("strategy");
            assert_eq!(strategy.attempts, Some(3));
            assert_eq!(strategy.exhaustion, Some(30));
        }
    }

    fn deliver_widget_button_action_without_value_sends_empty_data(t: user_ctx) {
        t.expect(
            "deliver_widget_button_action_for_conversation",
            "POST",
            &format!("{}/widget/{PLUGIN}/button", conversation_path()),
        )
        .body(json!({"section_id": "account", "item_id": "reset_password", "data": {}}));
        t.client
            .deliver_widget_button_action_for_conversation()
            .website_id(WEBSITE)
            .session_id(SESSION)
            .plugin_id(PLUGIN)
            .body_map(|b| {
                b.section_id("account")
                    .item_id("reset_password")
                    .data(serde_json::Map::new())
            })
            .call();
    }

    fn deliver_widget_data_fetch_action_for_conversation(t: user_ctx) {
        t.expect(
            "deliver_widget_data_action_for_conversation",
            "POST",
            &format!("{}/widget/{PLUGIN}/data", conversation_path()),
        )
        .body(json!({
            "section_id": "payments",
            "item_id": "unpaid_balance",
            "data": {"customer": "cus_Q2w8LmT4"}
        }));
        t.client
            .deliver_widget_data_action_for_conversation()
            .website_id(WEBSITE)
            .session_id(SESSION)
            .plugin_id(PLUGIN)
            .body(types::ConversationWidgetDataFetch {
                section_id: "payments".into(),
                item_id: "unpaid_balance".into(),
                action: None,
                data: object(json!({"customer": "cus_Q2w8LmT4"})),
            })
            .call();
        |receipt| {
            assert_eq!(
                receipt.correlation_id.as_deref(),
                Some("b27e0f43-95d1-4c6a-8e7f-1a3c5d9e0b62")
            );
            assert_eq!(receipt.strategy.and_then(|s| s.exhaustion), Some(15));
        }
    }

    fn deliver_widget_data_edit_action_for_conversation(t: user_ctx) {
        t.expect(
            "deliver_widget_data_action_for_conversation",
            "POST",
            &format!("{}/widget/{PLUGIN}/data", conversation_path()),
        )
        .body(json!({
            "section_id": "subscription",
            "item_id": "seats",
            "action": "edit",
            "value": "12"
        }));
        t.client
            .deliver_widget_data_action_for_conversation()
            .website_id(WEBSITE)
            .session_id(SESSION)
            .plugin_id(PLUGIN)
            .body(types::ConversationWidgetDataAction::Edit(
                types::ConversationWidgetDataEdit {
                    section_id: "subscription".into(),
                    item_id: "seats".into(),
                    action: Some(types::ConversationWidgetDataEditAction::Edit),
                    value: "12".into(),
                },
            ))
            .call();
        |receipt| {
            assert_eq!(receipt.strategy.and_then(|s| s.attempts), Some(2));
        }
    }
}

// ------------------------------------------------------------------ conversation actions

contract! {
    fn schedule_reminder_for_conversation(t: ctx) {
        t.expect(
            "schedule_reminder_for_conversation",
            "POST",
            &format!("{}/reminder", conversation_path()),
        )
        .body(json!({
            "date": "2025-03-14T09:30:00Z",
            "note": "Call Margaret back about the split invoice.",
            "user": {"type": "website", "nickname": "Billing Bot"},
            "origin": "urn:crisp.im:bot:0"
        }));
        t.client
            .schedule_reminder_for_conversation()
            .website_id(WEBSITE)
            .session_id(SESSION)
            .body(types::ScheduleReminderForConversationBody {
                date: "2025-03-14T09:30:00Z".into(),
                note: "Call Margaret back about the split invoice.".into(),
                user: Some(types::MessageUser {
                    type_: Some("website".into()),
                    nickname: Some("Billing Bot".into()),
                    ..Default::default()
                }),
                origin: Some("urn:crisp.im:bot:0".into()),
            })
            .call();
    }

    fn schedule_reminder_with_date_and_note_only(t: ctx) {
        t.expect(
            "schedule_reminder_for_conversation",
            "POST",
            &format!("{}/reminder", conversation_path()),
        )
        .body(json!({"date": "2025-03-14T09:30:00Z", "note": "Follow up."}));
        t.client
            .schedule_reminder_for_conversation()
            .website_id(WEBSITE)
            .session_id(SESSION)
            .body_map(|b| b.date("2025-03-14T09:30:00Z").note("Follow up."))
            .call();
    }

    fn request_email_transcript_for_conversation(t: ctx) {
        t.expect(
            "request_email_transcript_for_conversation",
            "POST",
            &format!("{}/transcript", conversation_path()),
        )
        .body(json!({"to": "operator", "email": "lena.fischer@northwind.io"}));
        t.client
            .request_email_transcript_for_conversation()
            .website_id(WEBSITE)
            .session_id(SESSION)
            .body_map(|b| {
                b.to(types::RequestEmailTranscriptForConversationBodyTo::Operator)
                    .email(Some("lena.fischer@northwind.io".to_owned()))
            })
            .call();
    }

    fn request_email_transcript_to_the_visitor(t: ctx) {
        t.expect(
            "request_email_transcript_for_conversation",
            "POST",
            &format!("{}/transcript", conversation_path()),
        )
        .body(json!({"to": "user"}));
        t.client
            .request_email_transcript_for_conversation()
            .website_id(WEBSITE)
            .session_id(SESSION)
            .body_map(|b| b.to(types::RequestEmailTranscriptForConversationBodyTo::User))
            .call();
    }

    fn report_conversation(t: ctx) {
        t.expect(
            "report_conversation",
            "POST",
            &format!("{}/report", conversation_path()),
        )
        .body(json!({"flag": "spam"}));
        t.client
            .report_conversation()
            .website_id(WEBSITE)
            .session_id(SESSION)
            .body_map(|b| b.flag("spam"))
            .call();
    }

    fn request_user_feedback_for_conversation(t: ctx) {
        t.expect(
            "request_user_feedback_for_conversation",
            "POST",
            &format!("{}/feedback", conversation_path()),
        );
        t.client
            .request_user_feedback_for_conversation()
            .website_id(WEBSITE)
            .session_id(SESSION)
            .call();
    }

    fn request_chatbox_binding_purge_for_conversation(t: ctx) {
        t.expect(
            "request_chatbox_binding_purge_for_conversation",
            "POST",
            &format!("{}/purge", conversation_path()),
        );
        t.client
            .request_chatbox_binding_purge_for_conversation()
            .website_id(WEBSITE)
            .session_id(SESSION)
            .call();
    }
}

#[tokio::test]
async fn request_tool_call_for_conversation() {
    let t = ctx().await;
    t.expect(
        "request_tool_call_for_conversation",
        "POST",
        &format!("{}/tool", conversation_path()),
    )
    .body(json!({"command": "list_tools"}))
    .mount()
    .await;
    let result = t
        .client
        .request_tool_call_for_conversation()
        .website_id(WEBSITE)
        .session_id(SESSION)
        .body_map(|b| b.command("list_tools"))
        .call()
        .await
        .expect("call")
        .expect("the example carries a result");
    assert_eq!(result["tools"][0]["name"], "lookup_order");
    assert_eq!(
        result["tools"][1]["description"],
        "Refund an order in full."
    );
}

contract! {
    fn request_tool_call_with_payload(t: ctx) {
        t.expect(
            "request_tool_call_for_conversation",
            "POST",
            &format!("{}/tool", conversation_path()),
        )
        .body(json!({"command": "lookup_order", "payload": {"order": "A-10442", "verbose": true}}));
        t.client
            .request_tool_call_for_conversation()
            .website_id(WEBSITE)
            .session_id(SESSION)
            .body(types::RequestToolCallForConversationBody {
                command: "lookup_order".into(),
                payload: object(json!({"order": "A-10442", "verbose": true})),
            })
            .call();
    }
}

// ------------------------------------------------------------------ spam quarantine

contract! {
    fn list_spam_conversations(t: user_ctx) {
        t.expect(
            "list_spam_conversations",
            "GET",
            &format!("/website/{WEBSITE}/conversations/spams/2"),
        );
        t.client.list_spam_conversations().website_id(WEBSITE).page_number(2u32).call();
        |spams| {
            assert_eq!(spams.len(), 2);
            let first = &spams[0];
            assert_eq!(first.spam_id.as_deref(), Some(SPAM));
            assert_eq!(first.type_.as_deref(), Some("email"));
            assert_eq!(first.reason.as_deref(), Some("content"));
            assert_eq!(first.timestamp, Some(1_732_098_211_406));
            assert_eq!(first.metadata["from"], "deals@prize-winners-club.biz");
            assert_eq!(first.headers["X-Mailer"], "BulkBlaster 4.2");
            let second = &spams[1];
            assert_eq!(second.type_.as_deref(), Some("chat"));
            assert_eq!(second.metadata["ip"], "185.220.101.47");
            assert!(second.headers.is_empty());
        }
    }

    fn resolve_spam_conversation_content(t: user_ctx) {
        t.expect(
            "resolve_spam_conversation_content",
            "GET",
            &format!("/website/{WEBSITE}/conversations/spam/{SPAM}/content"),
        );
        t.client.resolve_spam_conversation_content().website_id(WEBSITE).spam_id(SPAM).call();
        |spam| {
            assert_eq!(spam.spam_id.as_deref(), Some(SPAM));
            assert_eq!(spam.timestamp, Some(1_732_098_211_406));
            assert_eq!(
                spam.headers["Subject"],
                "You have been selected for a $500 gift card"
            );
            assert_eq!(
                spam.content["text"],
                "Click the link below within 24 hours to claim your reward."
            );
        }
    }

    fn resolve_spam_content_percent_encodes_the_spam_id(t: user_ctx) {
        t.expect(
            "resolve_spam_conversation_content",
            "GET",
            &format!("/website/{WEBSITE}/conversations/spam/q%2F1%20a%3Fb%23c/content"),
        );
        t.client.resolve_spam_conversation_content().website_id(WEBSITE).spam_id("q/1 a?b#c").call();
    }

    fn submit_spam_conversation_decision(t: user_ctx) {
        t.expect(
            "submit_spam_conversation_decision",
            "POST",
            &format!("/website/{WEBSITE}/conversations/spam/{SPAM}/decision"),
        )
        .body(json!({"action": "reject"}));
        t.client
            .submit_spam_conversation_decision()
            .website_id(WEBSITE)
            .spam_id(SPAM)
            .body_map(|b| b.action("reject"))
            .call();
    }
}

// ------------------------------------------------------------------ suggestions

contract! {
    fn list_suggested_conversation_segments(t: ctx) {
        t.expect(
            "list_suggested_conversation_segments",
            "GET",
            &format!("/website/{WEBSITE}/conversations/suggest/segments/1"),
        );
        t.client.list_suggested_conversation_segments().website_id(WEBSITE).page_number(1u32).call();
        |segments| {
            assert_eq!(segments.len(), 3);
            assert_eq!(segments[0].segment.as_deref(), Some("bug"));
            assert_eq!(segments[0].count, Some(214));
            assert_eq!(segments[2].segment.as_deref(), Some("feature-request"));
            assert_eq!(segments[2].count, Some(41));
        }
    }

    fn delete_suggested_conversation_segment(t: ctx) {
        t.expect(
            "delete_suggested_conversation_segment",
            "DELETE",
            &format!("/website/{WEBSITE}/conversations/suggest/segment"),
        )
        .body(json!({"segment": "feature-request"}));
        t.client
            .delete_suggested_conversation_segment()
            .website_id(WEBSITE)
            .body_map(|b| b.segment("feature-request"))
            .call();
    }

    fn list_suggested_conversation_data_keys(t: ctx) {
        t.expect(
            "list_suggested_conversation_data_keys",
            "GET",
            &format!("/website/{WEBSITE}/conversations/suggest/data/1"),
        );
        t.client
            .list_suggested_conversation_data_keys()
            .website_id(WEBSITE)
            .page_number(1u32)
            .call();
        |keys| {
            assert_eq!(keys.len(), 3);
            assert_eq!(keys[0].key.as_deref(), Some("price"));
            assert_eq!(keys[0].count, Some(57));
            assert_eq!(keys[1].key.as_deref(), Some("order_number"));
        }
    }

    fn delete_suggested_conversation_data_key(t: ctx) {
        t.expect(
            "delete_suggested_conversation_data_key",
            "DELETE",
            &format!("/website/{WEBSITE}/conversations/suggest/data"),
        )
        .body(json!({"key": "price"}));
        t.client
            .delete_suggested_conversation_data_key()
            .website_id(WEBSITE)
            .body_map(|b| b.key("price"))
            .call();
    }

    fn request_tool_call_with_null_result(t: ctx) {
        t.expect(
            "request_tool_call_for_conversation",
            "POST",
            &format!("{}/tool", conversation_path()),
        )
        .body(json!({"command": "close_ticket"}))
        .respond(
            wiremock::ResponseTemplate::new(200)
                .set_body_json(json!({"error": false, "reason": "requested", "data": null})),
        );
        t.client
            .request_tool_call_for_conversation()
            .website_id(WEBSITE)
            .session_id(SESSION)
            .body_map(|b| b.command("close_ticket"))
            .call();
        |result| {
            assert_eq!(result, None);
        }
    }
}
