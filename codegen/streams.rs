// The list streams of an operation builder, emitted by the `calls` pass from the spec's paging
// data: `.pages()`/`.stream()` for numbered pages (`x-crisp-paginated`), `.history()` for a
// cursor walk (`x-crisp-cursor`).
use super::syntax::last_ident;
use crisp_api_spec::Operation;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The streams of a list operation: `.pages()` and `.stream()` for numbered pages, `.history()`
/// for a cursor walk. `data` is the envelope's data type, a `Vec` of the items.
pub fn streams(
    op: &Operation,
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
            "operation `{}` walks a list but its data is not an array",
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
    if let Some(cursor) = op.cursor() {
        let param = format_ident!("{}", cursor.param);
        let field = format_ident!("{}", cursor.field);
        let doc = format!(
            " Streams every item of `{id}` (`{} {}`), **newest first**, walking back batch by \
             batch with `{}` set to the oldest `{}` seen, keeping the other parameters set on \
             this builder. See [`History`](crate::History) for how it ends.",
            op.method, op.path, cursor.param, cursor.field
        );
        return quote! {
            impl #impl_g crate::generated::builder::#ident #ty_g #where_g {
                #[doc = #doc]
                pub fn history(self) -> crate::History<#lifetime, #item> {
                    crate::runtime::History::new(
                        move |cursor| {
                            let mut request = self.clone();
                            if let Some(cursor) = cursor {
                                request = request.#param(cursor);
                            }
                            ::std::boxed::Box::pin(request.call())
                        },
                        |item: &#item| crate::runtime::CursorValue::cursor(&item.#field),
                    )
                }
            }
        };
    }
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
                crate::runtime::Pages::new(#id, move |page| {
                    let request = self.clone().page_number(page);
                    crate::runtime::page::<#success, _>(#id, request.prepare())
                })
            }
            #[doc = #doc_stream]
            pub fn stream(self) -> crate::Items<#lifetime, #item> {
                self.pages().items()
            }
        }
    }
}
