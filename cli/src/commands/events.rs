//! `crisp events`: verify a web hook delivery read on stdin and print its event. It takes only
//! its own flags (no connection: it calls nothing).

use crate::cli::EXIT_CODES;
use crate::failure::Failure;
use crate::output::Output;
use clap::{Arg, ArgAction, ArgMatches, Command, value_parser};
use serde_json::json;
use std::io::{IsTerminal, Read};
use std::time::{Duration, SystemTime};

/// The command.
pub fn command() -> Command {
    Command::new("events")
        .about("Verify a web hook delivery read on stdin and print its event as JSON")
        .long_about(
            "Verify a web hook delivery read on stdin and print its event as JSON.\n\n\
             Give the raw body on stdin, exactly as received, with the values of the \
             X-Crisp-Request-Timestamp and X-Crisp-Signature headers. The event is printed as \
             {event, website_id, timestamp, data}. Exit code 5 when the delivery is refused.",
        )
        .after_help(EXIT_CODES)
        .arg(
            Arg::new("webhook-secret")
                .long("webhook-secret")
                .value_name("SECRET")
                .help("The hook's signing secret [env: CRISP_WEBHOOK_SECRET]"),
        )
        .arg(
            Arg::new("timestamp")
                .long("timestamp")
                .value_name("TEXT")
                .help("The X-Crisp-Request-Timestamp header"),
        )
        .arg(
            Arg::new("signature")
                .long("signature")
                .value_name("HEX")
                .help("The X-Crisp-Signature header"),
        )
        .arg(
            Arg::new("max-age")
                .long("max-age")
                .value_name("SECONDS")
                .value_parser(value_parser!(u64))
                .help("Refuse a delivery dated further than this from now"),
        )
        .arg(
            Arg::new("no-verify")
                .long("no-verify")
                .action(ArgAction::SetTrue)
                .conflicts_with_all(["webhook-secret", "signature", "max-age"])
                .help("Only parse the delivery (website hooks are not signed)"),
        )
}

/// Verifies and prints.
pub fn run(m: &ArgMatches) -> Result<(), Failure> {
    use crisp_api::webhook::{self, Verifier};
    let mut out = Output::stdout();
    let mut body = Vec::new();
    if std::io::stdin().is_terminal() {
        eprintln!("crisp: reading the delivery from stdin (end it with Ctrl-D)");
    }
    std::io::stdin()
        .read_to_end(&mut body)
        .map_err(|e| Failure::Usage(format!("cannot read the delivery from stdin: {e}")))?;
    if !m.get_flag("no-verify") {
        let secret = m
            .get_one::<String>("webhook-secret")
            .cloned()
            .or_else(|| std::env::var("CRISP_WEBHOOK_SECRET").ok())
            .filter(|s| !s.is_empty())
            .ok_or_else(|| {
                Failure::Usage(
                    "--webhook-secret (or CRISP_WEBHOOK_SECRET) is required to verify a delivery; \
                     --no-verify only parses it"
                        .to_owned(),
                )
            })?;
        let header = |name: &str, header: &str| {
            m.get_one::<String>(name).ok_or_else(|| {
                Failure::Usage(format!("--{name} (the {header} header) is required"))
            })
        };
        let timestamp = header("timestamp", "X-Crisp-Request-Timestamp")?;
        let signature = header("signature", "X-Crisp-Signature")?;
        let mut verifier = Verifier::new(secret);
        if let Some(age) = m.get_one::<u64>("max-age") {
            verifier = verifier.freshness(Duration::from_secs(*age));
        }
        verifier
            .verify_parts(timestamp, signature, &body, SystemTime::now())
            .map_err(|e| Failure::Refused(format!("{e} (HTTP {})", e.status())))?;
    }
    let delivery = webhook::parse(&body)
        .map_err(|e| Failure::Refused(format!("{e} (HTTP {})", e.status())))?;
    let data = delivery
        .event
        .data()
        .map_err(|e| Failure::Refused(format!("the payload cannot be printed: {e}")))?;
    let mut printed = json!({
        "event": delivery.event.name(),
        "website_id": delivery.website_id,
        "timestamp": delivery.timestamp,
        "data": data,
    });
    // An authentic event whose payload does not fit its type: printed raw, with what did not fit.
    if let crisp_api::Event::Mistyped { error, .. } = &delivery.event {
        printed["mistyped"] = json!(error.to_string());
    }
    out.value(&printed)?;
    out.flush()
}
