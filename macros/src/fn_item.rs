//! Parsing the `fn` item an attribute macro is applied to.
//!
//! Only the signature is parsed into a syntax tree; the body stays the
//! user's tokens, untouched (cheaper, robust to syntax `syn` does not know,
//! and every span inside stays the user's).

use proc_macro2::{Delimiter, Group, Span, TokenStream, TokenTree};
use quote::{ToTokens, quote, quote_spanned};
use syn::parse::{ParseStream, Parser as _};
use syn::spanned::Spanned as _;
use syn::visit_mut::{self, VisitMut};
use syn::{Attribute, Item, ReturnType, Signature, Token, Type, Visibility};

use crate::errors::{both, ensure_help, error_spanned};

/// An `fn` item with its body kept as tokens.
#[derive(Clone)]
pub(crate) struct FnItem {
    /// Outer attributes, followed by the inner attributes (`#![..]`) of the
    /// body turned into outer ones, since the body will not be a function
    /// body any more.
    pub(crate) attrs: Vec<Attribute>,
    pub(crate) vis: Visibility,
    pub(crate) sig: Signature,
    /// The body, braces included, without its inner attributes.
    pub(crate) body: Group,
}

impl FnItem {
    /// The item as it was written (inner attributes lifted), for the output
    /// of a macro that failed.
    pub(crate) fn to_original_tokens(&self) -> TokenStream {
        let Self {
            attrs,
            vis,
            sig,
            body,
        } = self;
        quote!(#(#attrs)* #vis #sig #body)
    }
}

/// Parses `item` as an `fn` item for `#[name]`; on failure the error says
/// what the item is and where `#[name]` belongs instead.
pub(crate) fn parse(item: TokenStream, name: &str, usage: &str) -> syn::Result<FnItem> {
    let parser = |input: ParseStream<'_>| parse_fn_item(input, name, usage);
    parser
        .parse2(item.clone())
        .map_err(|error| not_a_fn(item, error, name, usage))
        .map_err(|error| ensure_help(error, &format!("write `{usage}`")))
}

fn parse_fn_item(input: ParseStream<'_>, name: &str, usage: &str) -> syn::Result<FnItem> {
    let mut attrs = input.call(Attribute::parse_outer)?;
    let vis: Visibility = input.parse()?;
    let sig: Signature = input.parse()?;
    if input.peek(syn::Token![;]) {
        let semi: syn::Token![;] = input.parse()?;
        return Err(error_spanned(
            both(&sig, &semi),
            format!("`#[{name}]` needs a function with a body"),
            format!(
                "write the body in braces: `{usage}`; in a trait, put it on a free function instead"
            ),
        ));
    }
    let body = input.step(|cursor| match cursor.token_tree() {
        Some((TokenTree::Group(group), rest)) if group.delimiter() == Delimiter::Brace => {
            Ok((group, rest))
        }
        _ => Err(cursor.error("expected the function body `{ .. }`")),
    })?;
    if !input.is_empty() {
        return Err(input.error("unexpected tokens after the function body"));
    }
    let (inner_attrs, stmts) = split_inner_attributes.parse2(body.stream())?;
    attrs.extend(inner_attrs.into_iter().map(|mut attr| {
        attr.style = syn::AttrStyle::Outer;
        attr
    }));
    let mut body_without_inner = Group::new(Delimiter::Brace, stmts);
    body_without_inner.set_span(body.span());
    Ok(FnItem {
        attrs,
        vis,
        sig,
        body: body_without_inner,
    })
}

fn split_inner_attributes(input: ParseStream<'_>) -> syn::Result<(Vec<Attribute>, TokenStream)> {
    let inner = input.call(Attribute::parse_inner)?;
    let rest: TokenStream = input.parse()?;
    Ok((inner, rest))
}

/// Explains that `item` is not a function, if it parses as another item.
fn not_a_fn(item: TokenStream, parse_error: syn::Error, name: &str, usage: &str) -> syn::Error {
    let Ok(parsed) = syn::parse2::<Item>(item) else {
        return parse_error;
    };
    let (what, span): (&str, TokenStream) = match &parsed {
        Item::Const(i) => ("a `const` item", both(&i.const_token, &i.ident)),
        Item::Enum(i) => ("an `enum`", both(&i.enum_token, &i.ident)),
        Item::ExternCrate(i) => ("an `extern crate` item", i.to_token_stream()),
        Item::ForeignMod(i) => ("an `extern` block", i.abi.to_token_stream()),
        Item::Impl(i) => ("an `impl` block", both(&i.impl_token, &i.self_ty)),
        Item::Macro(i) => ("a macro invocation", i.mac.path.to_token_stream()),
        Item::Mod(i) => ("a module", both(&i.mod_token, &i.ident)),
        Item::Static(i) => ("a `static` item", both(&i.static_token, &i.ident)),
        Item::Struct(i) => ("a `struct`", both(&i.struct_token, &i.ident)),
        Item::Trait(i) => ("a trait", both(&i.trait_token, &i.ident)),
        Item::TraitAlias(i) => ("a trait alias", both(&i.trait_token, &i.ident)),
        Item::Type(i) => ("a type alias", both(&i.type_token, &i.ident)),
        Item::Union(i) => ("a `union`", both(&i.union_token, &i.ident)),
        Item::Use(i) => ("a `use` item", both(&i.use_token, &i.tree)),
        // A function that failed to parse above because of a detail (no
        // body, a modifier like `default`): the error says which.
        Item::Fn(_) | Item::Verbatim(_) => return parse_error,
        other => ("this item", other.to_token_stream()),
    };
    error_spanned(
        span,
        format!("`#[{name}]` can only be applied to an `async fn`, not to {what}"),
        format!("write `{usage}`"),
    )
}

/// The output type of the `async fn` `sig`, as it can be written in a
/// generic argument: `()` when omitted, and `!`, which stable Rust only
/// accepts as a return type, as the runtime's alias `__private::Never`.
pub(crate) fn output_type(sig: &Signature, krate: &TokenStream) -> TokenStream {
    match &sig.output {
        ReturnType::Default => quote!(()),
        ReturnType::Type(_, ty) => match &**ty {
            Type::Never(never) => {
                let span = Span::call_site().located_at(never.bang_token.span);
                quote_spanned!(span=> #krate::__private::Never)
            }
            ty => quote!(#ty),
        },
    }
}

/// The statement that fixes the output type of the async block replacing
/// the body of the `async fn` `sig` to the declared return type `R`, before
/// the body is type-checked:
///
/// ```text
/// if let ::core::option::Option::Some(__ret) = ::core::option::Option::None::<R> {
///     return __ret;
/// }
/// ```
///
/// With it, `return x`, `?` and the body's last expression are checked
/// against `R` at the user's spans, exactly as in an `async fn`; without it,
/// the block's type would be inferred from its first `return` or its last
/// expression and a mistake reported as a mismatch of the whole future. The
/// note rustc adds ("return type inferred to be `R` here") points at the
/// declared return type. `impl Trait` parts of `R` become `_`; nothing is
/// emitted when `R` is just `impl Trait`.
pub(crate) fn fix_output_type(sig: &Signature, krate: &TokenStream) -> TokenStream {
    let (ty, span) = match &sig.output {
        ReturnType::Default => (quote!(()), sig.paren_token.span.close()),
        ReturnType::Type(_, ty) => {
            let mut ty = (**ty).clone();
            ImplTraitToInfer.visit_type_mut(&mut ty);
            match ty {
                Type::Infer(_) => return TokenStream::new(),
                Type::Never(_) => (output_type(sig, krate), ty.span()),
                ty => (quote!(#ty), ty.span()),
            }
        }
    };
    let ret = quote_spanned!(span=> __ret);
    quote! {
        #[allow(unreachable_code)]
        if let ::core::option::Option::Some(__ret) = ::core::option::Option::None::<#ty> {
            return #ret;
        }
    }
}

/// Replaces `impl Trait` (which a turbofish cannot name) with `_`.
struct ImplTraitToInfer;

impl VisitMut for ImplTraitToInfer {
    fn visit_type_mut(&mut self, ty: &mut Type) {
        if let Type::ImplTrait(impl_trait) = ty {
            *ty = Type::Infer(syn::TypeInfer {
                attrs: Vec::new(),
                underscore_token: Token![_](impl_trait.impl_token.span),
            });
        } else {
            visit_mut::visit_type_mut(self, ty);
        }
    }
}
