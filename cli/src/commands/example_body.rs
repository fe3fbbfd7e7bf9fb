//! `crisp example-body NOUN VERB`: a body to start from.

use crate::failure::Failure;
use crate::output::Output;
use crate::spec::Spec;
use clap::{Arg, ArgMatches, Command};

/// The command.
pub fn command() -> Command {
    Command::new("example-body")
        .about("Print a JSON body for a command to start from")
        .long_about(
            "Print a JSON body for a command to start from: the spec's example, or a skeleton \
             of the required fields whose `<placeholders>` must be replaced (a body still \
             holding one is refused).",
        )
        .arg(
            Arg::new("command")
                .required(true)
                .num_args(1..=2)
                .value_name("NOUN VERB")
                .help("The command (`message send`) or the operation id"),
        )
}

/// Prints the body.
pub fn run(spec: &Spec, m: &ArgMatches) -> Result<(), Failure> {
    let words: Vec<&String> = m
        .get_many::<String>("command")
        .expect("clap requires the command")
        .collect();
    let op = match words.as_slice() {
        [noun, verb] => spec.by_command(noun, verb),
        [name] => spec.find(name),
        _ => None,
    };
    let name = words
        .iter()
        .map(|w| w.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let op = op.ok_or_else(|| Failure::Usage(format!("no command is called `{name}`")))?;
    let body = op
        .body
        .as_ref()
        .ok_or_else(|| Failure::Usage(format!("{} takes no body", op.command())))?;
    let example = body
        .example
        .clone()
        .unwrap_or_else(|| crisp_api_spec::sample(spec.model.root(), &body.schema));
    let mut out = Output::stdout();
    out.value(&example)?;
    out.flush()
}
