//! Signatures a task cannot have.
//!
//! A task's coroutine is `'static`: it may run long after its caller
//! returned. So it cannot borrow (no reference or lifetime in its arguments
//! other than `'static`, no lifetime parameters, no `&self`), and the `fn`
//! qualifiers that make no sense for a value-returning constructor (`const`,
//! `unsafe`, `extern "C"`, variadics) are refused. A method's receiver is an
//! argument like the others: `self`, `mut self` and owning pointers
//! (`self: Arc<Self>`, `self: Box<Self>`, `self: Pin<Box<Self>>`) move into
//! the coroutine; `self: Rc<Self>` only with `local`, since an `Rc` cannot
//! cross threads. (That `Self` itself is `'static` only rustc can tell: the
//! expansion asks it, at the receiver.)

use syn::visit::{self, Visit};
use syn::{
    FnArg, GenericArgument, GenericParam, Ident, Lifetime, ParenthesizedGenericArguments, Pat,
    PathArguments, Receiver, ReceiverKind, Safety, Signature, TraitBound, Type, TypeFnPtr,
    TypeReference,
};

use crate::errors::{Errors, both, error, error_spanned, tokens_to_string};

/// Checks `sig`, the signature of a task that is `local` or not.
pub(super) fn signature(sig: &Signature, local: bool, errors: &mut Errors) {
    if let Some(constness) = &sig.constness {
        errors.push(error(
            constness.span,
            "a task cannot be a `const fn`",
            "remove `const`",
        ));
    }
    if sig.asyncness.is_none() {
        errors.push(error_spanned(
            both(&sig.fn_token, &sig.ident),
            "`#[task]` requires an `async fn`",
            format!("add `async`: `async fn {}(..)`", sig.ident),
        ));
    }
    if let Safety::Unsafe(unsafety) = &sig.safety {
        errors.push(error(
            unsafety.span,
            "a task cannot be an `unsafe fn`",
            "remove `unsafe`: a task runs after its caller returned, so the caller cannot uphold \
             a safety contract; check the preconditions in the body and use `unsafe { .. }` blocks \
             there",
        ));
    }
    if let Some(abi) = &sig.abi {
        errors.push(error_spanned(
            abi,
            format!(
                "a task cannot have an explicit ABI (`{}`)",
                tokens_to_string(abi)
            ),
            format!(
                "remove `{}`: a task is called from Rust and returns a coroutine value",
                tokens_to_string(abi)
            ),
        ));
    }
    for param in &sig.generics.params {
        if let GenericParam::Lifetime(param) = param {
            errors.push(error_spanned(
                param,
                format!(
                    "a task cannot have lifetime parameters: `{}`",
                    param.lifetime
                ),
                format!(
                    "a task outlives its caller; remove `{}` and take the arguments by ownership",
                    param.lifetime
                ),
            ));
        }
    }
    for arg in &sig.inputs {
        match arg {
            FnArg::Receiver(receiver) => {
                if let Some(error) = check_receiver(receiver, &sig.ident, local) {
                    errors.push(error);
                }
            }
            FnArg::Typed(arg) => {
                if let Some(borrow) = find_borrow(&arg.ty) {
                    errors.push(borrow.argument_error(&arg.pat));
                }
            }
        }
    }
    if let Some(variadic) = &sig.variadic {
        let written = match &variadic.pat {
            Some((pat, _)) => format!("{}: ...", tokens_to_string(pat)),
            None => "...".to_owned(),
        };
        errors.push(error_spanned(
            variadic,
            "a task cannot be variadic",
            format!("remove `{written}` and take the values as a `Vec<T>` instead"),
        ));
    }
}

