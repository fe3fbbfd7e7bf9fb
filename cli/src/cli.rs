//! The command line: a noun–verb tree derived from the spec (`crisp conversation list`, each
//! operation's command built by [`crate::operation`]), the tool's own commands (see
//! [`crate::commands`]), and the global flags.

use crate::spec::{OpSpec, Spec};
use clap::builder::PossibleValuesParser;
use clap::{Arg, ArgAction, Command};
use std::collections::BTreeMap;

/// Exit codes, documented in `--help` and the README.
pub const EXIT_CODES: &str = "\
Exit codes:
  0  success
  2  usage error: unknown flag, missing or malformed parameter, body that does not fit the
     operation's schema, missing credentials or bad configuration; nothing was sent
  3  API error: Crisp answered with an error (its reason is printed), or an answer that
     could not be read
  4  transport error: no answer (connection refused, DNS, TLS, timeout)
  5  web hook delivery refused (`crisp events`): bad signature, stale, malformed";

const ENVIRONMENT: &str = "\
Settings (flag, then environment, then the profile of the config file):
  CRISP_IDENTIFIER, CRISP_KEY  token identifier and key (`crisp auth login` saves them)
  CRISP_TIER                   plugin (default), website or user (--tier)
  CRISP_API_URL                base URL, default https://api.crisp.chat/v1 (--api-url)
  CRISP_WEBSITE_ID             default for --website-id
  CRISP_PROFILE                profile of the config file (--profile; default `default`)
  CRISP_CONFIG                 config file (default: crisp/config.toml in the config directory)
  CRISP_PROGRESS               1 shows pages walked and retries off a terminal too, 0 hides them
Without credentials, commands that call the API fail (exit 2); --sandbox runs them against
the embedded sandbox, which answers with the spec's examples.";

/// Names of the flags the tool itself adds to operations (no spec parameter may use them).
pub const RESERVED: &[&str] = &[
    "profile",
    "identifier",
    "key",
    "tier",
    "api-url",
    "sandbox",
    "raw",
    "output",
    "jq",
    "body",
    "no-validate",
    "all",
    "limit",
    "help",
    "version",
];

/// Which part of the tree to build in full: building only what the command line needs keeps
/// `--help` and every call fast.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Focus<'a> {
    /// No command given: the grouped top-level help.
    Root,
    /// This first word (a noun, or a tool command): the other nouns are stubs.
    Word(&'a str),
    /// Everything (completion scripts).
    All,
}

/// The whole command line.
pub fn command(spec: &Spec, focus: Focus<'_>) -> Command {
    let mut root = Command::new("crisp")
        .version(env!("CARGO_PKG_VERSION"))
        .about("The Crisp REST API v1 from the command line")
        .after_long_help(format!("{ENVIRONMENT}\n\n{EXIT_CODES}"))
        .subcommand_required(true)
        .arg_required_else_help(true)
        .disable_help_subcommand(true)
        .max_term_width(100);
    if focus == Focus::Root {
        root = root
            .help_template(
                "{about-with-newline}\n{usage-heading} {usage}\n\n{before-help}\n\n{all-args}{after-help}",
            )
            .override_usage("crisp NOUN VERB [OPTIONS]")
            .before_help(listing(spec).trim_end().to_owned())
            .after_help(
                "`crisp NOUN --help` lists a noun's commands; `crisp --help` shows the settings \
                 and exit codes.",
            );
    }
    for (noun, ops) in nouns(spec) {
        let full = match focus {
            Focus::All => true,
            Focus::Word(word) => word == noun || word == plural(noun),
            Focus::Root => false,
        };
        root = root.subcommand(noun_command(noun, &ops, full, focus == Focus::Root));
    }
    for cmd in crate::commands::all() {
        root = root.subcommand(cmd.hide(focus == Focus::Root));
    }
    root
}

/// Every noun with its operations, in the order of the spec's families.
pub fn nouns(spec: &Spec) -> Vec<(&str, Vec<&OpSpec>)> {
    let mut by_noun: BTreeMap<&str, Vec<&OpSpec>> = BTreeMap::new();
    for o in &spec.operations {
        by_noun.entry(o.noun.as_str()).or_default().push(o);
    }
    let order: Vec<&str> = spec.families().iter().map(|(name, _)| *name).collect();
    let mut list: Vec<(&str, Vec<&OpSpec>)> = by_noun.into_iter().collect();
    list.sort_by_key(|(noun, ops)| {
        let family = ops[0].op.family;
        (order.iter().position(|f| *f == family), *noun)
    });
    list
}

fn plural(noun: &str) -> String {
    match noun {
        "people" | "analytics" | "media" => noun.to_owned(),
        n if n.ends_with('x') => format!("{n}es"),
        n => format!("{n}s"),
    }
}

