// Post-processing of progenitor's output, used by `build.rs`: it reads the generated builders and
// types and emits the SDK's calling methods plus the operation metadata table.

use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident, quote};
use std::collections::HashMap;

const METHODS: [&str; 7] = ["get", "put", "post", "delete", "patch", "head", "options"];

/// One operation as read from the spec.
struct Op {
    id: String,
    method: String,
    path: String,
    tiers: Vec<String>,
    paginated: bool,
    deprecated: bool,
    summary: String,
    family: String,
    aliases: Vec<String>,
}

fn operations(spec: &serde_json::Value) -> Vec<Op> {
    let mut ops = Vec::new();
    let paths = spec["paths"].as_object().expect("paths");
    for (path, item) in paths {
        for m in METHODS {
            let Some(op) = item.get(m) else { continue };
            let str_list = |v: &serde_json::Value| -> Vec<String> {
                v.as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|s| s.as_str().map(str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default()
            };
            ops.push(Op {
                id: op["operationId"].as_str().expect("operationId").to_owned(),
                method: m.to_uppercase(),
                path: path.clone(),
                tiers: str_list(&op["x-crisp-tiers"]),
                paginated: op["x-crisp-paginated"].as_bool().unwrap_or(false),
                deprecated: op["deprecated"].as_bool().unwrap_or(false),
                summary: op["summary"].as_str().unwrap_or_default().to_owned(),
                family: op["tags"][0].as_str().unwrap_or_default().to_owned(),
                aliases: str_list(&op["x-crisp-aliases"]),
            });
        }
    }
    ops.sort_by(|a, b| a.id.cmp(&b.id));
    ops
}

fn module<'f>(file: &'f syn::File, name: &str) -> &'f [syn::Item] {
    file.items
        .iter()
        .find_map(|i| match i {
            syn::Item::Mod(m) if m.ident == name => m.content.as_ref().map(|(_, items)| &items[..]),
            _ => None,
        })
        .unwrap_or_else(|| panic!("progenitor output has no `mod {name}`"))
}

/// [`module`], mutable.
fn module_mut<'f>(file: &'f mut syn::File, name: &str) -> &'f mut Vec<syn::Item> {
    file.items
        .iter_mut()
        .find_map(|i| match i {
            syn::Item::Mod(m) if m.ident == name => m.content.as_mut().map(|(_, items)| items),
            _ => None,
        })
        .unwrap_or_else(|| panic!("progenitor output has no `mod {name}`"))
}

