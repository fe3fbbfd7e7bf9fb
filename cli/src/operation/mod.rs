//! An operation's command (`crisp conversation list`): the clap command built from the spec
//! ([`command`]), and running it ([`run`]: parameters, [`body`], the call, [`walk`]ing a list).

mod body;
mod run;
mod walk;

pub use run::run;

use crate::spec::{Kind, Location, OpSpec, Param};
use clap::builder::{BoolishValueParser, PossibleValuesParser};
use clap::{Arg, ArgAction, ArgGroup, Command, value_parser};

fn first_line(text: &str) -> String {
    let paragraph = text.split("\n\n").next().unwrap_or_default();
    paragraph.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The command of one operation: its summary and description, route, example, parameters as
/// flags, `--body` and, for a walked list, `--all`/`--limit`.
pub fn command(o: &OpSpec) -> Command {
    let op = o.op;
    let mut about = o.summary.clone();
    if op.deprecated {
        about.push_str(" [deprecated]");
    }
    let tiers: Vec<&str> = op.tiers.iter().map(|t| t.as_str()).collect();
    let mut long = about.clone();
    if let Some(description) = &o.description {
        long.push_str("\n\n");
        long.push_str(description);
    }
    if o.is_check() {
        long.push_str("\n\nPrints `true` or `false`.");
    }
    long.push_str(&format!(
        "\n\n{} {} (operation `{}`, family `{}`; tiers: {})",
        op.method,
        op.path,
        op.id,
        op.family,
        tiers.join(", ")
    ));
    let example = format!("Example:\n  {}", o.example);
    let mut cmd = Command::new(o.verb.clone())
        .about(about)
        .long_about(long)
        .hide(op.deprecated)
        .after_help(example.clone())
        .after_long_help(format!("{example}\n\n{}", crate::cli::EXIT_CODES));
    if o.alias() != o.verb {
        cmd = cmd.alias(o.alias());
    }
    for p in &o.params {
        cmd = cmd.arg(parameter(o, p));
    }
    if let Some(body) = &o.body {
        let help = if body.required {
            "The JSON body (required): JSON text, @FILE, or - for stdin"
        } else {
            "The JSON body: JSON text, @FILE, or - for stdin"
        };
        cmd = cmd
            .arg(
                Arg::new("body")
                    .long("body")
                    .value_name("JSON|@FILE|-")
                    .help_heading("Body")
                    .help(help)
                    .long_help(format!(
                        "{help}. It is checked against the operation's schema before sending; \
                         `crisp example-body {}` prints one to start from.",
                        o.command()
                    )),
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
                    .args(["body"])
                    .required(body.required),
            );
    }
    if op.paginated || o.is_history() {
        let all = match o.cursor.as_ref().filter(|_| o.is_history()) {
            Some(cursor) => {
                let flag = cursor.param.replace('_', "-");
                format!(
                    "Walk the history back in time (from --{flag}, default the latest \
                     messages), each batch's oldest `{}` becoming the next --{flag}, until an \
                     empty batch; print one JSON message per line",
                    cursor.field
                )
            }
            None => "Walk every page (from --page-number, default 1) until an empty one; print \
                     one JSON item per line"
                .to_owned(),
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
                    .value_parser(value_parser!(u64))
                    .help_heading("Pages")
                    .help("Like --all, stopping after N items (0: no limit, the same as --all)"),
            );
    }
    cmd
}

fn parameter(o: &OpSpec, p: &Param) -> Arg {
    let flag = p.flag();
    debug_assert!(
        !crate::cli::RESERVED.contains(&flag.as_str()),
        "{}: parameter {flag} clashes with a flag of the tool",
        o.op.id
    );
    let is_page = o.op.paginated && p.name == "page_number";
    // The website comes from --website-id, CRISP_WEBSITE_ID or the profile: checked when run.
    let has_default = p.name == crate::settings::WEBSITE_PARAM;
    let mut help = first_line(&p.description);
    let mut long_help = p.description.clone();
    if has_default {
        let default = " [default: CRISP_WEBSITE_ID, or the profile's website_id]";
        help.push_str(default);
        long_help.push_str(default);
    }
    let mut arg = Arg::new(p.name.clone())
        .long(flag)
        .help(help)
        .long_help(long_help)
        .required(p.required && !is_page && !has_default)
        .help_heading(match p.location {
            Location::Path => "Path parameters",
            _ => "Query parameters",
        });
    arg = match &p.kind {
        Kind::Flag | Kind::Boolean => arg
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
