//! `schedule!(cron "EXPR" => ..)`: the expression and `tz` are checked at
//! compile time, by the parser the runtime uses (the `cosched-cron`
//! crate), so that a typo is an error at the string rather than in
//! production. Each error names the field, the value and what the field
//! takes, with an example.
//!
//! Without the `cron` feature (cosched's, which turns this crate's on),
//! `schedule!(cron ..)` is one error at `cron` that says to turn it on.

use proc_macro2::Ident;
use syn::{Expr, LitStr};

use crate::errors::{Errors, error};

/// Checks `expr`, written after `word` (`cron`): a string literal that
/// parses.
#[cfg(feature = "cron")]
pub(super) fn check_expr(word: &Ident, expr: &Expr, errors: &mut Errors) {
    let Some(lit) = literal(expr) else {
        errors.push(crate::errors::error_spanned(
            expr,
            format!("the expression of `{word}` must be a string literal, checked at compile time"),
            "write `schedule!(cron \"0 */5 * * * *\" => my_task(..))`; for one known only at run \
             time, `cosched::Schedule::parse(expr, tz)` returns a `Result`, and its \
             `.forever(move || my_task(..))` is a coroutine to schedule",
        ));
        return;
    };
    if let Err(e) = cosched_cron::parse(&lit.value()) {
        errors.push(error(lit.span(), e.message(), e.help()));
    }
}

/// Without the feature: the one error that says to turn it on.
#[cfg(not(feature = "cron"))]
pub(super) fn check_expr(word: &Ident, _expr: &Expr, errors: &mut Errors) {
    errors.push(feature_off(word.span()));
}

/// Checks `tz = ".."`: a name of the time zone database cosched bundles.
#[cfg(feature = "cron")]
pub(super) fn check_tz(tz: &LitStr, errors: &mut Errors) {
    let name = tz.value();
    if let Err(e) = cosched_cron::check_time_zone(&name) {
        let names: Vec<&str> = cosched_cron::time_zone_names().collect();
        let did_you_mean = crate::suggest::did_you_mean(&name, &names);
        errors.push(error(
            tz.span(),
            e.message(),
            format!("{did_you_mean}{}", e.help()),
        ));
    }
}

/// Without the feature, `cron` itself was reported.
#[cfg(not(feature = "cron"))]
pub(super) fn check_tz(_tz: &LitStr, _errors: &mut Errors) {}

/// The string literal `expr` is, through parentheses and the invisible
/// groups of `macro_rules!` fragments.
#[cfg(feature = "cron")]
fn literal(expr: &Expr) -> Option<&LitStr> {
    match expr {
        Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(lit),
            ..
        }) => Some(lit),
        Expr::Paren(paren) => literal(&paren.expr),
        Expr::Group(group) => literal(&group.expr),
        _ => None,
    }
}

/// `schedule!(cron ..)` in a build without cosched's `cron` feature.
#[cfg(any(test, not(feature = "cron")))]
pub(crate) fn feature_off(span: proc_macro2::Span) -> syn::Error {
    error(
        span,
        "`schedule!(cron ..)` needs the `cron` feature of cosched, which is off in this build",
        "it is on by default; with `default-features = false`, add it: `cosched = { version = \
         \"0.1\", default-features = false, features = [\"cron\", \"async-std\"] }`",
    )
}
