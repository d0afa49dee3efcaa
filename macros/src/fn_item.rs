//! Parsing the `fn` item an attribute macro is applied to.
//!
//! Only the signature is parsed into a syntax tree; the body stays the
//! user's tokens, untouched (cheaper, robust to syntax `syn` does not know,
//! and every span inside stays the user's).

use proc_macro2::{Delimiter, Group, Punct, Spacing, Span, TokenStream, TokenTree};
use quote::{ToTokens, TokenStreamExt as _, quote, quote_spanned};
use syn::parse::{ParseStream, Parser as _};
use syn::spanned::Spanned as _;
use syn::visit_mut::{self, VisitMut};
use syn::{Attribute, Item, ReturnType, Signature, Token, Type, Visibility};

use crate::errors::{both, ensure_help, error_spanned};
use crate::plain;

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
    if let Some(parsed) = parse_common(&item) {
        return Ok(parsed);
    }
    let parser = |input: ParseStream<'_>| parse_fn_item(input, name, usage);
    parser
        .parse2(item.clone())
        .map_err(|error| not_a_fn(item, error, name, usage))
        .map_err(|error| ensure_help(error, &format!("write `{usage}`")))
}

/// The common case, parsed without walking the body: the last token tree
/// is the body in braces, without inner attributes, and the tokens before it
/// are attributes, a visibility and a signature (read by
/// [`plain::signature`] when it is plain, by syn otherwise). `None`
/// otherwise, and the whole item is parsed (by [`parse_fn_item`], which says
/// what is wrong).
fn parse_common(item: &TokenStream) -> Option<FnItem> {
    let mut head: Vec<TokenTree> = item.clone().into_iter().collect();
    let Some(TokenTree::Group(body)) = head.pop() else {
        return None;
    };
    if body.delimiter() != Delimiter::Brace || starts_with_inner_attribute(&body) {
        return None;
    }
    let parser = |input: ParseStream<'_>| {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis: Visibility = input.parse()?;
        let sig: Signature = input.parse()?;
        Ok((attrs, vis, sig))
    };
    let (attrs, vis, sig) = match plain::signature(&head) {
        Some(parsed) => parsed,
        None => parser.parse2(head.into_iter().collect()).ok()?,
    };
    Some(FnItem {
        attrs,
        vis,
        sig,
        body,
    })
}

/// Whether `body` starts with `#!`: its inner attributes are lifted onto
/// the fn by [`parse_fn_item`].
fn starts_with_inner_attribute(body: &Group) -> bool {
    let mut tokens = body.stream().into_iter();
    matches!(
        (tokens.next(), tokens.next()),
        (Some(TokenTree::Punct(pound)), Some(TokenTree::Punct(bang)))
            if pound.as_char() == '#' && bang.as_char() == '!'
    )
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

/// The fn's body as the inner block of the `async` block that replaces it:
/// the same tokens, its braces marked as the macro's own (at the user's
/// location). Written by the user, a body of one expression (`{ n }`) in
/// that place is what rustc's `unused_braces` lint looks for, but the
/// braces are the body's and cannot go.
fn inner_block(body: &Group) -> Group {
    let mut block = Group::new(Delimiter::Brace, body.stream());
    block.set_span(Span::call_site().located_at(body.span()));
    block
}

/// The output type of the `async fn` `sig`, as it can be written in a
/// generic argument: `()` when omitted, and `!`, which stable Rust only
/// accepts as a return type, as the runtime's alias `__private::Never`.
pub(crate) fn output_type<'a>(sig: &'a Signature, krate: &TokenStream) -> OutputType<'a> {
    match &sig.output {
        ReturnType::Default => OutputType::Unit,
        ReturnType::Type(_, ty) => match &**ty {
            Type::Never(never) => {
                let span = Span::call_site().located_at(never.bang_token.span);
                OutputType::Tokens(quote_spanned!(span=> #krate::__private::Never))
            }
            ty => OutputType::Type(ty),
        },
    }
}

/// What [`output_type`] returns: tokens to interpolate (the common cases
/// without building a `TokenStream` of their own, which costs calls into
/// the compiler when interpolated).
pub(crate) enum OutputType<'a> {
    Unit,
    Type(&'a Type),
    Tokens(TokenStream),
}

impl ToTokens for OutputType<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        match self {
            Self::Unit => tokens.append(Group::new(Delimiter::Parenthesis, TokenStream::new())),
            Self::Type(ty) => ty.to_tokens(tokens),
            Self::Tokens(ty) => ty.to_tokens(tokens),
        }
    }
}

