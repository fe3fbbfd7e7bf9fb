//! A client-side request rate limit (token bucket), shared by every clone of a client.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// At most `per_second` requests per second on average, with bursts of up to `burst`.
///
/// Set it with [`ClientBuilder::rate_limit`](crate::ClientBuilder::rate_limit) to stay under a
/// plugin's quota. Every clone of the client draws from the same budget; retries count too.
///
/// ```
/// use crisp_api::RateLimit;
/// let limit = RateLimit::per_second(5.0).burst(10);
/// assert_eq!(limit.rate(), 5.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimit {
    per_second: f64,
    burst: u32,
}

impl RateLimit {
    /// `rate` requests per second, one at a time (burst of 1).
    pub fn per_second(rate: f64) -> Self {
        RateLimit {
            per_second: rate,
            burst: 1,
        }
    }

    /// How many requests may go at once after an idle period (at least 1).
    pub fn burst(mut self, burst: u32) -> Self {
        self.burst = burst.max(1);
        self
    }

    /// Requests per second.
    pub fn rate(&self) -> f64 {
        self.per_second
    }

    pub(crate) fn is_valid(&self) -> bool {
        self.per_second.is_finite() && self.per_second > 0.0
    }
}

/// The shared bucket. Tokens may go negative: each caller reserves the next free slot and
/// learns how long to wait for it, so concurrent callers queue fairly without a lock held
/// across the wait.
#[derive(Debug)]
pub(crate) struct Limiter {
    limit: RateLimit,
    bucket: Mutex<(f64, Instant)>,
}

impl Limiter {
    pub(crate) fn new(limit: RateLimit, now: Instant) -> Self {
        Limiter {
            limit,
            bucket: Mutex::new((f64::from(limit.burst), now)),
        }
    }

    /// Reserves one request slot at `now`; returns how long to wait before sending.
    pub(crate) fn reserve(&self, now: Instant) -> Duration {
        let mut bucket = self.bucket.lock().unwrap_or_else(|e| e.into_inner());
        let (tokens, updated) = *bucket;
        let refill = now.saturating_duration_since(updated).as_secs_f64() * self.limit.per_second;
        let tokens = (tokens + refill).min(f64::from(self.limit.burst)) - 1.0;
        *bucket = (tokens, now.max(updated));
        if tokens >= 0.0 {
            Duration::ZERO
        } else {
            Duration::from_secs_f64(-tokens / self.limit.per_second)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bursts_then_spaces_requests() {
        let t0 = Instant::now();
        let l = Limiter::new(RateLimit::per_second(2.0).burst(2), t0);
        assert_eq!(l.reserve(t0), Duration::ZERO);
        assert_eq!(l.reserve(t0), Duration::ZERO);
        assert_eq!(l.reserve(t0), Duration::from_millis(500));
        assert_eq!(l.reserve(t0), Duration::from_millis(1000));
        // After a long idle period the bucket is full again, but no fuller than the burst.
        let later = t0 + Duration::from_secs(60);
        assert_eq!(l.reserve(later), Duration::ZERO);
        assert_eq!(l.reserve(later), Duration::ZERO);
        assert_eq!(l.reserve(later), Duration::from_millis(500));
    }

    #[test]
    fn refills_at_the_rate() {
        let t0 = Instant::now();
        let l = Limiter::new(RateLimit::per_second(4.0), t0);
        assert_eq!(l.reserve(t0), Duration::ZERO);
        assert_eq!(l.reserve(t0 + Duration::from_millis(250)), Duration::ZERO);
        assert_eq!(
            l.reserve(t0 + Duration::from_millis(250)),
            Duration::from_millis(250)
        );
    }

    #[test]
    fn invalid_rates_are_detected() {
        assert!(!RateLimit::per_second(0.0).is_valid());
        assert!(!RateLimit::per_second(f64::NAN).is_valid());
        assert!(!RateLimit::per_second(-1.0).is_valid());
        assert!(RateLimit::per_second(0.5).is_valid());
        assert_eq!(RateLimit::per_second(1.0).burst(0).burst, 1);
    }
}
