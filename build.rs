//! Generates the typed client from the bundled OpenAPI document `openapi/crisp-v1.json`
//! (produced by `cargo xtask gen` from `openapi/*.yaml`).
//!
//! Besides progenitor's client, it emits, for every operation, the SDK's calling methods on the
//! operation's builder (`call`, `response`, or `exists` for HEAD checks) and a table of
//! operation metadata (`crate::operations::ALL`).

use std::{env, fs, path::PathBuf};

#[path = "codegen/events.rs"]
mod events;
#[path = "codegen/extend.rs"]
mod extend;
#[path = "codegen/settings.rs"]
mod settings;

const SPEC: &str = "openapi/crisp-v1.json";

fn main() {
    println!("cargo::rerun-if-changed={SPEC}");
    println!("cargo::rerun-if-changed=codegen");
    let text = fs::read_to_string(SPEC).unwrap_or_else(|e| panic!("reading {SPEC}: {e}"));
    let raw: serde_json::Value = serde_json::from_str(&text).expect("the bundle is JSON");
    let spec: openapiv3::OpenAPI =
        serde_json::from_value(raw.clone()).expect("the bundle is an OpenAPI 3.0 document");
    let mut generator = progenitor::Generator::new(&settings::generation_settings());
    let tokens = generator
        .generate_tokens(&spec)
        .unwrap_or_else(|e| panic!("progenitor failed (run `cargo xtask gen` for details): {e}"));
    let mut file: syn::File = syn::parse2(tokens).expect("progenitor emits valid Rust");
    extend::harden(&mut file, &raw);
    let extra = extend::extensions(&file, &raw);
    let out = PathBuf::from(env::var("OUT_DIR").expect("OUT_DIR"));
    fs::write(out.join("codegen.rs"), prettyplease::unparse(&file)).expect("write codegen.rs");
    fs::write(out.join("extensions.rs"), prettyplease::unparse(&extra))
        .expect("write extensions.rs");
    let events = prettyplease::unparse(&events::events(&raw));
    fs::write(out.join("events.rs"), events).expect("write events.rs");
}
