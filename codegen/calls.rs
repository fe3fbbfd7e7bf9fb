// Pass `calls` (reads the finished generated code): the SDK's calling methods on every
// operation builder (`call`, `response`, or `exists` for HEAD checks; the list streams of
// `streams.rs`), the operation table `ALL`, and the sandbox's replay and example tables, into
// `OUT_DIR/extensions.rs`.
use super::streams;
use super::syntax::{last_ident, module, success_type};
use crisp_api_spec::{Operation, Paging, Spec};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::HashMap;

/// Builds the extension file.
pub fn extensions(file: &syn::File, spec: &Spec) -> syn::File {
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

    let ops = spec.operations();
    let mut impls = Vec::<TokenStream>::new();
    let mut replays = Vec::<TokenStream>::new();
    for op in ops {
        let name = crisp_api_spec::camel(&op.id);
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
                    crate::runtime::replay_head(#id, response).await.map(drop)
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
                        crate::runtime::exists(#id, self.prepare())
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
        // `crate::runtime::Parts` split it into Crisp's reason and the data.
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
                crate::runtime::replay::<#success>(#id, response).await.map(drop)
            }),
        });
        if op.paging != Paging::None {
            let data = data_fields
                .get(&envelope)
                .unwrap_or_else(|| panic!("operation `{}` walks a list but has no data", op.id));
            impls.push(streams::streams(op, &ident, generics, data, success));
        }
        impls.push(quote! {
            impl #impl_g crate::generated::builder::#ident #ty_g #where_g {
                #[doc = #doc_call]
                pub fn call(
                    self,
                ) -> impl ::std::future::Future<
                    Output = ::std::result::Result<#data_ty, crate::Error>,
                > {
                    crate::runtime::data::<#success, _>(#id, self.prepare())
                }
                #[doc = #doc_resp]
                pub fn response(
                    self,
                ) -> impl ::std::future::Future<
                    Output = ::std::result::Result<crate::Response<#data_ty>, crate::Error>,
                > {
                    crate::runtime::response::<#success, _>(#id, self.prepare())
                }
            }
        });
    }

    let rows = ops.iter().map(|op| {
        let Operation {
            id,
            method,
            path,
            deprecated,
            summary,
            family,
            ..
        } = op;
        let paginated = op.paginated();
        let cursor = match op.cursor() {
            Some(c) => {
                let (param, field) = (&c.param, &c.field);
                quote!(Some(crate::operations::Cursor { param: #param, field: #field }))
            }
            None => quote!(None),
        };
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
                cursor: #cursor,
                deprecated: #deprecated,
                summary: #summary,
                family: #family,
            }
        }
    });
    let count = ops.len();
    // The sandbox's answers: each operation's example envelope as JSON text, sorted by id, so
    // that nothing parses the bundle at run time.
    let examples = ops.iter().filter_map(|op| {
        let (id, example) = (&op.id, op.response_example()?);
        let json = serde_json::to_string(example).expect("an example serialises");
        Some(quote!((#id, #json)))
    });
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

        /// Each operation's example success envelope (JSON), sorted by id.
        #[cfg(feature = "sandbox")]
        pub(crate) const EXAMPLES: &[(&str, &str)] = &[#(#examples),*];
    };
    syn::parse2(tokens).expect("extensions are valid Rust")
}
