//! `crisp`: every operation of the Crisp REST API v1 as a command, by noun and verb
//! (`crisp conversation list`).
//!
//! The command tree is derived from [`crisp_api::operations::ALL`] and a digest of the bundled
//! OpenAPI document that `build.rs` writes at build time: no operation has hand-written code
//! here. Requests go through the SDK's raw call, so authentication, tiers, retries,
//! percent-encoding and error mapping are the SDK's. See `README.md` beside this crate.
#![warn(missing_docs)]

mod cli;
mod commands;
mod failure;
mod jq;
// Its rules run in build.rs; the binary reads the identifier formats, its tests the rules.
#[allow(dead_code)]
mod names;
mod operation;
mod output;
mod progress;
mod settings;
mod spec;
mod table;

use std::ffi::OsString;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args: Vec<OsString> = std::env::args_os().collect();
    let spec = spec::Spec::load();
    aliases(&spec, &mut args);
    let first = args
        .get(1)
        .and_then(|a| a.to_str())
        .filter(|a| !a.starts_with('-'));
    let focus = match first {
        Some(word) => cli::Focus::Word(word),
        None => cli::Focus::Root,
    };
    let matches = match cli::command(&spec, focus).try_get_matches_from(&args) {
        Ok(matches) => matches,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    progress::install();
    let result = match matches.subcommand() {
        Some((name, m)) => match commands::run(&spec, name, m) {
            Some(result) => result,
            None => match m.subcommand() {
                Some((verb, m)) => match spec.by_command(name, verb) {
                    Some(op) => operation::run(&spec, op, m),
                    None => Err(failure::Failure::Usage(format!(
                        "no command `{name} {verb}`"
                    ))),
                },
                None => Err(failure::Failure::Usage(format!(
                    "`crisp {name}` needs a verb"
                ))),
            },
        },
        None => Err(failure::Failure::Usage(
            "a command is required (see --help)".to_owned(),
        )),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("crisp: {failure}");
            ExitCode::from(failure.code())
        }
    }
}

/// The operation ids (`list-conversations`, `list_conversations`) are hidden aliases of their
/// commands, and `login` of `auth login`: the command line is rewritten before parsing.
fn aliases(spec: &spec::Spec, args: &mut Vec<OsString>) {
    let Some(first) = args.get(1).and_then(|a| a.to_str()).map(str::to_owned) else {
        return;
    };
    let words: Vec<String> = if first == "login" {
        vec!["auth".into(), "login".into()]
    } else {
        let id = first.replace('-', "_");
        match spec.operations.iter().find(|o| o.op.id == id) {
            Some(op) => vec![op.noun.clone(), op.verb.clone()],
            None => return,
        }
    };
    args.splice(1..2, words.into_iter().map(OsString::from));
}
