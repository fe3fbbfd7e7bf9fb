// Post-processing of progenitor's output, used by `build.rs` (and by `xtask` for the golden
// copy). One pass per file, each a function of the generated syntax tree and the spec model
// (`crisp-api-spec`); the order of the passes is written here and only here.
//
// The generated code reaches the hand-written crate through one door, the private
// `crate::runtime` module (`src/runtime.rs`): every path the passes emit starts there.

mod calls;
mod compact;
mod document;
mod envelopes;
mod events;
mod harden;
mod renamed;
pub mod settings;
mod streams;
mod syntax;
mod trim;

use crisp_api_spec::Spec;

/// What the passes give: the files `build.rs` writes to `OUT_DIR`.
pub struct Output {
    /// progenitor's client, post-processed (`codegen.rs`).
    pub client: syn::File,
    /// The calling methods, the operation table and the sandbox tables (`extensions.rs`).
    pub extensions: syn::File,
    /// The `operations` module's docs page (`operations.md`).
    pub operations_page: String,
    /// The `Event` enum (`events.rs`).
    pub events: syn::File,
}

/// Runs every pass, in order, over progenitor's output for `spec` (already pruned to the
/// enabled families).
pub fn run(mut client: syn::File, spec: &Spec) -> Output {
    // 1. Drop the struct builders no request body uses (less to compile for every later pass).
    trim::trim_builders(&mut client);
    // 2. Split every `send()` into `prepare()` and the runtime's one generic future.
    compact::compact_sends(&mut client);
    // 3. Null-tolerant lists and maps; secrets out of `Debug`.
    harden::harden(&mut client, spec);
    // 4. Doc aliases and `.call()` examples on `Client`'s methods.
    document::document(&mut client, spec);
    // 5. Deprecated setters under the former names of renamed parameters.
    renamed::deprecated_setters(&mut client, spec);
    // 6. The calling methods and tables, read from the builders and envelope structs as they
    //    are now (so before 7, which turns the envelopes into aliases).
    let extensions = calls::extensions(&client, spec);
    // 7. Envelope structs become aliases of the runtime's generic envelopes.
    envelopes::share_envelopes(&mut client);
    Output {
        client,
        extensions,
        operations_page: document::operations_page(spec),
        events: events::events(spec),
    }
}
