//! Web hooks: signature verification on raw bytes (known-answer vectors computed outside this
//! crate), headers, freshness, URL secrets and the axum extractor (the events they carry in
//! `events`).

use crisp_api::webhook::{
    Error, SIGNATURE_HEADER, TIMESTAMP_HEADER, Verifier, check_url_secret, sign, timestamp_ms,
};
use serde_json::Value;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

// Known answers, computed independently of this crate with:
//
// python3 -c 'import hmac,hashlib; print(hmac.new(SECRET.encode(), ("[" + TS + ";" + BODY + "]").encode(), hashlib.sha256).hexdigest())'
//
// with SECRET, TS and BODY as below.
const SECRET: &str = "whsec_crisp_test_secret";
const TS_SECONDS: &str = "1716300120";
const BODY: &str = r#"{"website_id":"8c842203-7ed8-4e29-a608-7cf78a7d2fcc","event":"message:send","data":{"type":"text","content":"Hi"},"timestamp":1716300120000}"#;
const SIGNATURE: &str = "023713b3415fc8276ca158aa0af449c400da48d937919a2e7971c111aae65337";
// Same secret, TS = "1716300120000" (milliseconds), BODY = {"event":"session:removed"}.
const TS_MILLIS: &str = "1716300120000";
const BODY_2: &str = r#"{"event":"session:removed"}"#;
const SIGNATURE_2: &str = "89ec2f2d86e112bf4088299d63aa406e33dcace0d3c6ea061aec8af440491515";
// SECRET = "key", TS = "0", BODY = "".
const SIGNATURE_3: &str = "8fae2a380d87f6690ee2cbc72b82ab23be75d9aa186c6dbf1c4b350a8b8e204e";

/// 2024-05-21T14:02:00Z, the moment of the vectors.
fn at(offset_secs: i64) -> SystemTime {
    let base = UNIX_EPOCH + Duration::from_secs(1_716_300_120);
    if offset_secs >= 0 {
        base + Duration::from_secs(offset_secs.unsigned_abs())
    } else {
        base - Duration::from_secs(offset_secs.unsigned_abs())
    }
}

fn headers(timestamp: &str, signature: &str) -> http::HeaderMap {
    let mut h = http::HeaderMap::new();
    // Names as Crisp spells them; HeaderMap lookups are case-insensitive.
    let name = |n: &str| http::HeaderName::from_bytes(n.as_bytes()).unwrap();
    h.insert(
        name("X-Crisp-Request-Timestamp"),
        timestamp.parse().unwrap(),
    );
    h.insert(name("X-Crisp-Signature"), signature.parse().unwrap());
    h
}

#[test]
fn known_answer_vectors() {
    assert_eq!(sign(SECRET, TS_SECONDS, BODY.as_bytes()), SIGNATURE);
    assert_eq!(sign(SECRET, TS_MILLIS, BODY_2.as_bytes()), SIGNATURE_2);
    assert_eq!(sign("key", "0", b""), SIGNATURE_3);
    let v = Verifier::new(SECRET);
    v.verify_parts(TS_SECONDS, SIGNATURE, BODY.as_bytes(), at(0))
        .expect("vector 1");
    v.verify_parts(TS_MILLIS, SIGNATURE_2, BODY_2.as_bytes(), at(0))
        .expect("vector 2");
    Verifier::new("key")
        .verify_parts("0", SIGNATURE_3, b"", at(0))
        .expect("vector 3");
    v.verify_at(&headers(TS_SECONDS, SIGNATURE), BODY.as_bytes(), at(0))
        .expect("through headers");
}

