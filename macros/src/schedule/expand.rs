//! Writes the scheduling call for a parsed `schedule!`.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use syn::Expr;
use syn::spanned::Spanned as _;

use super::parse::{Mode, Policy, Schedule};
use crate::options::crate_path;

pub(super) fn expand(schedule: Schedule) -> TokenStream {
    let Schedule {
        mode,
        mode_span,
        expr,
        name,
        on,
        eager,
        krate,
        policy,
        tz,
    } = schedule;
    let krate = crate_path(krate.as_ref());
    // Generated names are located at the mode word, so that errors about
    // them ("required by a bound in `create_task`") point there.
    let at_mode = |name: &str| Ident::new(name, Span::call_site().located_at(mode_span));
    // Parentheses around the time are only there to make `after (d) => ..`
    // a mode (see `parse`); as an argument, they would be unused.
    let unparenthesize = |time: Expr| match time {
        Expr::Paren(paren) => *paren.expr,
        time => time,
    };
    let (method, coroutine) = match mode {
        Mode::Call(call) => (at_mode(call), expr.into_token_stream()),
        Mode::Timed {
            call,
            time,
            periodic,
        } => {
            let call = at_mode(call);
            let time = unparenthesize(*time);
            let coroutine = if periodic {
                // `every` takes a closure that makes a new coroutine per
                // run. It is `move`, so that it can outlive the caller:
                // what `EXPR` uses is moved into it (see the E0382 UI
                // case). It is located at the expression, where errors
                // about what it returns belong.
                let closure = quote_spanned!(Span::call_site().located_at(expr.span())=> move ||);
                quote!(#closure #expr)
            } else {
                expr.into_token_stream()
            };
            let coroutine = if policy.is_default() {
                quote!(#krate::#call(#time, #coroutine))
            } else {
                every_with(&krate, &time, &coroutine, policy)
            };
            (at_mode("create_task"), coroutine)
        }
        Mode::Cron { expr: cron } => {
            // As `every`'s: a new coroutine per run, from a `move` closure
            // located at the expression.
            let closure = quote_spanned!(Span::call_site().located_at(expr.span())=> move ||);
            let make = quote!(#closure #expr);
            let tz = tz.map_or_else(|| quote!("UTC"), ToTokens::into_token_stream);
            let run = policy.times.map_or_else(
                || quote!(.forever(#make)),
                |times| quote!(.times(#times, #make)),
            );
            let call = at_mode("cron");
            let cron = unparenthesize(*cron);
            (
                at_mode("create_task"),
                quote!(#krate::__private::#call(#cron, #tz) #run),
            )
        }
    };
    match (name, on) {
        (None, None) if !eager => quote!(#krate::#method(#coroutine)),
        (None, Some(event_loop)) if !eager => {
            // A call of the method by its path, not `lp.create_task(..)`:
            // its first argument is `&EventLoop`, so `on = 5` is "expected
            // `&EventLoop`, found `&{integer}`" at `5` rather than "no method
            // named `create_task` found for `{integer}`". Deref coercion
            // still accepts `&EventLoop`, `Arc<EventLoop>` and the like.
            // `&lp` is written `lp`, as the `&` is added here.
            let event_loop = match event_loop {
                Expr::Reference(reference) if reference.mutability.is_none() => *reference.expr,
                event_loop => event_loop,
            };
            let borrow = quote_spanned!(Span::call_site().located_at(event_loop.span())=> &);
            let event_loop = atomic(event_loop);
            quote!(#krate::EventLoop::#method(#borrow #event_loop, #coroutine))
        }
        (name, event_loop) => {
            let name = name.map(|name| quote!(.name(#name)));
            let eager = eager.then(|| quote!(.eager()));
            let on = event_loop.map(|event_loop| {
                // `on` takes `&EventLoop`: `&lp` stays as written.
                let event_loop = match event_loop {
                    Expr::Reference(reference) if reference.mutability.is_none() => {
                        reference.into_token_stream()
                    }
                    event_loop => {
                        let event_loop = atomic(event_loop);
                        quote!(&#event_loop)
                    }
                };
                quote!(.on(#event_loop))
            });
            quote!(#krate::Builder::new() #name #on #eager .#method(#coroutine))
        }
    }
}

/// `every` with options: `krate::Every::new(period)`, a method per option,
/// then `.forever(make)` or, with `times = N`, `.times(N, make)`.
fn every_with(
    krate: &TokenStream,
    period: &Expr,
    make: &TokenStream,
    policy: Policy,
) -> TokenStream {
    let Policy {
        missed,
        jitter,
        times,
        first,
    } = policy;
    // `missed = delay` is `Missed::Delay`, `first = after_period`
    // `FirstRun::AfterPeriod`, located at the word as written.
    let variant = |word: &Ident| {
        let camel: String = word
            .to_string()
            .split('_')
            .map(|part| {
                let mut chars = part.chars();
                chars.next().map_or_else(String::new, |first| {
                    first.to_ascii_uppercase().to_string() + chars.as_str()
                })
            })
            .collect();
        Ident::new(&camel, word.span())
    };
    let missed = missed.map(|word| {
        let variant = variant(&word);
        quote!(.missed(#krate::Missed::#variant))
    });
    let jitter = jitter.map(|jitter| quote!(.jitter(#jitter)));
    let first = first.map(|word| {
        let variant = variant(&word);
        quote!(.first(#krate::FirstRun::#variant))
    });
    let run = times.map_or_else(
        || quote!(.forever(#make)),
        |times| quote!(.times(#times, #make)),
    );
    quote!(#krate::Every::new(#period) #missed #jitter #first #run)
}

/// `expr`, parenthesized unless it binds tighter than a method call or `&`
/// (so that `(a + b).create_task(..)` keeps its meaning while
/// `event_loop.create_task(..)` stays readable).
fn atomic(expr: Expr) -> TokenStream {
    match expr {
        Expr::Array(_)
        | Expr::Await(_)
        | Expr::Block(_)
        | Expr::Call(_)
        | Expr::Field(_)
        | Expr::Group(_)
        | Expr::Index(_)
        | Expr::Lit(_)
        | Expr::Macro(_)
        | Expr::MethodCall(_)
        | Expr::Paren(_)
        | Expr::Path(_)
        | Expr::Try(_)
        | Expr::Tuple(_) => expr.into_token_stream(),
        _ => quote!((#expr)),
    }
}
