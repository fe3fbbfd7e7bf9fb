//! Contract tests of the conversation state slice: existence, state, block and verification
//! status, participants, routing, inbox, open/unread/delivered marks, typing and relations.

use crate::support::{SESSION, WEBSITE, contract, conversation_path, ctx};
use crisp_api::types;
use serde_json::json;
use wiremock::ResponseTemplate;

const OPERATOR: &str = "a4b2e1c9-6d3f-4f7e-8c21-5b9d0e7f3a16";
const INBOX: &str = "5ad6b6e8-3f5b-4a0a-9bde-7a9a5e3f1f1c";

fn sub_path(tail: &str) -> String {
    format!("{}/{tail}", conversation_path())
}

// ------------------------------------------------------------------ existence

contract! {
    fn check_conversation_exists(t: ctx) {
        t.expect("check_conversation_exists", "HEAD", &conversation_path());
        t.client.check_conversation_exists().website_id(WEBSITE).session_id(SESSION).exists();
        |found| {
            assert!(found);
        }
    }

    /// 404 is a plain `false`; the odd session id stays inside its (percent-encoded) path segment.
    fn check_conversation_exists_not_found_with_encoded_session(t: ctx) {
        t.expect(
            "check_conversation_exists",
            "HEAD",
            &format!("/website/{WEBSITE}/conversation/session_imported%2F7%20z%3Fa=1%23x"),
        )
        .respond(ResponseTemplate::new(404));
        t.client
            .check_conversation_exists()
            .website_id(WEBSITE)
            .session_id("session_imported/7 z?a=1#x")
            .exists();
        |found| {
            assert!(!found);
        }
    }
}

// ------------------------------------------------------------------ state, block, verification

contract! {
    fn get_conversation_state(t: ctx) {
        t.expect("get_conversation_state", "GET", &sub_path("state"));
        t.client.get_conversation_state().website_id(WEBSITE).session_id(SESSION).call();
        |state| {
            assert_eq!(state.state.as_deref(), Some("unresolved"));
        }
    }

    /// A state this SDK does not know yet still decodes (response enums are open).
    fn get_conversation_state_tolerates_unknown_values(t: ctx) {
        t.expect("get_conversation_state", "GET", &sub_path("state"))
            .respond(ResponseTemplate::new(200).set_body_json(json!({
                "error": false, "reason": "resolved", "data": {"state": "snoozed"}
            })));
        t.client.get_conversation_state().website_id(WEBSITE).session_id(SESSION).call();
        |state| {
            assert_eq!(state.state.as_deref(), Some("snoozed"));
        }
    }

    fn get_block_status_for_conversation(t: ctx) {
        t.expect("get_block_status_for_conversation", "GET", &sub_path("block"));
        t.client.get_block_status_for_conversation().website_id(WEBSITE).session_id(SESSION).call();
        |block| {
            assert_eq!(block.blocked, Some(false));
        }
    }

    fn get_verify_status_for_conversation(t: ctx) {
        t.expect("get_verify_status_for_conversation", "GET", &sub_path("verify"));
        t.client.get_verify_status_for_conversation().website_id(WEBSITE).session_id(SESSION).call();
        |verify| {
            assert_eq!(verify.verified, Some(true));
            assert_eq!(verify.verifications.len(), 2);
            assert_eq!(verify.verifications[0].identity.as_deref(), Some("email"));
            assert_eq!(verify.verifications[0].method.as_deref(), Some("link"));
            assert_eq!(
                verify.verifications[0].annotation.as_deref(),
                Some("margaret.holloway@northwind.io")
            );
            assert_eq!(
                verify.verifications[1].identity.as_deref(),
                Some("urn:crisp.im:shopify:0")
            );
            assert_eq!(verify.verifications[1].annotation, None);
        }
    }

    fn update_verify_status_for_conversation(t: ctx) {
        t.expect(
            "update_verify_status_for_conversation",
            "PATCH",
            &sub_path("verify"),
        )
        .body(json!({"verified": false}));
        t.client
            .update_verify_status_for_conversation()
            .website_id(WEBSITE)
            .session_id(SESSION)
            .body_map(|b| b.verified(false))
            .call();
    }

    fn request_identity_verification_for_conversation(t: ctx) {
        t.expect(
            "request_identity_verification_for_conversation",
            "POST",
            &sub_path("verify/identity"),
        )
        .body(json!({
            "identity": "email",
            "method": "link",
            "recipient": "m.holloway@northwind.io"
        }));
        t.client
            .request_identity_verification_for_conversation()
            .website_id(WEBSITE)
            .session_id(SESSION)
            .body(types::ConversationVerifyIdentityRequest {
                identity: "email".into(),
                method: Some(types::ConversationVerifyIdentityRequestMethod::Link),
                recipient: Some("m.holloway@northwind.io".into()),
            })
            .call();
    }

    fn request_identity_verification_for_an_integration_identity(t: ctx) {
        t.expect(
            "request_identity_verification_for_conversation",
            "POST",
            &sub_path("verify/identity"),
        )
        .body(json!({"identity": "urn:crisp.im:shopify:0", "method": "link"}));
        t.client
            .request_identity_verification_for_conversation()
            .website_id(WEBSITE)
            .session_id(SESSION)
            .body_map(|b| {
                b.identity("urn:crisp.im:shopify:0")
                    .method(Some(types::ConversationVerifyIdentityRequestMethod::Link))
            })
            .call();
    }
}

