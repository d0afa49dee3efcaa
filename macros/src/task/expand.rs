//! Writes the function `#[task]` turns an `async fn` into.
//!
//! ```text
//! /// docs
//! pub fn name<T: Bound + 'static>(a: A, n: u32, __arg2: (u32, u32)) -> ::cosched::Coroutine<
//!     impl 'static + ::core::future::Future<Output = R> + ::core::marker::Send,
//! > {
//!     ::cosched::__private::threaded(
//!         &::cosched::TaskMeta { name: "name", local: false, limit: 0 },
//!         async move {
//!             let a = a;
//!             let __arg2 = __arg2;
//!             let (x, y) = __arg2;
//!             if false {
//!                 return ::cosched::__private::output::<R>();
//!             }
//!             { /* the body, as written */ }
//!         },
//!     )
//! }
//! ```
//!
//! * `local` and `eager` pick the coroutine's kind, `Coroutine`'s second
//!   type parameter: `Threaded` by default (written as nothing),
//!   `::cosched::Local`, `::cosched::Eager` or
//!   `::cosched::Eager<::cosched::Local>`; the runtime's impls for each kind
//!   decide where the task runs and whether it starts at once. Without
//!   `local` the future is also `Send`.
//! * Every argument is moved into the future, like in an `async fn`: an
//!   argument the body never uses (a guard) lives until the future is done.
//!   Simple bindings keep their name; other patterns get a positional name
//!   in the signature (`__arg2`, hygienic) and are destructured inside. An
//!   argument of a primitive type (`n: u32`) is not rebound: it is `Copy`,
//!   `Send` and `Sync` and has nothing to drop, so the future holding it from
//!   the start or copying it where the body uses it is the same.
//! * The `if false` statement, type-checked but never run, fixes the
//!   future's output type to `R` before the body is type-checked, so
//!   `return x`, `?` and the body's last expression are checked against `R`
//!   at the user's spans, exactly as in an `async fn` (see
//!   [`fn_item::async_body`]).
//! * The metadata is a literal behind `&`, which rustc promotes to a
//!   constant of the fn's own, and the coroutine is made by a free function
//!   (`__private::coroutine`): rustc checks them faster than a `static`
//!   item and the path `Coroutine::new` (about 0.05 ms per task each). For
//!   the default kind it is `__private::threaded`, whose return type names
//!   the kind: one type fewer for rustc to infer (0.03 ms per task).
//! * No `#[must_use]` is added: the `Coroutine` type carries one, with the
//!   same message.
//! * Type parameters and `impl Trait` arguments get a `'static` bound: the
//!   coroutine may outlive its caller.
//! * A method's receiver (`self`, `self: Arc<Self>`, ...) moves in too, but
//!   `self` cannot be rebound (`let self = self;` is not Rust): the first
//!   statement `let _ = &self;` names it, which moves it whole into the
//!   `async move` block even if the body does not use it (and drops it when
//!   the block finishes, as a rebound argument). A method returns its
//!   coroutine from a binding, `let __coroutine = ..; __coroutine`, whose
//!   name is at the receiver: `Self` must be `'static` like any argument,
//!   which only rustc can tell (the attribute does not see the `impl`), and
//!   rustc reports it where the value is returned: at `self` ("lifetime may
//!   not live long enough" for `impl<'a> S<'a>`, or "the parameter type `T`
//!   may not live long enough" with its `T: 'static` suggestion), not at the
//!   attribute. The generated items all live in the fn's body, which is
//!   valid inside an `impl` block. A free fn returns through the same
//!   binding, named at the argument whose type may hide a lifetime
//!   (`line: Line` for a `struct Line<'a>`; at the argument list when
//!   several may), so that "lifetime may not live long enough" is reported
//!   at the argument, not at the attribute; a fn whose arguments are all
//!   owned (primitives, type parameters, `String`, `Vec<u8>`, ...) returns
//!   the call directly.
//! * `limit = N` adds a `static` FIFO semaphore at the start of the body.
//!   A literal `N` is checked by the macro; any other expression becomes a
//!   `const __COSCHED_MAX_RUNNING: usize = N;`, so that rustc checks that
//!   it is a constant `usize` (at the user's expression), evaluates it once
//!   for both the semaphore and `TaskMeta`, and the semaphore's initializer
//!   asserts that it is not 0.

