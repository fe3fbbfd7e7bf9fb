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

#[path = "codegen/events.rs"]
mod events;
#[path = "codegen/extend.rs"]
mod extend;
#[path = "codegen/names.rs"]
mod names;
#[path = "codegen/prune.rs"]
mod prune;
#[path = "codegen/renamed.rs"]
mod renamed;
#[path = "codegen/settings.rs"]
mod settings;

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
    let families = prune::families(&raw);
    let enabled: BTreeSet<String> = families.iter().filter(|f| feature(f)).cloned().collect();
    // Some of the calling machinery (HEAD checks, streams) has no caller in a partial build.
    println!("cargo::rustc-check-cfg=cfg(crisp_partial)");
    if enabled.len() < families.len() {
        println!("cargo::rustc-cfg=crisp_partial");
    }
    prune::prune(&mut raw, &enabled);
    let spec: openapiv3::OpenAPI =
        serde_json::from_value(raw.clone()).expect("the bundle is an OpenAPI 3.0 document");
    let settings = settings::generation_settings(feature("schemars"));
    let mut generator = progenitor::Generator::new(&settings);
    let tokens = generator
        .generate_tokens(&spec)
        .unwrap_or_else(|e| panic!("progenitor failed (run `cargo xtask gen` for details): {e}"));
    let mut file: syn::File = syn::parse2(tokens).expect("progenitor emits valid Rust");
    extend::trim_builders(&mut file);
    extend::compact_sends(&mut file);
    extend::harden(&mut file, &raw);
    extend::document(&mut file, &raw);
    renamed::deprecated_setters(&mut file, &raw);
    let extra = extend::extensions(&file, &raw);
    extend::share_envelopes(&mut file);
    let out = PathBuf::from(env::var("OUT_DIR").expect("OUT_DIR"));
    fs::write(out.join("codegen.rs"), prettyplease::unparse(&file)).expect("write codegen.rs");
    fs::write(out.join("extensions.rs"), prettyplease::unparse(&extra))
        .expect("write extensions.rs");
    fs::write(out.join("operations.md"), extend::operations_page(&raw))
        .expect("write operations.md");
    let events = prettyplease::unparse(&events::events(&raw));
    fs::write(out.join("events.rs"), events).expect("write events.rs");
}
