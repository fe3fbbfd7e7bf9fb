//! Running a subcommand: an operation through the SDK's raw call, or one of the tool's own
//! commands (`events`, `example-body`, `completions`).

use crate::output::{Failure, Output};
use crate::schema;
use crate::spec::{Kind, Location, OpSpec, Spec};
use clap::ArgMatches;
use crisp_api::sandbox::Sandbox;
use crisp_api::{Client, Method, RawRequest};
use serde_json::{Value, json};
use std::io::{IsTerminal, Read};
use std::time::{Duration, SystemTime};

/// Runs the parsed command line.
pub fn run(spec: &Spec, matches: &ArgMatches) -> Result<(), Failure> {
    let (name, sub) = matches
        .subcommand()
        .ok_or_else(|| Failure::Usage("a subcommand is required (see --help)".to_owned()))?;
    let mut out = Output::stdout();
    match name {
        "events" => events(sub, &mut out)?,
        "example-body" => example_body(spec, sub, &mut out)?,
        "completions" => {
            let shell = *sub
                .get_one::<clap_complete::Shell>("shell")
                .expect("clap requires the shell");
            let mut buffer = Vec::new();
            clap_complete::generate(shell, &mut crate::cli::command(spec), "crisp", &mut buffer);
            out.text(&buffer)?;
        }
        _ => {
            let op = spec
                .find(name)
                .ok_or_else(|| Failure::Usage(format!("unknown subcommand `{name}`")))?;
            let body = read_body(spec, op, sub)?;
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .map_err(|e| Failure::Usage(format!("cannot start the async runtime: {e}")))?;
            let result = runtime.block_on(async {
                let connection = connect(sub).await?;
                call(op, sub, body.as_ref(), &connection.client, &mut out).await
            });
            // Print what was gathered before a failure (pages already walked).
            out.flush()?;
            result?;
        }
    }
    out.flush()
}

/// A client, and the sandbox it talks to when there is one (kept alive while it runs).
struct Connection {
    client: Client,
    _sandbox: Option<Sandbox>,
}

/// The client: the sandbox with `--sandbox` or without credentials, else the configuration
/// `Client::from_env` reads, each variable overridden by its flag.
async fn connect(m: &ArgMatches) -> Result<Connection, Failure> {
    let flag = |name: &str| m.get_one::<String>(name).cloned();
    let lookup = |var: &str| -> Option<String> {
        let from_flag = match var {
            "CRISP_IDENTIFIER" => flag("identifier"),
            "CRISP_KEY" => flag("key"),
            "CRISP_TIER" => flag("tier"),
            "CRISP_API_URL" => flag("api-url"),
            _ => None,
        };
        from_flag.or_else(|| std::env::var(var).ok().filter(|v| !v.trim().is_empty()))
    };
    let user_agent = concat!("crisp-cli/", env!("CARGO_PKG_VERSION"));
    let sandbox = m.get_flag("sandbox");
    if sandbox || (lookup("CRISP_IDENTIFIER").is_none() && lookup("CRISP_KEY").is_none()) {
        if !sandbox {
            eprintln!(
                "crisp: no credentials (CRISP_IDENTIFIER, CRISP_KEY): running against the embedded \
                 sandbox, which answers with the spec's examples"
            );
        }
        let sandbox = Sandbox::start().await;
        let client = sandbox
            .client_builder()
            .user_agent_suffix(user_agent)
            .build()?;
        return Ok(Connection {
            client,
            _sandbox: Some(sandbox),
        });
    }
    let client = Client::builder()
        .from_lookup(lookup)?
        .user_agent_suffix(user_agent)
        .build()?;
    Ok(Connection {
        client,
        _sandbox: None,
    })
}

