//! `crisp listen`: Crisp's real-time events on a laptop, like `stripe listen`. It connects to
//! the RTM socket with the profile's credentials and re-delivers each event to a local URL as
//! a signed web hook (the body and headers Crisp sends, see [`crisp_api::webhook`]), printing
//! one line per delivery; without `--forward-to` it prints the events as JSON lines.

use crate::cli::connection_args;
use crate::failure::{self, Context, Failure};
use crate::settings::Settings;
use clap::{Arg, ArgMatches, Command, value_parser};
use crisp_api::Event;
use crisp_api::rtm::{self, Item, State};
use crisp_api::webhook::{SIGNATURE_HEADER, TIMESTAMP_HEADER, sign};
use futures::StreamExt;
use serde_json::{Value, json};
use std::io::Write;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The command.
pub fn command() -> Command {
    Command::new("listen")
        .about("Receive real-time events; forward them to a local URL as signed web hooks")
        .long_about(
            "Receive Crisp's real-time events over its RTM socket, with the profile's \
             credentials, and re-deliver each to a local URL as a web hook signed exactly as \
             Crisp signs them (POST of {website_id, event, data, timestamp} with the \
             X-Crisp-Request-Timestamp and X-Crisp-Signature headers), printing one line per \
             delivery with the local status. Without --forward-to, print each event as a JSON \
             line. Stops on Ctrl-C, or after --count events.",
        )
        .after_help(
            "Example:\n  crisp listen --events message:send,session:set_state \\\n    \
             --forward-to http://localhost:3000/hooks --secret S",
        )
        .args(
            connection_args()
                .into_iter()
                .filter(|a| a.get_id() != "sandbox"),
        )
        .arg(
            Arg::new("events")
                .long("events")
                .value_name("EVENT,...")
                .value_delimiter(',')
                .help("The events to receive, such as message:send,session:set_state [default: all]"),
        )
        .arg(
            Arg::new("forward-to")
                .long("forward-to")
                .value_name("URL")
                .help("Deliver each event to this URL as a signed web hook"),
        )
        .arg(
            Arg::new("secret")
                .long("secret")
                .value_name("SECRET")
                .help("The secret the deliveries are signed with [env: CRISP_WEBHOOK_SECRET]"),
        )
        .arg(
            Arg::new("website-id")
                .long("website-id")
                .value_name("WEBSITE_ID")
                .help("The website to listen to (website-tier tokens) [default: CRISP_WEBSITE_ID, or the profile's]"),
        )
        .arg(
            Arg::new("count")
                .long("count")
                .value_name("N")
                .value_parser(value_parser!(u64).range(1..))
                .help("Stop after N events"),
        )
}