#[cfg(feature = "conversations")]
#[test]
fn a_verified_delivery_parses_into_its_event() {
    use crate::support::WEBSITE;
    use crisp_api::Event;
    let delivery = Verifier::new(SECRET)
        .receive(&headers(TS_SECONDS, SIGNATURE), BODY.as_bytes())
        .expect("receive");
    assert_eq!(delivery.website_id.as_deref(), Some(WEBSITE));
    assert_eq!(delivery.timestamp, Some(1_716_300_120_000));
    assert_eq!(delivery.event.name(), "message:send");
    let Event::MessageSend(message) = &delivery.event else {
        panic!("not a message:send: {:?}", delivery.event)
    };
    assert_eq!(message.type_.as_deref(), Some("text"));
    assert_eq!(
        message.content,
        Some(crisp_api::types::MessageContent::String("Hi".into()))
    );
}

#[test]
fn one_byte_changes_fail() {
    let v = Verifier::new(SECRET);
    let mismatch = |ts: &str, sig: &str, body: &[u8]| {
        let err = v.verify_parts(ts, sig, body, at(0)).unwrap_err();
        assert!(matches!(err, Error::SignatureMismatch), "{err:?}");
        assert_eq!(err.status(), 403);
    };
    // Body: one byte changed, one added, one removed.
    let mut body = BODY.as_bytes().to_vec();
    let i = BODY.find("Hi").unwrap() + 1;
    body[i] = b'o';
    mismatch(TS_SECONDS, SIGNATURE, &body);
    mismatch(TS_SECONDS, SIGNATURE, format!("{BODY} ").as_bytes());
    mismatch(TS_SECONDS, SIGNATURE, &BODY.as_bytes()[..BODY.len() - 1]);
    // Timestamp: one digit changed; the same instant written in milliseconds.
    mismatch("1716300121", SIGNATURE, BODY.as_bytes());
    mismatch(TS_MILLIS, SIGNATURE, BODY.as_bytes());
    // Signature: last hex digit changed.
    let mut sig = SIGNATURE.to_owned();
    sig.replace_range(63.., "6");
    mismatch(TS_SECONDS, &sig, BODY.as_bytes());
    // Another secret.
    let err = Verifier::new("whsec_crisp_test_secreT")
        .verify_parts(TS_SECONDS, SIGNATURE, BODY.as_bytes(), at(0))
        .unwrap_err();
    assert!(matches!(err, Error::SignatureMismatch));
}

#[test]
fn malformed_signatures_are_bad_encoding() {
    let v = Verifier::new(SECRET);
    for sig in [
        &SIGNATURE[..62],                 // too short
        &format!("{SIGNATURE}00")[..],    // too long
        &SIGNATURE.replace('0', "g")[..], // not hex
        "",
        &format!("sha256={SIGNATURE}")[..],
    ] {
        let err = v
            .verify_parts(TS_SECONDS, sig, BODY.as_bytes(), at(0))
            .unwrap_err();
        assert!(matches!(err, Error::BadSignatureEncoding), "{sig}: {err:?}");
        assert_eq!(err.status(), 403);
    }
}

#[test]
fn whitespace_different_but_equal_json_fails() {
    let spaced = r#"{"website_id": "8c842203-7ed8-4e29-a608-7cf78a7d2fcc", "event": "message:send", "data": {"type": "text", "content": "Hi"}, "timestamp": 1716300120000}"#;
    let a: Value = serde_json::from_str(BODY).unwrap();
    let b: Value = serde_json::from_str(spaced).unwrap();
    assert_eq!(a, b, "the two bodies are the same JSON");
    let err = Verifier::new(SECRET)
        .verify_parts(TS_SECONDS, SIGNATURE, spaced.as_bytes(), at(0))
        .unwrap_err();
    assert!(matches!(err, Error::SignatureMismatch));
    // Re-serialising the parsed body (as the Node client does) changes the key order too.
    let reserialised = serde_json::to_vec(&a).unwrap();
    assert_ne!(reserialised, BODY.as_bytes());
}