#[tokio::test]
async fn redeem_identity_verification_link_for_conversation() {
    let t = ctx().await;
    let token = "f3b9c2d7e1a84c6f9b0d5e2a7c4f8b13";
    t.expect(
        "redeem_identity_verification_link_for_conversation",
        "PUT",
        &sub_path("verify/identity/link"),
    )
    .body(json!({
        "identity": "email",
        "token": token,
        "recipient": "m.holloway@northwind.io"
    }))
    .mount()
    .await;
    let redeem = types::ConversationVerifyIdentityRedeem {
        identity: "email".into(),
        token: token.into(),
        recipient: Some("m.holloway@northwind.io".into()),
    };
    let shown = format!("{redeem:?}");
    assert!(!shown.contains(token), "token leaked into Debug: {shown}");
    assert!(shown.contains("m.holloway@northwind.io"));
    t.client
        .redeem_identity_verification_link_for_conversation()
        .website_id(WEBSITE)
        .session_id(SESSION)
        .body(redeem)
        .call()
        .await
        .expect("call");
}

// ------------------------------------------------------------------ participants

contract! {
    fn get_conversation_participants(t: ctx) {
        t.expect("get_conversation_participants", "GET", &sub_path("participants"));
        t.client.get_conversation_participants().website_id(WEBSITE).session_id(SESSION).call();
        |p| {
            assert_eq!(p.participants.len(), 2);
            assert_eq!(p.participants[0].type_.as_deref(), Some("email"));
            assert_eq!(
                p.participants[0].target.as_deref(),
                Some("accounts-payable@northwind.io")
            );
            assert_eq!(
                p.participants[1].target.as_deref(),
                Some("finance-team@northwind.io")
            );
        }
    }
}

#[tokio::test]
async fn save_conversation_participants() {
    let t = ctx().await;
    t.expect(
        "save_conversation_participants",
        "PUT",
        &sub_path("participants"),
    )
    .body(json!({
        "participants": [
            {"type": "email", "target": "accounts-payable@northwind.io"},
            {"type": "email", "target": "cfo@northwind.io"}
        ],
        "user": {"type": "website", "user_id": OPERATOR, "nickname": "Daniel Okafor"},
        "origin": "chat"
    }))
    .mount()
    .await;
    let email = |target: &str| types::ConversationParticipant {
        type_: Some("email".into()),
        target: Some(target.into()),
    };
    t.client
        .save_conversation_participants()
        .website_id(WEBSITE)
        .session_id(SESSION)
        .body(types::SaveConversationParticipantsBody {
            participants: vec![
                email("accounts-payable@northwind.io"),
                email("cfo@northwind.io"),
            ],
            user: Some(types::MessageUser {
                type_: Some("website".into()),
                user_id: Some(OPERATOR.into()),
                nickname: Some("Daniel Okafor".into()),
                avatar: None,
            }),
            origin: Some("chat".into()),
        })
        .call()
        .await
        .expect("call");
}

