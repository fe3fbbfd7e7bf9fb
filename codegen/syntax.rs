// Reading progenitor's output: its modules and the types of its builders' `send()`s. Shared by
// the passes.

pub fn module<'f>(file: &'f syn::File, name: &str) -> &'f [syn::Item] {
    file.items
        .iter()
        .find_map(|i| match i {
            syn::Item::Mod(m) if m.ident == name => m.content.as_ref().map(|(_, items)| &items[..]),
            _ => None,
        })
        .unwrap_or_else(|| panic!("progenitor output has no `mod {name}`"))
}

/// [`module`], mutable.
pub fn module_mut<'f>(file: &'f mut syn::File, name: &str) -> &'f mut Vec<syn::Item> {
    file.items
        .iter_mut()
        .find_map(|i| match i {
            syn::Item::Mod(m) if m.ident == name => m.content.as_mut().map(|(_, items)| items),
            _ => None,
        })
        .unwrap_or_else(|| panic!("progenitor output has no `mod {name}`"))
}

/// The `T` of a builder's `send` return type: `crate::runtime::Sending<'a, T>` (a compacted
/// `send`) or `Result<ResponseValue<T>, Error<E>>` (progenitor's, for HEAD checks).
pub fn success_type(sig: &syn::Signature) -> syn::Type {
    let syn::ReturnType::Type(_, ty) = &sig.output else {
        panic!("send returns nothing")
    };
    let first_type = |ty: &syn::Type| -> (String, syn::Type) {
        let syn::Type::Path(p) = ty else {
            panic!("unexpected send type")
        };
        let seg = p.path.segments.last().expect("segment");
        let syn::PathArguments::AngleBracketed(args) = &seg.arguments else {
            panic!("unexpected send type")
        };
        let inner = args
            .args
            .iter()
            .find_map(|a| match a {
                syn::GenericArgument::Type(t) => Some(t.clone()),
                _ => None,
            })
            .expect("unexpected send type");
        (seg.ident.to_string(), inner)
    };
    match first_type(ty) {
        (name, inner) if name == "Sending" => inner,
        (_, response_value) => first_type(&response_value).1,
    }
}

pub fn last_ident(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}