use proc_macro2::{Delimiter, Group, Ident, Punct, Spacing, Span, TokenStream, TokenTree};
use quote::{ToTokens, TokenStreamExt as _, format_ident, quote};
use syn::ext::IdentExt as _;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned as _;
use syn::visit_mut::{self, VisitMut};
use syn::{
    Attribute, FnArg, GenericParam, Lifetime, Pat, PatIdent, Token, Type, TypeImplTrait,
    TypeParamBound, WherePredicate,
};

use super::parse::TaskOptions;
use crate::errors::tokens_to_string;
use crate::fn_item::{self, FnItem, OutputType, Respanned, path_segment};
use crate::options::PositiveUsize;

pub(super) fn expand(options: &TaskOptions, item: FnItem) -> TokenStream {
    let FnItem {
        attrs,
        vis,
        mut sig,
        body,
    } = item;
    let async_span = sig
        .asyncness
        .map_or_else(Span::call_site, |asyncness| asyncness.span);
    // A method returns its coroutine from a binding at the receiver: rustc
    // reports a `Self` that is not `'static` where it returns the value.
    // A free fn whose argument may hold a lifetime (`x: Foo` for a `struct
    // Foo<'a>`) does the same, at that argument: rustc's "lifetime may not
    // live long enough" is then at the argument rather than the attribute.
    let returned = sig
        .receiver()
        .map(|receiver| receiver.self_token.span)
        .or_else(|| lifetime_blame(&sig))
        .map(|span| syn::Ident::new("__coroutine", Span::mixed_site().located_at(span)));

    // The body of the async block: the output type fixed, the arguments
    // moved in, the body as written.
    let moves = move_arguments(&mut sig.inputs);
    let statements = fn_item::async_body(&sig, &options.krate_tokens, Statements(moves), &body);
    let span = Span::call_site().located_at(async_span);
    let mut block = Group::new(Delimiter::Brace, statements);
    block.set_span(span);
    let future = Future {
        span,
        block,
        limited: options.limit.is_some(),
        krate: &options.krate,
    };
    add_static_bounds(&mut sig.generics, &mut sig.inputs);

    // Interpolated `TokenStream`s cost calls into the compiler; the parts
    // below are tokens and syntax trees, and the conditional parts are
    // repetitions of zero or one `Flag`.
    let krate = Krate(&options.krate_tokens);
    let name = options
        .name
        .clone()
        .unwrap_or_else(|| syn::LitStr::new(&sig.ident.unraw().to_string(), sig.ident.span()));
    let output = fn_item::output_type(&sig, &options.krate);
    // The coroutine's kind, after its future type: none for the default
    // (`Threaded`), `Local`, `Eager` or `Eager<Local>`.
    let eager_local = match (options.eager, options.local) {
        (false, false) => None,
        (false, true) => Some(quote!(#krate::Local)),
        (true, false) => Some(quote!(#krate::Eager)),
        (true, true) => Some(quote!(#krate::Eager<#krate::Local>)),
    };
    let limit = options.limit.as_ref().map(|limit| Limit {
        limit,
        krate: Krate(&options.krate_tokens),
    });
    let is_local = syn::LitBool::new(options.local, Span::call_site());
    let max_running = MaxRunning(options.limit.as_ref());
    let (eager_local, limit) = (eager_local.as_slice(), limit.as_slice());
    let returned = returned.as_slice();
    let fn_token = sig.fn_token;
    let ident = &sig.ident;
    let generics = &sig.generics;
    let where_clause = &sig.generics.where_clause;
    let inputs = &sig.inputs;
    // The coroutine records where it was created (the caller's line, for
    // debug mode's "never awaited" report), unless the user's own
    // attribute already says so.
    let track_caller = (!attrs
        .iter()
        .any(|attr| attr.path().is_ident("track_caller")))
    .then_some(Flag);
    let track_caller = track_caller.as_slice();
    // The return type, every token at the fn's `async`: rustc reports a
    // body that is not `Send` (an `Rc` held across an `.await`) at the
    // opaque type's bound, which is then "future created by async block is
    // not `Send`" under the user's `async`, above rustc's note naming the
    // value and the `.await`, rather than under the attribute.
    let ret_span = Span::call_site().located_at(async_span);
    // `'static` first, at the attribute: the opaque type's span is then
    // the `async` (from its first token to its last), and rustc's "consider
    // changing `impl Future..`'s explicit `'static` bound" suggestion stays
    // off the user's `async`.
    // The coroutine's kind, inferred from the return type but for the
    // default, `Threaded`, which `__private::threaded` names.
    let constructor = Ident::new(
        if eager_local.is_empty() {
            "threaded"
        } else {
            "coroutine"
        },
        Span::call_site(),
    );
    let ret = Ret {
        krate: Respanned(&options.krate_tokens, ret_span),
        output,
        send: !options.local,
        eager_local: eager_local.first(),
    };
    quote! {
        #(#attrs)*
        #(#[track_caller] #track_caller)*
        #vis #fn_token #ident #generics (#inputs) #ret #where_clause {
            #(#limit)*
            #(let #returned =)* #krate::__private::#constructor(
                &#krate::TaskMeta { name: #name, local: #is_local, limit: #max_running },
                #future,
            )
            #(; #returned)*
        }
    }
}

/// The return type,
///
/// ```text
/// -> krate::Coroutine<impl 'static + ::core::future::Future<Output = R> + ::core::marker::Send, Kind>
/// ```
///
/// every token but `'static`'s, `R`'s and the kind's at `krate`'s span,
/// pushed one by one: an interpolated `TokenStream` would cost calls into
/// the compiler.
struct Ret<'a> {
    krate: Respanned<'a>,
    output: OutputType<'a>,
    send: bool,
    eager_local: Option<&'a TokenStream>,
}

impl ToTokens for Ret<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let span = self.krate.1;
        let punct = |tokens: &mut TokenStream, ch, spacing| {
            let mut punct = Punct::new(ch, spacing);
            punct.set_span(span);
            tokens.append(punct);
        };
        let ident = |tokens: &mut TokenStream, name| tokens.append(Ident::new(name, span));
        punct(tokens, '-', Spacing::Joint);
        punct(tokens, '>', Spacing::Alone);
        self.krate.to_tokens(tokens);
        path_segment(tokens, "Coroutine", span);
        punct(tokens, '<', Spacing::Alone);
        ident(tokens, "impl");
        Lifetime::new("'static", Span::call_site()).to_tokens(tokens);
        punct(tokens, '+', Spacing::Alone);
        path_segment(tokens, "core", span);
        path_segment(tokens, "future", span);
        path_segment(tokens, "Future", span);
        punct(tokens, '<', Spacing::Alone);
        ident(tokens, "Output");
        punct(tokens, '=', Spacing::Alone);
        self.output.to_tokens(tokens);
        punct(tokens, '>', Spacing::Alone);
        if self.send {
            punct(tokens, '+', Spacing::Alone);
            path_segment(tokens, "core", span);
            path_segment(tokens, "marker", span);
            path_segment(tokens, "Send", span);
        }
        if let Some(kind) = self.eager_local {
            punct(tokens, ',', Spacing::Alone);
            kind.to_tokens(tokens);
        }
        punct(tokens, '>', Spacing::Alone);
    }
}

/// The runtime's path, pushed token by token.
struct Krate<'a>(&'a [TokenTree]);

