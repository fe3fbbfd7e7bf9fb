//! The JSON body of an operation's command: read (`--body JSON`, `@FILE` or `-`), refused while
//! it holds a placeholder of `crisp example-body`, and checked against the operation's schema by
//! the spec model's one checker ([`crisp_api_spec::check`]) before anything is sent.

use crate::failure::Failure;
use crate::spec::{OpSpec, Spec};
use clap::ArgMatches;
use crisp_api_spec::Problem;
use serde_json::Value;
use std::io::{IsTerminal, Read};

/// Reads, parses and checks the JSON body, before anything is sent: `--body JSON`,
/// `--body @FILE` or `--body -` (stdin).
pub fn read(spec: &Spec, op: &OpSpec, m: &ArgMatches) -> Result<Option<Value>, Failure> {
    let Some(body) = &op.body else {
        return Ok(None);
    };
    let Some(given) = m.get_one::<String>("body") else {
        return Ok(None);
    };
    let (source, text) = if given == "-" {
        if std::io::stdin().is_terminal() {
            eprintln!("crisp: reading the JSON body from stdin (end it with Ctrl-D)");
        }
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Failure::Usage(format!("cannot read the body from stdin: {e}")))?;
        ("the body read from stdin".to_owned(), text)
    } else if let Some(file) = given.strip_prefix('@') {
        let text = std::fs::read_to_string(file)
            .map_err(|e| Failure::Usage(format!("cannot read the body file {file}: {e}")))?;
        (format!("the body file {file}"), text)
    } else {
        ("--body".to_owned(), given.clone())
    };
    let value: Value = serde_json::from_str(&text)
        .map_err(|e| Failure::Usage(format!("{source} is not valid JSON: {e}")))?;
    if let Some(at) = crisp_api_spec::placeholder(&value) {
        return Err(Failure::Usage(format!(
            "{source} still holds the placeholder at `{at}` from `crisp example-body`: \
             replace it with a real value"
        )));
    }
    if !m.get_flag("no-validate") {
        let report = spec.model.check(&body.schema, &value);
        if let Some(problem) = report.first() {
            return Err(Failure::Usage(format!(
                "invalid body for {}: {} (`crisp example-body {}` prints one that fits; \
                 --no-validate sends it anyway)",
                op.command(),
                wording(problem),
                op.command()
            )));
        }
        for field in report.unknown {
            eprintln!(
                "crisp: warning: `{field}` is not a field the spec describes for {}; sending it anyway",
                op.command()
            );
        }
    }
    Ok(Some(value))
}

/// A problem in the command line's words: the field's path, or `the body` for the whole of it.
fn wording(problem: &Problem) -> String {
    if problem.at.is_empty() {
        format!("the body {}", problem.message)
    } else {
        problem.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::wording;
    use crate::spec::Spec;
    use serde_json::{Value, json};

    fn check_body(spec: &Spec, id: &str, value: Value) -> Result<Vec<String>, String> {
        let schema = &spec.find(id).unwrap().body.as_ref().unwrap().schema;
        let report = spec.model.check(schema, &value);
        match report.first() {
            Some(problem) => Err(wording(problem)),
            None => Ok(report.unknown),
        }
    }

    #[test]
    fn messages_are_checked_by_variant() {
        let spec = Spec::load();
        let op = "send_message_in_conversation";
        let ok = json!({"type": "note", "from": "operator", "origin": "chat", "content": "hi"});
        assert_eq!(check_body(&spec, op, ok), Ok(vec![]));
        let missing = json!({"type": "text", "from": "operator", "content": "hi"});
        assert_eq!(
            check_body(&spec, op, missing).unwrap_err(),
            "`origin` is required"
        );
        let wrong = json!({"type": "text", "from": "robot", "origin": "chat", "content": "hi"});
        let err = check_body(&spec, op, wrong).unwrap_err();
        assert!(
            err.starts_with("`from` must be one of `user`, `operator`"),
            "{err}"
        );
        let typo = json!({"type": "text", "from": "user", "origin": "chat", "content": "hi", "stelth": true});
        assert_eq!(check_body(&spec, op, typo), Ok(vec!["stelth".to_owned()]));
        let array = check_body(&spec, op, json!([])).unwrap_err();
        assert!(array.starts_with("the body "), "{array}");
    }

    /// The document `build.rs` derives holds every schema the bodies reach: each body's sample
    /// and example fit it, with no reference left dangling.
    #[test]
    fn samples_and_examples_fit_their_schemas() {
        let spec = Spec::load();
        let root = spec.model.root();
        for o in &spec.operations {
            let Some(body) = &o.body else { continue };
            for r in crisp_api_spec::refs(&body.schema) {
                assert!(
                    !crisp_api_spec::resolve(root, &json!({"$ref": r})).is_null(),
                    "{}: {r} dangles",
                    o.op.id
                );
            }
            let skeleton = crisp_api_spec::sample(root, &body.schema);
            if let Some(e) = spec.model.check(&body.schema, &skeleton).first() {
                panic!("{}: sample {skeleton} does not fit: {e}", o.op.id);
            }
            if let Some(example) = &body.example
                && let Some(e) = spec.model.check(&body.schema, example).first()
            {
                panic!("{}: example does not fit: {e}", o.op.id);
            }
        }
    }
}
