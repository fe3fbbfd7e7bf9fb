//! Where results go: JSON on stdout (pretty on a terminal, compact otherwise), and the
//! failures that decide the exit code.

use serde_json::Value;
use std::fmt;
use std::io::{self, BufWriter, IsTerminal, Write};

/// Why a command failed; each kind has its own exit code (see [`crate::cli::EXIT_CODES`]).
#[derive(Debug)]
pub enum Failure {
    /// Exit 2: the command line, a body or the configuration is wrong; nothing was sent.
    Usage(String),
    /// Exit 3: Crisp answered with an error, or with something unreadable.
    Api(String),
    /// Exit 4: no answer (connection, DNS, TLS, timeout).
    Transport(String),
    /// Exit 5: a web hook delivery was refused.
    Refused(String),
}

impl Failure {
    /// The process exit code.
    pub fn code(&self) -> u8 {
        match self {
            Failure::Usage(_) => 2,
            Failure::Api(_) => 3,
            Failure::Transport(_) => 4,
            Failure::Refused(_) => 5,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Usage(m) => write!(f, "error: {m}"),
            Failure::Api(m) => write!(f, "API error: {m}"),
            Failure::Transport(m) => write!(f, "transport error: {m}"),
            Failure::Refused(m) => write!(f, "delivery refused: {m}"),
        }
    }
}

impl From<crisp_api::Error> for Failure {
    fn from(e: crisp_api::Error) -> Self {
        use crisp_api::Error;
        match &e {
            Error::Transport { .. } => Failure::Transport(e.to_string()),
            Error::InvalidRequest(_) | Error::Config { .. } => Failure::Usage(e.to_string()),
            _ => Failure::Api(e.to_string()),
        }
    }
}

/// Stdout, buffered. Writing to a closed pipe (`crisp … | head`) ends the command quietly
/// with exit code 0; other write errors are reported.
pub struct Output {
    out: BufWriter<io::Stdout>,
    pretty: bool,
}

impl Output {
    /// Stdout, pretty-printing when it is a terminal.
    pub fn stdout() -> Output {
        let out = io::stdout();
        Output {
            pretty: out.is_terminal(),
            out: BufWriter::new(out),
        }
    }

    /// Prints a value, pretty on a terminal.
    pub fn value(&mut self, value: &Value) -> Result<(), Failure> {
        if self.pretty {
            self.write(|w| serde_json::to_writer_pretty(w, value))
        } else {
            self.write(|w| serde_json::to_writer(w, value))
        }
    }

    /// Prints a value on one line (JSON lines).
    pub fn line(&mut self, value: &Value) -> Result<(), Failure> {
        self.write(|w| serde_json::to_writer(w, value))
    }

    /// Prints text as is.
    pub fn text(&mut self, text: &[u8]) -> Result<(), Failure> {
        self.out.write_all(text).map_err(io_failure)
    }

    fn write(
        &mut self,
        f: impl FnOnce(&mut BufWriter<io::Stdout>) -> serde_json::Result<()>,
    ) -> Result<(), Failure> {
        f(&mut self.out).map_err(|e| io_failure(e.into()))?;
        self.out.write_all(b"\n").map_err(io_failure)
    }

    /// Flushes what is buffered.
    pub fn flush(&mut self) -> Result<(), Failure> {
        self.out.flush().map_err(io_failure)
    }
}

fn io_failure(e: io::Error) -> Failure {
    if e.kind() == io::ErrorKind::BrokenPipe {
        // The reader went away: stop, successfully.
        std::process::exit(0);
    }
    Failure::Usage(format!("cannot write the output: {e}"))
}