#[test]
fn upper_case_hex_is_accepted_as_documented() {
    let v = Verifier::new(SECRET);
    v.verify_parts(
        TS_SECONDS,
        &SIGNATURE.to_uppercase(),
        BODY.as_bytes(),
        at(0),
    )
    .expect("upper-case hex of the right MAC");
    let mixed: String = SIGNATURE
        .chars()
        .enumerate()
        .map(|(i, c)| {
            if i % 2 == 0 {
                c.to_ascii_uppercase()
            } else {
                c
            }
        })
        .collect();
    v.verify_parts(TS_SECONDS, &mixed, BODY.as_bytes(), at(0))
        .expect("mixed-case hex");
}

#[test]
fn missing_or_invalid_headers() {
    let v = Verifier::new(SECRET);
    let mut h = headers(TS_SECONDS, SIGNATURE);
    h.remove(SIGNATURE_HEADER);
    let err = v.verify_at(&h, BODY.as_bytes(), at(0)).unwrap_err();
    assert!(
        matches!(err, Error::MissingHeader(SIGNATURE_HEADER)),
        "{err:?}"
    );
    assert_eq!(err.to_string(), "missing header `x-crisp-signature`");
    assert_eq!(err.status(), 403);
    let mut h = headers(TS_SECONDS, SIGNATURE);
    h.remove(TIMESTAMP_HEADER);
    let err = v.verify_at(&h, BODY.as_bytes(), at(0)).unwrap_err();
    assert!(
        matches!(err, Error::MissingHeader(TIMESTAMP_HEADER)),
        "{err:?}"
    );
    let mut h = headers(TS_SECONDS, SIGNATURE);
    h.insert(
        SIGNATURE_HEADER,
        http::HeaderValue::from_bytes(b"\xff\xfe").unwrap(),
    );
    let err = v.verify_at(&h, BODY.as_bytes(), at(0)).unwrap_err();
    assert!(
        matches!(err, Error::InvalidHeader(SIGNATURE_HEADER)),
        "{err:?}"
    );
}

#[test]
fn freshness_is_opt_in() {
    // Without a window, age does not matter.
    let v = Verifier::new(SECRET);
    v.verify_parts(TS_SECONDS, SIGNATURE, BODY.as_bytes(), at(86_400 * 365))
        .expect("a year later, no window");
    v.verify_parts(TS_SECONDS, SIGNATURE, BODY.as_bytes(), at(-86_400))
        .expect("a day early, no window");
}

#[test]
fn freshness_window_refuses_stale_and_future_deliveries() {
    let v = Verifier::new(SECRET).freshness(Duration::from_secs(300));
    // Seconds (vector 1) and milliseconds (vector 2) name the same instant.
    for (ts, sig, body) in [
        (TS_SECONDS, SIGNATURE, BODY),
        (TS_MILLIS, SIGNATURE_2, BODY_2),
    ] {
        for offset in [-300, -1, 0, 1, 299, 300] {
            v.verify_parts(ts, sig, body.as_bytes(), at(offset))
                .unwrap_or_else(|e| panic!("{ts} at {offset}: {e}"));
        }
        let err = v
            .verify_parts(ts, sig, body.as_bytes(), at(301))
            .unwrap_err();
        assert!(
            matches!(
                err,
                Error::Stale {
                    age_ms: 301_000,
                    window_ms: 300_000
                }
            ),
            "{err:?}"
        );
        assert_eq!(err.status(), 403);
        let err = v
            .verify_parts(ts, sig, body.as_bytes(), at(-301))
            .unwrap_err();
        assert!(
            matches!(
                err,
                Error::Future {
                    ahead_ms: 301_000,
                    window_ms: 300_000
                }
            ),
            "{err:?}"
        );
    }
    // The signature is checked first: a forged stale delivery is a mismatch, not "stale".
    let err = v
        .verify_parts(TS_SECONDS, SIGNATURE_2, BODY.as_bytes(), at(10_000))
        .unwrap_err();
    assert!(matches!(err, Error::SignatureMismatch));
    // A signed but non-numeric timestamp cannot be checked for freshness.
    let sig = sign(SECRET, "yesterday", BODY.as_bytes());
    let err = v
        .verify_parts("yesterday", &sig, BODY.as_bytes(), at(0))
        .unwrap_err();
    assert!(matches!(err, Error::BadTimestamp(_)), "{err:?}");
    Verifier::new(SECRET)
        .verify_parts("yesterday", &sig, BODY.as_bytes(), at(0))
        .expect("without a window the timestamp is only signed text");
}