/// The inside of the `async` block that replaces the body of the
/// `async fn` `sig`: `moves` (statements that move the arguments in), a
/// statement that fixes the block's output type to the declared return
/// type `R` before the body is type-checked, then the body:
///
/// ```text
/// moves
/// if false {
///     return ::cosched::__private::output::<R>();
/// }
/// { /* body */ }
/// ```
///
/// (The moves first: rustc checks the same `return` after them for less
/// work than before them, about 0.02 ms per task in `cargo check`.)
///
/// With `R` fixed, `return x`, `?` and the body's last expression are
/// checked against `R` at the user's spans, exactly as in an `async fn`,
/// and rustc's note ("return type inferred to be `R` here") points at the
/// declared type; without it, the block's type would be inferred from its
/// first `return` or its last expression, and a mistake reported as a
/// mismatch of the whole future. The `return` is type-checked but never
/// runs, and nothing in it diverges, so no lint fires on it and nothing
/// needs an `#[allow]` (which a user's `#![forbid(unreachable_code)]` would
/// reject). Two cheaper forms were measured and rejected: a dead labelled
/// block (`'l: { break 'l; let __ret: R = loop {}; return __ret; }`) needs
/// `#[allow(unreachable_code)]`, and `let __ret: R = { body }; __ret` is
/// unreachable code whenever the body diverges (`loop {}`, a `!` future).
///
/// `impl Trait` parts of `R` become `_`. `R` is left to inference when it is
/// just `impl Trait`, or `!`: a value of type `!` diverges, so the `return`
/// would be unreachable code, and the coroutine's `Output = !` bound fixes
/// the block's type anyway (a body that can finish is then reported as the
/// block resolving to the wrong type, at the attribute).
pub(crate) fn async_body(
    sig: &Signature,
    krate: &[TokenTree],
    moves: impl ToTokens,
    body: &Group,
) -> TokenStream {
    let block = inner_block(body);
    let mut owned;
    let (ty, span) = match &sig.output {
        ReturnType::Default => (OutputType::Unit, sig.paren_token.span.close()),
        ReturnType::Type(_, ty) => {
            owned = (**ty).clone();
            ImplTraitToInfer.visit_type_mut(&mut owned);
            match &owned {
                Type::Infer(_) | Type::Never(_) => return quote!(#moves #block),
                ty => (OutputType::Type(ty), type_span(ty)),
            }
        }
    };
    // Every token of the returned value at the declared type, where rustc's
    // note points (paths written at the user's span resolve as at the
    // attribute's: an attribute macro's call site is the item's scope).
    let value = Output {
        krate: Respanned(krate, span),
        ty,
    };
    quote! {
        #moves
        if false {
            return #value;
        }
        #block
    }
}

/// `krate::__private::output::<R>()`, every token but `R`'s at `krate`'s
/// span, pushed one by one: an interpolated `TokenStream` would cost calls
/// into the compiler.
struct Output<'a> {
    krate: Respanned<'a>,
    ty: OutputType<'a>,
}

impl ToTokens for Output<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let span = self.krate.1;
        self.krate.to_tokens(tokens);
        path_segment(tokens, "__private", span);
        path_segment(tokens, "output", span);
        path_separator(tokens, span);
        tokens.append(spanned(Punct::new('<', Spacing::Alone), span));
        self.ty.to_tokens(tokens);
        tokens.append(spanned(Punct::new('>', Spacing::Alone), span));
        let mut call = Group::new(Delimiter::Parenthesis, TokenStream::new());
        call.set_span(span);
        tokens.append(call);
    }
}

/// Tokens (a path, usually the runtime's), every one at a span, pushed one
/// by one.
#[derive(Clone, Copy)]
pub(crate) struct Respanned<'a>(pub(crate) &'a [TokenTree], pub(crate) Span);

impl ToTokens for Respanned<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        tokens.extend(self.0.iter().map(|token| {
            let mut token = token.clone();
            token.set_span(self.1);
            token
        }));
    }
}

/// `::name`, at `span`.
pub(crate) fn path_segment(tokens: &mut TokenStream, name: &str, span: Span) {
    path_separator(tokens, span);
    tokens.append(proc_macro2::Ident::new(name, span));
}

/// `::`, at `span`.
pub(crate) fn path_separator(tokens: &mut TokenStream, span: Span) {
    tokens.append(spanned(Punct::new(':', Spacing::Joint), span));
    tokens.append(spanned(Punct::new(':', Spacing::Alone), span));
}

/// `punct`, at `span`.
pub(crate) fn spanned(mut punct: Punct, span: Span) -> Punct {
    punct.set_span(span);
    punct
}

/// The span of `ty`, from its first to its last token (what
/// `Spanned::span` computes): for a path type, without writing the type
/// out as tokens to find them.
fn type_span(ty: &Type) -> Span {
    let Type::Path(syn::TypePath {
        qself: None, path, ..
    }) = ty
    else {
        return ty.span();
    };
    let (Some(first), Some(last)) = (path.segments.first(), path.segments.last()) else {
        return ty.span();
    };
    let start = path
        .leading_colon
        .map_or_else(|| first.ident.span(), |colon| colon.spans[0]);
    let end = match &last.arguments {
        syn::PathArguments::None if path.segments.len() == 1 && path.leading_colon.is_none() => {
            return start;
        }
        syn::PathArguments::None => last.ident.span(),
        syn::PathArguments::AngleBracketed(arguments) => arguments.gt_token.span,
        syn::PathArguments::Parenthesized(_) => return ty.span(),
    };
    start.join(end).unwrap_or(start)
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

#[cfg(test)]
mod tests {
    use syn::spanned::Spanned as _;

    use crate::tests::tokens;

    #[test]
    fn type_span_covers_what_spanned_covers() {
        for ty in [
            "u32",
            "Vec<u8>",
            "::std::string::String",
            "std::time::Duration",
            "Result<Vec<u8>, String>",
            "a::b<c>::d",
            "(u32, String)",
            "impl Fn(u32) -> u32",
            "Box<dyn Fn(u32) -> u32>",
            "<T as Tr>::A",
        ] {
            let ty: syn::Type = syn::parse2(tokens(ty)).expect("a type");
            assert_eq!(
                super::type_span(&ty).source_text(),
                ty.span().source_text(),
                "{ty:?}",
                ty = ty.span().source_text()
            );
        }
    }
}
