//! Running an operation's command through the SDK's raw call: its parameters checked (formats,
//! the default website), its body read and checked, the answer printed or walked page by page.

use crate::failure::{self, Context, Failure};
use crate::output::Output;
use crate::schema;
use crate::settings::{Settings, WEBSITE_PARAM};
use crate::spec::{Kind, Location, OpSpec, Spec};
use clap::ArgMatches;
use crisp_api::{Client, Method, RawRequest};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::{IsTerminal, Read};

/// The values of the parameters, as sent (flags as `1`/`0`), checked.
type Values = BTreeMap<String, String>;

/// Runs an operation's command.
pub fn operation(spec: &Spec, op: &OpSpec, m: &ArgMatches) -> Result<(), Failure> {
    if op.op.deprecated {
        eprintln!(
            "crisp: warning: `{}` (operation {}) is deprecated",
            op.command(),
            op.op.id
        );
    }
    let settings = Settings::resolve(m)?;
    let values = values(op, m, &settings)?;
    let body = read_body(spec, op, m)?;
    let mut out = Output::from_flags(m, &op.noun)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Failure::Usage(format!("cannot start the async runtime: {e}")))?;
    let result = runtime.block_on(async {
        let connection = settings.connect().await?;
        let context = Context {
            host: connection.host.clone(),
            tier: connection.client.tier().as_str().to_owned(),
        };
        let call = Call {
            op,
            values: &values,
            body: body.as_ref(),
            client: &connection.client,
            raw: m.get_flag("raw"),
        };
        call.run(m, &mut out).await.map_err(|e| match e {
            Error::Sdk(e) => {
                if call.raw
                    && let Some(envelope) = failure::envelope(&e)
                {
                    let _ = out.line(&envelope);
                }
                failure::explain(e, &context)
            }
            Error::Cli(f) => f,
        })
    });
    // Print what was gathered before a failure (pages already walked).
    out.finish()?;
    result
}

/// The parameters' values: given, or the website from the settings; path parameters checked
/// against their format, none empty.
fn values(op: &OpSpec, m: &ArgMatches, settings: &Settings) -> Result<Values, Failure> {
    let mut values = Values::new();
    for p in &op.params {
        let given = match &p.kind {
            Kind::Flag => m
                .get_one::<bool>(&p.name)
                .map(|b| if *b { "1" } else { "0" }.to_owned()),
            Kind::Integer { .. } => m.get_one::<i64>(&p.name).map(i64::to_string),
            Kind::Number => m.get_one::<f64>(&p.name).map(f64::to_string),
            Kind::Enum(_) | Kind::Text => m.get_one::<String>(&p.name).cloned(),
        };
        let (value, source) = match given {
            Some(value) => (Some(value), format!("--{}", p.flag())),
            None if p.name == WEBSITE_PARAM => match settings.get(WEBSITE_PARAM) {
                Some(setting) => (Some(setting.value.clone()), setting.source.to_string()),
                None => (None, String::new()),
            },
            None => (None, String::new()),
        };
        let Some(value) = value else {
            if p.location == Location::Path && p.name != "page_number" {
                return Err(Failure::Usage(format!(
                    "--{} is required (or set CRISP_WEBSITE_ID, or `website_id` in the profile)",
                    p.flag()
                )));
            }
            continue;
        };
        if p.location == Location::Path {
            if value.trim().is_empty() {
                return Err(Failure::Usage(format!("{source} is empty")));
            }
            if let Some(format) = &p.format
                && !format.accepts(&value)
            {
                return Err(Failure::Usage(format!(
                    "{source} `{value}` is not {}; nothing was sent",
                    format.describe()
                )));
            }
        }
        values.insert(p.name.clone(), value);
    }
    Ok(values)
}

