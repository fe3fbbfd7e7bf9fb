//! Contract tests of reading and editing the messages of a conversation.

use crate::conversations::OPERATOR;
use crate::support::{SESSION, WEBSITE, contract, conversation_path};
use crisp_api::types::{self, MessageContent};
use serde_json::json;
use wiremock::ResponseTemplate;

// ------------------------------------------------------------------ reading messages

contract! {
    fn list_messages_in_conversation_decodes_every_content_kind(t: ctx) {
        t.expect(
            "list_messages_in_conversation",
            "GET",
            &format!("{}/messages", conversation_path()),
        );
        t.client.list_messages_in_conversation().website_id(WEBSITE).session_id(SESSION).call();
        |m| {
            assert_eq!(m.len(), 9);
            let kinds: Vec<_> = m.iter().map(|m| m.type_.as_deref().unwrap_or("")).collect();
            assert_eq!(
                kinds,
                [
                    "text",
                    "note",
                    "file",
                    "animation",
                    "audio",
                    "picker",
                    "field",
                    "carousel",
                    "event"
                ]
            );

            // text
            assert_eq!(m[0].from.as_deref(), Some("user"));
            assert_eq!(m[0].fingerprint, Some(524_653_764_345));
            assert_eq!(
                m[0].content,
                Some(MessageContent::String(
                    "Hi! The October invoice arrived. Could you split it by department?".into()
                ))
            );
            assert_eq!(m[0].read.as_deref(), Some("chat"));
            assert_eq!(m[0].stamped, Some(true));

            // note
            assert_eq!(
                m[1].content,
                Some(MessageContent::String(
                    "@Priya can you prepare the split? Finance and Sales only.".into()
                ))
            );
            assert_eq!(m[1].mentions, ["e9c1d6a2-47b3-4f0e-a8d5-1c2b3a4f5e60"]);
            assert_eq!(
                m[1].user.as_ref().and_then(|u| u.type_.as_deref()),
                Some("participant")
            );

            // file
            let Some(MessageContent::MessageFileContent(file)) = &m[2].content else {
                panic!("file content decoded as {:?}", m[2].content)
            };
            assert_eq!(file.name, "invoice-2024-10-finance.pdf");
            assert_eq!(file.type_, "application/pdf");
            assert!(file.url.ends_with("invoice-2024-10-finance_4f1c2d.pdf"));

            // animation
            let Some(MessageContent::MessageAnimationContent(animation)) = &m[3].content else {
                panic!("animation content decoded as {:?}", m[3].content)
            };
            assert_eq!(animation.type_, "image/gif");
            assert_eq!(
                animation.url,
                "https://media.giphy.com/media/3oEjI6SIIHBdRxXI40/giphy.gif"
            );

            // audio
            let Some(MessageContent::MessageAudioContent(audio)) = &m[4].content else {
                panic!("audio content decoded as {:?}", m[4].content)
            };
            assert_eq!(audio.duration, 14);
            assert_eq!(audio.type_, "audio/webm");

            // picker
            let Some(MessageContent::MessagePickerContent(picker)) = &m[5].content else {
                panic!("picker content decoded as {:?}", m[5].content)
            };
            assert_eq!(picker.id, "invoice-format");
            assert_eq!(picker.required, Some(true));
            assert_eq!(picker.choices.len(), 3);
            assert_eq!(picker.choices[0].selected, Some(true));
            assert_eq!(picker.choices[0].icon.as_deref(), Some("📄"));
            let action = picker.choices[2].action.as_ref().expect("action");
            assert_eq!(action.type_.as_deref(), Some("frame"));
            assert_eq!(
                action.target.as_deref(),
                Some("https://billing.northwind.io/invoices")
            );
            assert_eq!(m[5].origin.as_deref(), Some("urn:crisp.im:bot:0"));
            assert_eq!(m[5].automated, Some(true));

            // field
            let Some(MessageContent::MessageFieldContent(field)) = &m[6].content else {
                panic!("field content decoded as {:?}", m[6].content)
            };
            assert_eq!(field.id, "purchase-order");
            assert_eq!(
                field.explain,
                "Enter the PO number printed on your order form"
            );
            assert_eq!(field.value.as_deref(), Some("PO-88412"));
            assert_eq!(field.required, Some(false));

            // carousel
            let Some(MessageContent::MessageCarouselContent(carousel)) = &m[7].content else {
                panic!("carousel content decoded as {:?}", m[7].content)
            };
            assert_eq!(
                carousel.text,
                "These plans include per-department invoicing"
            );
            assert_eq!(carousel.targets.len(), 2);
            assert_eq!(
                carousel.targets[0].image.as_deref(),
                Some("https://northwind.io/static/plans/business.png")
            );
            assert_eq!(carousel.targets[1].image, None);
            assert_eq!(
                carousel.targets[1].actions[1].url.as_deref(),
                Some("https://northwind.io/static/enterprise.pdf")
            );

            // event
            let Some(MessageContent::MessageEventContent(event)) = &m[8].content else {
                panic!("event content decoded as {:?}", m[8].content)
            };
            assert_eq!(event.namespace, "state:resolved");
            assert_eq!(
                event.text.as_deref(),
                Some("Conversation resolved by Daniel Okafor")
            );
            assert_eq!(m[8].timestamp, Some(1_732_105_944_812));
        }
    }

    fn list_messages_in_conversation_before(t: ctx) {
        t.expect(
            "list_messages_in_conversation",
            "GET",
            &format!("{}/messages", conversation_path()),
        )
        .query("timestamp_before", "1732105802230");
        t.client
            .list_messages_in_conversation()
            .website_id(WEBSITE)
            .session_id(SESSION)
            .timestamp_before(1_732_105_802_230_i64)
            .call();
        |m| {
            assert_eq!(m[0].session_id.as_deref(), Some(SESSION));
            assert_eq!(m[0].website_id.as_deref(), Some(WEBSITE));
        }
    }

    fn list_messages_in_conversation_after_and_around(t: ctx) {
        t.expect(
            "list_messages_in_conversation",
            "GET",
            &format!("{}/messages", conversation_path()),
        )
        .query("timestamp_after", "1732101220118")
        .query("timestamp_around", "1732105911077");
        t.client
            .list_messages_in_conversation()
            .website_id(WEBSITE)
            .session_id(SESSION)
            .timestamp_after(1_732_101_220_118_i64)
            .timestamp_around(1_732_105_911_077_i64)
            .call();
        |m| {
            assert_eq!(m.len(), 9);
        }
    }

    /// A content object of a shape this SDK does not know stays readable as free-form JSON.
    fn list_messages_in_conversation_keeps_unknown_content_shapes(t: ctx) {
        t.expect(
            "list_messages_in_conversation",
            "GET",
            &format!("{}/messages", conversation_path()),
        )
        .respond(ResponseTemplate::new(200).set_body_json(json!({
            "error": false,
            "reason": "resolved",
            "data": [{
                "session_id": SESSION,
                "website_id": WEBSITE,
                "type": "location",
                "from": "user",
                "origin": "chat",
                "content": {"latitude": 48.8566, "longitude": 2.3522, "label": "Paris office"},
                "fingerprint": 173210600012345_i64,
                "timestamp": 1732106000123_i64
            }]
        })));
        t.client.list_messages_in_conversation().website_id(WEBSITE).session_id(SESSION).call();
        |m| {
            let Some(MessageContent::Object(content)) = &m[0].content else {
                panic!("unknown content decoded as {:?}", m[0].content)
            };
            assert_eq!(content.get("label"), Some(&json!("Paris office")));
            assert_eq!(m[0].type_.as_deref(), Some("location"));
        }
    }

    fn get_message_in_conversation(t: ctx) {
        t.expect(
            "get_message_in_conversation",
            "GET",
            &format!("{}/message/524653764345", conversation_path()),
        );
        t.client
            .get_message_in_conversation()
            .website_id(WEBSITE)
            .session_id(SESSION)
            .fingerprint(524_653_764_345_i64)
            .call();
        |m| {
            assert_eq!(m.fingerprint, Some(524_653_764_345));
            assert_eq!(m.type_.as_deref(), Some("text"));
            assert!(
                matches!(&m.content, Some(MessageContent::String(s)) if s.starts_with("Sure, I can split"))
            );
            assert_eq!(m.delivered.as_deref(), Some("chat"));
            assert_eq!(m.edited, Some(false));
            assert_eq!(m.translated, Some(false));
            let preview = &m.preview[0];
            assert_eq!(preview.website.as_deref(), Some("help.northwind.io"));
            assert_eq!(preview.stamped, Some(true));
            assert_eq!(
                preview.preview.as_ref().and_then(|p| p.image.as_deref()),
                Some("https://help.northwind.io/static/split-invoices.png")
            );
            let user = m.user.as_ref().expect("user");
            assert_eq!(user.user_id.as_deref(), Some(OPERATOR));
            assert_eq!(
                user.avatar.as_deref(),
                Some("https://avatars.example.net/daniel-okafor.png")
            );
            assert_eq!(m.references[0].type_.as_deref(), Some("url"));
            assert_eq!(
                m.references[0].name.as_deref(),
                Some("Splitting an invoice")
            );
            assert_eq!(
                m.original.as_ref().and_then(|o| o.original_id.as_deref()),
                Some("0e7a3f5c-6a1d-4c8b-b2f9-91d3c4e5a6b7")
            );
            assert_eq!(
                m.properties.get("ticket"),
                Some(&types::DataValue::String("INV-2024-1187".into()))
            );
            assert_eq!(
                m.properties.get("priority"),
                Some(&types::DataValue::Int64(2))
            );
        }
    }
}