/// Reads, parses and checks the JSON body, before anything is sent.
fn read_body(spec: &Spec, op: &OpSpec, m: &ArgMatches) -> Result<Option<Value>, Failure> {
    let Some(body) = &op.body else {
        return Ok(None);
    };
    let read_stdin = || {
        if std::io::stdin().is_terminal() {
            eprintln!("crisp: reading the JSON body from stdin (end it with Ctrl-D)");
        }
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Failure::Usage(format!("cannot read the body from stdin: {e}")))?;
        Ok::<_, Failure>(("the body read from stdin".to_owned(), text))
    };
    let (source, text) = match (
        m.get_one::<String>("body"),
        m.get_one::<String>("body-file"),
    ) {
        (Some(b), _) if b == "-" => read_stdin()?,
        (Some(b), _) => ("--body".to_owned(), b.clone()),
        (None, Some(f)) if f == "-" => read_stdin()?,
        (None, Some(f)) => {
            let text = std::fs::read_to_string(f)
                .map_err(|e| Failure::Usage(format!("cannot read the body file {f}: {e}")))?;
            (format!("the body file {f}"), text)
        }
        (None, None) => return Ok(None),
    };
    let value: Value = serde_json::from_str(&text)
        .map_err(|e| Failure::Usage(format!("{source} is not valid JSON: {e}")))?;
    if !m.get_flag("no-validate") {
        let mut unknown = Vec::new();
        schema::validate(&spec.root, &body.schema, &value, &mut unknown).map_err(|e| {
            Failure::Usage(format!(
                "invalid body for {}: {e} (`crisp example-body {}` prints one that fits; \
                 --no-validate sends it anyway)",
                op.command(),
                op.command()
            ))
        })?;
        for field in unknown {
            eprintln!(
                "crisp: warning: `{field}` is not a field the spec describes for {}; sending it anyway",
                op.command()
            );
        }
    }
    Ok(Some(value))
}

/// The value of a parameter as sent (flags as `1`/`0`), if given.
fn param_value(m: &ArgMatches, name: &str, kind: &Kind) -> Option<String> {
    match kind {
        Kind::Flag => m
            .get_one::<bool>(name)
            .map(|b| if *b { "1" } else { "0" }.to_owned()),
        Kind::Integer { .. } => m.get_one::<i64>(name).map(i64::to_string),
        Kind::Number => m.get_one::<f64>(name).map(f64::to_string),
        Kind::Enum(_) | Kind::Text => m.get_one::<String>(name).cloned(),
    }
}

/// The request for one page (`page` overrides `--page-number`).
/// Where a walk is: a page number, or the history's `timestamp_before` (overriding the flag).
#[derive(Clone, Copy)]
enum At {
    /// As the flags say.
    Flags,
    /// This page number.
    Page(u64),
    /// Messages before this timestamp.
    Before(i64),
}

fn request<'c>(
    client: &'c Client,
    op: &OpSpec,
    m: &ArgMatches,
    body: Option<&Value>,
    at: At,
) -> RawRequest<'c> {
    let page = match at {
        At::Page(page) => Some(page),
        _ => None,
    };
    let method = Method::from_bytes(op.op.method.as_bytes()).expect("the spec's methods are valid");
    let segments: Vec<String> = op
        .op
        .path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(
            |segment| match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some("page_number") if page.is_some() => page.unwrap_or(1).to_string(),
                Some(name) => op
                    .param(name)
                    .and_then(|p| param_value(m, name, &p.kind))
                    .unwrap_or_default(),
                None => segment.to_owned(),
            },
        )
        .collect();
    let mut request = client.raw(method, segments);
    for p in op.params.iter().filter(|p| p.location == Location::Query) {
        if let (At::Before(before), crate::spec::HISTORY_CURSOR) = (at, p.name.as_str()) {
            request = request.query(&p.name, before);
        } else if let Some(value) = param_value(m, &p.name, &p.kind) {
            request = request.query(&p.name, value);
        }
    }
    if let Some(body) = body {
        request = request.json(body);
    }
    request
}

fn envelope(reason: &str, data: &Value) -> Value {
    json!({"error": false, "reason": reason, "data": data})
}

