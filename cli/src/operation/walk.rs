//! `--all` / `--limit`: an operation's list walked page by page, or the message history back in
//! time by its cursor, one item per line.

use super::run::{At, Call, Error, envelope};
use crate::failure::Failure;
use crate::output::Output;
use clap::ArgMatches;
use serde_json::Value;

impl Call<'_> {
    /// `--all` / `--limit`: every page (or the history back in time), one item per line.
    pub(super) async fn walk(&self, m: &ArgMatches, out: &mut Output) -> Result<(), Error> {
        let op = self.op;
        let limit = m.get_one::<u64>("limit").copied().filter(|l| *l > 0);
        let first = self
            .values
            .get("page_number")
            .and_then(|p| p.parse::<u64>().ok())
            .unwrap_or(1);
        let progress = crate::progress::enabled();
        let mut count = 0u64;
        let mut previous: Option<Vec<Value>> = None;
        let mut page = first;
        // The history's cursor: the flag's, then each batch's oldest timestamp.
        let cursor = op.cursor.as_ref().filter(|_| op.is_history());
        let mut before = cursor.and_then(|c| m.get_one::<i64>(&c.param).copied());
        loop {
            let at = match (cursor, before) {
                (Some(_), Some(before)) => At::Before(before),
                (Some(_), None) => At::Flags,
                (None, _) => At::Page(page),
            };
            let response = self.request(at).response::<Value>().await?;
            let items = match response.data {
                Value::Array(items) => items,
                Value::Null => Vec::new(),
                // Not a list after all: print it as the only item.
                other => {
                    out.line(&other)?;
                    break;
                }
            };
            if items.is_empty() {
                break;
            }
            if previous.as_ref() == Some(&items) {
                return Err(Failure::Api(format!(
                    "{}: page {page} repeats the page before it; stopping",
                    op.command()
                ))
                .into());
            }
            if let Some(cursor) = cursor {
                let oldest = items.iter().filter_map(|i| i[&cursor.field].as_i64()).min();
                match oldest {
                    Some(oldest) if before.is_none_or(|b| oldest < b) => before = Some(oldest),
                    _ => {
                        return Err(Failure::Api(format!(
                            "{}: batch {page} does not go back in time (no older `timestamp`); \
                             stopping",
                            op.command()
                        ))
                        .into());
                    }
                }
            }
            if self.raw {
                out.line(&envelope(&response.reason, &Value::Array(items.clone())))?;
            }
            for item in &items {
                if limit.is_some_and(|l| count >= l) {
                    break;
                }
                if !self.raw {
                    out.line(item)?;
                }
                count += 1;
            }
            out.flush()?;
            if progress {
                eprint!("\rcrisp: {}: page {page}, {count} items", op.command());
            }
            if limit.is_some_and(|l| count >= l) {
                break;
            }
            previous = Some(items);
            page += 1;
        }
        if progress {
            eprintln!(
                "\r\x1b[Kcrisp: {}: {count} items (pages {first} to {page} read)",
                op.command()
            );
        }
        Ok(())
    }
}
