//! The tool's own commands, beside the operations' noun–verb tree: one file each. A new one
//! (such as `fake`) adds its module, one line in [`all`] and one in [`run`].

use crate::failure::Failure;
use crate::spec::Spec;
use clap::{ArgMatches, Command};

mod auth;
mod completions;
mod events;
mod example_body;
mod fake;
mod listen;

/// Every tool command, in the order of the top-level help.
pub fn all() -> Vec<Command> {
    vec![
        auth::command(),
        listen::command(),
        events::command(),
        example_body::command(),
        fake::command(),
        completions::command(),
    ]
}

/// Runs the tool command `name`, or `None` when `name` is not one.
pub fn run(spec: &Spec, name: &str, m: &ArgMatches) -> Option<Result<(), Failure>> {
    Some(match name {
        "auth" => auth::run(m),
        "listen" => listen::run(m),
        "events" => events::run(m),
        "example-body" => example_body::run(spec, m),
        "fake" => fake::run(m),
        "completions" => completions::run(spec, m),
        _ => return None,
    })
}

/// A current-thread runtime for a command's async part.
pub fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Failure::Usage(format!("cannot start the async runtime: {e}")))
}
