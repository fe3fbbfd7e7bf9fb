// Pass `compact`: every generated `send()` split into the builder's `prepare()` (building the
// request) and one generic future; path segments encoded by the runtime; unset parameters
// without allocation.
use super::syntax::{last_ident, module_mut, success_type};
use quote::ToTokens;
use std::collections::HashMap;

/// Splits every generated `send()`: the building of the request becomes the builder's
/// `prepare()` (which the SDK's `call()`, `response()`, `exists()` and streams send through
/// the runtime door, `src/runtime.rs`), and `send()` becomes
/// `crate::runtime::Sending::new(self.prepare())`, one generic future over the non-generic
/// exchange of `src/progenitor_compat.rs`, instead of the transport, the
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
/// (`crate::runtime::unset`) only when a parameter is still unset.
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
                "let {name} = {name}.map_err(|e| crate::runtime::unset(e, \"{name}\"))?;"
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

/// `pub(crate) fn prepare(self) -> crate::runtime::Built<'a, E>`: the building part of a `send()`
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
        pub(crate) fn prepare(self) -> crate::runtime::Built<'a, #error> {
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
                "crate :: runtime :: segment (& {arg} , \"{name}\") ?"
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
/// `fn send(self) -> crate::runtime::Sending<'a, T>` over the builder's `prepare()`: the request
/// is built at once and the returned future is the SDK's one generic type, not a state machine
/// per operation.
fn make_sync(f: &mut syn::ImplItemFn) {
    let success = success_type(&f.sig);
    f.block = syn::parse_quote!({ crate::runtime::Sending::new(self.prepare()) });
    f.sig.asyncness = None;
    f.sig.output = syn::parse_quote!(-> crate::runtime::Sending<'a, #success>);
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
