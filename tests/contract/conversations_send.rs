//! Contract tests of sending messages into a conversation, one per content kind.

use crate::support::{SESSION, WEBSITE, contract, conversation_path, ctx};
use crisp_api::message::{Content, NewMessage, Sender};
use crisp_api::types::{self};
use serde_json::json;

// ------------------------------------------------------------------ sending messages

fn send_path() -> String {
    format!("{}/message", conversation_path())
}

#[tokio::test]
async fn send_text_message() {
    let t = ctx().await;
    t.expect("send_message_in_conversation", "POST", &send_path())
        .body(json!({
            "type": "text",
            "from": "operator",
            "origin": "chat",
            "content": "Hello Margaret, the split invoices are on their way.",
            "fingerprint": 173210594481214_i64,
            "user": {
                "type": "website",
                "nickname": "Northwind Billing",
                "avatar": "https://avatars.example.net/northwind.png"
            },
            "references": [{
                "type": "url",
                "name": "Billing portal",
                "target": "https://billing.northwind.io/invoices"
            }],
            "stealth": true,
            "translated": false,
            "automated": false
        }))
        .mount()
        .await;
    let message = NewMessage::text(
        Sender::Operator,
        "Hello Margaret, the split invoices are on their way.",
    )
    .origin("chat")
    .fingerprint(173_210_594_481_214)
    .user(types::MessageUser {
        type_: Some("website".into()),
        nickname: Some("Northwind Billing".into()),
        avatar: Some("https://avatars.example.net/northwind.png".into()),
        ..Default::default()
    })
    .references(vec![types::MessageReference {
        type_: Some("url".into()),
        name: Some("Billing portal".into()),
        target: Some("https://billing.northwind.io/invoices".into()),
    }])
    .stealth(true)
    .translated(false)
    .automated(false);
    let sent = t
        .client
        .send_message_in_conversation()
        .website_id(WEBSITE)
        .session_id(SESSION)
        .body(message)
        .call()
        .await
        .expect("call");
    assert_eq!(sent.fingerprint, 173_210_594_481_214);
}

contract! {
    fn send_note_with_mentions(t: ctx) {
        t.expect("send_message_in_conversation", "POST", &send_path())
            .body(json!({
                "type": "note",
                "from": "operator",
                "origin": "chat",
                "content": "@Priya please double-check the VAT lines before sending.",
                "mentions": ["e9c1d6a2-47b3-4f0e-a8d5-1c2b3a4f5e60"]
            }));
        t.client
            .send_message_in_conversation()
            .website_id(WEBSITE)
            .session_id(SESSION)
            .body(
                NewMessage::note(
                    Sender::Operator,
                    "@Priya please double-check the VAT lines before sending.",
                )
                .origin("chat")
                .mentions(vec!["e9c1d6a2-47b3-4f0e-a8d5-1c2b3a4f5e60".to_owned()]),
            )
            .call();
        |sent| {
            assert_eq!(sent.fingerprint, 173_210_594_481_214);
        }
    }
}

#[tokio::test]
async fn send_file_message() {
    let t = ctx().await;
    t.expect("send_message_in_conversation", "POST", &send_path())
        .body(json!({
            "type": "file",
            "from": "user",
            "origin": "email",
            "content": {
                "name": "purchase-order-88412.pdf",
                "url": "https://files.northwind.io/po/purchase-order-88412.pdf",
                "type": "application/pdf"
            },
            "original": {
                "type": "text/plain",
                "content": "Hello, please find our purchase order attached.\n\nMargaret"
            }
        }))
        .mount()
        .await;
    let file = types::MessageFileContent {
        name: "purchase-order-88412.pdf".into(),
        url: "https://files.northwind.io/po/purchase-order-88412.pdf".into(),
        type_: "application/pdf".into(),
    };
    let sent = t
        .client
        .send_message_in_conversation()
        .website_id(WEBSITE)
        .session_id(SESSION)
        .body(
            NewMessage::new(Sender::User, Content::File(file))
                .origin("email")
                .original(types::MessageOriginal {
                    type_: Some("text/plain".into()),
                    content: Some(
                        "Hello, please find our purchase order attached.\n\nMargaret".into(),
                    ),
                    ..Default::default()
                }),
        )
        .call()
        .await
        .expect("call");
    assert_eq!(sent.fingerprint, 173_210_594_481_214);
}

