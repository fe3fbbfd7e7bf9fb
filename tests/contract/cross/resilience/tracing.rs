//! Tracing: one span per request, without secrets or filled paths.

use super::{answer, client, fail, setup};
use crate::support::{KEY, WEBSITE, client_builder, refused_url};
use crisp_api::Error;

thread_local! {
    /// What the SDK logged on this test's thread (`#[tokio::test]` runs on one thread).
    static LOGGED: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Writes log lines into the current thread's buffer.
struct ThreadLog;

impl std::io::Write for ThreadLog {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        LOGGED.with(|l| l.borrow_mut().extend_from_slice(buf));
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Installs, once for the test binary, a global subscriber logging into per-thread buffers.
/// (A scoped subscriber races with the callsite cache of tests running in parallel.)
fn capture_logs() {
    static INIT: std::sync::Once = std::sync::Once::new();
    INIT.call_once(|| {
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::DEBUG)
            .with_ansi(false)
            .with_writer(|| ThreadLog)
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("no other global subscriber");
    });
    LOGGED.with(|l| l.borrow_mut().clear());
}

#[tokio::test]
async fn requests_are_traced_without_secrets_or_filled_paths() {
    let (server, clock) = setup().await;
    let email = "jane.doe@example.com";
    let p = format!("/website/{WEBSITE}/people/profile/{email}");
    answer(&server, "GET", &p, 1, fail(503, "service_unavailable")).await;
    answer(&server, "GET", &p, 1, fail(404, "people_not_found")).await;
    capture_logs();
    let client = client(&server, &clock).build().unwrap();
    let err = client
        .get_people_profile()
        .website_id(WEBSITE)
        .people_id(email)
        .call()
        .await
        .expect_err("not found");
    assert!(err.is_not_found());
    // A transport failure: reqwest's error text holds the filled URL; the log must not.
    let refused = client_builder(refused_url()).build().unwrap();
    let err = refused
        .get_people_profile()
        .website_id(WEBSITE)
        .people_id(email)
        .call()
        .await
        .expect_err("refused");
    assert!(matches!(err, Error::Transport { .. }));
    let log = LOGGED.with(|l| String::from_utf8_lossy(&l.borrow()).into_owned());
    for needle in [
        "crisp_request",
        "operation=\"get_people_profile\"",
        "http.request.method=GET",
        "url.template=\"/website/{website_id}/people/profile/{people_id}\"",
        "server.address=\"127.0.0.1\"",
        "retrying",
        "attempt=2",
        "http.response.status_code=404",
        "error.type=\"404\"",
        "error.type=\"connection_refused\"",
        "reason=\"people_not_found\"",
        "duration_ms=",
        "outcome=Connect",
    ] {
        assert!(log.contains(needle), "missing {needle:?} in:\n{log}");
    }
    for secret in [KEY, email, "Basic ", "retry me?"] {
        assert!(!log.contains(secret), "{secret:?} leaked into:\n{log}");
    }
}
