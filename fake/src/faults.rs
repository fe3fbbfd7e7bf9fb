//! Faults and limits: per-operation rules (a status and reason, N times then succeed, added
//! latency, a dropped connection, a socket disconnect), a rate limit (429 with `Retry-After`)
//! and a daily quota (423 `quota_limit_exceeded`) per credentials, counted on the fake's clock.

use crate::api::Failure;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::time::Duration;

/// A rule applied to the requests of one operation (or every one, `"*"`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Fault {
    /// The operation id, or `*` for every operation.
    pub operation: String,
    /// Answer this status (with [`Fault::reason`]) instead of handling the request.
    #[serde(default)]
    pub status: Option<u16>,
    /// Crisp's reason for the failure (`error` by default).
    #[serde(default)]
    pub reason: Option<String>,
    /// Apply this many times, then let requests through (forever when unset).
    #[serde(default)]
    pub times: Option<u32>,
    /// Wait this long (real time, ms) before answering.
    #[serde(default)]
    pub latency_ms: u64,
    /// Break the connection instead of answering (the client sees a transport error).
    #[serde(default)]
    pub drop_connection: bool,
    /// Disconnect every RTM socket when the rule applies.
    #[serde(default)]
    pub disconnect_sockets: bool,
}

impl Fault {
    /// A rule for `operation` (an id, or `*`) that does nothing yet.
    pub fn on(operation: &str) -> Fault {
        Fault {
            operation: operation.to_owned(),
            ..Fault::default()
        }
    }

    /// Fails with `status` and `reason`.
    pub fn fail(mut self, status: u16, reason: &str) -> Fault {
        self.status = Some(status);
        self.reason = Some(reason.to_owned());
        self
    }

    /// Applies `n` times only.
    pub fn times(mut self, n: u32) -> Fault {
        self.times = Some(n);
        self
    }

    /// Adds latency.
    pub fn latency(mut self, latency: Duration) -> Fault {
        self.latency_ms = u64::try_from(latency.as_millis()).unwrap_or(u64::MAX);
        self
    }

    /// Breaks the connection.
    pub fn drop_connection(mut self) -> Fault {
        self.drop_connection = true;
        self
    }

    /// Disconnects the RTM sockets.
    pub fn disconnect_sockets(mut self) -> Fault {
        self.disconnect_sockets = true;
        self
    }
}

/// The limits per credentials.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Limits {
    /// At most this many requests per [`Limits::window_ms`] (429 beyond).
    #[serde(default)]
    pub rate: Option<u32>,
    /// The rate limit's window (ms of the fake's clock; 60 s by default).
    #[serde(default)]
    pub window_ms: Option<i64>,
    /// At most this many requests per day of the fake's clock (423 beyond).
    #[serde(default)]
    pub quota: Option<u32>,
}

/// What to do with one request.
#[derive(Debug, Default)]
pub struct Verdict {
    /// Wait this long first.
    pub latency: Duration,
    /// Answer this failure.
    pub fail: Option<Failure>,
    /// Break the connection.
    pub drop_connection: bool,
    /// Disconnect the sockets.
    pub disconnect_sockets: bool,
}

const DAY_MS: i64 = 86_400_000;

/// The rules, limits and counters.
#[derive(Debug, Default)]
pub struct Faults {
    rules: Vec<Fault>,
    limits: Limits,
    /// Per credentials: the rate window's start and its count.
    rate: HashMap<String, (i64, u32)>,
    /// Per credentials: the quota's day and its count.
    quota: HashMap<String, (i64, u32)>,
}

impl Faults {
    /// Adds a rule (rules apply in order; the first that matches wins).
    pub fn add(&mut self, fault: Fault) {
        self.rules.push(fault);
    }

    /// Sets the limits and restarts their counts.
    pub fn limit(&mut self, limits: Limits) {
        self.limits = limits;
        self.rate.clear();
        self.quota.clear();
    }

    /// Removes every rule and limit.
    pub fn clear(&mut self) {
        *self = Faults::default();
    }

    /// Decides what happens to a request of `operation` by `who` at `now_ms`.
    pub fn check(&mut self, operation: &str, who: &str, now_ms: i64) -> Verdict {
        if let Some(quota) = self.limits.quota {
            let day = now_ms.div_euclid(DAY_MS);
            let entry = self.quota.entry(who.to_owned()).or_insert((day, 0));
            if entry.0 != day {
                *entry = (day, 0);
            }
            if entry.1 >= quota {
                return Verdict {
                    fail: Some(Failure::new(
                        423,
                        "quota_limit_exceeded",
                        "the daily quota of this token is used up",
                    )),
                    ..Verdict::default()
                };
            }
            entry.1 += 1;
        }
        if let Some(rate) = self.limits.rate {
            let window = self.limits.window_ms.unwrap_or(60_000).max(1);
            let start = now_ms - now_ms.rem_euclid(window);
            let entry = self.rate.entry(who.to_owned()).or_insert((start, 0));
            if entry.0 != start {
                *entry = (start, 0);
            }
            if entry.1 >= rate {
                let wait_ms = start + window - now_ms;
                let mut failure = Failure::new(429, "rate_limited", "too many requests");
                failure.retry_after = Some(u64::try_from((wait_ms + 999) / 1000).unwrap_or(1));
                return Verdict {
                    fail: Some(failure),
                    ..Verdict::default()
                };
            }
            entry.1 += 1;
        }
        let Some(rule) = self
            .rules
            .iter_mut()
            .find(|r| (r.operation == operation || r.operation == "*") && r.times != Some(0))
        else {
            return Verdict::default();
        };
        if let Some(times) = &mut rule.times {
            *times -= 1;
        }
        Verdict {
            latency: Duration::from_millis(rule.latency_ms),
            fail: rule.status.map(|status| {
                Failure::new(
                    status,
                    rule.reason.as_deref().unwrap_or("error"),
                    "a fault added to the fake",
                )
            }),
            drop_connection: rule.drop_connection,
            disconnect_sockets: rule.disconnect_sockets,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_apply_n_times_then_requests_pass() {
        let mut faults = Faults::default();
        faults.add(Fault::on("get_conversation").fail(503, "error").times(2));
        for _ in 0..2 {
            assert_eq!(
                faults
                    .check("get_conversation", "a", 0)
                    .fail
                    .unwrap()
                    .status,
                503
            );
        }
        assert!(faults.check("get_conversation", "a", 0).fail.is_none());
        assert!(faults.check("get_website", "a", 0).fail.is_none());
    }

    #[test]
    fn rate_and_quota_count_per_credentials_on_the_clock() {
        let mut faults = Faults::default();
        faults.limit(Limits {
            rate: Some(2),
            window_ms: Some(10_000),
            quota: None,
        });
        assert!(faults.check("x", "a", 1_000).fail.is_none());
        assert!(faults.check("x", "a", 1_000).fail.is_none());
        let limited = faults.check("x", "a", 1_000).fail.unwrap();
        assert_eq!((limited.status, limited.retry_after), (429, Some(9)));
        assert!(
            faults.check("x", "b", 1_000).fail.is_none(),
            "other credentials"
        );
        assert!(faults.check("x", "a", 10_000).fail.is_none(), "next window");
        faults.limit(Limits {
            quota: Some(1),
            ..Limits::default()
        });
        assert!(faults.check("x", "a", 0).fail.is_none());
        assert_eq!(
            faults.check("x", "a", 0).fail.unwrap().reason,
            "quota_limit_exceeded"
        );
        assert!(faults.check("x", "a", DAY_MS).fail.is_none(), "next day");
    }
}
