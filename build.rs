//! Generates the typed client from the bundled OpenAPI document `openapi/crisp-v1.json`
//! (produced by `cargo xtask gen` from `openapi/*.yaml`).
//!
//! The spec is first pruned to the API families enabled as cargo features (each operation's
//! tag is its family), keeping only the schemas the kept operations and the event catalogue
//! reach. Besides progenitor's client, it emits, for every kept operation, the SDK's calling
//! methods on the operation's builder (`call`, `response`, or `exists` for HEAD checks), the
//! operation table (`crate::operations::ALL`, also rendered as the `operations` module's
//! docs) and the `Event` enum.

use std::collections::BTreeSet;
use std::{env, fs, path::PathBuf};

#[path = "codegen/mod.rs"]
mod codegen;

const SPEC: &str = "openapi/crisp-v1.json";

fn feature(name: &str) -> bool {
    env::var_os(format!(
        "CARGO_FEATURE_{}",
        name.to_ascii_uppercase().replace('-', "_")
    ))
    .is_some()
}

fn main() {
    println!("cargo::rerun-if-changed={SPEC}");
    println!("cargo::rerun-if-changed=codegen");
    let text = fs::read_to_string(SPEC).unwrap_or_else(|e| panic!("reading {SPEC}: {e}"));
    let mut raw: serde_json::Value = serde_json::from_str(&text).expect("the bundle is JSON");
    let families = crisp_api_spec::families(&raw);
    let enabled: BTreeSet<String> = families.iter().filter(|f| feature(f)).cloned().collect();
    // Some of the calling machinery (HEAD checks, streams) has no caller in a partial build.
    println!("cargo::rustc-check-cfg=cfg(crisp_partial)");
    if enabled.len() < families.len() {
        println!("cargo::rustc-cfg=crisp_partial");
    }
    crisp_api_spec::prune(&mut raw, &enabled);
    let openapi: openapiv3::OpenAPI =
        serde_json::from_value(raw.clone()).expect("the bundle is an OpenAPI 3.0 document");
    // The one model of the (pruned) spec every pass below reads.
    let spec = crisp_api_spec::Spec::new(raw);
    let settings = codegen::settings::generation_settings(feature("schemars"));
    let mut generator = progenitor::Generator::new(&settings);
    let tokens = generator
        .generate_tokens(&openapi)
        .unwrap_or_else(|e| panic!("progenitor failed (run `cargo xtask gen` for details): {e}"));
    let file: syn::File = syn::parse2(tokens).expect("progenitor emits valid Rust");
    let output = codegen::run(file, &spec);
    let out = PathBuf::from(env::var("OUT_DIR").expect("OUT_DIR"));
    let write = |name: &str, text: String| {
        fs::write(out.join(name), text).unwrap_or_else(|e| panic!("writing {name}: {e}"))
    };
    write("codegen.rs", prettyplease::unparse(&output.client));
    write("extensions.rs", prettyplease::unparse(&output.extensions));
    write("operations.md", output.operations_page);
    write("events.rs", prettyplease::unparse(&output.events));
}
