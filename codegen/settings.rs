// The progenitor settings, shared by `build.rs` (which generates the client) and `xtask`
// (which validates the spec with exactly the same generator). Keep this file free of
// dependencies other than progenitor and quote.

/// Generator settings for the Crisp client. `schemars` adds the `schemars::JsonSchema` derive
/// to every generated type (the crate's opt-in `schemars` feature; it costs about a third more
/// compile time).
pub fn generation_settings(schemars: bool) -> progenitor::GenerationSettings {
    use progenitor::{GenerationSettings, HooksMode, InterfaceStyle, TagStyle, TypeImpl};
    let mut s = GenerationSettings::new();
    s.with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        .with_hooks(HooksMode::Expected)
        .with_inner_type(quote::quote!(crate::runtime::Inner))
        // Callers compare responses (`assert_eq!` in their tests), and hand-written types
        // holding generated ones derive it (`message::NewMessage`). Streams no longer need it:
        // they compare pages by a fingerprint of the body.
        .with_derive("PartialEq")
        .with_replacement("Flag", "crate::Flag", [TypeImpl::Display].into_iter())
        // Custom data values decode in one pass (an untagged enum would try each variant).
        .with_replacement("DataValue", "crate::DataValue", std::iter::empty())
        .with_replacement(
            "NewMessage",
            "crate::runtime::NewMessage",
            std::iter::empty(),
        );
    if schemars {
        s.with_derive("schemars::JsonSchema");
    }
    s
}