/// Listens until Ctrl-C or `--count`.
pub fn run(m: &ArgMatches) -> Result<(), Failure> {
    let settings = Settings::resolve(m)?;
    let forward = m.get_one::<String>("forward-to").cloned();
    let secret = m
        .get_one::<String>("secret")
        .cloned()
        .or_else(|| std::env::var("CRISP_WEBHOOK_SECRET").ok())
        .filter(|s| !s.is_empty());
    if forward.is_some() && secret.is_none() {
        return Err(Failure::Usage(
            "--secret (or CRISP_WEBHOOK_SECRET) is needed to sign what --forward-to delivers"
                .to_owned(),
        ));
    }
    let events: Vec<String> = m
        .get_many::<String>("events")
        .map(|e| e.filter(|e| !e.is_empty()).cloned().collect())
        .unwrap_or_default();
    let count = m.get_one::<u64>("count").copied();
    crate::commands::runtime()?.block_on(async {
        let connection = settings.connect().await?;
        let context = Context {
            host: connection.host.clone(),
            tier: connection.client.tier().as_str().to_owned(),
        };
        let mut builder = connection.client.rtm();
        builder = if events.is_empty() {
            builder.all_events()
        } else {
            builder.events(events)
        };
        if let Some(website) = settings.value("website_id") {
            builder = builder.website(website);
        }
        let mut stream = builder
            .connect()
            .await
            .map_err(|e| rtm_failure(e, &context))?;
        eprintln!("crisp: listening (Ctrl-C to stop)");
        let http = crisp_api::http_client_builder()?
            .timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| Failure::Usage(format!("cannot build the HTTP client: {e}")))?;
        let mut delivered = 0u64;
        loop {
            let item = tokio::select! {
                item = stream.next() => item,
                _ = tokio::signal::ctrl_c() => break,
            };
            let Some(item) = item else { break };
            match item {
                Ok(Item::Event(event)) => {
                    let payload = payload(&event)?;
                    match (&forward, &secret) {
                        (Some(url), Some(secret)) => {
                            println!("{}", deliver(&http, url, secret, &event, &payload).await);
                        }
                        _ => println!("{payload}"),
                    }
                    let _ = std::io::stdout().flush();
                    delivered += 1;
                    if count.is_some_and(|c| delivered >= c) {
                        break;
                    }
                }
                Ok(Item::State(state)) => match state {
                    State::Disconnected { reason } => eprintln!("crisp: disconnected: {reason}"),
                    State::Reconnecting { attempt, delay } => eprintln!(
                        "crisp: reconnecting in {:.1} s (attempt {attempt})",
                        delay.as_secs_f64()
                    ),
                    State::Authenticated => eprintln!("crisp: connected"),
                    _ => {}
                },
                Ok(Item::Lagged(n)) => eprintln!("crisp: {n} events dropped (too slow)"),
                Ok(_) => {}
                Err(rtm::Error::Unauthorized { .. }) => {
                    return Err(Failure::Api(
                        "the socket refused the token; check it with `crisp auth status`"
                            .to_owned(),
                    ));
                }
                Err(e) => eprintln!("crisp: {e}"),
            }
        }
        stream.close();
        Ok(())
    })
}

fn rtm_failure(e: rtm::Error, context: &Context) -> Failure {
    match e {
        rtm::Error::Discovery(e) => failure::explain(e, context),
        rtm::Error::Unauthorized { .. } => Failure::Api(format!(
            "{e}; check the token with `crisp auth status` (tier `{}`)",
            context.tier
        )),
        rtm::Error::Connect { .. } | rtm::Error::Timeout { .. } => {
            Failure::Transport(e.to_string())
        }
        other => Failure::Usage(other.to_string()),
    }
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// The body Crisp posts to a web hook: `{website_id, event, data, timestamp}`.
fn payload(event: &Event) -> Result<Value, Failure> {
    let data = event
        .data()
        .map_err(|e| Failure::Api(format!("the {} event cannot be printed: {e}", event.name())))?;
    Ok(json!({
        "website_id": event.website_id(),
        "event": event.name(),
        "data": data,
        "timestamp": now_ms(),
    }))
}

/// Posts one delivery, signed; the line to print.
async fn deliver(
    http: &reqwest::Client,
    url: &str,
    secret: &str,
    event: &Event,
    payload: &Value,
) -> String {
    let body = serde_json::to_vec(payload).expect("a JSON value serialises");
    let timestamp = payload["timestamp"].to_string();
    let signature = sign(secret, &timestamp, &body);
    let started = Instant::now();
    let result = http
        .post(url)
        .header("content-type", "application/json")
        .header(TIMESTAMP_HEADER, &timestamp)
        .header(SIGNATURE_HEADER, signature)
        .body(body)
        .send()
        .await;
    let elapsed = started.elapsed().as_millis();
    match result {
        Ok(response) => format!(
            "{} → {url} {} ({elapsed} ms)",
            event.name(),
            response.status()
        ),
        Err(e) => {
            let mut reason = e.to_string();
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                reason = format!("{reason}: {s}");
                source = s.source();
            }
            format!("{} → {url} failed: {reason}", event.name())
        }
    }
}