#[test]
fn timestamp_unit_is_read_by_magnitude() {
    assert_eq!(timestamp_ms("1716300120").unwrap(), 1_716_300_120_000);
    assert_eq!(timestamp_ms("1716300120000").unwrap(), 1_716_300_120_000);
    assert_eq!(timestamp_ms("99999999999").unwrap(), 99_999_999_999_000);
    assert_eq!(timestamp_ms("100000000000").unwrap(), 100_000_000_000);
    assert!(matches!(timestamp_ms("-5"), Err(Error::BadTimestamp(_))));
    assert!(matches!(timestamp_ms("1.5"), Err(Error::BadTimestamp(_))));
}

#[test]
fn the_secret_is_redacted_from_debug() {
    let v = Verifier::new(SECRET).freshness(Duration::from_secs(60));
    let shown = format!("{v:?}");
    assert!(!shown.contains(SECRET), "{shown}");
    assert!(shown.contains("<redacted>"), "{shown}");
}

#[test]
fn url_secrets_are_compared_in_constant_time() {
    let secret = "b3f1c0a9e8d74f2a9c6b5e4d3c2b1a09";
    check_url_secret(secret, Some(secret)).expect("same");
    let err = check_url_secret(secret, Some("b3f1c0a9e8d74f2a9c6b5e4d3c2b1a08")).unwrap_err();
    assert!(matches!(err, Error::UrlSecretMismatch));
    assert_eq!(err.status(), 403);
    assert!(matches!(
        check_url_secret(secret, Some("b3f1")),
        Err(Error::UrlSecretMismatch)
    ));
    assert!(matches!(
        check_url_secret(secret, Some("")),
        Err(Error::UrlSecretMismatch)
    ));
    assert!(matches!(
        check_url_secret(secret, None),
        Err(Error::MissingUrlSecret)
    ));
}

#[cfg(feature = "axum")]
#[tokio::test]
async fn the_axum_extractor_verifies_and_parses() {
    use axum::extract::FromRequest;
    use axum::http::StatusCode;
    use crisp_api::webhook::CrispHook;
    let request = |sig: &str, body: &'static str| {
        axum::http::Request::builder()
            .method("POST")
            .uri("/crisp/hook")
            .header("X-Crisp-Request-Timestamp", TS_SECONDS)
            .header("X-Crisp-Signature", sig)
            .body(axum::body::Body::from(body))
            .unwrap()
    };
    let verifier = Verifier::new(SECRET);
    let CrispHook(delivery) = CrispHook::from_request(request(SIGNATURE, BODY), &verifier)
        .await
        .expect("verified");
    assert_eq!(delivery.event.name(), "message:send");
    // An authentic delivery whose payload does not fit its type, or holds a lone surrogate, is
    // accepted (the handler answers 200), not refused with 400.
    for body in [
        r#"{"event":"session:request:initiated","data":{}}"#,
        r#"{"event":"session:removed","data":{"website_id":"w","session_id":"Hello \ud83d"}}"#,
    ] {
        let sig = sign(SECRET, TS_SECONDS, body.as_bytes());
        let CrispHook(delivery) = CrispHook::from_request(request(&sig, body), &verifier)
            .await
            .expect("accepted");
        assert!(delivery.event.name().starts_with("session:"));
    }
    let refused = CrispHook::from_request(request(SIGNATURE_2, BODY), &verifier)
        .await
        .unwrap_err();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let malformed = "not json";
    let sig = sign(SECRET, TS_SECONDS, malformed.as_bytes());
    let refused = CrispHook::from_request(request(&sig, malformed), &verifier)
        .await
        .unwrap_err();
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
}