/// Whether a method's receiver can move into the coroutine: `None` if so,
/// the error otherwise.
fn check_receiver(receiver: &Receiver, method: &Ident, local: bool) -> Option<syn::Error> {
    match &receiver.kind {
        ReceiverKind::Value => None,
        ReceiverKind::Reference(_, Some(lifetime), _) if lifetime.ident == "static" => None,
        ReceiverKind::Reference(_, lifetime, mutability) => Some(error_spanned(
            receiver,
            format!(
                "a task cannot borrow `self`: `{}` has {}, not `'static`",
                tokens_to_string(receiver),
                describe_lifetime(lifetime.as_ref())
            ),
            self_help(mutability.is_some(), method),
        )),
        ReceiverKind::Typed(_, ty) => {
            if let Some(borrow) = find_borrow(ty) {
                return Some(borrow.receiver_error(receiver, ty, method));
            }
            if !local && is_rc(ty) {
                return Some(error_spanned(
                    ty,
                    format!(
                        "a task without `local` cannot take `self: {}`: an `Rc` cannot be sent \
                         to another thread",
                        tokens_to_string(ty)
                    ),
                    "add `local` (`#[task(local)]`) to run the task on the thread of its loop, \
                     or take `self: Arc<Self>`",
                ));
            }
            None
        }
        // Receivers syn learns later (`&pin mut self`).
        _ => Some(error_spanned(
            receiver,
            format!("a task cannot take `{}`", tokens_to_string(receiver)),
            self_help(false, method),
        )),
    }
}

/// "an elided lifetime", or "the lifetime `'a`".
fn describe_lifetime(lifetime: Option<&Lifetime>) -> String {
    match lifetime {
        None => "an elided lifetime".to_owned(),
        Some(lifetime) => format!("the lifetime `{lifetime}`"),
    }
}

/// The help for a task that borrows `self` (`&self`, or `&mut self` when
/// `mutable`): the `Arc<Self>` form, and by value.
fn self_help(mutable: bool, method: &Ident) -> String {
    if mutable {
        format!(
            "a task outlives its caller; take `self` by value, or `self: Arc<Self>` with what it \
             changes behind a `Mutex` (and call it as `shared.clone().{method}(..)`)"
        )
    } else {
        format!(
            "a task outlives its caller; take `self: Arc<Self>` (and call it as \
             `shared.clone().{method}(..)`), or `self` by value"
        )
    }
}

/// Whether `ty` is written `Rc<..>` or `Pin<Rc<..>>` (by its last path
/// segment: `std::rc::Rc` too).
fn is_rc(ty: &Type) -> bool {
    let Type::Path(path) = ty else { return false };
    let Some(last) = path.path.segments.last() else {
        return false;
    };
    if last.ident == "Rc" {
        return true;
    }
    match &last.arguments {
        PathArguments::AngleBracketed(arguments) if last.ident == "Pin" => {
            matches!(arguments.args.first(), Some(GenericArgument::Type(inner)) if is_rc(inner))
        }
        _ => false,
    }
}

/// The first non-`'static` borrow in `ty`.
fn find_borrow(ty: &Type) -> Option<Borrow<'_>> {
    let mut finder = BorrowFinder {
        types: Vec::new(),
        higher_ranked: Vec::new(),
        in_fn_sugar: 0,
        found: None,
    };
    finder.visit_type(ty);
    finder.found
}

/// A borrow in an argument's type.
enum Borrow<'ast> {
    /// `&T` or `&'a T`.
    Reference(&'ast TypeReference),
    /// A lifetime, as an argument of the type it is in (`Holder<'a>`), if
    /// any.
    Lifetime(&'ast Lifetime, Option<&'ast Type>),
}

