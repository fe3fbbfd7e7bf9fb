//! `crisp`: every operation of the Crisp REST API v1 as a subcommand.
//!
//! The command line is derived at run time from [`crisp_api::operations::ALL`] and the bundled
//! OpenAPI document: no operation has hand-written code here. Requests go through the SDK's raw
//! call, so authentication, tiers, retries, percent-encoding and error mapping are the SDK's.
//! See `README.md` beside this crate.
#![warn(missing_docs)]

mod cli;
mod fake;
mod output;
mod run;
mod schema;
mod spec;

use std::process::ExitCode;

fn main() -> ExitCode {
    if let Some(code) = fake::dispatch() {
        return code;
    }
    let spec = spec::Spec::load();
    let matches = match cli::command(&spec).try_get_matches() {
        Ok(matches) => matches,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    match run::run(&spec, &matches) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("crisp: {failure}");
            ExitCode::from(failure.code())
        }
    }
}