/// The `T` of a builder's `send` return type: `crate::call::Sending<'a, T>` (a compacted
/// `send`) or `Result<ResponseValue<T>, Error<E>>` (progenitor's, for HEAD checks).
fn success_type(sig: &syn::Signature) -> syn::Type {
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

fn last_ident(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// Builds the extension file.
pub fn extensions(file: &syn::File, spec: &serde_json::Value) -> syn::File {
    let builders = module(file, "builder");
    let types = module(file, "types");

    let mut sends: HashMap<String, (syn::Generics, syn::Type)> = HashMap::new();
    for item in builders {
        if let syn::Item::Impl(imp) = item {
            let Some(name) = last_ident(&imp.self_ty) else {
                continue;
            };
            for it in &imp.items {
                if let syn::ImplItem::Fn(f) = it
                    && f.sig.ident == "send"
                {
                    sends.insert(name.clone(), (imp.generics.clone(), success_type(&f.sig)));
                }
            }
        }
    }
    let mut data_fields: HashMap<String, syn::Type> = HashMap::new();
    let mut structs: Vec<String> = Vec::new();
    for item in types {
        if let syn::Item::Struct(s) = item {
            structs.push(s.ident.to_string());
            if let syn::Fields::Named(fields) = &s.fields {
                for f in &fields.named {
                    if f.ident.as_ref().is_some_and(|i| i == "data") {
                        data_fields.insert(s.ident.to_string(), f.ty.clone());
                    }
                }
            }
        }
    }

    let ops = operations(spec);
    let mut impls = Vec::<TokenStream>::new();
    let mut replays = Vec::<TokenStream>::new();
    for op in &ops {
        let name = crate::names::camel(&op.id);
        let (generics, success) = sends
            .get(&name)
            .unwrap_or_else(|| panic!("no builder `{name}` for operation `{}`", op.id));
        let ident = format_ident!("{}", name);
        let (impl_g, ty_g, where_g) = generics.split_for_impl();
        let route = format!("`{} {}`", op.method, op.path);
        let is_unit = matches!(success, syn::Type::Tuple(t) if t.elems.is_empty());
        if is_unit {
            let id = op.id.as_str();
            let doc = format!(
                " Sends the `{}` check ({route}): `Ok(true)` on any 2xx, `Ok(false)` on 404, \
                 an [`Error`](crate::Error) otherwise.",
                op.id
            );
            replays.push(quote! {
                #id => ::std::boxed::Box::pin(async move {
                    crate::call::replay_head(#id, response).await.map(drop)
                }),
            });
            impls.push(quote! {
                impl #impl_g crate::generated::builder::#ident #ty_g #where_g {
                    #[doc = #doc]
                    pub fn exists(
                        self,
                    ) -> impl ::std::future::Future<
                        Output = ::std::result::Result<bool, crate::Error>,
                    > {
                        crate::call::exists(#id, self.prepare())
                    }
                }
            });
            continue;
        }
        let id = op.id.as_str();
        let envelope = last_ident(success).expect("envelope type name");
        assert!(
            structs.contains(&envelope),
            "no envelope struct `{envelope}` for `{}`",
            op.id
        );
        // The envelope is an alias of `Envelope<Data>` or `Ack` (`share_envelopes`), whose
        // `crate::call::Parts` split it into Crisp's reason and the data.
        let data_ty = match data_fields.get(&envelope) {
            Some(t) => quote!(#t),
            None => quote!(()),
        };
        let doc_call = format!(
            " Sends the `{}` request ({route}) and returns the `data` of Crisp's envelope.",
            op.id
        );
        let doc_resp = format!(
            " Sends the `{}` request ({route}) and returns the `data` with the HTTP status and \
             headers.",
            op.id
        );
        replays.push(quote! {
            #id => ::std::boxed::Box::pin(async move {
                crate::call::replay::<#success>(#id, response).await.map(drop)
            }),
        });
        if op.paginated {
            let data = data_fields.get(&envelope).unwrap_or_else(|| {
                panic!("operation `{}` is x-crisp-paginated but has no data", op.id)
            });
            impls.push(paginated(op, &ident, generics, data, success));
        }
        impls.push(quote! {
            impl #impl_g crate::generated::builder::#ident #ty_g #where_g {
                #[doc = #doc_call]
                pub fn call(
                    self,
                ) -> impl ::std::future::Future<
                    Output = ::std::result::Result<#data_ty, crate::Error>,
                > {
                    crate::call::data::<#success, _>(#id, self.prepare())
                }
                #[doc = #doc_resp]
                pub fn response(
                    self,
                ) -> impl ::std::future::Future<
                    Output = ::std::result::Result<crate::Response<#data_ty>, crate::Error>,
                > {
                    crate::call::response::<#success, _>(#id, self.prepare())
                }
            }
        });
    }

    let rows = ops.iter().map(|op| {
        let Op {
            id,
            method,
            path,
            paginated,
            deprecated,
            summary,
            family,
            ..
        } = op;
        let tiers = op.tiers.iter().map(|t| match t.as_str() {
            "plugin" => quote!(crate::Tier::Plugin),
            "website" => quote!(crate::Tier::Website),
            "user" => quote!(crate::Tier::User),
            other => panic!("operation `{id}` has an unknown tier `{other}`"),
        });
        quote! {
            crate::operations::Operation {
                id: #id,
                method: #method,
                path: #path,
                tiers: &[#(#tiers),*],
                paginated: #paginated,
                deprecated: #deprecated,
                summary: #summary,
                family: #family,
            }
        }
    });
    let count = ops.len();
    let tokens = quote! {
        #(#impls)*

        /// Every operation of the bundled spec, sorted by id.
        pub const ALL: [crate::operations::Operation; #count] = [#(#rows),*];

        /// Decodes `response` exactly as operation `id`'s `.call()` (or `.exists()`) would, data
        /// dropped; `None` for an unknown id.
        /// (Each operation's future is boxed: one big state machine would overflow the stack.)
        #[cfg(feature = "sandbox")]
        pub(crate) fn replay(
            id: &str,
            response: ::reqwest::Response,
        ) -> ::std::option::Option<
            ::futures::future::BoxFuture<'static, ::std::result::Result<(), crate::Error>>,
        > {
            Some(match id {
                #(#replays)*
                _ => return None,
            })
        }
    };
    syn::parse2(tokens).expect("extensions are valid Rust")
}

/// Polishes the docs of the generated `Client` methods: each gets `#[doc(alias)]`es from the
/// official clients' method names (`x-crisp-aliases`: `getConversation`, `GetConversation`, …)
/// so that rustdoc's search finds them, and its example shows `.call()` instead of progenitor's
/// raw `.send()`.
pub fn document(file: &mut syn::File, spec: &serde_json::Value) {
    let aliases: HashMap<String, Vec<String>> = operations(spec)
        .into_iter()
        .map(|op| (op.id, op.aliases))
        .collect();
    for item in &mut file.items {
        let syn::Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some() || last_ident(&imp.self_ty).as_deref() != Some("Client") {
            continue;
        }
        for it in &mut imp.items {
            let syn::ImplItem::Fn(f) = it else { continue };
            let Some(names) = aliases.get(&f.sig.ident.to_string()) else {
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
            for name in names {
                f.attrs.push(syn::parse_quote!(#[doc(alias = #name)]));
            }
        }
    }
}

/// The operation table as Markdown, for the `operations` module's docs on docs.rs.
pub fn operations_page(spec: &serde_json::Value) -> String {
    let ops = operations(spec);
    let mut page = format!(
        "Metadata of every operation this build of the crate has ({} with the enabled \
         features), for tooling, tracing and the sandbox.\n\n\
         | Operation | Route | Tiers | Feature |\n|---|---|---|---|\n",
        ops.len()
    );
    for op in &ops {
        let deprecated = if op.deprecated { " (deprecated)" } else { "" };
        page.push_str(&format!(
            "| [`{id}`](crate::Client::{id}){deprecated} | `{} {}` | {} | `{}` |\n",
            op.method,
            op.path,
            op.tiers.join(", "),
            op.family,
            id = op.id,
        ));
    }
    let events = spec["x-crisp-events"].as_object();
    page.push_str(&format!(
        "\n# Events\n\nThe events typed by this build ({}): an event of a family is typed only \
         with that family's feature, otherwise it arrives as \
         [`Event::Unknown`](crate::Event::Unknown).\n\n\
         | Event | Variant | Feature |\n|---|---|---|\n",
        events.map_or(0, |e| e.len())
    ));
    for (name, event) in events.into_iter().flatten() {
        let variant = crate::names::camel(name);
        page.push_str(&format!(
            "| `{name}` | [`{variant}`](crate::Event::{variant}) | {} |\n",
            event["family"]
                .as_str()
                .map_or_else(|| "(always)".to_owned(), |f| format!("`{f}`"))
        ));
    }
    page
}

/// `.pages()` and `.stream()` for an operation whose path ends in `{page_number}`.
fn paginated(
    op: &Op,
    ident: &syn::Ident,
    generics: &syn::Generics,
    data: &syn::Type,
    success: &syn::Type,
) -> TokenStream {
    let item = match data {
        syn::Type::Path(p) if last_ident(data).as_deref() == Some("Vec") => {
            match &p.path.segments.last().expect("segment").arguments {
                syn::PathArguments::AngleBracketed(args) => match args.args.first() {
                    Some(syn::GenericArgument::Type(t)) => t.clone(),
                    _ => panic!("`{}`: Vec without an item type", op.id),
                },
                _ => panic!("`{}`: Vec without an item type", op.id),
            }
        }
        _ => panic!(
            "operation `{}` is x-crisp-paginated but its data is not an array",
            op.id
        ),
    };
    let lifetime = generics
        .lifetimes()
        .next()
        .map(|l| l.lifetime.clone())
        .unwrap_or_else(|| panic!("builder of `{}` has no lifetime", op.id));
    let (impl_g, ty_g, where_g) = generics.split_for_impl();
    let id = &op.id;
    let doc_pages = format!(
        " Streams every page of `{id}` (`{} {}`) from page 1, each as a `Vec`, keeping the \
         other parameters set on this builder. See [`Pages`](crate::Pages) for how it ends.",
        op.method, op.path
    );
    let doc_stream = format!(
        " Streams the items of every page of `{id}`, one by one, keeping the other parameters \
         set on this builder. See [`Items`](crate::Items)."
    );
    quote! {
        impl #impl_g crate::generated::builder::#ident #ty_g #where_g {
            #[doc = #doc_pages]
            pub fn pages(self) -> crate::Pages<#lifetime, #item> {
                crate::pagination::Pages::new(#id, move |page| {
                    let request = self.clone().page_number(page);
                    crate::call::page::<#success, _>(#id, request.prepare())
                })
            }
            #[doc = #doc_stream]
            pub fn stream(self) -> crate::Items<#lifetime, #item> {
                self.pages().items()
            }
        }
    }
}