impl Borrow<'_> {
    /// The error for an argument `arg` that borrows.
    fn argument_error(&self, arg: &Pat) -> syn::Error {
        let arg = tokens_to_string(arg);
        match self {
            Self::Reference(reference) => {
                let written = tokens_to_string(reference);
                let mutability = if reference.mutability.is_some() {
                    "mut "
                } else {
                    ""
                };
                let static_version =
                    format!("&'static {mutability}{}", tokens_to_string(&reference.elem));
                error_spanned(
                    reference,
                    format!(
                        "argument `{arg}` of a task cannot borrow: `{written}` has {}, not \
                         `'static`",
                        describe_lifetime(reference.lifetime.as_ref())
                    ),
                    format!(
                        "a task outlives its caller; take the value by ownership, e.g. `{}` \
                         instead of `{written}`, or use `{static_version}`",
                        owned_alternative(&reference.elem)
                    ),
                )
            }
            Self::Lifetime(lifetime, ty) => {
                let message = match ty {
                    Some(ty) => format!(
                        "argument `{arg}` of a task cannot borrow: `{}` has the lifetime \
                         `{lifetime}`, not `'static`",
                        tokens_to_string(ty)
                    ),
                    None => format!(
                        "argument `{arg}` of a task cannot borrow: `{lifetime}` is not `'static`"
                    ),
                };
                lifetime_error(lifetime, message)
            }
        }
    }

    /// The error for a receiver `self: ty` that borrows, at the receiver.
    fn receiver_error(&self, receiver: &Receiver, ty: &Type, method: &Ident) -> syn::Error {
        match self {
            Self::Reference(reference) => {
                let message = format!(
                    "a task cannot borrow `self`: `{}` has {}, not `'static`",
                    tokens_to_string(reference),
                    describe_lifetime(reference.lifetime.as_ref())
                );
                let help = match (ty, &*reference.elem) {
                    // `self: &Arc<Self>`: the pointer itself.
                    (Type::Reference(_), Type::Path(elem)) if !elem.path.is_ident("Self") => {
                        let pointer = tokens_to_string(elem);
                        let call = if is_rc(&reference.elem) || is_arc(&reference.elem) {
                            format!(" (and call it as `shared.clone().{method}(..)`)")
                        } else {
                            String::new()
                        };
                        format!("a task outlives its caller; take `self: {pointer}`{call}")
                    }
                    // `self: Pin<&mut Self>`: pinned, in a box.
                    (Type::Path(outer), _)
                        if outer
                            .path
                            .segments
                            .last()
                            .is_some_and(|last| last.ident == "Pin") =>
                    {
                        "a task outlives its caller; take `self: Pin<Box<Self>>`, or `self` by \
                         value"
                            .to_owned()
                    }
                    _ => self_help(reference.mutability.is_some(), method),
                };
                error_spanned(receiver, message, help)
            }
            Self::Lifetime(lifetime, within) => lifetime_error(
                lifetime,
                format!(
                    "a task cannot borrow `self`: `{}` has the lifetime `{lifetime}`, not \
                     `'static`",
                    tokens_to_string(within.unwrap_or(ty))
                ),
            ),
        }
    }
}

/// Whether `ty` is written `Arc<..>`.
fn is_arc(ty: &Type) -> bool {
    matches!(ty, Type::Path(path) if path.path.segments.last().is_some_and(|last| last.ident == "Arc"))
}

fn lifetime_error(lifetime: &Lifetime, message: String) -> syn::Error {
    error_spanned(
        lifetime,
        message,
        format!(
            "a task outlives its caller; use a type that owns its data, or `'static` instead of \
             `{lifetime}`"
        ),
    )
}

/// Finds references and lifetimes that are neither `'static` nor
/// higher-ranked (`for<'a>`, or elided inside `fn(&str)` / `Fn(&str)`,
/// which borrow nothing from the caller).
struct BorrowFinder<'ast> {
    /// The types being visited, outermost first, for messages.
    types: Vec<&'ast Type>,
    /// Lifetimes bound by enclosing `for<..>` binders.
    higher_ranked: Vec<String>,
    /// Depth of `fn(..)` pointer types and `Fn(..)` sugar.
    in_fn_sugar: usize,
    found: Option<Borrow<'ast>>,
}