// ------------------------------------------------------------------ editing messages

contract! {
    fn update_message_in_conversation_text(t: ctx) {
        t.expect(
            "update_message_in_conversation",
            "PATCH",
            &format!("{}/message/524653764345", conversation_path()),
        )
        .body(json!({"content": "Sure, I can split it per department (Finance and Sales)."}));
        t.client
            .update_message_in_conversation()
            .website_id(WEBSITE)
            .session_id(SESSION)
            .fingerprint(524_653_764_345_i64)
            .body_map(|b| {
                b.content(MessageContent::String(
                    "Sure, I can split it per department (Finance and Sales).".into(),
                ))
            })
            .call();
    }

    fn update_message_in_conversation_file(t: ctx) {
        t.expect(
            "update_message_in_conversation",
            "PATCH",
            &format!("{}/message/173210589102447", conversation_path()),
        )
        .body(json!({"content": {
            "name": "invoice-2024-10-finance-v2.pdf",
            "url": "https://storage.crisp.chat/users/upload/operator/a4b2e1c9/invoice-2024-10-finance-v2_7d3e1a.pdf",
            "type": "application/pdf"
        }}));
        t.client
            .update_message_in_conversation()
            .website_id(WEBSITE)
            .session_id(SESSION)
            .fingerprint(173_210_589_102_447_i64)
            .body(types::UpdateMessageInConversationBody {
                content: types::MessageFileContent {
                    name: "invoice-2024-10-finance-v2.pdf".into(),
                    url: "https://storage.crisp.chat/users/upload/operator/a4b2e1c9/invoice-2024-10-finance-v2_7d3e1a.pdf".into(),
                    type_: "application/pdf".into(),
                }
                .into(),
            })
            .call();
    }
}
