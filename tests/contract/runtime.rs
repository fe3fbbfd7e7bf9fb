//! The hand-written layer: error mapping, tolerant decoding, raw calls, configuration and
//! secret redaction.

use crate::support::{
    AUTHORIZATION, IDENTIFIER, KEY, SESSION, WEBSITE, conversation_path, ctx, ctx_with_tier,
};
use crisp_api::{Client, Error, Tier};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, ResponseTemplate};

async fn get_conversation(
    t: &crate::support::Ctx,
) -> Result<crisp_api::types::Conversation, Error> {
    t.client
        .get_conversation()
        .website_id(WEBSITE)
        .session_id(SESSION)
        .call()
        .await
}

#[tokio::test]
async fn api_errors_keep_status_reason_and_message() {
    for (status, reason, message) in [
        (401, "invalid_session", "the token is not valid"),
        (
            403,
            "restricted_route_tier",
            "this route is not allowed for your tier",
        ),
        (404, "not_found", "the route does not exist"),
        (429, "rate_limited", "slow down"),
        (500, "internal_error", "something broke"),
    ] {
        let t = ctx().await;
        t.expect("get_conversation", "GET", &conversation_path())
            .respond(ResponseTemplate::new(status).set_body_json(json!({
                "error": true, "reason": reason, "data": {"namespace": "response", "message": message}
            })))
            .mount()
            .await;
        let err = get_conversation(&t).await.expect_err("an error");
        assert_eq!(err.status(), Some(StatusCode::from_u16(status).unwrap()));
        assert_eq!(err.reason(), Some(reason));
        assert_eq!(err.to_string(), format!("{status} {reason}: {message}"));
        assert!(matches!(err, Error::Api { .. }));
        assert_eq!(err.is_not_found(), status == 404);
        assert_eq!(err.is_rate_limited(), status == 429);
    }
}

#[tokio::test]
async fn html_error_pages_are_decode_errors_with_status_and_snippet() {
    let t = ctx().await;
    let html = format!(
        "<html><body><h1>502 Bad Gateway</h1>{}</body></html>",
        "x".repeat(4000)
    );
    t.expect("get_conversation", "GET", &conversation_path())
        .respond(ResponseTemplate::new(502).set_body_raw(html, "text/html"))
        .mount()
        .await;
    let err = get_conversation(&t).await.expect_err("an error");
    match &err {
        Error::Decode {
            status, snippet, ..
        } => {
            assert_eq!(*status, Some(StatusCode::BAD_GATEWAY));
            let snippet = snippet.as_str();
            assert!(snippet.starts_with("<html><body><h1>502 Bad Gateway</h1>"));
            assert!(
                snippet.len() <= crisp_api::SNIPPET_LEN + 3,
                "bounded: {}",
                snippet.len()
            );
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert!(
        err.to_string()
            .starts_with("502 get_conversation (GET /website/{website_id}/conversation/{session_id}): undecodable response"),
        "{err}"
    );
}

#[tokio::test]
async fn truncated_success_bodies_are_decode_errors_with_status() {
    let t = ctx().await;
    t.expect("get_conversation", "GET", &conversation_path())
        .respond(ResponseTemplate::new(200).set_body_raw(
            r#"{"error":false,"reason":"resolved","data":{"session_id":"session_7"#,
            "application/json",
        ))
        .mount()
        .await;
    let err = get_conversation(&t).await.expect_err("an error");
    assert_eq!(err.status(), Some(StatusCode::OK));
    assert!(
        matches!(&err, Error::Decode { snippet, .. } if snippet.as_str().contains("session_7")),
        "{err:?}"
    );
}

#[tokio::test]
async fn hostile_bodies_are_errors_not_panics() {
    let nested = "[".repeat(100_000);
    for body in [
        nested.as_str(),
        "null",
        "\u{0}\u{1}binary",
        "{\"error\":false}",
        "[]",
    ] {
        let t = ctx().await;
        t.expect("get_conversation", "GET", &conversation_path())
            .respond(ResponseTemplate::new(200).set_body_raw(body.to_owned(), "application/json"))
            .mount()
            .await;
        let err = get_conversation(&t).await.expect_err("an error");
        assert!(
            matches!(
                err,
                Error::Decode {
                    status: Some(StatusCode::OK),
                    ..
                }
            ),
            "{err:?}"
        );
    }
}

#[tokio::test]
async fn empty_error_bodies_name_the_status() {
    let t = ctx().await;
    t.expect("get_conversation", "GET", &conversation_path())
        .respond(ResponseTemplate::new(401))
        .mount()
        .await;
    let err = get_conversation(&t).await.expect_err("an error");
    assert_eq!(err.to_string(), "401 unauthorized");
}

#[tokio::test]
async fn unknown_fields_and_enum_values_decode() {
    let t = ctx().await;
    let mut example = crisp_api::sandbox::example("get_conversation").expect("example");
    example["data"]["state"] = json!("snoozed");
    example["data"]["a_field_crisp_added_later"] = json!({"nested": [1, 2, 3]});
    example["brand_new_envelope_field"] = json!(true);
    t.expect("get_conversation", "GET", &conversation_path())
        .respond(ResponseTemplate::new(200).set_body_json(example))
        .mount()
        .await;
    let conversation = get_conversation(&t).await.expect("tolerant decoding");
    assert_eq!(conversation.session_id, SESSION);
    assert_eq!(conversation.state.as_deref(), Some("snoozed"));
}

#[tokio::test]
async fn responses_keep_status_headers_and_reason() {
    let t = ctx().await;
    let example = crisp_api::sandbox::example("get_conversation").expect("example");
    t.expect("get_conversation", "GET", &conversation_path())
        .respond(
            ResponseTemplate::new(200)
                .insert_header("bloom-status", "HIT")
                .set_body_json(example.clone()),
        )
        .mount()
        .await;
    let response = t
        .client
        .get_conversation()
        .website_id(WEBSITE)
        .session_id(SESSION)
        .response()
        .await
        .expect("response");
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.headers["bloom-status"], "HIT");
    assert_eq!(response.reason, example["reason"].as_str().unwrap());
    assert_eq!(response.data.session_id, SESSION);
}

#[tokio::test]
async fn missing_parameters_are_invalid_requests_not_panics() {
    let t = ctx().await;
    let err = t
        .client
        .get_conversation()
        .website_id(WEBSITE)
        .call()
        .await
        .expect_err("no session id");
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        "invalid request: `get_conversation`: the required parameter `session_id` is not set"
    );
}

