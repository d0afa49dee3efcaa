//! Writes the function `#[task]` turns an `async fn` into.
//!
//! ```text
//! /// docs
//! #[must_use = ".."]
//! pub fn name<T: Bound + 'static>(a: A, __arg1: (u32, u32)) -> ::cosched::Coroutine<
//!     impl ::core::future::Future<Output = R> + ::core::marker::Send + 'static,
//! > {
//!     static __COSCHED_META: ::cosched::TaskMeta = ::cosched::TaskMeta::new("name");
//!     ::cosched::Coroutine::new(&__COSCHED_META, async move {
//!         if let ::core::option::Option::Some(__ret) = ::core::option::Option::None::<R> {
//!             return __ret;
//!         }
//!         let a = a;
//!         let __arg1 = __arg1;
//!         let (x, y) = __arg1;
//!         { /* the body, as written */ }
//!     })
//! }
//! ```
//!
//! * Every argument is moved into the future, like in an `async fn`: an
//!   argument the body never uses (a guard) lives until the future is done.
//!   Simple bindings keep their name; other patterns get a positional name
//!   in the signature (`__arg1`, hygienic) and are destructured inside.
//! * The `if let … None::<R>` statement fixes the future's output type to
//!   `R` before the body is type-checked, so `return x` and the body's last
//!   expression are checked against `R` at the user's spans, and `?` knows
//!   the error type, exactly as in an `async fn`.
//! * Type parameters and `impl Trait` arguments get a `'static` bound: the
//!   coroutine may outlive its caller.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::ext::IdentExt as _;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned as _;
use syn::visit_mut::{self, VisitMut};
use syn::{
    Attribute, FnArg, GenericParam, Lifetime, Pat, PatIdent, Token, Type, TypeImplTrait,
    TypeParamBound, WherePredicate,
};

use super::parse::TaskOptions;
use crate::fn_item::{self, FnItem};

const MUST_USE: &str = "a coroutine does nothing unless it is `.await`ed or scheduled with \
                        `create_task`, `ensure_future` or `.spawn()`";