// ------------------------------------------------------------------ routing and inbox

contract! {
    fn get_conversation_routing_assign(t: ctx) {
        t.expect("get_conversation_routing_assign", "GET", &sub_path("routing"));
        t.client.get_conversation_routing_assign().website_id(WEBSITE).session_id(SESSION).call();
        |routing| {
            assert_eq!(
                routing.assigned.and_then(|a| a.user_id).as_deref(),
                Some(OPERATOR)
            );
        }
    }

    fn assign_conversation_routing(t: ctx) {
        t.expect("assign_conversation_routing", "PATCH", &sub_path("routing"))
            .body(json!({"assigned": {"user_id": OPERATOR}, "silent": true}));
        t.client
            .assign_conversation_routing()
            .website_id(WEBSITE)
            .session_id(SESSION)
            .body(types::ConversationRoutingAssignUpdate {
                assigned: Some(types::ConversationAssigned {
                    user_id: Some(OPERATOR.into()),
                }),
                silent: Some(true),
            })
            .call();
    }

    /// Unassigning sends an explicit `"assigned": null`.
    fn unassign_conversation_routing(t: ctx) {
        t.expect("assign_conversation_routing", "PATCH", &sub_path("routing"))
            .body(json!({"assigned": null}));
        t.client
            .assign_conversation_routing()
            .website_id(WEBSITE)
            .session_id(SESSION)
            .body_map(|b| b.assigned(None::<types::ConversationAssigned>))
            .call();
    }

    fn update_conversation_inbox(t: ctx) {
        t.expect("update_conversation_inbox", "PATCH", &sub_path("inbox"))
            .body(json!({"inbox_id": INBOX}));
        t.client
            .update_conversation_inbox()
            .website_id(WEBSITE)
            .session_id(SESSION)
            .body_map(|b| b.inbox_id(Some(INBOX.to_owned())))
            .call();
    }

    /// Moving back to the default inbox sends an explicit `"inbox_id": null`.
    fn update_conversation_inbox_to_default(t: ctx) {
        t.expect("update_conversation_inbox", "PATCH", &sub_path("inbox"))
            .body(json!({"inbox_id": null}));
        t.client
            .update_conversation_inbox()
            .website_id(WEBSITE)
            .session_id(SESSION)
            .body(types::UpdateConversationInboxBody { inbox_id: None })
            .call();
    }
}

// ------------------------------------------------------------------ open, unread, delivered, compose

contract! {
    fn update_conversation_open_state(t: ctx) {
        t.expect("update_conversation_open_state", "PATCH", &sub_path("open"))
            .body(json!({"opened": true}));
        t.client
            .update_conversation_open_state()
            .website_id(WEBSITE)
            .session_id(SESSION)
            .body_map(|b| b.opened(true))
            .call();
    }

    fn mark_conversation_as_unread(t: ctx) {
        t.expect("mark_conversation_as_unread", "PATCH", &sub_path("unread"))
            .body(json!({"from": "user"}));
        t.client
            .mark_conversation_as_unread()
            .website_id(WEBSITE)
            .session_id(SESSION)
            .body_map(|b| b.from(types::MarkConversationAsUnreadBodyFrom::User))
            .call();
    }

    fn mark_messages_delivered_in_conversation(t: ctx) {
        t.expect(
            "mark_messages_delivered_in_conversation",
            "PATCH",
            &sub_path("delivered"),
        )
        .body(json!({
            "from": "operator",
            "origin": "urn:crisp.im:whatsapp:0",
            "fingerprints": [173210594481214_i64, 524653764345_i64]
        }));
        t.client
            .mark_messages_delivered_in_conversation()
            .website_id(WEBSITE)
            .session_id(SESSION)
            .body(types::ConversationMessagesDelivered {
                from: types::ConversationMessagesDeliveredFrom::Operator,
                origin: "urn:crisp.im:whatsapp:0".into(),
                fingerprints: vec![173_210_594_481_214, 524_653_764_345],
            })
            .call();
    }
}