async fn call(
    op: &OpSpec,
    m: &ArgMatches,
    body: Option<&Value>,
    client: &Client,
    out: &mut Output,
) -> Result<(), Failure> {
    let raw = m.get_flag("raw");
    if op.is_check() {
        let exists = request(client, op, m, body, At::Flags).exists().await?;
        return out.value(&Value::Bool(exists));
    }
    let walk =
        (op.op.paginated || op.is_history()) && (m.get_flag("all") || m.contains_id("limit"));
    if !walk {
        let response = request(client, op, m, body, At::Flags)
            .response::<Value>()
            .await?;
        return out.value(&if raw {
            envelope(&response.reason, &response.data)
        } else {
            response.data
        });
    }
    let limit = m.get_one::<u64>("limit").copied();
    let first = m
        .try_get_one::<i64>("page_number")
        .ok()
        .flatten()
        .and_then(|p| u64::try_from(*p).ok())
        .unwrap_or(1);
    let progress = std::io::stderr().is_terminal();
    let mut count = 0u64;
    let mut previous: Option<Vec<Value>> = None;
    let mut page = first;
    // The history's cursor: the flag's, then each batch's oldest timestamp.
    let mut before = if op.is_history() {
        m.get_one::<i64>(crate::spec::HISTORY_CURSOR).copied()
    } else {
        None
    };
    loop {
        let at = match (op.is_history(), before) {
            (true, Some(before)) => At::Before(before),
            (true, None) => At::Flags,
            (false, _) => At::Page(page),
        };
        let response = request(client, op, m, body, at).response::<Value>().await?;
        let items = match response.data {
            Value::Array(items) => items,
            Value::Null => Vec::new(),
            // Not a list after all: print it as the only item.
            other => {
                out.line(&other)?;
                break;
            }
        };
        if items.is_empty() {
            break;
        }
        if previous.as_ref() == Some(&items) {
            return Err(Failure::Api(format!(
                "{}: page {page} repeats the page before it; stopping",
                op.command()
            )));
        }
        if op.is_history() {
            let oldest = items.iter().filter_map(|i| i["timestamp"].as_i64()).min();
            match oldest {
                Some(oldest) if before.is_none_or(|b| oldest < b) => before = Some(oldest),
                _ => {
                    return Err(Failure::Api(format!(
                        "{}: batch {page} does not go back in time (no older `timestamp`); \
                         stopping",
                        op.command()
                    )));
                }
            }
        }
        if raw {
            out.line(&envelope(&response.reason, &Value::Array(items.clone())))?;
        }
        for item in &items {
            if limit.is_some_and(|l| count >= l) {
                break;
            }
            if !raw {
                out.line(item)?;
            }
            count += 1;
        }
        out.flush()?;
        if progress {
            eprint!("\rcrisp: {}: page {page}, {count} items", op.command());
        }
        if limit.is_some_and(|l| count >= l) {
            break;
        }
        previous = Some(items);
        page += 1;
    }
    if progress {
        eprintln!(
            "\r\x1b[Kcrisp: {}: {count} items (pages {first} to {page} read)",
            op.command()
        );
    }
    Ok(())
}

fn events(m: &ArgMatches, out: &mut Output) -> Result<(), Failure> {
    use crisp_api::webhook::{self, Verifier};
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
    out.value(&printed)
}

fn example_body(spec: &Spec, m: &ArgMatches, out: &mut Output) -> Result<(), Failure> {
    let name = m
        .get_one::<String>("operation")
        .expect("clap requires the operation");
    let op = spec
        .find(name)
        .ok_or_else(|| Failure::Usage(format!("no operation is called `{name}`")))?;
    let body = op
        .body
        .as_ref()
        .ok_or_else(|| Failure::Usage(format!("{} takes no body", op.command())))?;
    let example = body
        .example
        .clone()
        .unwrap_or_else(|| schema::sample(&spec.root, &body.schema));
    out.value(&example)
}
