//! Project tasks. `cargo xtask gen [--check]` bundles and validates `openapi/*.yaml` and
//! regenerates every artefact derived from it:
//!
//! * `openapi/crisp-v1.json`: the bundled, deterministic spec that `build.rs` compiles;
//! * `docs/endpoints.md`: one row per operation;
//! * `codegen/golden.rs`: the generated code of one operation, for review (`golden.rs`).
//!
//! With `--check`, nothing is written and any drift is an error naming the file.
//!
//! One file per job: `bundle.rs` (merging the YAML files), `validate.rs` (the conventions, with
//! `cursor.rs` and `events.rs` for their extensions), `generator.rs` (the progenitor dry run),
//! `docs.rs` (the derived tables). The spec is read through the `crisp-api-spec` model.
//!
//! `cargo xtask build-cost [--cold] [--incremental]` measures what the crate costs to build (see
//! `build_cost.rs`).
//!
//! `cargo xtask rooms` checks the house rules: no hand-written Rust file over 600 lines, no
//! import circle between the SDK's modules (see `rooms.rs`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod build_cost;
mod bundle;
// The crate's code generation passes, run for the golden copy (and their settings for the dry
// run).
#[allow(dead_code)]
#[path = "../../codegen/mod.rs"]
mod codegen;
mod cursor;
mod docs;
mod events;
mod generator;
mod golden;
mod reference;
mod rooms;
mod validate;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("gen") => generate(args.iter().any(|a| a == "--check")),
        Some("rooms") => rooms::run(&root()),
        Some("build-cost") => build_cost::run(
            &root(),
            args.iter().any(|a| a == "--cold"),
            args.iter().any(|a| a == "--incremental"),
        ),
        _ => Err(
            "usage: cargo xtask gen [--check] | cargo xtask rooms | cargo xtask build-cost [--cold] [--incremental]"
                .to_owned(),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_owned()
}

fn generate(check: bool) -> Result<(), String> {
    let root = root();
    let bundle = bundle::bundle(&root.join("openapi"))?;
    let problems = validate::validate(&bundle);
    if !problems.is_empty() {
        return Err(format!("the spec is invalid:\n  {}", problems.join("\n  ")));
    }
    generator::run_generator(&bundle)?;
    let mut json = serde_json::to_string_pretty(&bundle).map_err(|e| e.to_string())?;
    json.push('\n');
    let golden = golden::render(&bundle)?;
    let spec = crisp_api_spec::Spec::new(bundle);
    let outputs = [
        ("openapi/crisp-v1.json", json),
        (
            "docs/endpoints.md",
            docs::endpoints(&spec) + &events::docs(&spec),
        ),
        (golden::PATH, golden),
    ];
    let mut drift = Vec::new();
    for (rel, content) in outputs {
        let path = root.join(rel);
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if current == content {
            continue;
        }
        if check {
            drift.push(rel);
        } else {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            }
            std::fs::write(&path, content).map_err(|e| format!("{rel}: {e}"))?;
            println!("wrote {rel}");
        }
    }
    if !drift.is_empty() {
        return Err(format!(
            "out of date (run `cargo xtask gen` and commit): {}",
            drift.join(", ")
        ));
    }
    let ops = spec.operations().len();
    let (documented, clients) =
        reference::summary(spec.operations().iter().map(|op| &op.reference));
    println!(
        "spec OK: {ops} operations ({documented} follow Crisp's reference, {clients} only the clients){}",
        if check { ", no drift" } else { "" }
    );
    Ok(())
}