/// A delivery receipt names its messages: `fingerprints` is required (as in Crisp's
/// reference), so a builder without them refuses the call before anything is sent (the
/// catch-all route fails the test on any request).
#[tokio::test]
async fn mark_messages_delivered_without_fingerprints_is_refused_before_sending() {
    let t = ctx().await;
    let err = t
        .client
        .mark_messages_delivered_in_conversation()
        .website_id(WEBSITE)
        .session_id(SESSION)
        .body_map(|b| b.from("operator").origin("email".to_owned()))
        .call()
        .await
        .expect_err("refused");
    assert!(
        matches!(&err, crisp_api::Error::InvalidRequest(m) if m.contains("fingerprints")),
        "{err:?}"
    );
}

contract! {
    fn compose_message_in_conversation(t: ctx) {
        t.expect(
            "compose_message_in_conversation",
            "PATCH",
            &sub_path("compose"),
        )
        .body(json!({
            "type": "start",
            "from": "operator",
            "excerpt": "Sure, I can split it into",
            "stealth": false,
            "automated": true
        }));
        t.client
            .compose_message_in_conversation()
            .website_id(WEBSITE)
            .session_id(SESSION)
            .body(types::ComposeMessageInConversationBody {
                type_: types::ComposeMessageInConversationBodyType::Start,
                from: types::ComposeMessageInConversationBodyFrom::Operator,
                excerpt: Some("Sure, I can split it into".into()),
                stealth: Some(false),
                automated: Some(true),
            })
            .call();
    }

    fn compose_message_in_conversation_stop(t: ctx) {
        t.expect(
            "compose_message_in_conversation",
            "PATCH",
            &sub_path("compose"),
        )
        .body(json!({"type": "stop", "from": "operator"}));
        t.client
            .compose_message_in_conversation()
            .website_id(WEBSITE)
            .session_id(SESSION)
            .body_map(|b| b.type_("stop").from("operator"))
            .call();
    }
}

// ------------------------------------------------------------------ relations

contract! {
    fn get_conversation_relations(t: ctx) {
        t.expect("get_conversation_relations", "GET", &sub_path("relations"));
        t.client.get_conversation_relations().website_id(WEBSITE).session_id(SESSION).call();
        |relations| {
            let conversations = relations.conversations.expect("conversations");
            assert_eq!(
                conversations.parent.as_deref(),
                Some("session_3b9c1f2e-0d4a-4e8b-9f61-2c7d8a5e4b10")
            );
            assert_eq!(
                conversations.children,
                [
                    "session_9a1d7e42-5c3b-4f86-b0e2-7d61c4a8f953",
                    "session_e4f08b6d-2a71-4c95-8d3e-1b6f9c0a7e28"
                ]
            );
        }
    }

    /// A root conversation answers `"parent": null`.
    fn get_conversation_relations_without_parent(t: ctx) {
        t.expect("get_conversation_relations", "GET", &sub_path("relations"))
            .respond(ResponseTemplate::new(200).set_body_json(json!({
                "error": false,
                "reason": "resolved",
                "data": {"conversations": {"parent": null, "children": null}}
            })));
        t.client.get_conversation_relations().website_id(WEBSITE).session_id(SESSION).call();
        |relations| {
            let conversations = relations.conversations.expect("conversations");
            assert_eq!(conversations.parent, None);
            assert!(conversations.children.is_empty());
        }
    }
}
