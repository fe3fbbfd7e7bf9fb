//! The command line, built at run time from the spec: one subcommand per operation, plus
//! `events`, `example-body` and `completions`.

use crate::spec::{Kind, Location, OpSpec, Param, Spec};
use clap::builder::{BoolishValueParser, PossibleValuesParser};
use clap::{Arg, ArgAction, ArgGroup, Command, value_parser};

/// Exit codes, documented in `--help` and the README.
pub const EXIT_CODES: &str = "\
Exit codes:
  0  success
  2  usage error: unknown flag, missing or malformed parameter, body that does not fit the
     operation's schema, bad configuration
  3  API error: Crisp answered with an error (its reason is printed), or an answer that
     could not be read
  4  transport error: no answer (connection refused, DNS, TLS, timeout)
  5  web hook delivery refused (`crisp events`): bad signature, stale, malformed";

const ENVIRONMENT: &str = "\
Environment (like `Client::from_env` of the crisp-api crate):
  CRISP_IDENTIFIER, CRISP_KEY  token identifier and key (--identifier, --key)
  CRISP_TIER                   plugin (default), website or user (--tier)
  CRISP_API_URL                base URL, default https://api.crisp.chat/v1 (--api-url)
Without credentials, commands run against the embedded sandbox (as with --sandbox), which
answers every operation with the spec's example.";

/// Names of the flags the tool itself adds to operations (no spec parameter may use them).
pub const RESERVED: &[&str] = &[
    "identifier",
    "key",
    "tier",
    "api-url",
    "sandbox",
    "raw",
    "body",
    "body-file",
    "no-validate",
    "all",
    "limit",
    "help",
    "version",
];

/// The whole command line.
pub fn command(spec: &Spec) -> Command {
    let mut root = Command::new("crisp")
        .version(env!("CARGO_PKG_VERSION"))
        .about("Call any operation of the Crisp REST API v1 from the command line")
        .long_about(
            "Call any operation of the Crisp REST API v1 from the command line.\n\n\
             Each operation of the API is a subcommand named after its operationId in kebab case \
             (`crisp list-conversations --website-id W --filter-unread`); its path and query \
             parameters are flags, its JSON body comes from --body or --body-file. The `data` of \
             the answer is printed as JSON.",
        )
        .after_help(format!("{ENVIRONMENT}\n\n{EXIT_CODES}"))
        .subcommand_required(true)
        .arg_required_else_help(true)
        .max_term_width(100)
        .args(connection_args());
    for op in &spec.operations {
        root = root.subcommand(operation(op));
    }
    root.subcommand(events())
        .subcommand(example_body())
        .subcommand(completions())
}

fn connection_args() -> Vec<Arg> {
    let heading = "Connection";
    vec![
        Arg::new("identifier")
            .long("identifier")
            .global(true)
            .value_name("ID")
            .help_heading(heading)
            .help("Token identifier [env: CRISP_IDENTIFIER]"),
        Arg::new("key")
            .long("key")
            .global(true)
            .value_name("KEY")
            .help_heading(heading)
            .help("Token key [env: CRISP_KEY]"),
        Arg::new("tier")
            .long("tier")
            .global(true)
            .value_name("TIER")
            .value_parser(PossibleValuesParser::new(["plugin", "website", "user"]))
            .help_heading(heading)
            .help("Token tier [env: CRISP_TIER; default: plugin]"),
        Arg::new("api-url")
            .long("api-url")
            .global(true)
            .value_name("URL")
            .help_heading(heading)
            .help("Base URL of the API [env: CRISP_API_URL]"),
        Arg::new("sandbox")
            .long("sandbox")
            .global(true)
            .action(ArgAction::SetTrue)
            .help_heading(heading)
            .help("Run against the embedded sandbox (the default without credentials)"),
        Arg::new("raw")
            .long("raw")
            .global(true)
            .action(ArgAction::SetTrue)
            .help_heading("Output")
            .help("Print the whole envelope {error, reason, data} instead of `data`"),
    ]
}