#[tokio::test]
async fn send_picker_message() {
    let t = ctx().await;
    t.expect("send_message_in_conversation", "POST", &send_path())
        .body(json!({
            "type": "picker",
            "from": "operator",
            "origin": "urn:crisp.im:bot:0",
            "content": {
                "id": "invoice-format",
                "text": "Which format do you want the split invoices in?",
                "choices": [
                    {"value": "pdf", "label": "PDF", "selected": false, "icon": "📄"},
                    {"value": "csv", "label": "CSV spreadsheet", "selected": false},
                    {
                        "value": "portal",
                        "label": "Open the billing portal",
                        "selected": false,
                        "action": {"type": "frame", "target": "https://billing.northwind.io/invoices"}
                    }
                ],
                "required": true
            },
            "automated": true
        }))
        .mount()
        .await;
    let choice = |value: &str, label: &str| types::MessagePickerChoice {
        value: Some(value.into()),
        label: Some(label.into()),
        selected: Some(false),
        ..Default::default()
    };
    let picker = types::MessagePickerContent {
        id: "invoice-format".into(),
        text: "Which format do you want the split invoices in?".into(),
        choices: vec![
            types::MessagePickerChoice {
                icon: Some("📄".into()),
                ..choice("pdf", "PDF")
            },
            choice("csv", "CSV spreadsheet"),
            types::MessagePickerChoice {
                action: Some(types::MessagePickerChoiceAction {
                    type_: Some("frame".into()),
                    target: Some("https://billing.northwind.io/invoices".into()),
                }),
                ..choice("portal", "Open the billing portal")
            },
        ],
        required: Some(true),
    };
    t.client
        .send_message_in_conversation()
        .website_id(WEBSITE)
        .session_id(SESSION)
        .body(
            NewMessage::new(Sender::Operator, Content::Picker(picker))
                .origin("urn:crisp.im:bot:0")
                .automated(true),
        )
        .call()
        .await
        .expect("call");
}

#[tokio::test]
async fn send_carousel_message() {
    let t = ctx().await;
    t.expect("send_message_in_conversation", "POST", &send_path())
        .body(json!({
            "type": "carousel",
            "from": "operator",
            "origin": "chat",
            "content": {
                "text": "These plans include per-department invoicing",
                "targets": [
                    {
                        "title": "Business",
                        "description": "Up to 50 seats, split invoices, priority support",
                        "image": "https://northwind.io/static/plans/business.png",
                        "actions": [{"label": "Compare plans", "url": "https://northwind.io/pricing#business"}]
                    },
                    {
                        "title": "Enterprise",
                        "description": "Unlimited seats, cost centres, dedicated manager",
                        "actions": [
                            {"label": "Talk to sales", "url": "https://northwind.io/contact-sales"},
                            {"label": "Read the brochure", "url": "https://northwind.io/static/enterprise.pdf"}
                        ]
                    }
                ]
            }
        }))
        .mount()
        .await;
    let action = |label: &str, url: &str| types::MessageCarouselAction {
        label: Some(label.into()),
        url: Some(url.into()),
    };
    let carousel = types::MessageCarouselContent {
        text: "These plans include per-department invoicing".into(),
        targets: vec![
            types::MessageCarouselTarget {
                title: Some("Business".into()),
                description: Some("Up to 50 seats, split invoices, priority support".into()),
                image: Some("https://northwind.io/static/plans/business.png".into()),
                actions: vec![action(
                    "Compare plans",
                    "https://northwind.io/pricing#business",
                )],
            },
            types::MessageCarouselTarget {
                title: Some("Enterprise".into()),
                description: Some("Unlimited seats, cost centres, dedicated manager".into()),
                image: None,
                actions: vec![
                    action("Talk to sales", "https://northwind.io/contact-sales"),
                    action(
                        "Read the brochure",
                        "https://northwind.io/static/enterprise.pdf",
                    ),
                ],
            },
        ],
    };
    t.client
        .send_message_in_conversation()
        .website_id(WEBSITE)
        .session_id(SESSION)
        .body(NewMessage::new(Sender::Operator, Content::Carousel(carousel)).origin("chat"))
        .call()
        .await
        .expect("call");
}

#[tokio::test]
async fn send_event_message() {
    let t = ctx().await;
    t.expect("send_message_in_conversation", "POST", &send_path())
        .body(json!({
            "type": "event",
            "from": "operator",
            "origin": "urn:crisp.im:zapier:0",
            "content": {"namespace": "order:shipped", "text": "Order #88412 has shipped"}
        }))
        .mount()
        .await;
    let event = types::MessageEventContent {
        namespace: "order:shipped".into(),
        text: Some("Order #88412 has shipped".into()),
    };
    let sent = t
        .client
        .send_message_in_conversation()
        .website_id(WEBSITE)
        .session_id(SESSION)
        .body(
            NewMessage::new(Sender::Operator, Content::Event(event))
                .origin("urn:crisp.im:zapier:0"),
        )
        .call()
        .await
        .expect("call");
    assert_eq!(sent.fingerprint, 173_210_594_481_214);
}

contract! {
    /// Path segments are percent-encoded, so an odd identifier can never escape its segment.
    fn path_segments_are_percent_encoded(t: ctx) {
        t.expect(
            "get_message_in_conversation",
            "GET",
            &format!(
                "/website/{WEBSITE}/conversation/session_imported%2F42%20b%3Fx/message/524653764345"
            ),
        );
        t.client
            .get_message_in_conversation()
            .website_id(WEBSITE)
            .session_id("session_imported/42 b?x")
            .fingerprint(524_653_764_345_i64)
            .call();
        |m| {
            assert_eq!(m.fingerprint, Some(524_653_764_345));
        }
    }
}
