//! The golden copy (`codegen/golden.rs`): one operation as the crate's build generates it (its
//! `Client` method, builder with `prepare()` and `send()`, the SDK's calling methods and streams,
//! its envelope type), committed so that a progenitor upgrade or a change of a codegen pass
//! shows as a reviewable diff (`cargo xtask gen --check` fails on drift), not only as a panic
//! or a compile error.
//!
//! The operation is chosen by shape, not by name: the first, by id, walked by numbered pages
//! and taking a path parameter besides the page and query parameters (so the copy shows the
//! most machinery).

use crate::codegen;
use crisp_api_spec::{Location, Spec};
use serde_json::Value;

/// Where the copy lives, from the workspace root.
pub const PATH: &str = "codegen/golden.rs";

/// The golden copy for the bundle, as `build.rs` generates it with every family enabled.
pub fn render(bundle: &Value) -> Result<String, String> {
    let mut pruned = bundle.clone();
    let families = crisp_api_spec::families(bundle).into_iter().collect();
    crisp_api_spec::prune(&mut pruned, &families);
    let openapi: openapiv3::OpenAPI =
        serde_json::from_value(pruned.clone()).map_err(|e| format!("not OpenAPI 3.0: {e}"))?;
    let spec = Spec::new(pruned);
    let op = spec
        .operations()
        .iter()
        .find(|op| {
            let count = |l| op.params.iter().filter(|p| p.location == l).count();
            op.paginated() && count(Location::Path) > 1 && count(Location::Query) > 0
        })
        .ok_or("no paged operation with path and query parameters for the golden copy")?;
    let settings = codegen::settings::generation_settings(false);
    let tokens = progenitor::Generator::new(&settings)
        .generate_tokens(&openapi)
        .map_err(|e| e.to_string())?;
    let file: syn::File = syn::parse2(tokens).map_err(|e| e.to_string())?;
    let output = codegen::run(file, &spec);
    let builder = crisp_api_spec::camel(&op.id);
    let mut items: Vec<syn::Item> = Vec::new();
    // `impl Client { pub fn <id>(&self) -> builder::<Builder> }`, that method only.
    for item in &output.client.items {
        if let syn::Item::Impl(imp) = item
            && imp.trait_.is_none()
            && self_name(&imp.self_ty).as_deref() == Some("Client")
        {
            let mut imp = imp.clone();
            imp.items
                .retain(|i| matches!(i, syn::ImplItem::Fn(f) if f.sig.ident == op.id.as_str()));
            if !imp.items.is_empty() {
                items.push(syn::Item::Impl(imp));
            }
        }
    }
    let named = |item: &syn::Item, name: &str| match item {
        syn::Item::Struct(s) => s.ident == name,
        syn::Item::Type(t) => t.ident == name,
        syn::Item::Impl(imp) => self_name(&imp.self_ty).as_deref() == Some(name),
        _ => false,
    };
    let envelope = format!("{builder}Response");
    for (module, name) in [("builder", &builder), ("types", &envelope)] {
        let found: Vec<syn::Item> = module_items(&output.client, module)
            .iter()
            .filter(|i| named(i, name))
            .cloned()
            .collect();
        if found.is_empty() {
            return Err(format!(
                "golden copy: no `{module}::{name}` in the generated code"
            ));
        }
        items.push(wrap(module, found));
    }
    items.extend(
        output
            .extensions
            .items
            .iter()
            .filter(|i| named(i, &builder))
            .cloned(),
    );
    let body = prettyplease::unparse(&syn::File {
        shebang: None,
        attrs: Vec::new(),
        items,
    });
    Ok(format!(
        "// Golden copy of the generated code of one operation, `{}`\n// (`{} {}`).\n\
         // Written by `cargo xtask gen`, checked by `cargo xtask gen --check`: review its diff\n\
         // when progenitor or a codegen pass changes. Not compiled.\n\n{body}",
        op.id, op.method, op.path
    ))
}

fn self_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

fn module_items<'f>(file: &'f syn::File, name: &str) -> &'f [syn::Item] {
    file.items
        .iter()
        .find_map(|i| match i {
            syn::Item::Mod(m) if m.ident == name => m.content.as_ref().map(|(_, it)| &it[..]),
            _ => None,
        })
        .unwrap_or(&[])
}

fn wrap(module: &str, items: Vec<syn::Item>) -> syn::Item {
    let ident = syn::Ident::new(module, proc_macro2::Span::call_site());
    syn::parse_quote!(pub mod #ident { #(#items)* })
}
