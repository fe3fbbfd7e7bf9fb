//! When to send a request again, and how long to wait first.
//!
//! The decision is [`decide`], a pure function of the policy, the method, the attempt number,
//! what happened, the server's `Retry-After` and a random number; the request hook applies it.

use reqwest::{Method, StatusCode};
use std::time::{Duration, SystemTime};

/// Which failures are retried, how often and how long to wait.
///
/// The default sends a request up to 3 times, waiting a random time up to 0.5 s, then 1 s
/// (exponential back-off with full jitter, each wait capped at 10 s), after a transport error
/// (connection refused or reset, timeout) or a `420`, `429`, `500`, `502`, `503` or `504`.
///
/// Only `GET`, `HEAD`, `PUT`, `DELETE` and `OPTIONS` are retried by default. `POST` and `PATCH`
/// are not: when a response is lost, Crisp may already have acted on the request, and sending
/// it again could post a message twice or apply an update twice. Opt in with
/// [`RetryPolicy::retry_post_and_patch`], for a client or for one call through
/// [`Client::with_retry`](crate::Client::with_retry).
///
/// ```
/// use crisp_api::RetryPolicy;
/// use std::time::Duration;
///
/// let policy = RetryPolicy::default()
///     .max_attempts(5)
///     .base_delay(Duration::from_millis(200))
///     .max_delay(Duration::from_secs(30));
/// assert_eq!(policy.attempts(), 5);
/// assert_eq!(RetryPolicy::none().attempts(), 1);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    base_delay: Duration,
    max_delay: Duration,
    post_and_patch: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(10),
            post_and_patch: false,
        }
    }
}

impl RetryPolicy {
    /// Never retry: every request is sent once.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// How many times a request may be sent in all, the first time included (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The back-off before the second attempt; it doubles with each further attempt.
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// The longest wait between two attempts, `Retry-After` included.
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// Also retry `POST` and `PATCH` (off by default: a resend can duplicate a message).
    pub fn retry_post_and_patch(mut self, yes: bool) -> Self {
        self.post_and_patch = yes;
        self
    }

    /// The most times a request is sent.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// Whether requests with this method may be sent again.
    pub fn allows(&self, method: &Method) -> bool {
        match *method {
            Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS => true,
            Method::POST | Method::PATCH => self.post_and_patch,
            _ => false,
        }
    }

    /// The back-off ceiling before attempt `attempt + 1`: `base × 2^(attempt-1)`, capped.
    fn ceiling(&self, attempt: u32) -> Duration {
        let factor = 2u32.saturating_pow(attempt.saturating_sub(1));
        self.base_delay
            .checked_mul(factor)
            .unwrap_or(self.max_delay)
            .min(self.max_delay)
    }
}

/// What one attempt ended with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// A response with this status.
    Status(StatusCode),
    /// The connection could not be made (nothing was sent).
    Connect,
    /// The attempt timed out.
    Timeout,
    /// The connection failed while sending or before the response head arrived.
    Reset,
    /// Any other failure (not retried).
    Other,
}

impl Outcome {
    /// Classifies a transport error.
    pub(crate) fn of(error: &reqwest::Error) -> Self {
        if error.is_timeout() {
            Outcome::Timeout
        } else if error.is_connect() {
            Outcome::Connect
        } else if error.is_request() || error.is_body() {
            Outcome::Reset
        } else {
            Outcome::Other
        }
    }

    /// Whether this outcome is worth another attempt at all.
    pub fn is_transient(self) -> bool {
        match self {
            Outcome::Status(s) => matches!(s.as_u16(), 420 | 429 | 500 | 502 | 503 | 504),
            Outcome::Connect | Outcome::Timeout | Outcome::Reset => true,
            Outcome::Other => false,
        }
    }
}

/// The verdict of [`decide`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Send the request again after this wait.
    Retry(Duration),
    /// Return this outcome to the caller.
    Stop,
}

/// Decides whether to send a request again.
///
/// * `attempt`: how many times the request has been sent (1 after the first attempt);
/// * `retry_after`: the server's `Retry-After`, already parsed;
/// * `jitter`: a random number in `[0, 1)` picking the wait inside the back-off window;
/// * `remaining`: time left before the call's deadline, if it has one.
///
/// A `Retry-After` replaces the back-off (capped by the policy's max delay). No retry is made
/// when the wait would reach past the deadline.
pub fn decide(
    policy: &RetryPolicy,
    method: &Method,
    attempt: u32,
    outcome: Outcome,
    retry_after: Option<Duration>,
    jitter: f64,
    remaining: Option<Duration>,
) -> Decision {
    if !outcome.is_transient() || !policy.allows(method) || attempt >= policy.max_attempts {
        return Decision::Stop;
    }
    let wait = match retry_after {
        Some(after) => after.min(policy.max_delay),
        None => policy.ceiling(attempt).mul_f64(jitter.clamp(0.0, 1.0)),
    };
    match remaining {
        Some(left) if wait >= left => Decision::Stop,
        _ => Decision::Retry(wait),
    }
}