#[tokio::test]
async fn transport_failures_are_transport_errors() {
    let client = Client::builder()
        .credentials(IDENTIFIER, KEY)
        .base_url(crate::support::refused_url())
        .retry(crisp_api::RetryPolicy::none())
        .build()
        .unwrap();
    let err = client
        .get_website()
        .website_id(WEBSITE)
        .call()
        .await
        .expect_err("refused");
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(!format!("{err:?}{err}").contains(KEY));
}

#[tokio::test]
async fn raw_calls_share_auth_envelope_and_encoding() {
    let t = ctx().await;
    Mock::given(method("POST"))
        .and(path(format!(
            "/v1/website/{WEBSITE}/people/profile/john@acme.com%2Fsales%3F%23/custom"
        )))
        .and(query_param("dry_run", "1"))
        .and(header("authorization", AUTHORIZATION))
        .and(header("x-crisp-tier", "plugin"))
        .and(body_json(json!({"hello": "world"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "error": false, "reason": "added", "data": {"count": 3, "extra": "ignored"}
        })))
        .expect(1)
        .mount(&t.server)
        .await;

    #[derive(serde::Deserialize)]
    struct Count {
        count: u32,
    }
    let response = t
        .client
        .raw(
            Method::POST,
            [
                "website",
                WEBSITE,
                "people",
                "profile",
                "john@acme.com/sales?#",
                "custom",
            ],
        )
        .query("dry_run", 1)
        .json(&json!({"hello": "world"}))
        .response::<Count>()
        .await
        .expect("raw call");
    assert_eq!(response.data.count, 3);
    assert_eq!(response.reason, "added");
}