/// The grouped top-level listing: each family with its nouns and their first verbs.
fn listing(spec: &Spec) -> String {
    let mut text = String::from("Commands, by family (`crisp NOUN VERB`):\n");
    let all = nouns(spec);
    for (family, description) in spec.families() {
        let members: Vec<&(&str, Vec<&OpSpec>)> = all
            .iter()
            .filter(|(_, ops)| ops[0].op.family == family && ops.iter().any(|o| !o.op.deprecated))
            .collect();
        if members.is_empty() {
            continue;
        }
        let about = description
            .split(['.', '('])
            .next()
            .unwrap_or(family)
            .trim();
        text.push_str(&format!("\n{about}:\n"));
        for (noun, ops) in members {
            text.push_str(&format!("  {noun:<14}{}\n", noun_about(ops)));
        }
    }
    text.push_str("\nTool:\n");
    for cmd in crate::commands::all() {
        let about = cmd.get_about().map(ToString::to_string).unwrap_or_default();
        text.push_str(&format!("  {:<14}{about}\n", cmd.get_name()));
    }
    text
}

/// `list, get, create, … (21 commands)`: the most common verbs first.
fn noun_about(ops: &[&OpSpec]) -> String {
    const COMMON: [&str; 8] = [
        "list", "get", "search", "create", "send", "update", "save", "remove",
    ];
    let visible: Vec<&str> = ops
        .iter()
        .filter(|o| !o.op.deprecated)
        .map(|o| o.verb.as_str())
        .collect();
    let mut shown: Vec<&str> = COMMON
        .iter()
        .copied()
        .filter(|v| visible.contains(v))
        .collect();
    shown.truncate(4);
    // Then the others, while the line stays short.
    for verb in &visible {
        let width: usize = shown.iter().map(|v| v.len() + 2).sum();
        if shown.len() >= 4 || width + verb.len() > 56 {
            break;
        }
        if !shown.contains(verb) {
            shown.push(verb);
        }
    }
    if shown.is_empty() {
        shown.extend(visible.first());
    }
    let more = visible.len().saturating_sub(shown.len());
    let mut about = shown.join(", ");
    if more > 0 {
        about.push_str(&format!(", … ({} commands)", visible.len()));
    }
    about
}

fn noun_command(noun: &str, ops: &[&OpSpec], full: bool, hidden: bool) -> Command {
    let family = ops[0].op.family;
    let mut cmd = Command::new(noun.to_owned())
        .about(noun_about(ops))
        .long_about(format!("{} (family `{family}`)", noun_about(ops)))
        .subcommand_required(true)
        .arg_required_else_help(true)
        .args(connection_args())
        .args(output_args())
        .hide(hidden || ops.iter().all(|o| o.op.deprecated));
    let plural = plural(noun);
    if plural != noun {
        cmd = cmd.alias(plural);
    }
    if full {
        for o in ops {
            cmd = cmd.subcommand(crate::operation::command(o));
        }
    }
    cmd
}

fn global(name: &'static str) -> Arg {
    Arg::new(name).long(name).global(true)
}

/// The flags that choose the account and the API (on every command that calls it).
pub fn connection_args() -> Vec<Arg> {
    let connection = "Connection";
    vec![
        global("profile")
            .value_name("NAME")
            .help_heading(connection)
            .help("Profile of the config file [env: CRISP_PROFILE; default: default]"),
        global("identifier")
            .value_name("ID")
            .help_heading(connection)
            .help("Token identifier [env: CRISP_IDENTIFIER]"),
        global("key")
            .value_name("KEY")
            .help_heading(connection)
            .help("Token key [env: CRISP_KEY; better: `crisp auth login`]"),
        global("tier")
            .value_name("TIER")
            .value_parser(PossibleValuesParser::new(["plugin", "website", "user"]))
            .help_heading(connection)
            .help("Token tier [env: CRISP_TIER; default: plugin]"),
        global("api-url")
            .value_name("URL")
            .help_heading(connection)
            .help("Base URL of the API [env: CRISP_API_URL]"),
        global("sandbox")
            .action(ArgAction::SetTrue)
            .help_heading(connection)
            .help("Run against the embedded sandbox, which answers with the spec's examples"),
    ]
}

/// The flags that shape what is printed.
pub fn output_args() -> Vec<Arg> {
    let output = "Output";
    vec![
        global("output")
            .short('o')
            .value_name("FORMAT")
            .value_parser(PossibleValuesParser::new(["json", "table", "yaml"]))
            .help_heading(output)
            .help("Output format [default: json]"),
        global("jq")
            .value_name("FILTER")
            .help_heading(output)
            .help("Filter the output with a jq expression, such as '.[] | .session_id'"),
        global("raw")
            .action(ArgAction::SetTrue)
            .help_heading(output)
            .help("Print the whole envelope {error, reason, data}, errors included"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_well_formed() {
        let spec = crate::spec::Spec::load();
        let cmd = command(&spec, Focus::All);
        cmd.clone().debug_assert();
        let tools: Vec<String> = crate::commands::all()
            .iter()
            .map(|c| c.get_name().to_owned())
            .collect();
        let verbs: usize = cmd
            .get_subcommands()
            .filter(|noun| !tools.iter().any(|t| t == noun.get_name()))
            .map(|noun| noun.get_subcommands().count())
            .sum();
        assert_eq!(
            verbs,
            spec.operations.len(),
            "one command per operation, each under its noun"
        );
        let names: std::collections::HashSet<String> =
            spec.operations.iter().map(OpSpec::command).collect();
        assert_eq!(names.len(), spec.operations.len(), "commands are unique");
        for focus in [Focus::Root, Focus::Word("conversation")] {
            command(&spec, focus).debug_assert();
        }
    }
}