/// Parses a `Retry-After` value: a number of seconds, or an HTTP date (a date in the past
/// means no wait). `None` when it is neither.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    if let Ok(seconds) = value.parse::<f64>() {
        return (seconds.is_finite() && seconds >= 0.0).then(|| Duration::from_secs_f64(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    const S503: Outcome = Outcome::Status(StatusCode::SERVICE_UNAVAILABLE);

    fn run(policy: &RetryPolicy, method: Method, attempt: u32, outcome: Outcome) -> Decision {
        decide(policy, &method, attempt, outcome, None, 0.5, None)
    }

    #[test]
    fn transient_failures_of_safe_methods_are_retried() {
        let p = RetryPolicy::default();
        for m in [Method::GET, Method::HEAD, Method::PUT, Method::DELETE] {
            for o in [S503, Outcome::Connect, Outcome::Timeout, Outcome::Reset] {
                assert!(
                    matches!(run(&p, m.clone(), 1, o), Decision::Retry(_)),
                    "{m} {o:?}"
                );
            }
        }
        for code in [420, 429, 500, 502, 503, 504] {
            let o = Outcome::Status(StatusCode::from_u16(code).unwrap());
            assert!(
                matches!(run(&p, Method::GET, 1, o), Decision::Retry(_)),
                "{code}"
            );
        }
    }

    #[test]
    fn post_and_patch_are_only_retried_when_opted_in() {
        let p = RetryPolicy::default();
        for m in [Method::POST, Method::PATCH] {
            assert_eq!(run(&p, m.clone(), 1, S503), Decision::Stop);
            assert_eq!(run(&p, m.clone(), 1, Outcome::Timeout), Decision::Stop);
            let opted = p.retry_post_and_patch(true);
            assert!(matches!(run(&opted, m, 1, S503), Decision::Retry(_)));
        }
    }

    #[test]
    fn final_answers_are_not_retried() {
        let p = RetryPolicy::default();
        for code in [200, 204, 400, 401, 403, 404, 409, 501] {
            let o = Outcome::Status(StatusCode::from_u16(code).unwrap());
            assert_eq!(run(&p, Method::GET, 1, o), Decision::Stop, "{code}");
        }
        assert_eq!(run(&p, Method::GET, 1, Outcome::Other), Decision::Stop);
    }

    #[test]
    fn attempts_are_bounded() {
        let p = RetryPolicy::default().max_attempts(3);
        assert!(matches!(run(&p, Method::GET, 2, S503), Decision::Retry(_)));
        assert_eq!(run(&p, Method::GET, 3, S503), Decision::Stop);
        assert_eq!(
            run(&RetryPolicy::none(), Method::GET, 1, S503),
            Decision::Stop
        );
        assert_eq!(RetryPolicy::default().max_attempts(0).attempts(), 1);
    }

    #[test]
    fn backoff_is_exponential_with_full_jitter_and_capped() {
        let p = RetryPolicy::default()
            .max_attempts(20)
            .base_delay(Duration::from_millis(100))
            .max_delay(Duration::from_secs(1));
        let wait = |attempt, jitter| decide(&p, &Method::GET, attempt, S503, None, jitter, None);
        assert_eq!(wait(1, 0.0), Decision::Retry(Duration::ZERO));
        assert_eq!(wait(1, 0.5), Decision::Retry(Duration::from_millis(50)));
        assert_eq!(wait(2, 0.5), Decision::Retry(Duration::from_millis(100)));
        assert_eq!(wait(3, 0.5), Decision::Retry(Duration::from_millis(200)));
        assert_eq!(wait(10, 0.5), Decision::Retry(Duration::from_millis(500)));
        assert_eq!(wait(19, 0.999), Decision::Retry(Duration::from_millis(999)));
        // Out-of-range jitter is clamped rather than trusted.
        assert_eq!(wait(1, 7.0), Decision::Retry(Duration::from_millis(100)));
    }

    #[test]
    fn retry_after_replaces_backoff_and_is_capped() {
        let p = RetryPolicy::default().max_delay(Duration::from_secs(5));
        let d = |after| decide(&p, &Method::GET, 1, S503, Some(after), 0.0, None);
        assert_eq!(
            d(Duration::from_secs(2)),
            Decision::Retry(Duration::from_secs(2))
        );
        assert_eq!(
            d(Duration::from_secs(60)),
            Decision::Retry(Duration::from_secs(5))
        );
    }

    #[test]
    fn no_retry_past_the_deadline() {
        let p = RetryPolicy::default();
        let after = Some(Duration::from_secs(2));
        let left = |secs| Some(Duration::from_secs(secs));
        assert_eq!(
            decide(&p, &Method::GET, 1, S503, after, 0.0, left(1)),
            Decision::Stop
        );
        assert_eq!(
            decide(&p, &Method::GET, 1, S503, after, 0.0, left(3)),
            Decision::Retry(Duration::from_secs(2))
        );
    }

    #[test]
    fn retry_after_parses_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(parse_retry_after("2", now), Some(Duration::from_secs(2)));
        assert_eq!(
            parse_retry_after(" 1.5 ", now),
            Some(Duration::from_millis(1500))
        );
        let later = httpdate::fmt_http_date(now + Duration::from_secs(30));
        assert_eq!(
            parse_retry_after(&later, now),
            Some(Duration::from_secs(30))
        );
        let earlier = httpdate::fmt_http_date(now - Duration::from_secs(30));
        assert_eq!(parse_retry_after(&earlier, now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-3", now), None);
        assert_eq!(parse_retry_after("NaN", now), None);
    }
}