impl BorrowFinder<'_> {
    fn allowed(&self, lifetime: &Lifetime) -> bool {
        let name = lifetime.ident.to_string();
        name == "static"
            || (name == "_" && self.in_fn_sugar > 0)
            || self.higher_ranked.contains(&name)
    }

    fn with_binder(&mut self, binder: Option<&syn::BoundLifetimes>, visit: impl FnOnce(&mut Self)) {
        let before = self.higher_ranked.len();
        if let Some(binder) = binder {
            for param in &binder.lifetimes {
                if let GenericParam::Lifetime(param) = param {
                    self.higher_ranked.push(param.lifetime.ident.to_string());
                }
            }
        }
        visit(self);
        self.higher_ranked.truncate(before);
    }
}

/// `String` for `str`, `Vec<T>` for `[T]`, `Box<dyn Trait>` for
/// `dyn Trait`, … and `T` itself otherwise.
fn owned_alternative(borrowed: &Type) -> String {
    match borrowed {
        Type::Path(path) if path.qself.is_none() => {
            let last = path.path.segments.last().map(|s| s.ident.to_string());
            match last.as_deref() {
                Some("str") => "String".to_owned(),
                Some("Path") => "PathBuf".to_owned(),
                Some("OsStr") => "OsString".to_owned(),
                Some("CStr") => "CString".to_owned(),
                _ => tokens_to_string(borrowed),
            }
        }
        Type::Slice(slice) => format!("Vec<{}>", tokens_to_string(&slice.elem)),
        Type::TraitObject(_) => format!("Box<{}>", tokens_to_string(borrowed)),
        Type::Paren(paren) => owned_alternative(&paren.elem),
        Type::Group(group) => owned_alternative(&group.elem),
        _ => tokens_to_string(borrowed),
    }
}

