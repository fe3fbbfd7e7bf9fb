// Pass `harden`: `null` lists and maps read as empty, secret fields (`format: password`) out of
// `Debug`, in the generated types and their builders.
use super::syntax::{last_ident, module_mut};
use crisp_api_spec::Spec;
use quote::quote;
use std::collections::HashMap;

/// Schema names and the fields of each that hold secrets (`format: password` in the spec).
fn secret_fields(spec: &Spec) -> HashMap<String, Vec<String>> {
    let mut out = HashMap::new();
    for (name, schema) in spec.root()["components"]["schemas"]
        .as_object()
        .into_iter()
        .flatten()
    {
        let fields: Vec<String> = schema["properties"]
            .as_object()
            .into_iter()
            .flatten()
            .filter(|(_, p)| p["format"] == "password")
            .map(|(k, _)| k.clone())
            .collect();
        if !fields.is_empty() {
            out.insert(name.clone(), fields);
        }
    }
    out
}

fn is_container(ty: &syn::Type) -> bool {
    matches!(
        last_ident(ty).as_deref(),
        Some("Vec" | "HashMap" | "BTreeMap" | "Map")
    )
}

/// Makes the generated types safer:
///
/// * lists and maps (optional or required, such as a list route's `data`) accept an explicit
///   `null` from Crisp as empty (typify would fail the whole response);
/// * fields marked `format: password` in the spec are redacted from `Debug`, in the types and in
///   their builders.
pub fn harden(file: &mut syn::File, spec: &Spec) {
    let secrets = secret_fields(spec);
    let mut seen = Vec::new();
    let types = module_mut(file, "types");
    harden_items(types, &secrets, true, &mut seen);
    for item in types.iter_mut() {
        if let syn::Item::Mod(m) = item
            && m.ident == "builder"
            && let Some((_, items)) = m.content.as_mut()
        {
            harden_items(items, &secrets, false, &mut seen);
        }
    }
    for name in secrets.keys() {
        assert!(
            seen.contains(name),
            "secret fields of `{name}` were not found in the generated type"
        );
    }
}

fn harden_items(
    items: &mut Vec<syn::Item>,
    secrets: &HashMap<String, Vec<String>>,
    null_tolerant: bool,
    seen: &mut Vec<String>,
) {
    let mut debug_impls = Vec::new();
    for item in items.iter_mut() {
        let syn::Item::Struct(s) = item else { continue };
        let syn::Fields::Named(fields) = &mut s.fields else {
            continue;
        };
        if null_tolerant {
            for f in fields.named.iter_mut() {
                // Optional or required alike: `data: null` on a list route reads as an empty
                // list; a missing required field is still an error.
                if is_container(&f.ty) {
                    f.attrs.push(syn::parse_quote!(
                        #[serde(deserialize_with = "crate::runtime::null_as_empty")]
                    ));
                }
            }
        }
        let name = s.ident.to_string();
        let Some(secret) = secrets.get(&name) else {
            continue;
        };
        seen.push(name.clone());
        for attr in s.attrs.iter_mut() {
            if attr.path().is_ident("derive") {
                let paths = attr
                    .parse_args_with(
                        syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
                    )
                    .expect("derive list");
                let kept = paths.iter().filter(|p| !p.is_ident("Debug"));
                *attr = syn::parse_quote!(#[derive(#(#kept),*)]);
            }
        }
        let ident = &s.ident;
        let rows = fields.named.iter().map(|f| {
            let fi = f.ident.as_ref().expect("named field");
            let label = fi.to_string();
            let label = label.trim_start_matches("r#");
            if secret.iter().any(|s| s == label) {
                quote!(.field(#label, &"<redacted>"))
            } else {
                quote!(.field(#label, &self.#fi))
            }
        });
        debug_impls.push(syn::parse_quote! {
            impl ::std::fmt::Debug for #ident {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.debug_struct(#name) #(#rows)* .finish()
                }
            }
        });
    }
    items.extend(debug_impls);
}
