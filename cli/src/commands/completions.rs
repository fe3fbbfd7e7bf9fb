//! `crisp completions SHELL`: a completion script of the whole tree.

use crate::failure::Failure;
use crate::output::Output;
use crate::spec::Spec;
use clap::{Arg, ArgMatches, Command, value_parser};

/// The command.
pub fn command() -> Command {
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

/// Prints the script.
pub fn run(spec: &Spec, m: &ArgMatches) -> Result<(), Failure> {
    let shell = *m
        .get_one::<clap_complete::Shell>("shell")
        .expect("clap requires the shell");
    let mut buffer = Vec::new();
    let mut cmd = crate::cli::command(spec, crate::cli::Focus::All);
    clap_complete::generate(shell, &mut cmd, "crisp", &mut buffer);
    let mut out = Output::stdout();
    out.text(&buffer)?;
    out.flush()
}
