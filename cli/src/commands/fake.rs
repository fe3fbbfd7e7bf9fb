//! `crisp fake serve`: runs the stateful fake Crisp API (`crisp-fake`) on loopback for clients in
//! any language, printing where it is and one line per request, until Ctrl-C. It needs no
//! credentials: it prints the ones it accepts.

use crate::failure::Failure;
use clap::{Arg, ArgMatches, Command, value_parser};
use std::io::Write;

/// The command.
pub fn command() -> Command {
    Command::new("fake")
        .about("Serve a stateful fake Crisp API on loopback, for tests in any language")
        .subcommand_required(true)
        .subcommand(
            Command::new("serve")
                .about("Serve a stateful fake of the Crisp API (REST, web hooks, RTM) until Ctrl-C")
                .arg(
                    Arg::new("port")
                        .long("port")
                        .value_parser(value_parser!(u16))
                        .default_value("0")
                        .help("Loopback port (0: any free port)"),
                )
                .arg(
                    Arg::new("identifier")
                        .long("identifier")
                        .requires("key")
                        .help("Token identifier to accept (default: drawn from the seed)"),
                )
                .arg(
                    Arg::new("key")
                        .long("key")
                        .requires("identifier")
                        .help("Token key to accept"),
                )
                .arg(
                    Arg::new("seed")
                        .long("seed")
                        .value_parser(value_parser!(u64))
                        .default_value("0")
                        .help("Seed of ids, credentials and times"),
                )
                .arg(
                    Arg::new("strict")
                        .long("strict")
                        .action(clap::ArgAction::SetTrue)
                        .help("Answer 501 for operations without state instead of their example"),
                ),
        )
}

/// Runs `crisp fake serve`.
pub fn run(m: &ArgMatches) -> Result<(), Failure> {
    let Some(("serve", serve)) = m.subcommand() else {
        return Err(Failure::Usage(
            "usage: crisp fake serve [--port N] [--seed S]".to_owned(),
        ));
    };
    super::runtime()?
        .block_on(serve_until_ctrl_c(serve))
        .map_err(|e| Failure::Transport(format!("the fake could not serve: {e}")))
}

async fn serve_until_ctrl_c(args: &ArgMatches) -> std::io::Result<()> {
    let mut builder = crisp_fake::Fake::builder()
        .port(*args.get_one::<u16>("port").expect("defaulted"))
        .seed(*args.get_one::<u64>("seed").expect("defaulted"))
        .strict(args.get_flag("strict"))
        .log_requests(|line| {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{line}");
            let _ = out.flush();
        });
    if let (Some(id), Some(key)) = (
        args.get_one::<String>("identifier"),
        args.get_one::<String>("key"),
    ) {
        builder = builder.credentials(id, key);
    }
    let fake = builder.start().await?;
    let credentials = fake.credentials();
    {
        let mut out = std::io::stdout().lock();
        writeln!(
            out,
            "crisp fake: serving a stateful fake Crisp API (Ctrl-C to stop)"
        )?;
        writeln!(out, "API        {}", fake.base_url())?;
        writeln!(out, "socket     {}", fake.socket_url())?;
        writeln!(out, "control    {}", fake.control_url())?;
        writeln!(out, "identifier {}", credentials.identifier)?;
        writeln!(out, "key        {}", credentials.key)?;
        out.flush()?;
    }
    tokio::signal::ctrl_c().await?;
    drop(fake);
    Ok(())
}
