//! Retries shown as they happen: the SDK traces each retry (`retrying`, with the attempt, what
//! failed and the wait); on a terminal this tracing subscriber prints them on stderr, so a 429
//! is not a silent pause. It keeps no spans and prints nothing else.

use std::fmt::Write as _;
use std::io::IsTerminal;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// Installs the subscriber when stderr is a terminal, or when `CRISP_PROGRESS=1` asks for the
/// progress lines anyway.
pub fn install() {
    if enabled() {
        let _ = tracing::subscriber::set_global_default(Retries);
    }
}

/// Whether progress lines (retries, pages walked) are shown.
pub fn enabled() -> bool {
    match std::env::var("CRISP_PROGRESS").as_deref() {
        Ok("1" | "true" | "always") => true,
        Ok("0" | "false" | "never") => false,
        _ => std::io::stderr().is_terminal(),
    }
}

/// Prints the SDK's `retrying` events.
struct Retries;

#[derive(Default)]
struct Fields {
    message: String,
    attempt: Option<u64>,
    wait_ms: Option<u64>,
    outcome: String,
}

impl Visit for Fields {
    fn record_u64(&mut self, field: &Field, value: u64) {
        match field.name() {
            "attempt" => self.attempt = Some(value),
            "wait_ms" => self.wait_ms = Some(value),
            _ => {}
        }
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.record_u64(field, u64::try_from(value).unwrap_or(0));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.message = value.to_owned();
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        match field.name() {
            "message" => {
                let _ = write!(self.message, "{value:?}");
            }
            "outcome" => {
                let _ = write!(self.outcome, "{value:?}");
            }
            _ => {}
        }
    }
}

/// The line for one retry, or `None` for any other event.
fn line(fields: &Fields) -> Option<String> {
    if fields.message != "retrying" {
        return None;
    }
    let wait = fields
        .wait_ms
        .map(|ms| format!(" in {:.1} s", ms as f64 / 1000.0))
        .unwrap_or_default();
    let attempt = fields.attempt.map(|a| a + 1).unwrap_or(2);
    let outcome = if fields.outcome.is_empty() {
        String::new()
    } else {
        format!(" after {}", fields.outcome)
    };
    Some(format!("crisp: retrying{outcome}: attempt {attempt}{wait}"))
}

impl Subscriber for Retries {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.target().starts_with("crisp_api") && metadata.is_event()
    }

    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }

    fn record(&self, _: &Id, _: &Record<'_>) {}

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields::default();
        event.record(&mut fields);
        if let Some(line) = line(&fields) {
            eprintln!("{line}");
        }
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}