impl ToTokens for Krate<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        tokens.extend(self.0.iter().cloned());
    }
}

/// `limit = N`'s items: the `static` FIFO semaphore, and for a constant
/// expression the constant it is, evaluated once and checked not to be 0
/// where the user wrote it (rustc's "evaluation panicked: `limit` must be
/// at least 1, but `NONE` is 0", at `NONE`).
struct Limit<'a> {
    limit: &'a PositiveUsize,
    krate: Krate<'a>,
}

impl ToTokens for Limit<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let krate = &self.krate;
        match self.limit {
            PositiveUsize::Literal(..) => {
                let limit = MaxRunning(Some(self.limit));
                tokens.extend(quote! {
                    static __COSCHED_LIMIT: #krate::__private::Limit =
                        #krate::__private::Limit::new(#limit);
                });
            }
            PositiveUsize::Const(expr) => {
                let at_expr = Span::call_site().located_at(expr.span());
                let written = tokens_to_string(expr).replace('{', "{{").replace('}', "}}");
                let message = syn::LitStr::new(
                    &format!(
                        "`limit` must be at least 1, but `{written}` is 0 (remove `limit` to \
                         allow any number of instances)"
                    ),
                    at_expr,
                );
                let assert = quote::quote_spanned! {at_expr=>
                    ::core::assert!(__COSCHED_MAX_RUNNING > 0, #message);
                };
                // In parentheses, which `unused_braces` does not look into
                // (`limit = { 4 }`), spanned at the expression: rustc
                // reports an error inside them at theirs.
                let mut value = Group::new(Delimiter::Parenthesis, expr.to_token_stream());
                value.set_span(at_expr);
                tokens.extend(quote! {
                    const __COSCHED_MAX_RUNNING: usize = #value;
                    static __COSCHED_LIMIT: #krate::__private::Limit = {
                        #assert
                        #krate::__private::Limit::new(__COSCHED_MAX_RUNNING)
                    };
                });
            }
        }
    }
}