/// Reads, parses and checks the JSON body, before anything is sent: `--body JSON`,
/// `--body @FILE` or `--body -` (stdin).
fn read_body(spec: &Spec, op: &OpSpec, m: &ArgMatches) -> Result<Option<Value>, Failure> {
    let Some(body) = &op.body else {
        return Ok(None);
    };
    let Some(given) = m.get_one::<String>("body") else {
        return Ok(None);
    };
    let (source, text) = if given == "-" {
        if std::io::stdin().is_terminal() {
            eprintln!("crisp: reading the JSON body from stdin (end it with Ctrl-D)");
        }
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Failure::Usage(format!("cannot read the body from stdin: {e}")))?;
        ("the body read from stdin".to_owned(), text)
    } else if let Some(file) = given.strip_prefix('@') {
        let text = std::fs::read_to_string(file)
            .map_err(|e| Failure::Usage(format!("cannot read the body file {file}: {e}")))?;
        (format!("the body file {file}"), text)
    } else {
        ("--body".to_owned(), given.clone())
    };
    let value: Value = serde_json::from_str(&text)
        .map_err(|e| Failure::Usage(format!("{source} is not valid JSON: {e}")))?;
    if let Some(at) = schema::placeholder(&value) {
        return Err(Failure::Usage(format!(
            "{source} still holds the placeholder at `{at}` from `crisp example-body`: \
             replace it with a real value"
        )));
    }
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

/// A failure of a call: the SDK's error (explained with the connection's context), or one
/// of the tool's own.
enum Error {
    Sdk(crisp_api::Error),
    Cli(Failure),
}

impl From<crisp_api::Error> for Error {
    fn from(e: crisp_api::Error) -> Self {
        Error::Sdk(e)
    }
}

impl From<Failure> for Error {
    fn from(f: Failure) -> Self {
        Error::Cli(f)
    }
}

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

struct Call<'a> {
    op: &'a OpSpec,
    values: &'a Values,
    body: Option<&'a Value>,
    client: &'a Client,
    raw: bool,
}

fn envelope(reason: &str, data: &Value) -> Value {
    json!({"error": false, "reason": reason, "data": data})
}

impl Call<'_> {
    fn request(&self, at: At) -> RawRequest<'_> {
        let op = self.op;
        let method =
            Method::from_bytes(op.op.method.as_bytes()).expect("the spec's methods are valid");
        let segments: Vec<String> = op
            .op
            .path
            .split('/')
            .filter(|s| !s.is_empty())
            .map(|segment| {
                match (
                    segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')),
                    at,
                ) {
                    (Some("page_number"), At::Page(page)) => page.to_string(),
                    (Some(name), _) => self.values.get(name).cloned().unwrap_or_default(),
                    (None, _) => segment.to_owned(),
                }
            })
            .collect();
        let mut request = self.client.raw(method, segments);
        for p in op.params.iter().filter(|p| p.location == Location::Query) {
            if let (At::Before(before), crate::spec::HISTORY_CURSOR) = (at, p.name.as_str()) {
                request = request.query(&p.name, before);
            } else if let Some(value) = self.values.get(&p.name) {
                request = request.query(&p.name, value);
            }
        }
        if let Some(body) = self.body {
            request = request.json(body);
        }
        request
    }

    async fn run(&self, m: &ArgMatches, out: &mut Output) -> Result<(), Error> {
        let op = self.op;
        if op.is_check() {
            let exists = self.request(At::Flags).exists().await?;
            return Ok(out.value(&Value::Bool(exists))?);
        }
        let walk =
            (op.op.paginated || op.is_history()) && (m.get_flag("all") || m.contains_id("limit"));
        if !walk {
            let response = self.request(At::Flags).response::<Value>().await?;
            return Ok(out.value(&if self.raw {
                envelope(&response.reason, &response.data)
            } else {
                response.data
            })?);
        }
        self.walk(m, out).await
    }

    /// `--all` / `--limit`: every page (or the history back in time), one item per line.
    async fn walk(&self, m: &ArgMatches, out: &mut Output) -> Result<(), Error> {
        let op = self.op;
        let limit = m.get_one::<u64>("limit").copied().filter(|l| *l > 0);
        let first = self
            .values
            .get("page_number")
            .and_then(|p| p.parse::<u64>().ok())
            .unwrap_or(1);
        let progress = crate::progress::enabled();
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
            let response = self.request(at).response::<Value>().await?;
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
                ))
                .into());
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
                        ))
                        .into());
                    }
                }
            }
            if self.raw {
                out.line(&envelope(&response.reason, &Value::Array(items.clone())))?;
            }
            for item in &items {
                if limit.is_some_and(|l| count >= l) {
                    break;
                }
                if !self.raw {
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
}