pub(super) fn expand(options: &TaskOptions, item: FnItem) -> TokenStream {
    let krate = &options.krate;
    let FnItem {
        attrs,
        vis,
        mut sig,
        body,
    } = item;
    let async_span = sig
        .asyncness
        .map_or_else(Span::call_site, |asyncness| asyncness.span);

    let (inputs, bindings) = move_arguments(&sig.inputs);
    sig.inputs = inputs;
    add_static_bounds(&mut sig.generics, &mut sig.inputs);

    let output = fn_item::output_type(&sig, krate);
    let coroutine = if options.local {
        quote! {
            #krate::Coroutine<
                impl ::core::future::Future<Output = #output> + 'static,
                #krate::Local,
            >
        }
    } else {
        quote! {
            #krate::Coroutine<
                impl ::core::future::Future<Output = #output> + ::core::marker::Send + 'static,
            >
        }
    };

    let name = options
        .name
        .clone()
        .unwrap_or_else(|| syn::LitStr::new(&sig.ident.unraw().to_string(), sig.ident.span()));
    let mut meta = quote!(#krate::TaskMeta::new(#name));
    if options.local {
        meta = quote!(#meta.local());
    }
    let mut limit_static = TokenStream::new();
    let fix_output = fn_item::fix_output_type(&sig, krate);
    let body = quote_spanned! {Span::call_site().located_at(async_span)=>
        async move {
            #fix_output
            #bindings
            #body
        }
    };
    let future = if let Some((limit, limit_span)) = options.limit {
        let mut limit = proc_macro2::Literal::usize_unsuffixed(limit);
        limit.set_span(limit_span);
        meta = quote!(#meta.limit(#limit));
        limit_static = quote! {
            static __COSCHED_LIMIT: #krate::__private::Limit = #krate::__private::Limit::new(#limit);
        };
        quote!(#krate::__private::limited(&__COSCHED_LIMIT, #body))
    } else {
        body
    };

    let must_use = if attrs.iter().any(|attr| attr.path().is_ident("must_use")) {
        TokenStream::new()
    } else {
        quote!(#[must_use = #MUST_USE])
    };
    let fn_token = sig.fn_token;
    let ident = &sig.ident;
    let generics = &sig.generics;
    let where_clause = &sig.generics.where_clause;
    let inputs = &sig.inputs;
    quote! {
        #(#attrs)*
        #must_use
        #vis #fn_token #ident #generics (#inputs) -> #coroutine #where_clause {
            static __COSCHED_META: #krate::TaskMeta = #meta;
            #limit_static
            #krate::Coroutine::new(&__COSCHED_META, #future)
        }
    }
}

/// Rewrites the arguments so that each can be moved into the future, and
/// returns the statements doing that, in order.
fn move_arguments(
    inputs: &Punctuated<FnArg, Token![,]>,
) -> (Punctuated<FnArg, Token![,]>, TokenStream) {
    let mut new_inputs = inputs.clone();
    let mut bindings = TokenStream::new();
    for (index, arg) in new_inputs.iter_mut().enumerate() {
        // Receivers were rejected.
        let FnArg::Typed(arg) = arg else { continue };
        let (cfgs, lints, others) = split_attributes(&arg.attrs);
        arg.attrs = cfgs.iter().chain(&others).cloned().collect();
        match &*arg.pat {
            Pat::Ident(PatIdent {
                attrs,
                by_ref: None,
                mutability,
                ident,
                subpat: None,
            }) => {
                // `let x = x;`, the right-hand side marked as generated so
                // that lints about `let x = x` or using `_x` stay quiet. The
                // binding keeps the user's span, so that an unused argument
                // is reported as in an `async fn`, except for `_x` (never
                // reported as unused, and clippy would see a no-effect
                // binding).
                let generated = Span::call_site().located_at(ident.span());
                let mut moved = ident.clone();
                moved.set_span(generated);
                let mut binding = ident.clone();
                if ident.unraw().to_string().starts_with('_') {
                    binding.set_span(generated);
                }
                bindings.extend(quote! {
                    #(#cfgs)* #(#lints)*
                    let #mutability #binding = #moved;
                });
                *arg.pat = Pat::Ident(PatIdent {
                    attrs: attrs.clone(),
                    by_ref: None,
                    mutability: None,
                    ident: ident.clone(),
                    subpat: None,
                });
            }
            pat => {
                let positional = format_ident!(
                    "__arg{}",
                    index,
                    span = Span::mixed_site().located_at(pat.span())
                );
                bindings.extend(quote! {
                    #(#cfgs)*
                    let #positional = #positional;
                });
                if !matches!(pat, Pat::Wild(_)) {
                    bindings.extend(quote! {
                        #(#cfgs)* #(#lints)*
                        let #pat = #positional;
                    });
                }
                *arg.pat = Pat::Ident(PatIdent {
                    attrs: Vec::new(),
                    by_ref: None,
                    mutability: None,
                    ident: positional,
                    subpat: None,
                });
            }
        }
    }
    (new_inputs, bindings)
}

/// Splits argument attributes: conditional compilation (on the argument
/// and on its binding), lint levels (on the binding, where the user's
/// variable now lives), and the others (on the argument).
fn split_attributes(attrs: &[Attribute]) -> (Vec<Attribute>, Vec<Attribute>, Vec<Attribute>) {
    let mut cfgs = Vec::new();
    let mut lints = Vec::new();
    let mut others = Vec::new();
    for attr in attrs {
        let path = attr.path();
        if path.is_ident("cfg") || path.is_ident("cfg_attr") {
            cfgs.push(attr.clone());
        } else if ["allow", "expect", "warn", "deny", "forbid"]
            .iter()
            .any(|lint| path.is_ident(lint))
        {
            lints.push(attr.clone());
        } else {
            others.push(attr.clone());
        }
    }
    (cfgs, lints, others)
}

/// Adds `'static` to every type parameter and `impl Trait` argument that
/// does not have it yet.
fn add_static_bounds(generics: &mut syn::Generics, inputs: &mut Punctuated<FnArg, Token![,]>) {
    let already_static: Vec<syn::Ident> = generics
        .where_clause
        .iter()
        .flat_map(|where_clause| &where_clause.predicates)
        .filter_map(|predicate| match predicate {
            WherePredicate::Type(predicate) if has_static(&predicate.bounds) => {
                match &predicate.bounded_ty {
                    Type::Path(path) if path.qself.is_none() => path.path.get_ident().cloned(),
                    _ => None,
                }
            }
            _ => None,
        })
        .collect();
    let mut unbounded = Vec::new();
    for param in &mut generics.params {
        if let GenericParam::Type(param) = param {
            if has_static(&param.bounds) || already_static.contains(&param.ident) {
                continue;
            }
            if param.bounds.is_empty() {
                unbounded.push(param.ident.clone());
            } else {
                param.bounds.push(static_bound());
            }
        }
    }
    // A parameter written without bounds gets its `'static` at the start of
    // the `where` clause. rustc writes its "consider restricting `T` with
    // `Send`" suggestions after the user's bounds, after `T:` when there
    // are none, or after the last `where` predicate: a generated `T:`
    // inline, or a generated last predicate, would put them on the
    // attribute. (With no `where` clause of the user's, the suggestion still
    // lands there, as `, T: Send`.)
    if !unbounded.is_empty() {
        let where_clause = generics.make_where_clause();
        let users = std::mem::take(&mut where_clause.predicates);
        for ident in unbounded {
            let mut bounded = ident;
            bounded.set_span(Span::call_site());
            where_clause
                .predicates
                .push(syn::parse_quote!(#bounded: 'static));
        }
        where_clause.predicates.extend(users);
    }
    let mut visitor = StaticImplTrait;
    for arg in inputs {
        if let FnArg::Typed(arg) = arg {
            visitor.visit_type_mut(&mut arg.ty);
        }
    }
}

fn has_static(bounds: &Punctuated<TypeParamBound, Token![+]>) -> bool {
    bounds.iter().any(
        |bound| matches!(bound, TypeParamBound::Lifetime(lifetime) if lifetime.ident == "static"),
    )
}

fn static_bound() -> TypeParamBound {
    TypeParamBound::Lifetime(Lifetime::new("'static", Span::call_site()))
}

/// Adds `+ 'static` to `impl Trait` types.
struct StaticImplTrait;

impl VisitMut for StaticImplTrait {
    fn visit_type_impl_trait_mut(&mut self, impl_trait: &mut TypeImplTrait) {
        visit_mut::visit_type_impl_trait_mut(self, impl_trait);
        if !has_static(&impl_trait.bounds) {
            impl_trait.bounds.push(static_bound());
        }
    }
}
