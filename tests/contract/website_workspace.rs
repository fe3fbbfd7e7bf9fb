//! Contract tests of the website workspace (teams, availability, real-time endpoints, operator
//! activity and e-mail, identity verification, blocked visitors, the visitors map, visitor
//! tokens, cancelling a deletion); its inboxes are in `website_inboxes`.

use crate::support::{WEBSITE, contract, ctx};
use crisp_api::types;
use futures::TryStreamExt;
use serde_json::json;
use wiremock::ResponseTemplate;

pub(crate) const TEAM: &str = "d09fbd42-e517-45a4-9776-ba8226e00ba8";
pub(crate) const OPERATOR: &str = "a4c32c68-be91-4e29-8a05-976e93abbe3f";

/// An empty list page, the end of a stream.
pub(crate) fn empty_page() -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_json(json!({"error": false, "reason": "listed", "data": []}))
}

// ---------------------------------------------------------------- teams

contract! {
    fn list_website_teams(t: ctx) {
        t.expect("list_website_teams", "GET", &format!("/website/{WEBSITE}/teams/list/1"));
        t.client.list_website_teams().website_id(WEBSITE).page_number(1u32).call();
        |teams| {
            assert_eq!(teams.len(), 2);
            assert_eq!(teams[0].team_id.as_deref(), Some(TEAM));
            assert_eq!(teams[0].name.as_deref(), Some("Sales"));
            assert_eq!(teams[0].emoji.as_deref(), Some("💰"));
            assert_eq!(teams[0].operators.len(), 2);
            assert_eq!(teams[0].created_at, Some(1709135782000));
            assert_eq!(teams[1].name.as_deref(), Some("Support L2"));
        }
    }
}

#[tokio::test]
async fn list_website_teams_stream_reads_until_an_empty_page() {
    let t = ctx().await;
    t.expect(
        "list_website_teams",
        "GET",
        &format!("/website/{WEBSITE}/teams/list/1"),
    )
    .mount()
    .await;
    t.expect(
        "list_website_teams",
        "GET",
        &format!("/website/{WEBSITE}/teams/list/2"),
    )
    .respond(empty_page())
    .mount()
    .await;
    let names: Vec<String> = t
        .client
        .list_website_teams()
        .website_id(WEBSITE)
        .stream()
        .map_ok(|team| team.name.unwrap_or_default())
        .try_collect()
        .await
        .expect("stream");
    assert_eq!(names, vec!["Sales", "Support L2"]);
}

contract! {
    fn create_website_team(t: ctx) {
        t.expect(
            "create_website_team",
            "POST",
            &format!("/website/{WEBSITE}/team"),
        )
        .body(json!({"name": "Sales", "emoji": "💰", "operators": [OPERATOR]}));
        t.client
            .create_website_team()
            .website_id(WEBSITE)
            .body(types::WebsiteTeamItem {
                name: "Sales".into(),
                emoji: Some("💰".into()),
                operators: vec![OPERATOR.into()],
            })
            .call();
        |created| {
            assert_eq!(created.team_id.as_deref(), Some(TEAM));
        }
    }
}

#[tokio::test]
async fn check_website_team_exists() {
    let t = ctx().await;
    t.expect(
        "check_website_team_exists",
        "HEAD",
        &format!("/website/{WEBSITE}/team/{TEAM}"),
    )
    .mount()
    .await;
    t.expect(
        "check_website_team_exists",
        "HEAD",
        &format!("/website/{WEBSITE}/team/no%20such%2Fteam"),
    )
    .respond(ResponseTemplate::new(404))
    .mount()
    .await;
    let found = t
        .client
        .check_website_team_exists()
        .website_id(WEBSITE)
        .team_id(TEAM)
        .exists()
        .await
        .expect("exists");
    assert!(found);
    let missing = t
        .client
        .check_website_team_exists()
        .website_id(WEBSITE)
        .team_id("no such/team")
        .exists()
        .await
        .expect("exists");
    assert!(!missing);
}

contract! {
    fn get_website_team(t: ctx) {
        t.expect("get_website_team", "GET", &format!("/website/{WEBSITE}/team/{TEAM}"));
        t.client.get_website_team().website_id(WEBSITE).team_id(TEAM).call();
        |team| {
            assert_eq!(team.name.as_deref(), Some("Sales"));
            assert_eq!(team.operators[0], OPERATOR);
            assert_eq!(team.updated_at, Some(1718620456789));
        }
    }

    fn save_website_team(t: ctx) {
        t.expect(
            "save_website_team",
            "PUT",
            &format!("/website/{WEBSITE}/team/{TEAM}"),
        )
        .body(json!({"name": "Sales EMEA", "operators": [OPERATOR]}));
        t.client
            .save_website_team()
            .website_id(WEBSITE)
            .team_id(TEAM)
            .body(types::WebsiteTeamItem {
                name: "Sales EMEA".into(),
                emoji: None,
                operators: vec![OPERATOR.into()],
            })
            .call();
        |()| {}
    }

    fn delete_website_team(t: ctx) {
        t.expect("delete_website_team", "DELETE", &format!("/website/{WEBSITE}/team/{TEAM}"));
        t.client.delete_website_team().website_id(WEBSITE).team_id(TEAM).call();
        |()| {}
    }
}

