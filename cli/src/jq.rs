//! `--jq FILTER`: a jq filter over the output, through jaq (a jq implementation in Rust), so no
//! separate jq install is needed.

use crate::failure::Failure;
use jaq_core::load::{Arena, File, Loader};
use jaq_core::{Compiler, Ctx, Vars, data, unwrap_valr};
use jaq_json::Val;
use serde_json::Value;

type Compiled = jaq_core::compile::Filter<jaq_core::Native<data::JustLut<Val>>>;

/// A compiled filter.
pub struct Filter {
    code: String,
    compiled: Compiled,
}

impl Filter {
    /// Parses and compiles `code` with jq's standard library.
    pub fn compile(code: &str) -> Result<Filter, Failure> {
        let invalid =
            |what: String| Failure::Usage(format!("invalid --jq filter `{code}`: {what}"));
        let defs = jaq_core::defs()
            .chain(jaq_std::defs())
            .chain(jaq_json::defs());
        let funs = jaq_core::funs()
            .chain(jaq_std::funs())
            .chain(jaq_json::funs());
        let loader = Loader::new(defs);
        let arena = Arena::default();
        let modules = loader
            .load(&arena, File { code, path: () })
            .map_err(|errors| invalid(format!("{errors:?}")))?;
        let compiled = Compiler::default()
            .with_funs(funs)
            .compile(modules)
            .map_err(|errors| invalid(format!("{errors:?}")))?;
        Ok(Filter {
            code: code.to_owned(),
            compiled,
        })
    }

    /// Runs the filter on `input`: every value it yields, or its first error.
    pub fn run(&self, input: &Value) -> Result<Vec<Value>, Failure> {
        let text = serde_json::to_vec(input).expect("a JSON value serialises");
        let input = jaq_json::read::parse_single(&text)
            .map_err(|e| Failure::Usage(format!("--jq cannot read the output: {e}")))?;
        let ctx = Ctx::<data::JustLut<Val>>::new(&self.compiled.lut, Vars::new([]));
        let mut values = Vec::new();
        for result in self.compiled.id.run((ctx, input)).map(unwrap_valr) {
            let value = result
                .map_err(|e| Failure::Usage(format!("--jq filter `{}` failed: {e}", self.code)))?;
            let text = value.to_string();
            values.push(serde_json::from_str(&text).unwrap_or(Value::String(text)));
        }
        Ok(values)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn filters_run_with_the_standard_library() {
        let filter = Filter::compile(".[] | select(.n > 1) | .id").unwrap();
        let input = json!([{"id": "a", "n": 1}, {"id": "b", "n": 2}]);
        assert_eq!(filter.run(&input).unwrap(), vec![json!("b")]);
        let lengths = Filter::compile("map(.id) | length").unwrap();
        assert_eq!(lengths.run(&input).unwrap(), vec![json!(2)]);
        assert!(Filter::compile(".[ | oops").is_err());
    }
}