/// Schema names and the fields of each that hold secrets (`format: password` in the spec).
fn secret_fields(spec: &serde_json::Value) -> HashMap<String, Vec<String>> {
    let mut out = HashMap::new();
    for (name, schema) in spec["components"]["schemas"]
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

/// `Some(optional)` for an integer field (`i64`, `Option<u32>`, …).
fn integer_kind(ty: &syn::Type) -> Option<bool> {
    let text = ty.to_token_stream().to_string().replace(' ', "");
    let (inner, optional) = match text
        .strip_prefix("::std::option::Option<")
        .or_else(|| text.strip_prefix("Option<"))
        .and_then(|t| t.strip_suffix('>'))
    {
        Some(inner) => (inner, true),
        None => (text.as_str(), false),
    };
    matches!(
        inner.trim_start_matches("::std::primitive::"),
        "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64"
    )
    .then_some(optional)
}

/// Makes the generated types safer:
///
/// * lists and maps (optional or required, such as a list route's `data`) accept an explicit
///   `null` from Crisp as empty (typify would fail the whole response);
/// * integer fields read integers Crisp sends as strings or floats when exact
///   (`crate::lenient::integer`);
/// * fields marked `format: password` in the spec are redacted from `Debug`, in the types and in
///   their builders.
pub fn harden(file: &mut syn::File, spec: &serde_json::Value) {
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
                        #[serde(deserialize_with = "crate::nullable::null_as_empty")]
                    ));
                }
                // Integers sent as strings or floats are read when exact (`src/lenient.rs`).
                if let Some(optional) = integer_kind(&f.ty) {
                    let defaulted = f.attrs.iter().any(|a| {
                        a.path().is_ident("serde")
                            && a.to_token_stream().to_string().contains("default")
                    });
                    f.attrs.push(if optional && !defaulted {
                        syn::parse_quote!(
                            #[serde(default, deserialize_with = "crate::lenient::integer")]
                        )
                    } else {
                        syn::parse_quote!(#[serde(deserialize_with = "crate::lenient::integer")])
                    });
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

/// Splits every generated `send()`: the building of the request becomes the builder's
/// `prepare()` (which the SDK's `call()`, `response()`, `exists()` and streams send through
/// `src/call.rs`), and `send()` becomes `crate::call::Sending::new(self.prepare())`, one
/// generic future over the non-generic `crate::call::exchange`, instead of the hooks, the
/// status dispatch and three decoding awaits instantiated per operation. The `api-version`
/// header progenitor adds (Crisp versions by path) is no longer added. HEAD checks keep
/// progenitor's `send()`, without the header, and get a `prepare()` too.
pub fn compact_sends(file: &mut syn::File) {
    let builders = module_mut(file, "builder");
    // The `String` parameters of each builder (`Result<String, String>` fields).
    let mut strings: HashMap<String, Vec<String>> = HashMap::new();
    for item in builders.iter() {
        if let syn::Item::Struct(st) = item {
            let names = st
                .fields
                .iter()
                .filter(|f| {
                    let ty = f.ty.to_token_stream().to_string().replace(' ', "");
                    ty == "Result<::std::string::String,String>"
                })
                .filter_map(|f| f.ident.as_ref().map(ToString::to_string))
                .collect();
            strings.insert(st.ident.to_string(), names);
        }
    }
    for item in builders.iter_mut() {
        let syn::Item::Impl(imp) = item else { continue };
        let params = last_ident(&imp.self_ty)
            .and_then(|name| strings.get(&name))
            .cloned()
            .unwrap_or_default();
        unset_without_allocating(imp);
        let mut prepares = Vec::new();
        for it in imp.items.iter_mut() {
            if let syn::ImplItem::Fn(f) = it
                && f.sig.ident == "send"
            {
                // Panics on a body it does not recognise (progenitor's output changed).
                let (building, compacted) = compact_send(&mut f.block.stmts, &params);
                prepares.push(prepare(f, building));
                if compacted {
                    make_sync(f);
                }
            }
        }
        imp.items.extend(prepares);
    }
}

/// A builder's unset required parameters: progenitor's `new()` allocates a
/// `"x was not initialized"` message for each, which the setters then drop. They become empty
/// strings (no allocation), which `send()` turns into the same message
/// (`crate::call::unset`) only when a parameter is still unset.
fn unset_without_allocating(imp: &mut syn::ItemImpl) {
    let mut names = Vec::new();
    for it in imp.items.iter_mut() {
        let syn::ImplItem::Fn(f) = it else { continue };
        if f.sig.ident != "send" {
            continue;
        }
        for stmt in f.block.stmts.iter_mut() {
            let t = stmt.to_token_stream().to_string();
            let Some(name) = t
                .strip_prefix("let ")
                .and_then(|r| r.strip_suffix(" . map_err (Error :: InvalidRequest) ? ;"))
                .and_then(|r| r.split_once(" = "))
                .filter(|(a, b)| a == b)
                .map(|(a, _)| a.to_owned())
            else {
                continue;
            };
            *stmt = syn::parse_str(&format!(
                "let {name} = {name}.map_err(|e| crate::call::unset(e, \"{name}\"))?;"
            ))
            .expect("valid statement");
            names.push(name);
        }
    }
    for it in imp.items.iter_mut() {
        let syn::ImplItem::Fn(f) = it else { continue };
        if f.sig.ident != "new" {
            continue;
        }
        let mut t = f.block.to_token_stream().to_string();
        for name in &names {
            t = t.replace(
                &format!("{name} : Err (\"{name} was not initialized\" . to_string ())"),
                &format!("{name} : Err (:: std :: string :: String :: new ())"),
            );
        }
        assert!(
            !t.contains("was not initialized"),
            "a builder's `new()` has an unset parameter `send()` does not check: {t}"
        );
        f.block = syn::parse_str(&t).expect("valid block");
    }
}

/// `pub(crate) fn prepare(self) -> crate::call::Built<'a, E>`: the building part of a `send()`
/// (`building`, ending by returning `(client, request, operation_id)`), which the SDK's
/// `call()`, `response()`, `exists()` and page streams send themselves.
fn prepare(send: &syn::ImplItemFn, building: Vec<syn::Stmt>) -> syn::ImplItem {
    let syn::ReturnType::Type(_, output) = &send.sig.output else {
        panic!("send returns nothing")
    };
    // `Result<ResponseValue<T>, Error<E>>`: `E` is the error's argument.
    let error = match &**output {
        syn::Type::Path(p) => match &p.path.segments.last().expect("segment").arguments {
            syn::PathArguments::AngleBracketed(args) => match args.args.iter().nth(1) {
                Some(syn::GenericArgument::Type(syn::Type::Path(e))) => {
                    match &e.path.segments.last().expect("segment").arguments {
                        syn::PathArguments::AngleBracketed(a) => a.args.first().cloned(),
                        _ => None,
                    }
                }
                _ => None,
            },
            _ => None,
        },
        _ => None,
    }
    .expect("send returns Result<_, Error<E>>");
    syn::parse_quote! {
        /// Builds the request (the SDK's calling methods send it).
        pub(crate) fn prepare(self) -> crate::call::Built<'a, #error> {
            #(#building)*
        }
    }
}

/// Rewrites one `send()` body (see [`compact_sends`]). Returns the statements that build its
/// request (ending by returning `(client, request, operation_id)`), and `true` if the body
/// itself became those (its tail is the SDK's, not progenitor's; HEAD checks keep theirs).
/// `strings` are the builder's `String` parameters: their path segments are encoded from the
/// string itself, not from a `to_string()` copy of it.
fn compact_send(stmts: &mut Vec<syn::Stmt>, strings: &[String]) -> (Vec<syn::Stmt>, bool) {
    let text = |s: &syn::Stmt| s.to_token_stream().to_string();
    for stmt in stmts.iter_mut() {
        let mut t = text(stmt);
        if !t.starts_with("let url = format !") {
            continue;
        }
        for name in strings {
            t = t.replace(
                &format!("encode_path (& {name} . to_string ())"),
                &format!("encode_path (& {name})"),
            );
        }
        // `encode_path(&x)` → `crate::path::segment(&x, "x")?`: borrowed when nothing needs
        // encoding, and `.`/`..` refused (a URL would resolve them to another route).
        let mut out = String::new();
        while let Some(at) = t.find("encode_path (& ") {
            out.push_str(&t[..at]);
            let rest = &t[at + "encode_path (& ".len()..];
            let (mut depth, mut end) = (1, 0);
            for (i, c) in rest.char_indices() {
                depth += match c {
                    '(' => 1,
                    ')' => -1,
                    _ => 0,
                };
                if depth == 0 {
                    end = i;
                    break;
                }
            }
            let arg = rest[..end].trim();
            let name = arg.split_whitespace().next().expect("an argument");
            out.push_str(&format!(
                "crate :: path :: segment (& {arg} , \"{name}\") ?"
            ));
            t = rest[end + 1..].to_owned();
        }
        out.push_str(&t);
        *stmt = syn::parse_str(&out).expect("the rewritten URL statement is valid Rust");
    }
    // The `api-version` header map: its declaration, its one `append`, its use in the chain.
    let before = stmts.len();
    stmts.retain(|s| {
        let t = text(s);
        !(t.starts_with("let mut header_map") || t.starts_with("header_map . append"))
    });
    assert_eq!(
        before - stmts.len(),
        2,
        "a generated `send()` adds other headers than `api-version`"
    );
    for s in stmts.iter_mut() {
        if let syn::Stmt::Local(local) = s
            && let Some(init) = local.init.as_mut()
        {
            drop_headers_call(&mut init.expr);
        }
    }
    assert!(
        !stmts.iter().any(|s| text(s).contains("header_map")),
        "`header_map` is still used in a generated `send()`"
    );
    let Some(at) = stmts
        .iter()
        .position(|s| text(s).starts_with("let info = OperationInfo"))
    else {
        panic!("a generated `send()` has no `OperationInfo`")
    };
    let syn::Stmt::Local(info) = &stmts[at] else {
        unreachable!()
    };
    let id = info
        .init
        .as_ref()
        .and_then(|i| match &*i.expr {
            syn::Expr::Struct(s) => s.fields.first().map(|f| f.expr.clone()),
            _ => None,
        })
        .expect("`OperationInfo { operation_id }`");
    let mut building = stmts[..at].to_vec();
    building.push(syn::parse_quote! {
        return ::std::result::Result::Ok((client, request, #id));
    });
    let tail: String = stmts[at + 1..]
        .iter()
        .map(text)
        .collect::<Vec<_>>()
        .join(" ");
    if tail.contains("ResponseValue :: empty") {
        return (building, false);
    }
    const EXPECTED: &str = "client . pre (& mut request , & info) . await ? ; \
        let result = client . exec (request , & info) . await ; \
        client . post (& result , & info) . await ? ; \
        let response = result ? ; \
        match response . status () . as_u16 () { \
        200 ..= 299 => { ResponseValue :: from_response (response) . await } \
        400u16 ..= 499u16 => { Err (Error :: ErrorResponse (ResponseValue :: from_response (response) . await ?)) } \
        500u16 ..= 599u16 => { Err (Error :: ErrorResponse (ResponseValue :: from_response (response) . await ?)) } \
        _ => Err (Error :: UnexpectedResponse (response)) , }";
    let squash = |s: &str| s.split_whitespace().collect::<String>();
    assert_eq!(
        squash(&tail),
        squash(EXPECTED),
        "progenitor's `send()` tail changed: update `compact_send`"
    );
    (building, true)
}

/// Turns a compacted `async fn send(self) -> Result<ResponseValue<T>, Error<E>>` into a plain
/// `fn send(self) -> crate::call::Sending<'a, T>` over the builder's `prepare()`: the request
/// is built at once and the returned future is the SDK's one generic type, not a state machine
/// per operation.
fn make_sync(f: &mut syn::ImplItemFn) {
    let success = success_type(&f.sig);
    f.block = syn::parse_quote!({ crate::call::Sending::new(self.prepare()) });
    f.sig.asyncness = None;
    f.sig.output = syn::parse_quote!(-> crate::call::Sending<'a, #success>);
}

/// Removes `.headers(header_map)` from a request-building method chain.
fn drop_headers_call(expr: &mut syn::Expr) {
    if let syn::Expr::Try(t) = expr {
        return drop_headers_call(&mut t.expr);
    }
    if let syn::Expr::MethodCall(call) = expr {
        if call.method == "headers"
            && call.args.len() == 1
            && call.args[0].to_token_stream().to_string() == "header_map"
        {
            *expr = (*call.receiver).clone();
            drop_headers_call(expr);
            return;
        }
        drop_headers_call(&mut call.receiver);
    }
}

/// Replaces progenitor's envelope struct of every operation (`{error, reason, data}`, or
/// `{error, reason}`) with an alias of the SDK's generic `crate::envelope::Envelope<Data>` (or
/// `crate::envelope::Ack`), and drops their impls: some 250 structs that were each derived,
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
            ["error", "reason"] => syn::parse_quote!(crate::envelope::Ack),
            ["data", "error", "reason"] => {
                let data = named["data"];
                syn::parse_quote!(crate::envelope::Envelope<#data>)
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