impl<'ast> Visit<'ast> for BorrowFinder<'ast> {
    fn visit_type(&mut self, ty: &'ast Type) {
        self.types.push(ty);
        visit::visit_type(self, ty);
        self.types.pop();
    }

    fn visit_type_reference(&mut self, reference: &'ast TypeReference) {
        if self.found.is_some() {
            return;
        }
        let borrows = match &reference.lifetime {
            None => self.in_fn_sugar == 0,
            Some(lifetime) => !self.allowed(lifetime),
        };
        if borrows {
            self.found = Some(Borrow::Reference(reference));
        } else {
            self.visit_type(&reference.elem);
        }
    }

    fn visit_lifetime(&mut self, lifetime: &'ast Lifetime) {
        if self.found.is_none() && !self.allowed(lifetime) {
            self.found = Some(Borrow::Lifetime(lifetime, self.types.last().copied()));
        }
    }

    fn visit_type_fn_ptr(&mut self, fn_ptr: &'ast TypeFnPtr) {
        self.in_fn_sugar += 1;
        self.with_binder(fn_ptr.lifetimes.as_ref(), |this| {
            visit::visit_type_fn_ptr(this, fn_ptr);
        });
        self.in_fn_sugar -= 1;
    }

    fn visit_parenthesized_generic_arguments(
        &mut self,
        arguments: &'ast ParenthesizedGenericArguments,
    ) {
        self.in_fn_sugar += 1;
        visit::visit_parenthesized_generic_arguments(self, arguments);
        self.in_fn_sugar -= 1;
    }

    fn visit_trait_bound(&mut self, bound: &'ast TraitBound) {
        self.with_binder(bound.lifetimes.as_ref(), |this| {
            visit::visit_trait_bound(this, bound);
        });
    }

    // Macros are opaque, and expressions (array lengths, const arguments)
    // hold no argument lifetimes.
    fn visit_macro(&mut self, _: &'ast syn::Macro) {}
    fn visit_expr(&mut self, _: &'ast syn::Expr) {}
}

#[cfg(test)]
mod tests {
    use proc_macro2::TokenStream;
    use syn::Signature;

    use crate::errors::Errors;

    fn errors(sig: &str) -> Vec<String> {
        errors_with(sig, false)
    }

    /// The errors of `sig` in a task that is `local` or not.
    fn errors_with(sig: &str, local: bool) -> Vec<String> {
        let sig: TokenStream = sig.parse().expect("test input tokenizes");
        let sig: Signature = syn::parse2(sig).expect("test input is a signature");
        let mut errors = Errors::new();
        super::signature(&sig, local, &mut errors);
        errors.finish().map_or_else(
            |e| e.into_iter().map(|e| e.to_string()).collect(),
            |()| Vec::new(),
        )
    }

    #[track_caller]
    fn accepted(sig: &str) {
        assert_eq!(errors(sig), Vec::<String>::new(), "{sig}");
    }

    #[track_caller]
    fn rejected(sig: &str, expected: &[&str]) {
        assert_eq!(errors(sig), expected, "{sig}");
    }

    #[test]
    fn accepts_owned_and_static_arguments() {
        accepted("async fn f()");
        accepted("async fn f(x: u32, s: String, v: Vec<u8>) -> u32");
        accepted("async fn f(s: &'static str, v: &'static mut [u8]) -> &'static str");
        accepted("async fn f(o: Option<&'static str>, b: Box<dyn Fn() + Send + 'static>)");
        accepted("async fn f(f: fn(&str) -> usize, g: impl Fn(&str) -> &str)");
        accepted("async fn f(f: for<'a> fn(&'a str) -> &'a str)");
        accepted("async fn f(f: Box<dyn for<'a> Fn(&'a str) -> &'a str + Send>)");
        accepted("async fn f(f: impl for<'a> FnMut(&'a mut Vec<u8>))");
        accepted("async fn f(f: impl Fn(&'_ str), g: impl Fn(Foo<'_>))");
        accepted("async fn f<T: Clone + Send, const N: usize>(x: T, a: [u8; N]) where T: Sync");
        accepted("async fn f((a, b): (u32, u32), mut x: u32, _: Guard, Point { x, y }: Point)");
        accepted("async fn f(i: impl Iterator<Item = u8> + Send, m: mac!(&x))");
        accepted("async fn r#type(r#in: u32)");
    }

    #[test]
    fn rejects_borrowed_arguments() {
        rejected(
            "async fn f(name: &str)",
            &[
                "argument `name` of a task cannot borrow: `&str` has an elided lifetime, not \
               `'static`\nhelp: a task outlives its caller; take the value by ownership, e.g. \
               `String` instead of `&str`, or use `&'static str`",
            ],
        );
        rejected(
            "async fn f(v: &'_ mut [u8])",
            &[
                "argument `v` of a task cannot borrow: `&'_ mut [u8]` has the lifetime `'_`, not \
               `'static`\nhelp: a task outlives its caller; take the value by ownership, e.g. \
               `Vec<u8>` instead of `&'_ mut [u8]`, or use `&'static mut [u8]`",
            ],
        );
        rejected(
            "async fn f(x: &Config)",
            &[
                "argument `x` of a task cannot borrow: `&Config` has an elided lifetime, not \
               `'static`\nhelp: a task outlives its caller; take the value by ownership, e.g. \
               `Config` instead of `&Config`, or use `&'static Config`",
            ],
        );
        rejected(
            "async fn f(p: &std::path::Path, d: &dyn Display)",
            &[
                "argument `p` of a task cannot borrow: `&std::path::Path` has an elided lifetime, \
                 not `'static`\nhelp: a task outlives its caller; take the value by ownership, \
                 e.g. `PathBuf` instead of `&std::path::Path`, or use `&'static std::path::Path`",
                "argument `d` of a task cannot borrow: `&dyn Display` has an elided lifetime, not \
                 `'static`\nhelp: a task outlives its caller; take the value by ownership, e.g. \
                 `Box<dyn Display>` instead of `&dyn Display`, or use `&'static dyn Display`",
            ],
        );
        rejected(
            "async fn f(v: Vec<&u8>)",
            &[
                "argument `v` of a task cannot borrow: `&u8` has an elided lifetime, not \
               `'static`\nhelp: a task outlives its caller; take the value by ownership, e.g. \
               `u8` instead of `&u8`, or use `&'static u8`",
            ],
        );
        rejected(
            "async fn f(o: Option<Foo<'_>>)",
            &[
                "argument `o` of a task cannot borrow: `Foo<'_>` has the lifetime `'_`, not \
                 `'static`\nhelp: a task outlives its caller; use a type that owns its data, or \
                 `'static` instead of `'_`",
            ],
        );
        rejected(
            "async fn f((a, b): (Cow<'_, str>, u8), i: impl Display + '_)",
            &[
                "argument `(a, b)` of a task cannot borrow: `Cow<'_, str>` has the lifetime `'_`, \
                 not `'static`\nhelp: a task outlives its caller; use a type that owns its data, \
                 or `'static` instead of `'_`",
                "argument `i` of a task cannot borrow: `impl Display + '_` has the lifetime `'_`, \
                 not `'static`\nhelp: a task outlives its caller; use a type that owns its data, \
                 or `'static` instead of `'_`",
            ],
        );
        rejected(
            "async fn f(i: impl Iterator<Item = &u8>, f: impl Fn(&'a str))",
            &[
                "argument `i` of a task cannot borrow: `&u8` has an elided lifetime, not \
                 `'static`\nhelp: a task outlives its caller; take the value by ownership, e.g. \
                 `u8` instead of `&u8`, or use `&'static u8`",
                "argument `f` of a task cannot borrow: `&'a str` has the lifetime `'a`, not \
                 `'static`\nhelp: a task outlives its caller; take the value by ownership, e.g. \
                 `String` instead of `&'a str`, or use `&'static str`",
            ],
        );
    }

    #[test]
    fn rejects_lifetime_parameters() {
        rejected(
            "async fn f<'a, T>(x: Option<&'a str>, y: T)",
            &[
                "a task cannot have lifetime parameters: `'a`\nhelp: a task outlives its caller; \
                 remove `'a` and take the arguments by ownership",
                "argument `x` of a task cannot borrow: `&'a str` has the lifetime `'a`, not \
                 `'static`\nhelp: a task outlives its caller; take the value by ownership, e.g. \
                 `String` instead of `&'a str`, or use `&'static str`",
            ],
        );
    }

    #[test]
    fn accepts_owned_receivers() {
        for receiver in [
            "self",
            "mut self",
            "self: Self",
            "self: Arc<Self>",
            "self: std::sync::Arc<Self>",
            "self: Box<Self>",
            "mut self: Box<Self>",
            "self: Pin<Box<Self>>",
            "self: Pin<Arc<Self>>",
            "&'static self",
            "&'static mut self",
            "self: &'static Self",
            "self: Arc<Self, Global>",
        ] {
            accepted(&format!("async fn f({receiver}, x: u32)"));
        }
    }

    #[test]
    fn rejects_borrowed_receivers() {
        rejected(
            "async fn serve(&self, x: u32)",
            &[
                "a task cannot borrow `self`: `&self` has an elided lifetime, not `'static`\nhelp: \
                 a task outlives its caller; take `self: Arc<Self>` (and call it as \
                 `shared.clone().serve(..)`), or `self` by value",
            ],
        );
        rejected(
            "async fn bump(&mut self)",
            &[
                "a task cannot borrow `self`: `&mut self` has an elided lifetime, not `'static`\n\
                 help: a task outlives its caller; take `self` by value, or `self: Arc<Self>` \
                 with what it changes behind a `Mutex` (and call it as \
                 `shared.clone().bump(..)`)",
            ],
        );
        rejected(
            "async fn r#type(&'a self)",
            &[
                "a task cannot borrow `self`: `&'a self` has the lifetime `'a`, not `'static`\n\
                 help: a task outlives its caller; take `self: Arc<Self>` (and call it as \
                 `shared.clone().r#type(..)`), or `self` by value",
            ],
        );
        rejected(
            "async fn serve(self: &Arc<Self>)",
            &[
                "a task cannot borrow `self`: `&Arc<Self>` has an elided lifetime, not \
                 `'static`\nhelp: a task outlives its caller; take `self: Arc<Self>` (and call \
                 it as `shared.clone().serve(..)`)",
            ],
        );
        rejected(
            "async fn serve(self: &'_ Rc<Self>)",
            &[
                "a task cannot borrow `self`: `&'_ Rc<Self>` has the lifetime `'_`, not \
                 `'static`\nhelp: a task outlives its caller; take `self: Rc<Self>` (and call it \
                 as `shared.clone().serve(..)`)",
            ],
        );
        rejected(
            "async fn serve(self: &Box<Self>)",
            &[
                "a task cannot borrow `self`: `&Box<Self>` has an elided lifetime, not \
                 `'static`\nhelp: a task outlives its caller; take `self: Box<Self>`",
            ],
        );
        rejected(
            "async fn serve(self: &Self)",
            &[
                "a task cannot borrow `self`: `&Self` has an elided lifetime, not `'static`\n\
                 help: a task outlives its caller; take `self: Arc<Self>` (and call it as \
                 `shared.clone().serve(..)`), or `self` by value",
            ],
        );
        rejected(
            "async fn poll(self: Pin<&mut Self>)",
            &[
                "a task cannot borrow `self`: `&mut Self` has an elided lifetime, not `'static`\n\
                 help: a task outlives its caller; take `self: Pin<Box<Self>>`, or `self` by \
                 value",
            ],
        );
        rejected(
            "async fn parse(self: Box<Parser<'a>>)",
            &[
                "a task cannot borrow `self`: `Parser<'a>` has the lifetime `'a`, not \
                 `'static`\nhelp: a task outlives its caller; use a type that owns its data, or \
                 `'static` instead of `'a`",
            ],
        );
    }

    #[test]
    fn rc_receivers_need_local() {
        let help = "help: add `local` (`#[task(local)]`) to run the task on the thread of its \
                    loop, or take `self: Arc<Self>`";
        for (receiver, ty) in [
            ("self: Rc<Self>", "Rc<Self>"),
            ("self: std::rc::Rc<Self>", "std::rc::Rc<Self>"),
            ("mut self: Pin<Rc<Self>>", "Pin<Rc<Self>>"),
        ] {
            let sig = format!("async fn f({receiver})");
            rejected(
                &sig,
                &[&format!(
                    "a task without `local` cannot take `self: {ty}`: an `Rc` cannot be sent \
                     to another thread\n{help}"
                )],
            );
            assert_eq!(errors_with(&sig, true), Vec::<String>::new(), "{sig}");
        }
    }

    #[test]
    fn rejects_qualifiers() {
        rejected(
            "fn f()",
            &["`#[task]` requires an `async fn`\nhelp: add `async`: `async fn f(..)`"],
        );
        rejected(
            "const async fn f()",
            &["a task cannot be a `const fn`\nhelp: remove `const`"],
        );
        rejected(
            "async unsafe fn f()",
            &[
                "a task cannot be an `unsafe fn`\nhelp: remove `unsafe`: a task runs after its \
               caller returned, so the caller cannot uphold a safety contract; check the \
               preconditions in the body and use `unsafe { .. }` blocks there",
            ],
        );
        rejected(
            "async extern \"C\" fn f()",
            &[
                "a task cannot have an explicit ABI (`extern \"C\"`)\nhelp: remove `extern \"C\"`: \
               a task is called from Rust and returns a coroutine value",
            ],
        );
        rejected(
            "async fn f(x: u32, ...)",
            &[
                "a task cannot be variadic\nhelp: remove `...` and take the values as a `Vec<T>` \
               instead",
            ],
        );
        rejected(
            "async fn f(x: u32, rest: ...)",
            &[
                "a task cannot be variadic\nhelp: remove `rest: ...` and take the values as a \
                 `Vec<T>` instead",
            ],
        );
    }

    #[test]
    fn collects_all_errors() {
        let errors = errors("const unsafe extern \"C\" fn f<'a>(&self, x: &'a str, ...)");
        assert_eq!(errors.len(), 8, "{errors:#?}");
    }
}
