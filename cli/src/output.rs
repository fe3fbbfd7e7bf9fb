//! Where results go: stdout, as JSON (pretty on a terminal, compact in a pipe), a table or
//! YAML (`--output`), through a jq filter first (`--jq`).

use crate::failure::Failure;
use crate::jq::Filter;
use serde_json::Value;
use std::io::{self, BufWriter, IsTerminal, Write};

/// An output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// JSON: pretty on a terminal, compact otherwise; JSON lines for streams.
    Json,
    /// A table of the resource's useful columns (see [`crate::table`]).
    Table,
    /// YAML, one document per value.
    Yaml,
}

/// Stdout, buffered. Writing to a closed pipe (`crisp … | head`) ends the command quietly
/// with exit code 0; other write errors are reported.
pub struct Output {
    out: BufWriter<io::Stdout>,
    pretty: bool,
    format: Format,
    filter: Option<Filter>,
    /// The resource (noun) printed, which chooses the table's columns.
    noun: String,
    /// Rows waiting for the table (a stream is printed as one table at the end).
    rows: Vec<Value>,
}

impl Output {
    /// Stdout in the given format.
    pub fn new(format: Format, filter: Option<Filter>, noun: &str) -> Output {
        let out = io::stdout();
        Output {
            pretty: out.is_terminal(),
            out: BufWriter::new(out),
            format,
            filter,
            noun: noun.to_owned(),
            rows: Vec::new(),
        }
    }

    /// Stdout as JSON, no filter.
    pub fn stdout() -> Output {
        Output::new(Format::Json, None, "")
    }

    /// From the `--output` and `--jq` flags of a command, when it has them.
    pub fn from_flags(m: &clap::ArgMatches, noun: &str) -> Result<Output, Failure> {
        let get = |name: &str| m.try_get_one::<String>(name).ok().flatten().cloned();
        let format = match get("output").as_deref() {
            Some("table") => Format::Table,
            Some("yaml") => Format::Yaml,
            _ => Format::Json,
        };
        let filter = get("jq").map(|code| Filter::compile(&code)).transpose()?;
        Ok(Output::new(format, filter, noun))
    }

    fn filtered(&self, value: &Value) -> Result<Vec<Value>, Failure> {
        match &self.filter {
            Some(filter) => filter.run(value),
            None => Ok(vec![value.clone()]),
        }
    }

    /// Prints a result.
    pub fn value(&mut self, value: &Value) -> Result<(), Failure> {
        for value in self.filtered(value)? {
            match self.format {
                Format::Json if self.pretty => {
                    self.write(|w| serde_json::to_writer_pretty(w, &value))?
                }
                Format::Json => self.write(|w| serde_json::to_writer(w, &value))?,
                Format::Yaml => self.yaml(&value)?,
                Format::Table => {
                    let rows = match value {
                        Value::Array(items) => items,
                        other => vec![other],
                    };
                    let table = crate::table::render(&self.noun, &rows);
                    self.text(table.as_bytes())?;
                }
            }
        }
        Ok(())
    }

    /// Prints one item of a stream (JSON lines; a table collects its rows until
    /// [`Output::finish`]).
    pub fn line(&mut self, value: &Value) -> Result<(), Failure> {
        for value in self.filtered(value)? {
            match self.format {
                Format::Json => self.write(|w| serde_json::to_writer(w, &value))?,
                Format::Yaml => {
                    self.text(b"---\n")?;
                    self.yaml(&value)?;
                }
                Format::Table => self.rows.push(value),
            }
        }
        Ok(())
    }

    /// Prints what a stream collected (the table), and flushes.
    pub fn finish(&mut self) -> Result<(), Failure> {
        if !self.rows.is_empty() {
            let rows = std::mem::take(&mut self.rows);
            let table = crate::table::render(&self.noun, &rows);
            self.text(table.as_bytes())?;
        }
        self.flush()
    }

    fn yaml(&mut self, value: &Value) -> Result<(), Failure> {
        let text = serde_yaml_ng::to_string(value)
            .map_err(|e| Failure::Usage(format!("cannot print YAML: {e}")))?;
        self.text(text.as_bytes())
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
