// Pass `envelopes` (last: `calls` reads the envelope structs first): every operation's envelope
// struct becomes an alias of the runtime's generic `Envelope<Data>` or `Ack`.
use super::syntax::{last_ident, module_mut};
use std::collections::HashMap;

/// Replaces progenitor's envelope struct of every operation (`{error, reason, data}`, or
/// `{error, reason}`) with an alias of the SDK's generic `crate::runtime::Envelope<Data>` (or
/// `crate::runtime::Ack`), and drops their impls: some 250 structs that were each derived,
/// type-checked and compiled. `ErrorEnvelope` (the shared failure body) stays.
pub fn share_envelopes(file: &mut syn::File) {
    let types = module_mut(file, "types");
    let mut shared = std::collections::HashSet::new();
    for item in types.iter_mut() {
        let syn::Item::Struct(s) = item else { continue };
        if s.ident == "ErrorEnvelope" {
            continue;
        }
        let syn::Fields::Named(fields) = &s.fields else {
            continue;
        };
        let named: HashMap<String, &syn::Type> = fields
            .named
            .iter()
            .filter_map(|f| f.ident.as_ref().map(|i| (i.to_string(), &f.ty)))
            .collect();
        let mut keys: Vec<&str> = named.keys().map(String::as_str).collect();
        keys.sort_unstable();
        let target: syn::Type = match keys[..] {
            ["error", "reason"] => syn::parse_quote!(crate::runtime::Ack),
            ["data", "error", "reason"] => {
                let data = named["data"];
                syn::parse_quote!(crate::runtime::Envelope<#data>)
            }
            _ => continue,
        };
        let (ident, vis) = (&s.ident, &s.vis);
        let docs = s.attrs.iter().filter(|a| a.path().is_ident("doc"));
        let alias: syn::ItemType = syn::parse_quote! {
            #(#docs)*
            #vis type #ident = #target;
        };
        shared.insert(ident.to_string());
        *item = syn::Item::Type(alias);
    }
    types.retain(|item| match item {
        syn::Item::Impl(imp) => {
            !last_ident(&imp.self_ty).is_some_and(|name| shared.contains(&name))
        }
        _ => true,
    });
}
