// Pass `document`: doc aliases and `.call()` examples on the generated `Client` methods, and
// the operation table as the `operations` module's docs page (`OUT_DIR/operations.md`).
use super::syntax::last_ident;
use crisp_api_spec::Spec;
use std::collections::HashMap;

/// Polishes the docs of the generated `Client` methods: each gets `#[doc(alias)]`es from the
/// official clients' method names (`x-crisp-aliases`: `getConversation`, `GetConversation`, …)
/// so that rustdoc's search finds them, and its example shows `.call()` instead of progenitor's
/// raw `.send()`.
pub fn document(file: &mut syn::File, spec: &Spec) {
    let aliases: HashMap<&str, &[String]> = spec
        .operations()
        .iter()
        .map(|op| (op.id.as_str(), &op.aliases[..]))
        .collect();
    for item in &mut file.items {
        let syn::Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some() || last_ident(&imp.self_ty).as_deref() != Some("Client") {
            continue;
        }
        for it in &mut imp.items {
            let syn::ImplItem::Fn(f) = it else { continue };
            let Some(names) = aliases.get(f.sig.ident.to_string().as_str()) else {
                continue;
            };
            for attr in &mut f.attrs {
                if let syn::Meta::NameValue(nv) = &mut attr.meta
                    && nv.path.is_ident("doc")
                    && let syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(doc),
                        ..
                    }) = &mut nv.value
                {
                    let text = doc
                        .value()
                        .replace("let response = client.", "let data = client.")
                        .replace(".send()\n    .await;", ".call()\n    .await?;");
                    *doc = syn::LitStr::new(&text, doc.span());
                }
            }
            for name in names.iter() {
                f.attrs.push(syn::parse_quote!(#[doc(alias = #name)]));
            }
        }
    }
}

/// The operation table as Markdown, for the `operations` module's docs on docs.rs (the
/// tables rendered by `crisp_api_spec::render`, as `docs/endpoints.md` has them).
pub fn operations_page(spec: &Spec) -> String {
    use crisp_api_spec::render::{self, Links};
    let mut page = format!(
        "Metadata of every operation this build of the crate has ({} with the enabled \
         features), for tooling, tracing and the sandbox.\n\n",
        spec.operations().len()
    );
    page.push_str(&render::operations(spec.operations(), Links::Rustdoc, &[]));
    page.push_str(&format!(
        "\n# Events\n\nThe events typed by this build ({}): an event of a family is typed only \
         with that family's feature, otherwise it arrives as \
         [`Event::Unknown`](crate::Event::Unknown).\n\n",
        spec.events().len()
    ));
    page.push_str(&render::events(spec.events(), Links::Rustdoc));
    page
}