// ---------------------------------------------------------------- availability, connect

contract! {
    fn get_website_availability_status(t: ctx) {
        t.expect(
            "get_website_availability_status",
            "GET",
            &format!("/website/{WEBSITE}/availability/status"),
        );
        t.client.get_website_availability_status().website_id(WEBSITE).call();
        |status| {
            assert_eq!(status.status.as_deref(), Some("online"));
            assert_eq!(status.since, Some(1718619841232));
        }
    }

    fn list_website_operator_availabilities(t: ctx) {
        t.expect(
            "list_website_operator_availabilities",
            "GET",
            &format!("/website/{WEBSITE}/availability/operators"),
        );
        t.client.list_website_operator_availabilities().website_id(WEBSITE).call();
        |operators| {
            assert_eq!(operators.len(), 2);
            assert_eq!(operators[0].type_.as_deref(), Some("online"));
            let time = operators[0].time.as_ref().expect("time");
            assert_eq!(time.for_, Some(3600));
            assert_eq!(time.since, Some(1718619841232));
            assert_eq!(operators[1].type_.as_deref(), Some("away"));
            assert_eq!(operators[1].time.as_ref().and_then(|t| t.for_), None);
        }
    }

    fn get_website_connect_endpoints(t: ctx) {
        t.expect(
            "get_website_connect_endpoints",
            "GET",
            &format!("/website/{WEBSITE}/connect/endpoints"),
        );
        t.client.get_website_connect_endpoints().website_id(WEBSITE).call();
        |endpoints| {
            let socket = endpoints.socket.as_ref().expect("socket");
            assert_eq!(
                socket.app.as_deref(),
                Some("wss://app.relay.crisp.chat/w/p/")
            );
            let rescue = endpoints
                .rescue
                .as_ref()
                .and_then(|r| r.socket.as_ref())
                .expect("rescue socket");
            assert_eq!(
                rescue.stream.as_deref(),
                Some("wss://stream.relay.rescue.crisp.chat/w/p/")
            );
        }
    }
}

// ---------------------------------------------------------------- operators

contract! {
    fn list_last_active_website_operators(t: ctx) {
        t.expect(
            "list_last_active_website_operators",
            "GET",
            &format!("/website/{WEBSITE}/operators/active"),
        );
        t.client.list_last_active_website_operators().website_id(WEBSITE).call();
        |active| {
            assert_eq!(active.len(), 2);
            assert_eq!(active[0].nickname.as_deref(), Some("Marie Durand"));
            assert_eq!(active[0].timestamp, Some(1718623405117));
            assert!(active[1].avatar.is_none());
        }
    }

    fn flush_last_active_website_operators(t: ctx) {
        t.expect(
            "flush_last_active_website_operators",
            "DELETE",
            &format!("/website/{WEBSITE}/operators/active"),
        );
        t.client.flush_last_active_website_operators().website_id(WEBSITE).call();
        |()| {}
    }

    fn send_email_to_website_operators(t: ctx) {
        t.expect(
            "send_email_to_website_operators",
            "POST",
            &format!("/website/{WEBSITE}/operators/email"),
        )
        .body(json!({
            "recipient": "owners",
            "subject": "Plugin quota reached",
            "message": "Your workspace used all the translations included this month.",
            "target": {"label": "Upgrade", "url": "https://plugins.example.com/upgrade?w=8c84"}
        }));
        t.client
            .send_email_to_website_operators()
            .website_id(WEBSITE)
            .body(types::WebsiteOperatorEmail {
                recipient: "owners".into(),
                user_id: None,
                subject: "Plugin quota reached".into(),
                message: "Your workspace used all the translations included this month.".into(),
                target: Some(types::WebsiteOperatorEmailTarget {
                    label: Some("Upgrade".into()),
                    url: Some("https://plugins.example.com/upgrade?w=8c84".into()),
                }),
            })
            .call();
        |()| {}
    }
}

// ---------------------------------------------------------------- identity verification

contract! {
    fn get_verify_settings(t: ctx) {
        t.expect("get_verify_settings", "GET", &format!("/website/{WEBSITE}/verify/settings"));
        t.client.get_verify_settings().website_id(WEBSITE).call();
        |settings| {
            assert_eq!(settings.enabled, Some(true));
        }
    }

    /// `false` is sent, not skipped: turning verification off must work.
    fn update_verify_settings_sends_false(t: ctx) {
        t.expect(
            "update_verify_settings",
            "PATCH",
            &format!("/website/{WEBSITE}/verify/settings"),
        )
        .body(json!({"enabled": false}));
        t.client
            .update_verify_settings()
            .website_id(WEBSITE)
            .body(types::WebsiteVerifySettingsUpdate { enabled: false })
            .call();
        |()| {}
    }

    fn get_verify_key_is_redacted_from_debug(t: ctx) {
        t.expect("get_verify_key", "GET", &format!("/website/{WEBSITE}/verify/key"));
        t.client.get_verify_key().website_id(WEBSITE).call();
        |key| {
            assert_eq!(
                key.secret.as_deref(),
                Some("0b1c7d92e44f6a3d85e2f01c9ab37d64")
            );
            let shown = format!("{key:?}");
            assert!(!shown.contains("0b1c7d92"), "{shown}");
            assert!(shown.contains("redacted"), "{shown}");
        }
    }

    fn roll_verify_key(t: ctx) {
        t.expect("roll_verify_key", "POST", &format!("/website/{WEBSITE}/verify/key"));
        t.client.roll_verify_key().website_id(WEBSITE).call();
        |()| {}
    }
}

