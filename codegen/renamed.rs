// Deprecated aliases for renamed parameters: a parameter marked `x-crisp-renamed-from: old`
// keeps a builder setter under its former name, deprecated, that forwards to the new one (a
// rename of a spec parameter would otherwise remove a public method).

use crisp_api_spec::Spec;
use std::collections::HashMap;

/// Renamed parameters of the kept operations: builder struct name → `(new, old)` setter names.
fn renames(spec: &Spec) -> HashMap<String, Vec<(String, String)>> {
    let mut out: HashMap<String, Vec<(String, String)>> = HashMap::new();
    for op in spec.operations() {
        for p in &op.params {
            if let Some(old) = &p.renamed_from {
                out.entry(crisp_api_spec::camel(&op.id))
                    .or_default()
                    .push((p.name.clone(), old.clone()));
            }
        }
    }
    out
}

/// Adds, next to each renamed parameter's setter, a deprecated setter under the former name
/// that forwards to it.
pub fn deprecated_setters(file: &mut syn::File, spec: &Spec) {
    let renames = renames(spec);
    if renames.is_empty() {
        return;
    }
    let mut added = 0;
    for item in &mut file.items {
        let syn::Item::Mod(m) = item else { continue };
        let Some((_, items)) = m.content.as_mut() else {
            continue;
        };
        for item in items {
            let syn::Item::Impl(imp) = item else { continue };
            let syn::Type::Path(ty) = &*imp.self_ty else {
                continue;
            };
            let Some(name) = ty.path.segments.last().map(|s| s.ident.to_string()) else {
                continue;
            };
            let Some(pairs) = renames.get(&name) else {
                continue;
            };
            let mut aliases = Vec::new();
            for (new, old) in pairs {
                let setter = imp.items.iter().find_map(|it| match it {
                    syn::ImplItem::Fn(f) if f.sig.ident == new.as_str() => Some(f),
                    _ => None,
                });
                let Some(setter) = setter else { continue };
                let mut alias = setter.clone();
                let new_ident = &setter.sig.ident;
                let old_ident = syn::Ident::new(old, new_ident.span());
                let note = format!("renamed to `{new}`, the name in Crisp's reference");
                let doc = format!("Former name of [`Self::{new}`].");
                alias.sig.ident = old_ident;
                if let Some(syn::FnArg::Receiver(r)) = alias.sig.inputs.first_mut() {
                    r.mutability = None;
                }
                alias.attrs = vec![
                    syn::parse_quote!(#[doc = #doc]),
                    syn::parse_quote!(#[deprecated(note = #note)]),
                ];
                alias.block = syn::parse_quote!({ self.#new_ident(value) });
                aliases.push(syn::ImplItem::Fn(alias));
            }
            added += aliases.len();
            imp.items.extend(aliases);
        }
    }
    let wanted: usize = renames.values().map(Vec::len).sum();
    assert_eq!(
        added, wanted,
        "a renamed parameter's setter was not found in the generated builders"
    );
}
