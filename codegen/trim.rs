// Pass `trim`: drops the generated struct builders no request body uses.
use super::syntax::{last_ident, module, module_mut};
use quote::ToTokens;

/// Drops the struct builders (`types::builder::X`) that no operation uses. progenitor's
/// builder style gives every generated type a builder, about half of the generated code, but
/// only request bodies need one (an operation's `.body_map(|b| …)` and its body field); the
/// other types are built with struct literals. The `X::builder()` constructors of the dropped
/// builders go too.
pub fn trim_builders(file: &mut syn::File) {
    let mut bodies = std::collections::HashSet::new();
    for item in module(file, "builder") {
        if let syn::Item::Struct(s) = item {
            for field in &s.fields {
                let text = field.ty.to_token_stream().to_string().replace(' ', "");
                if let Some(rest) = text.split("types::builder::").nth(1) {
                    let name: String = rest
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    bodies.insert(name);
                }
            }
        }
    }
    let types = module_mut(file, "types");
    let subject = |item: &syn::Item| match item {
        syn::Item::Struct(s) => Some(s.ident.to_string()),
        syn::Item::Impl(imp) => last_ident(&imp.self_ty),
        _ => None,
    };
    types.retain(|item| {
        // `impl X { pub fn builder() -> builder::X }` of a type whose builder goes.
        let only_builder_fn = matches!(item, syn::Item::Impl(imp)
            if imp.trait_.is_none()
                && imp.items.len() == 1
                && matches!(&imp.items[0], syn::ImplItem::Fn(f) if f.sig.ident == "builder"));
        !only_builder_fn || subject(item).is_some_and(|s| bodies.contains(&s))
    });
    for item in types.iter_mut() {
        if let syn::Item::Mod(m) = item
            && m.ident == "builder"
            && let Some((_, items)) = m.content.as_mut()
        {
            items.retain(|item| subject(item).is_none_or(|s| bodies.contains(&s)));
        }
    }
}
