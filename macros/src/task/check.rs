//! Signatures a task cannot have.
//!
//! A task's coroutine is `'static`: it may run long after its caller
//! returned. So it cannot borrow (no reference or lifetime in its arguments
//! other than `'static`, no lifetime parameters), cannot be a method
//! (`self`), and the `fn` qualifiers that make no sense for a value-returning
//! constructor (`const`, `unsafe`, `extern "C"`, variadics) are refused.

use syn::visit::{self, Visit};
use syn::{
    FnArg, GenericParam, Lifetime, ParenthesizedGenericArguments, Pat, PatType, Safety, Signature,
    TraitBound, Type, TypeFnPtr, TypeReference,
};

use crate::errors::{Errors, both, error, error_spanned, tokens_to_string};

pub(super) fn signature(sig: &Signature, errors: &mut Errors) {
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
            FnArg::Receiver(receiver) => errors.push(error_spanned(
                receiver,
                format!("a task cannot take `{}`", tokens_to_string(receiver)),
                "tasks are free functions; move the method body into a free `async fn` taking \
                 the value by ownership",
            )),
            FnArg::Typed(arg) => {
                if let Some(borrow) = find_borrow(arg) {
                    errors.push(borrow);
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

/// The first non-`'static` borrow in the type of `arg`, as an error.
fn find_borrow(arg: &PatType) -> Option<syn::Error> {
    let mut finder = BorrowFinder {
        arg: &arg.pat,
        types: Vec::new(),
        higher_ranked: Vec::new(),
        in_fn_sugar: 0,
        found: None,
    };
    finder.visit_type(&arg.ty);
    finder.found
}

/// Finds references and lifetimes that are neither `'static` nor
/// higher-ranked (`for<'a>`, or elided inside `fn(&str)` / `Fn(&str)`,
/// which borrow nothing from the caller).
/// Only an error is put into words: most arguments borrow nothing.
struct BorrowFinder<'ast> {
    /// The argument's pattern, for messages.
    arg: &'ast Pat,
    /// The types being visited, outermost first, for messages.
    types: Vec<&'ast Type>,
    /// Lifetimes bound by enclosing `for<..>` binders.
    higher_ranked: Vec<String>,
    /// Depth of `fn(..)` pointer types and `Fn(..)` sugar.
    in_fn_sugar: usize,
    found: Option<syn::Error>,
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

    fn reference_error(&self, reference: &TypeReference) -> syn::Error {
        let written = tokens_to_string(reference);
        let mutability = if reference.mutability.is_some() {
            "mut "
        } else {
            ""
        };
        let static_version = format!("&'static {mutability}{}", tokens_to_string(&reference.elem));
        let lifetime = match &reference.lifetime {
            None => "an elided lifetime".to_owned(),
            Some(lifetime) => format!("the lifetime `{lifetime}`"),
        };
        error_spanned(
            reference,
            format!(
                "argument `{}` of a task cannot borrow: `{written}` has {lifetime}, not `'static`",
                tokens_to_string(self.arg)
            ),
            format!(
                "a task outlives its caller; take the value by ownership, e.g. `{}` instead of \
                 `{written}`, or use `{static_version}`",
                owned_alternative(&reference.elem)
            ),
        )
    }

    fn lifetime_error(&self, lifetime: &Lifetime) -> syn::Error {
        // The type the lifetime is an argument of: `Holder<'_>`.
        let message = match self.types.last() {
            Some(ty) => format!(
                "argument `{}` of a task cannot borrow: `{}` has the lifetime `{lifetime}`, \
                 not `'static`",
                tokens_to_string(self.arg),
                tokens_to_string(ty)
            ),
            None => format!(
                "argument `{}` of a task cannot borrow: `{lifetime}` is not `'static`",
                tokens_to_string(self.arg)
            ),
        };
        error_spanned(
            lifetime,
            message,
            format!(
                "a task outlives its caller; use a type that owns its data, or `'static` instead \
                 of `{lifetime}`"
            ),
        )
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
            self.found = Some(self.reference_error(reference));
        } else {
            self.visit_type(&reference.elem);
        }
    }

    fn visit_lifetime(&mut self, lifetime: &'ast Lifetime) {
        if self.found.is_none() && !self.allowed(lifetime) {
            self.found = Some(self.lifetime_error(lifetime));
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
        let sig: TokenStream = sig.parse().expect("test input tokenizes");
        let sig: Signature = syn::parse2(sig).expect("test input is a signature");
        let mut errors = Errors::new();
        super::signature(&sig, &mut errors);
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
    fn rejects_receivers() {
        for receiver in [
            "self",
            "&self",
            "&mut self",
            "mut self",
            "self: Box<Self>",
            "&'a self",
        ] {
            let sig = format!("async fn f({receiver}, x: u32)");
            let errors = errors(&sig);
            assert_eq!(errors.len(), 1, "{sig}: {errors:?}");
            assert_eq!(
                errors[0],
                format!(
                    "a task cannot take `{receiver}`\nhelp: tasks are free functions; move the \
                     method body into a free `async fn` taking the value by ownership"
                )
            );
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
