//! Web hook delivery: each event is POSTed to every registered hook that wants it, as Crisp
//! does — `{website_id, event, data, timestamp}`, the `X-Crisp-*` headers, signed with
//! [`crisp_api::webhook::sign`] over `[timestamp;body]` — retried with a doubling back-off when
//! the receiver fails (not 2xx, or unreachable), and every attempt logged.

use crate::events::{InFlight, Published};
use crisp_api::webhook::{SIGNATURE_HEADER, TIMESTAMP_HEADER, sign};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A registered web hook.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Hook {
    /// Where to POST.
    pub url: String,
    /// The signing secret (deliveries are signed when set, like plugin hooks).
    #[serde(default)]
    pub secret: Option<String>,
    /// The event names wanted (all when empty).
    #[serde(default)]
    pub events: Vec<String>,
    /// Only events of this website (all when unset).
    #[serde(default)]
    pub website_id: Option<String>,
}

/// One delivery attempt, as the delivery log shows it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Attempt {
    /// The hook's index (in registration order).
    pub hook: usize,
    /// The event name.
    pub event: String,
    /// The website.
    pub website_id: String,
    /// 1 for the first attempt.
    pub attempt: u32,
    /// The receiver's status, when it answered.
    pub status: Option<u16>,
    /// What went wrong, when it did not answer or answered a failure.
    pub error: Option<String>,
    /// Whether this attempt delivered the event.
    pub delivered: bool,
}

/// The registered hooks, the delivery policy and the log.
pub struct Hooks {
    hooks: Mutex<Vec<Hook>>,
    log: Arc<Mutex<Vec<Attempt>>>,
    http: reqwest::Client,
    /// Attempts per event and hook.
    pub attempts: u32,
    /// The wait before the second attempt; doubled for each next one.
    pub backoff: Duration,
}

impl Hooks {
    /// No hooks yet; `attempts` tries per delivery, starting with a `backoff` wait.
    pub fn new(attempts: u32, backoff: Duration) -> Hooks {
        let http = crisp_api::http_client_builder()
            .ok()
            .and_then(|b| b.timeout(Duration::from_secs(10)).build().ok())
            .unwrap_or_default();
        Hooks {
            hooks: Mutex::default(),
            log: Arc::default(),
            http,
            attempts: attempts.max(1),
            backoff,
        }
    }

    /// Registers a hook; returns its index.
    pub fn register(&self, hook: Hook) -> usize {
        let mut hooks = self.hooks.lock().expect("hooks lock");
        hooks.push(hook);
        hooks.len() - 1
    }

    /// Whether no hook is registered.
    pub fn is_empty(&self) -> bool {
        self.hooks.lock().expect("hooks lock").is_empty()
    }

    /// Removes every hook and clears the log.
    pub fn clear(&self) {
        self.hooks.lock().expect("hooks lock").clear();
        self.log.lock().expect("log lock").clear();
    }

    /// Every attempt so far, in order.
    pub fn log(&self) -> Vec<Attempt> {
        self.log.lock().expect("log lock").clone()
    }

    /// Starts delivering `published` (its payload `data`) to every hook that wants it; each
    /// delivery counts in `in_flight` until it succeeds or gives up.
    pub fn deliver(&self, published: &Published, data: &Value, in_flight: &Arc<InFlight>) {
        let name = published.event.name();
        let hooks = self.hooks.lock().expect("hooks lock").clone();
        for (index, hook) in hooks.into_iter().enumerate() {
            let wanted = hook.events.is_empty() || hook.events.iter().any(|e| e == name);
            let website = hook
                .website_id
                .as_ref()
                .is_none_or(|w| *w == published.website_id);
            if !(wanted && website) {
                continue;
            }
            let body = serde_json::to_vec(&json!({
                "website_id": published.website_id,
                "event": name,
                "data": data,
                "timestamp": published.timestamp,
            }))
            .expect("JSON serialises");
            let delivery = Delivery {
                hook: index,
                url: hook.url,
                secret: hook.secret,
                event: name.to_owned(),
                website_id: published.website_id.clone(),
                timestamp: published.timestamp.to_string(),
                body,
            };
            in_flight.start();
            let (http, log, in_flight) = (self.http.clone(), self.log.clone(), in_flight.clone());
            let (attempts, backoff) = (self.attempts, self.backoff);
            tokio::spawn(async move {
                delivery.run(&http, &log, attempts, backoff).await;
                in_flight.finish();
            });
        }
    }
}

/// One event on its way to one hook.
struct Delivery {
    hook: usize,
    url: String,
    secret: Option<String>,
    event: String,
    website_id: String,
    timestamp: String,
    body: Vec<u8>,
}

impl Delivery {
    async fn run(
        &self,
        http: &reqwest::Client,
        log: &Mutex<Vec<Attempt>>,
        attempts: u32,
        backoff: Duration,
    ) {
        let mut wait = backoff;
        for attempt in 1..=attempts {
            let mut request = http
                .post(&self.url)
                .header(http::header::CONTENT_TYPE, "application/json")
                .header("X-Crisp-Hook-Origin", "crisp-fake")
                .header(TIMESTAMP_HEADER, &self.timestamp)
                .header("X-Delivery-Attempt-Limit", attempts.to_string())
                .header("X-Delivery-Attempt-Count", attempt.to_string())
                .body(self.body.clone());
            if let Some(secret) = &self.secret {
                request =
                    request.header(SIGNATURE_HEADER, sign(secret, &self.timestamp, &self.body));
            }
            let (status, error) = match request.send().await {
                Ok(response) if response.status().is_success() => {
                    (Some(response.status().as_u16()), None)
                }
                Ok(response) => (
                    Some(response.status().as_u16()),
                    Some(format!("answered {}", response.status())),
                ),
                Err(e) => (None, Some(format!("unreachable: {e}"))),
            };
            let delivered = error.is_none();
            log.lock().expect("log lock").push(Attempt {
                hook: self.hook,
                event: self.event.clone(),
                website_id: self.website_id.clone(),
                attempt,
                status,
                error,
                delivered,
            });
            if delivered {
                return;
            }
            if attempt < attempts {
                tokio::time::sleep(wait).await;
                wait = wait.saturating_mul(2);
            }
        }
    }
}