// ---------------------------------------------------------------- visitors

contract! {
    fn count_blocked_visitors(t: ctx) {
        t.expect("count_blocked_visitors", "GET", &format!("/website/{WEBSITE}/visitors/blocked"));
        t.client.count_blocked_visitors().website_id(WEBSITE).call();
        |rules| {
            assert_eq!(rules.len(), 2);
            assert_eq!(rules[0].rule, vec!["ip_domain"]);
            assert_eq!(rules[0].blocked, Some(14));
            assert_eq!(rules[1].blocked, Some(3));
        }
    }

    fn count_blocked_visitors_in_rule(t: ctx) {
        t.expect(
            "count_blocked_visitors_in_rule",
            "GET",
            &format!("/website/{WEBSITE}/visitors/blocked/ip_domain"),
        );
        t.client.count_blocked_visitors_in_rule().website_id(WEBSITE).block_rule("ip_domain").call();
        |counter| {
            assert_eq!(counter.blocked, Some(14));
        }
    }

    fn clear_blocked_visitors_in_rule(t: ctx) {
        t.expect(
            "clear_blocked_visitors_in_rule",
            "DELETE",
            &format!("/website/{WEBSITE}/visitors/blocked/email%2Fdomain%20rule"),
        );
        t.client
            .clear_blocked_visitors_in_rule()
            .website_id(WEBSITE)
            .block_rule("email/domain rule")
            .call();
        |()| {}
    }

    fn pinpoint_visitors_on_map(t: ctx) {
        t.expect(
            "pinpoint_visitors_on_map",
            "GET",
            &format!("/website/{WEBSITE}/visitors/map"),
        )
        .query("center_longitude", "13.405")
        .query("center_latitude", "52.52")
        .query("center_radius", "50");
        t.client
            .pinpoint_visitors_on_map()
            .website_id(WEBSITE)
            .center_longitude(13.405)
            .center_latitude(52.52)
            .center_radius(50u32)
            .call();
        |points| {
            assert_eq!(points.len(), 1);
            let visitors = points[0].visitors.as_ref().expect("visitors");
            assert_eq!(visitors.count, Some(2));
            assert_eq!(visitors.threshold, Some(10));
            assert_eq!(visitors.sessions.len(), 2);
            let lena = &visitors.sessions[0];
            assert_eq!(lena.nickname.as_deref(), Some("Lena Hoffmann"));
            assert_eq!(lena.timezone, Some(-120));
            assert_eq!(
                lena.last_page.as_ref().and_then(|p| p.page_url.as_deref()),
                Some("https://acme-robotics.com/pricing")
            );
            assert_eq!(lena.capabilities, vec!["browsing", "call"]);
            let geo = points[0].geolocation.as_ref().expect("geolocation");
            assert_eq!(geo.city.as_deref(), Some("Berlin"));
            assert_eq!(
                geo.coordinates.as_ref().and_then(|c| c.latitude),
                Some(52.52)
            );
        }
    }

    fn pinpoint_visitors_on_map_whole_world(t: ctx) {
        t.expect("pinpoint_visitors_on_map", "GET", &format!("/website/{WEBSITE}/visitors/map"));
        t.client.pinpoint_visitors_on_map().website_id(WEBSITE).call();
        |points| {
            assert_eq!(points.len(), 1);
        }
    }

    fn get_session_identifier_from_token(t: ctx) {
        t.expect(
            "get_session_identifier_from_token",
            "GET",
            &format!("/website/{WEBSITE}/visitors/token/d3c17241-1327-47d7%2F9d8e%3Fb89f"),
        );
        t.client
            .get_session_identifier_from_token()
            .website_id(WEBSITE)
            .token_id("d3c17241-1327-47d7/9d8e?b89f")
            .call();
        |token| {
            assert_eq!(
                token.session_id.as_deref(),
                Some("session_700c65e1-85e2-465a-b9ac-ecb5ec2c9881")
            );
        }
    }
}

// ---------------------------------------------------------------- website deletion

contract! {
    fn abort_website_deletion(t: user_ctx) {
        t.expect("abort_website_deletion", "DELETE", &format!("/website/{WEBSITE}/expunge"));
        t.client.abort_website_deletion().website_id(WEBSITE).call();
        |()| {}
    }
}