/// `TaskMeta`'s `limit`: the literal, the constant `__COSCHED_MAX_RUNNING`,
/// or 0 for none.
struct MaxRunning<'a>(Option<&'a PositiveUsize>);

impl ToTokens for MaxRunning<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        match self.0 {
            None => tokens.append(proc_macro2::Literal::usize_unsuffixed(0)),
            Some(PositiveUsize::Literal(limit, span)) => {
                let mut limit = proc_macro2::Literal::usize_unsuffixed(*limit);
                limit.set_span(*span);
                tokens.append(limit);
            }
            Some(PositiveUsize::Const(_)) => {
                tokens.append(syn::Ident::new("__COSCHED_MAX_RUNNING", Span::call_site()));
            }
        }
    }
}

/// Present or not: drives a `#(..)*` repetition of `quote!` zero or one
/// time, and writes nothing itself.
struct Flag;

impl ToTokens for Flag {
    fn to_tokens(&self, _: &mut TokenStream) {}
}

/// `async move { .. }`, in `__private::limited(&__COSCHED_LIMIT, ..)` for
/// `limit = N`.
struct Future<'a> {
    /// Where the user wrote `async`.
    span: Span,
    /// `{ .. }`, made once: a group is cheaper to copy than its tokens.
    block: Group,
    limited: bool,
    krate: &'a TokenStream,
}

impl ToTokens for Future<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let async_token = Token![async](self.span);
        let move_token = Token![move](self.span);
        let block = self.block.clone();
        if self.limited {
            let krate = self.krate;
            tokens.extend(quote! {
                #krate::__private::limited(&__COSCHED_LIMIT, #async_token #move_token #block)
            });
        } else {
            async_token.to_tokens(tokens);
            move_token.to_tokens(tokens);
            tokens.append(block);
        }
    }
}

/// Statements, in order.
struct Statements(Vec<Let>);

impl ToTokens for Statements {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        tokens.append_all(&self.0);
    }
}

/// `#(attrs)* let pat = [&]init;`
struct Let {
    attrs: Vec<Attribute>,
    pat: Pat,
    /// `&`, for the receiver's `let _ = &self;`.
    borrow: Option<Token![&]>,
    init: syn::Ident,
}