#[tokio::test]
async fn raw_calls_map_errors_and_heads() {
    let t = ctx().await;
    Mock::given(method("GET"))
        .and(path("/v1/website/nope"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "error": true, "reason": "not_found", "data": {"message": "the route does not exist"}
        })))
        .mount(&t.server)
        .await;
    Mock::given(method("HEAD"))
        .and(path("/v1/website/yes"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&t.server)
        .await;
    Mock::given(method("HEAD"))
        .and(path("/v1/website/nope"))
        .respond_with(ResponseTemplate::new(404))
        .mount(&t.server)
        .await;
    let err = t
        .client
        .raw(Method::GET, ["website", "nope"])
        .call::<Value>()
        .await
        .expect_err("404");
    assert_eq!(err.to_string(), "404 not_found: the route does not exist");
    assert!(
        t.client
            .raw(Method::HEAD, ["website", "yes"])
            .exists()
            .await
            .unwrap()
    );
    assert!(
        !t.client
            .raw(Method::HEAD, ["website", "nope"])
            .exists()
            .await
            .unwrap()
    );
}

#[tokio::test]
async fn tiers_and_user_agent_suffix_are_sent() {
    let t = ctx_with_tier(Tier::Website).await;
    let example = crisp_api::sandbox::example("get_website").expect("example");
    Mock::given(method("GET"))
        .and(path(format!("/v1/website/{WEBSITE}")))
        .and(header("x-crisp-tier", "website"))
        .and(header(
            "user-agent",
            concat!(
                "crisp-api-rust/",
                env!("CARGO_PKG_VERSION"),
                " support-bot/2.1"
            ),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(example))
        .expect(1)
        .mount(&t.server)
        .await;
    let client = Client::builder()
        .credentials(IDENTIFIER, KEY)
        .tier(Tier::Website)
        .user_agent_suffix("support-bot/2.1")
        .base_url(format!("{}/v1/", t.server.uri()))
        .build()
        .unwrap();
    client
        .get_website()
        .website_id(WEBSITE)
        .call()
        .await
        .expect("website");
}

#[test]
fn configuration_errors_name_the_variable() {
    let vars = |pairs: &'static [(&'static str, &'static str)]| {
        move |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    };
    let err = Client::builder()
        .from_lookup(vars(&[("CRISP_IDENTIFIER", "id")]))
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Config {
                name: "CRISP_KEY",
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(err.to_string(), "configuration error: CRISP_KEY is not set");

    let err = Client::builder()
        .from_lookup(vars(&[("CRISP_KEY", "k")]))
        .unwrap_err();
    assert!(err.to_string().contains("CRISP_IDENTIFIER"), "{err}");

    let err = Client::builder()
        .from_lookup(vars(&[("CRISP_IDENTIFIER", "id"), ("CRISP_KEY", "  ")]))
        .unwrap_err();
    assert_eq!(err.to_string(), "configuration error: CRISP_KEY is empty");

    let err = Client::builder()
        .from_lookup(vars(&[
            ("CRISP_IDENTIFIER", "id"),
            ("CRISP_KEY", "k"),
            ("CRISP_TIER", "admin"),
        ]))
        .unwrap_err();
    assert!(
        err.to_string().contains("CRISP_TIER") && err.to_string().contains("admin"),
        "{err}"
    );

    let err = Client::builder()
        .from_lookup(vars(&[
            ("CRISP_IDENTIFIER", "id"),
            ("CRISP_KEY", "k"),
            ("CRISP_API_URL", "not a url"),
        ]))
        .unwrap_err();
    assert!(err.to_string().contains("CRISP_API_URL"), "{err}");

    let client = Client::builder()
        .from_lookup(vars(&[
            ("CRISP_IDENTIFIER", "id"),
            ("CRISP_KEY", "k"),
            ("CRISP_TIER", "Website"),
            ("CRISP_API_URL", "http://127.0.0.1:9/v1"),
        ]))
        .unwrap()
        .build()
        .unwrap();
    assert_eq!(client.tier(), Tier::Website);
    assert_eq!(client.base_url(), "http://127.0.0.1:9/v1");

    // No credentials is allowed (to log in); such a client has no identifier.
    let anonymous = Client::builder().build().unwrap();
    assert_eq!(anonymous.identifier(), None);
    let err = Client::builder()
        .credentials("a", "b")
        .base_url("ftp://x")
        .build()
        .unwrap_err();
    assert!(matches!(
        err,
        Error::Config {
            name: "base_url",
            ..
        }
    ));
}

#[test]
fn secrets_never_appear_in_debug_output() {
    let client = Client::builder()
        .credentials(IDENTIFIER, KEY)
        .build()
        .unwrap();
    let debug = format!("{client:?}");
    assert!(
        debug.contains(IDENTIFIER),
        "identifier is fine to show: {debug}"
    );
    assert!(!debug.contains(KEY), "key leaked: {debug}");
    assert!(
        !debug.contains(AUTHORIZATION.trim_start_matches("Basic ")),
        "auth leaked: {debug}"
    );
    let creds = crisp_api::Credentials::new(IDENTIFIER, KEY);
    assert!(!format!("{creds:?}").contains(KEY));
    let builder = Client::builder().credentials(IDENTIFIER, KEY);
    assert!(!format!("{builder:?}").contains(KEY));
}

#[tokio::test]
async fn the_sandbox_serves_examples_and_404s_unknown_routes() {
    let sandbox = crisp_api::sandbox::Sandbox::start().await;
    let client = sandbox.client();
    let website = client
        .get_website()
        .website_id("any-website")
        .call()
        .await
        .expect("example");
    let expected = crisp_api::sandbox::example("get_website").unwrap();
    assert_eq!(
        website.website_id.as_deref(),
        expected["data"]["website_id"].as_str()
    );
    assert!(website.website_id.is_some());
    let err = client
        .raw(Method::GET, ["no", "such", "route"])
        .call::<Value>()
        .await
        .unwrap_err();
    assert_eq!(err.to_string(), "404 not_found: the route does not exist");
    // Every operation of the spec is served.
    for op in crisp_api::operations::ALL {
        let path: Vec<String> = op
            .path
            .split('/')
            .filter(|s| !s.is_empty())
            .map(|s| {
                if s.starts_with('{') {
                    "1".to_owned()
                } else {
                    s.to_owned()
                }
            })
            .collect();
        let method = Method::from_bytes(op.method.as_bytes()).unwrap();
        if op.method == "HEAD" {
            assert!(
                client.raw(method, &path).exists().await.unwrap(),
                "{}",
                op.id
            );
        } else {
            let data: Value = client
                .raw(method, &path)
                .call()
                .await
                .unwrap_or_else(|e| panic!("{}: {e}", op.id));
            let example = crisp_api::sandbox::example(op.id).unwrap();
            assert_eq!(
                data,
                example.get("data").cloned().unwrap_or(Value::Null),
                "{}",
                op.id
            );
        }
    }
}

#[tokio::test]
async fn sandbox_lists_have_one_page_so_streams_end() {
    use futures::TryStreamExt;
    let sandbox = crisp_api::sandbox::Sandbox::start().await;
    let client = sandbox.client();
    let website = "8c842203-7ed8-4e29-a608-7cf78a7d2fcc";
    let expected = crisp_api::sandbox::example("list_conversations").unwrap()["data"]
        .as_array()
        .unwrap()
        .len();
    let all: Vec<_> = client
        .list_conversations()
        .website_id(website)
        .stream()
        .prefetch(3)
        .try_collect()
        .await
        .expect("one page, then an empty one");
    assert_eq!(all.len(), expected);
    assert!(expected > 0);
    let history: Vec<_> = client
        .list_messages_in_conversation()
        .website_id(website)
        .session_id("session_700c65e1-85e2-465a-b9ac-ecb5ec2c9881")
        .history()
        .try_collect()
        .await
        .expect("the repeated batch ends the history");
    let batch = crisp_api::sandbox::example("list_messages_in_conversation").unwrap()["data"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(history.len(), batch);
}

#[test]
fn every_operation_has_a_contract_test() {
    // Every module of this test binary, so that a new family's file counts without a list.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/contract");
    let sources: Vec<String> = std::fs::read_dir(&dir)
        .expect("tests/contract")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .map(|p| std::fs::read_to_string(p).expect("test source"))
        .collect();
    let sources = sources.concat().split_whitespace().collect::<String>();
    let missing: Vec<&str> = crisp_api::operations::ALL
        .iter()
        .map(|op| op.id)
        .filter(|id| {
            !sources.contains(&format!("expect(\"{id}\"")) || !sources.contains(&format!(".{id}()"))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "operations without a contract test: {missing:?}"
    );
}

#[test]
fn secret_fields_of_generated_types_are_redacted() {
    let keypair = crisp_api::types::UserSessionKeypair {
        identifier: "d0a8c1d6-52a5-4e1b-9b3c-2f1e0c9d8a7b".into(),
        key: "super-secret-user-key".into(),
    };
    let debug = format!("{keypair:?}");
    assert!(
        debug.contains("d0a8c1d6-52a5-4e1b-9b3c-2f1e0c9d8a7b"),
        "{debug}"
    );
    assert!(!debug.contains("super-secret-user-key"), "{debug}");
    assert!(debug.contains("<redacted>"), "{debug}");
    // Request bodies keep their builders, with secrets redacted there too.
    let builder = crisp_api::types::UserSessionLogin::builder().password("super-secret-password");
    assert!(!format!("{builder:?}").contains("super-secret-password"));
    // Serialisation is untouched: the key still travels.
    assert_eq!(
        serde_json::to_value(&keypair).unwrap()["key"],
        "super-secret-user-key"
    );
}

#[tokio::test]
async fn explicit_nulls_for_lists_and_maps_decode_as_empty() {
    let t = ctx().await;
    let mut example = crisp_api::sandbox::example("get_conversation").expect("example");
    example["data"]["mentions"] = Value::Null;
    example["data"]["participants"] = Value::Null;
    example["data"]["meta"]["segments"] = Value::Null;
    example["data"]["meta"]["data"] = Value::Null;
    t.expect("get_conversation", "GET", &conversation_path())
        .respond(ResponseTemplate::new(200).set_body_json(example))
        .mount()
        .await;
    let conversation = get_conversation(&t).await.expect("nulls are empty");
    assert!(conversation.mentions.is_empty());
    assert!(conversation.participants.is_empty());
    let meta = conversation.meta.expect("meta");
    assert!(meta.segments.is_empty() && meta.data.is_empty());
}

#[tokio::test]
async fn head_checks_fail_on_anything_but_found_or_not_found() {
    for status in [401u16, 500] {
        let t = ctx().await;
        t.expect("check_website_exists", "HEAD", "/website")
            .query("domain", "acme-robotics.com")
            .respond(ResponseTemplate::new(status))
            .mount()
            .await;
        let err = t
            .client
            .check_website_exists()
            .domain("acme-robotics.com")
            .exists()
            .await
            .expect_err("neither found nor not found");
        assert_eq!(
            err.status(),
            Some(StatusCode::from_u16(status).unwrap()),
            "{err:?}"
        );
    }
}

/// A one-shot HTTPS server on loopback with a fresh self-signed certificate for `localhost`,
/// answering every request with `body`; returns its port and the certificate (DER).
pub(crate) async fn tls_server(body: Value) -> (u16, Vec<u8>) {
    use std::sync::Arc;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let certified = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let der = certified.cert.der().to_vec();
    let key = rustls::pki_types::PrivatePkcs8KeyDer::from(certified.signing_key.serialize_der());
    // Newer rustls (0.23.48) deprecates the whole *ring* provider (no post-quantum key
    // exchange); a loopback test server does not need it.
    #[allow(deprecated)]
    let ring = rustls::crypto::ring::default_provider();
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(ring))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![der.clone().into()], key.into())
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let body = serde_json::to_vec(&body).unwrap();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let (acceptor, body) = (acceptor.clone(), body.clone());
            tokio::spawn(async move {
                // A failed handshake (an untrusting client) just ends this connection.
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let mut request = Vec::new();
                let mut buf = [0u8; 1024];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                }
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                    body.len()
                );
                let _ = tls.write_all(head.as_bytes()).await;
                let _ = tls.write_all(&body).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    (port, der)
}

#[tokio::test]
async fn tls_handshakes_with_the_default_provider_and_refuses_an_untrusted_certificate() {
    let (port, der) = tls_server(crisp_api::sandbox::example("get_website").unwrap()).await;
    let builder = || {
        Client::builder()
            .credentials(IDENTIFIER, KEY)
            .base_url(format!("https://localhost:{port}/v1"))
            .retry(crisp_api::RetryPolicy::none())
    };
    let trusting = builder().add_root_certificate(der).build().unwrap();
    let website = trusting
        .get_website()
        .website_id(WEBSITE)
        .call()
        .await
        .expect("a TLS call to a trusted loopback server");
    assert!(website.website_id.is_some());

    let untrusting = builder().build().unwrap();
    let err = untrusting
        .get_website()
        .website_id(WEBSITE)
        .call()
        .await
        .expect_err("a self-signed certificate is not trusted");
    assert!(
        matches!(
            err,
            Error::Transport {
                kind: crisp_api::TransportKind::Tls,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.is_connect());
    assert!(err.to_string().contains("TLS handshake failed"), "{err}");
}