fn first_line(text: &str) -> String {
    let paragraph = text.split("\n\n").next().unwrap_or_default();
    paragraph.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn operation(o: &OpSpec) -> Command {
    let op = o.op;
    let mut about = op.summary.to_owned();
    if op.deprecated {
        about.push_str(" [deprecated]");
    }
    let tiers: Vec<&str> = op.tiers.iter().map(|t| t.as_str()).collect();
    let mut long = about.clone();
    if let Some(description) = &o.description {
        long.push_str("\n\n");
        long.push_str(description);
    }
    long.push_str(&format!(
        "\n\n{} {} (operation `{}`, family `{}`; tiers: {})",
        op.method,
        op.path,
        op.id,
        op.family,
        tiers.join(", ")
    ));
    let mut cmd = Command::new(o.command())
        .about(about)
        .long_about(long)
        .after_help(EXIT_CODES);
    for p in &o.params {
        cmd = cmd.arg(parameter(o, p));
    }
    if let Some(body) = &o.body {
        let help = if body.required {
            "The JSON body (required); `-` reads it from stdin"
        } else {
            "The JSON body; `-` reads it from stdin"
        };
        cmd = cmd
            .arg(
                Arg::new("body")
                    .long("body")
                    .value_name("JSON")
                    .help_heading("Body")
                    .help(help)
                    .long_help(format!(
                        "{help}. It is checked against the operation's schema before sending; \
                         `crisp example-body {}` prints a skeleton to start from.",
                        o.command()
                    )),
            )
            .arg(
                Arg::new("body-file")
                    .long("body-file")
                    .value_name("FILE")
                    .help_heading("Body")
                    .help("Read the JSON body from a file (`-` for stdin)"),
            )
            .arg(
                Arg::new("no-validate")
                    .long("no-validate")
                    .action(ArgAction::SetTrue)
                    .help_heading("Body")
                    .help("Send the body without checking it against the spec's schema"),
            )
            .group(
                ArgGroup::new("json-body")
                    .args(["body", "body-file"])
                    .required(body.required)
                    .multiple(false),
            );
    }
    if op.paginated || o.is_history() {
        let all = if o.is_history() {
            "Walk the history back in time (from --timestamp-before, default the latest \
             messages), each batch's oldest `timestamp` becoming the next --timestamp-before, \
             until an empty batch; print one JSON message per line"
        } else {
            "Walk every page (from --page-number, default 1) until an empty one; print one JSON \
             item per line"
        };
        cmd = cmd
            .arg(
                Arg::new("all")
                    .long("all")
                    .action(ArgAction::SetTrue)
                    .help_heading("Pages")
                    .help(all),
            )
            .arg(
                Arg::new("limit")
                    .long("limit")
                    .value_name("N")
                    .value_parser(value_parser!(u64).range(1..))
                    .help_heading("Pages")
                    .help("Like --all, stopping after N items"),
            );
    }
    cmd
}

fn parameter(o: &OpSpec, p: &Param) -> Arg {
    let flag = p.flag();
    debug_assert!(
        !RESERVED.contains(&flag.as_str()),
        "{}: parameter {flag} clashes with a flag of the tool",
        o.op.id
    );
    let is_page = o.op.paginated && p.name == "page_number";
    let mut arg = Arg::new(p.name.clone())
        .long(flag)
        .help(first_line(&p.description))
        .long_help(p.description.clone())
        .required(p.required && !is_page)
        .help_heading(match p.location {
            Location::Path => "Path parameters",
            Location::Query => "Query parameters",
        });
    arg = match &p.kind {
        Kind::Flag => arg
            .num_args(0..=1)
            .require_equals(true)
            .default_missing_value("true")
            .value_name("BOOL")
            .hide_possible_values(true)
            .value_parser(BoolishValueParser::new()),
        Kind::Integer { min, max } => {
            let parser = match (min, max) {
                (Some(min), Some(max)) => value_parser!(i64).range(*min..=*max),
                (Some(min), None) => value_parser!(i64).range(*min..),
                (None, Some(max)) => value_parser!(i64).range(..=*max),
                (None, None) => value_parser!(i64).range(..),
            };
            arg.value_name("INT").value_parser(parser)
        }
        Kind::Number => arg.value_name("NUMBER").value_parser(value_parser!(f64)),
        Kind::Enum(values) => arg
            .value_name(p.name.to_uppercase())
            .value_parser(PossibleValuesParser::new(values.clone())),
        Kind::Text => arg.value_name(p.name.to_uppercase()),
    };
    if is_page {
        arg = arg.default_value("1");
    }
    arg
}

fn events() -> Command {
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

fn example_body() -> Command {
    Command::new("example-body")
        .about(
            "Print a JSON body for an operation to start from (the spec's example, or a skeleton)",
        )
        .arg(
            Arg::new("operation")
                .required(true)
                .value_name("OPERATION")
                .help("The subcommand (or operation id), such as send-message-in-conversation"),
        )
}

fn completions() -> Command {
    Command::new("completions")
        .about("Print a shell completion script")
        .long_about(
            "Print a shell completion script.\n\n\
             bash: crisp completions bash > ~/.local/share/bash-completion/completions/crisp\n\
             zsh:  crisp completions zsh > \"${fpath[1]}/_crisp\"\n\
             fish: crisp completions fish > ~/.config/fish/completions/crisp.fish",
        )
        .arg(
            Arg::new("shell")
                .required(true)
                .value_parser(value_parser!(clap_complete::Shell)),
        )
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_command_line_is_well_formed() {
        let spec = crate::spec::Spec::load();
        let cmd = super::command(&spec);
        cmd.clone().debug_assert();
        assert_eq!(
            cmd.get_subcommands().count(),
            spec.operations.len() + 3,
            "one subcommand per operation, plus events, example-body and completions"
        );
    }
}