impl Let {
    /// `let pat = init;`
    fn new(attrs: Vec<Attribute>, pat: Pat, init: syn::Ident) -> Self {
        Self {
            attrs,
            pat,
            borrow: None,
            init,
        }
    }
}

impl ToTokens for Let {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        tokens.append_all(&self.attrs);
        <Token![let]>::default().to_tokens(tokens);
        self.pat.to_tokens(tokens);
        <Token![=]>::default().to_tokens(tokens);
        self.borrow.to_tokens(tokens);
        self.init.to_tokens(tokens);
        <Token![;]>::default().to_tokens(tokens);
    }
}

/// Rewrites the arguments so that each can be moved into the future, and
/// returns the statements doing that, in order.
fn move_arguments(inputs: &mut Punctuated<FnArg, Token![,]>) -> Vec<Let> {
    let mut statements = Vec::new();
    for (index, arg) in inputs.iter_mut().enumerate() {
        let arg = match arg {
            FnArg::Typed(arg) => arg,
            FnArg::Receiver(receiver) => {
                // `let _ = &self;`: `self` cannot be rebound, but naming it
                // moves it, whole, into the `async move` block, even if the
                // body does not use it. (`self` is never reported as unused:
                // there is no warning to keep.)
                let span = Span::call_site().located_at(receiver.self_token.span);
                statements.push(Let {
                    attrs: Vec::new(),
                    pat: Pat::Wild(syn::PatWild {
                        attrs: Vec::new(),
                        underscore_token: Token![_](span),
                    }),
                    borrow: Some(Token![&](span)),
                    init: syn::Ident::new("self", span),
                });
                continue;
            }
        };
        let without_attributes = arg.attrs.is_empty();
        let (cfgs, lints, others) = split_attributes(&arg.attrs);
        if !lints.is_empty() {
            arg.attrs = cfgs.iter().chain(&others).cloned().collect();
        }
        let with_lints = || cfgs.iter().chain(&lints).cloned().collect();
        match &mut *arg.pat {
            Pat::Ident(PatIdent {
                attrs,
                by_ref: None,
                mutability: None,
                ident: _,
                subpat: None,
            }) if without_attributes && attrs.is_empty() && is_primitive(&arg.ty) => {
                // Nothing to move: a primitive is `Copy`, `Send` and
                // `Sync` and has no drop glue, so whether the future holds
                // it from the start or copies it where the body uses it
                // makes no difference.
            }
            Pat::Ident(PatIdent {
                by_ref: None,
                mutability,
                ident,
                subpat: None,
                ..
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
                statements.push(Let::new(
                    with_lints(),
                    Pat::Ident(PatIdent {
                        attrs: Vec::new(),
                        by_ref: None,
                        mutability: mutability.take(),
                        ident: binding,
                        subpat: None,
                    }),
                    moved,
                ));
            }
            pat => {
                let positional = format_ident!(
                    "__arg{}",
                    index,
                    span = Span::mixed_site().located_at(pat.span())
                );
                let positional_pat = Pat::Ident(PatIdent {
                    attrs: Vec::new(),
                    by_ref: None,
                    mutability: None,
                    ident: positional.clone(),
                    subpat: None,
                });
                statements.push(Let::new(
                    cfgs.clone(),
                    positional_pat.clone(),
                    positional.clone(),
                ));
                let pat = std::mem::replace(pat, positional_pat);
                if !matches!(pat, Pat::Wild(_)) {
                    statements.push(Let::new(with_lints(), pat, positional));
                }
            }
        }
    }
    statements
}

/// Where a free fn's coroutine is returned from, when one of its arguments
/// may borrow through a lifetime the signature does not show (`x: Foo`,
/// `Vec<Foo>`, for a `struct Foo<'a>`): that type (`Foo`) when it is in the
/// only such argument, the argument list when there are several, `None`
/// when every argument's type is known to be owned (primitives, the fn's
/// type parameters, which get `'static` bounds, and the standard library's
/// owning types of those).
fn lifetime_blame(sig: &syn::Signature) -> Option<Span> {
    let params: Vec<&syn::Ident> = sig
        .generics
        .type_params()
        .map(|param| &param.ident)
        .collect();
    let mut suspects = sig.inputs.iter().filter_map(|arg| match arg {
        FnArg::Typed(arg) => suspect(&arg.ty, &params),
        FnArg::Receiver(_) => None,
    });
    let first = suspects.next()?;
    Some(if suspects.next().is_none() {
        first
    } else {
        sig.paren_token.span.join()
    })
}

/// The type in `ty` that may hold a lifetime the signature does not show
/// (`Line` in `Vec<Line>`), or `None` if there is surely none.
fn suspect(ty: &Type, params: &[&syn::Ident]) -> Option<Span> {
    match ty {
        Type::Group(group) => suspect(&group.elem, params),
        Type::Paren(paren) => suspect(&paren.elem, params),
        Type::Array(array) => suspect(&array.elem, params),
        Type::Tuple(tuple) => tuple.elems.iter().find_map(|elem| suspect(elem, params)),
        // Borrows are refused unless `'static`; `impl Trait` gets `'static`.
        Type::Reference(_) | Type::ImplTrait(_) => None,
        Type::Path(path) if path.qself.is_none() => {
            let last = path.path.segments.last()?;
            if let Some(ident) = path.path.get_ident() {
                if params.contains(&ident) || is_listed(PRIMITIVES, ident) {
                    return None;
                }
            }
            if !is_listed(OWNING, &last.ident) {
                return Some(last.ident.span());
            }
            match &last.arguments {
                syn::PathArguments::None => None,
                syn::PathArguments::AngleBracketed(arguments) => {
                    arguments.args.iter().find_map(|argument| match argument {
                        syn::GenericArgument::Type(ty) => suspect(ty, params),
                        syn::GenericArgument::Const(_) => None,
                        other => Some(other.span()),
                    })
                }
                syn::PathArguments::Parenthesized(_) => Some(last.ident.span()),
            }
        }
        other => Some(other.span()),
    }
}

/// The standard library's types that own what their type arguments name
/// and have no lifetime parameter of their own, in `str`'s order.
const OWNING: &[&str] = &[
    "Arc",
    "BTreeMap",
    "BTreeSet",
    "BinaryHeap",
    "Box",
    "Duration",
    "HashMap",
    "HashSet",
    "Instant",
    "LinkedList",
    "Option",
    "PathBuf",
    "Rc",
    "Result",
    "String",
    "SystemTime",
    "Vec",
    "VecDeque",
];

/// Whether `ty` is written as one of the primitive numeric types, `bool`
/// or `char`.
fn is_primitive(ty: &Type) -> bool {
    match ty {
        Type::Path(path) if path.qself.is_none() => path
            .path
            .get_ident()
            .is_some_and(|ident| is_listed(PRIMITIVES, ident)),
        Type::Group(group) => is_primitive(&group.elem),
        Type::Paren(paren) => is_primitive(&paren.elem),
        _ => false,
    }
}

/// The primitive numeric types, `bool` and `char`, in `str`'s order.
const PRIMITIVES: &[&str] = &[
    "bool", "char", "f32", "f64", "i128", "i16", "i32", "i64", "i8", "isize", "u128", "u16", "u32",
    "u64", "u8", "usize",
];

/// Whether `ident` is in `list` (sorted): a binary search, where
/// `contains` would compare with every entry in turn, slowly in an
/// unoptimized build.
fn is_listed(list: &[&str], ident: &syn::Ident) -> bool {
    list.binary_search(&ident.to_string().as_str()).is_ok()
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

#[cfg(test)]
mod tests {
    #[test]
    fn lists_are_sorted_for_binary_search() {
        assert!(super::OWNING.is_sorted(), "{:?}", super::OWNING);
        assert!(super::PRIMITIVES.is_sorted(), "{:?}", super::PRIMITIVES);
    }
}
