//! Running an operation's command through the SDK's raw call: its parameters checked (formats,
//! the default website), its body read and checked ([`super::body`]), the answer printed or
//! walked page by page ([`super::walk`]).

use crate::failure::{self, Context, Failure};
use crate::output::Output;
use crate::settings::{Settings, WEBSITE_PARAM};
use crate::spec::{Kind, Location, OpSpec, Spec};
use clap::ArgMatches;
use crisp_api::{Client, Method, RawRequest};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// The values of the parameters, as sent (flags as `1`/`0`), checked.
type Values = BTreeMap<String, String>;

/// Runs an operation's command.
pub fn run(spec: &Spec, op: &OpSpec, m: &ArgMatches) -> Result<(), Failure> {
    if op.op.deprecated {
        eprintln!(
            "crisp: warning: `{}` (operation {}) is deprecated",
            op.command(),
            op.op.id
        );
    }
    let settings = Settings::resolve(m)?;
    let values = values(op, m, &settings)?;
    let body = super::body::read(spec, op, m)?;
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
            Kind::Boolean => m.get_one::<bool>(&p.name).map(bool::to_string),
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

/// A failure of a call: the SDK's error (explained with the connection's context), or one
/// of the tool's own.
pub(super) enum Error {
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
pub(super) enum At {
    /// As the flags say.
    Flags,
    /// This page number.
    Page(u64),
    /// Messages before this timestamp.
    Before(i64),
}

pub(super) struct Call<'a> {
    pub(super) op: &'a OpSpec,
    pub(super) values: &'a Values,
    pub(super) body: Option<&'a Value>,
    pub(super) client: &'a Client,
    pub(super) raw: bool,
}

/// The envelope Crisp wrapped `data` in, for `--raw`.
pub(super) fn envelope(reason: &str, data: &Value) -> Value {
    json!({"error": false, "reason": reason, "data": data})
}

impl Call<'_> {
    /// The request for this call, at a page or cursor of a walk.
    pub(super) fn request(&self, at: At) -> RawRequest<'_> {
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
            let is_cursor = op.cursor.as_ref().is_some_and(|c| c.param == p.name);
            if let (At::Before(before), true) = (at, is_cursor) {
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

    /// Sends it (or walks the list) and prints the answer.
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
}
