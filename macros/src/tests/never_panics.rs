//! The macros never panic, whatever they are given: odd token soups, every
//! kind of item, broken options.

use proc_macro2::TokenStream;

use super::tokens;

const ITEMS: &[&str] = &[
    "",
    "fn",
    "async",
    "async fn",
    "async fn f",
    "async fn f()",
    "async fn f() {} extra tokens",
    "async fn f() {} async fn g() {}",
    "async fn f() -> {}",
    "async fn f(x) {}",
    "async fn f(x: ) {}",
    "pub(in) async fn f() {}",
    "#[] async fn f() {}",
    "#! async fn f() {}",
    "async fn f() { #![] }",
    "async fn f() { #![inner] #![cfg_attr(x, y)] }",
    "async fn f<'a, 'b: 'a, T: 'a + ?Sized, const N: usize = 3>() where for<'c> &'c T: Sized {}",
    "async fn f(..: u8) {}",
    "async fn f(x @ Some(_): Option<u8>, [a, b]: [u8; 2], S(x): S, (): (), &y: &'static u8) {}",
    "async fn f(f: fn(...)) {}",
    "async fn f(x: impl for<'a> Fn(&'a u8) -> Box<dyn Iterator<Item = &'a u8> + 'a>) {}",
    "async fn f(x: <T as Trait<'_>>::Assoc, y: [&'_ u8; { let x = 1; x }], z: m!(&'a)) {}",
    "async fn f() -> impl Iterator<Item = impl Display> {}",
    "async fn f() -> (!) {}",
    "async fn f() -> _ {}",
    "async fn f(self: Pin<&mut Self>) {}",
    "async fn f(#[a] #[b = 1] #[cfg(x)] #[cfg_attr(a, allow(b))] #[expect(x)] x: u8) {}",
    "default async fn f() {}",
    "safe async fn f() {}",
    "async gen fn f() {}",
    "struct S;",
    "struct S(u8);",
    "struct S<'a> { x: &'a u8 }",
    "enum E { A, B(u8) }",
    "union U { a: u8 }",
    "impl S { async fn f(&self) {} }",
    "impl<T> Trait for S<T> {}",
    "trait T { async fn f(); fn g() {} }",
    "trait A = B + C;",
    "mod m;",
    "mod m { async fn f() {} }",
    "use a::{b, c as d, *};",
    "extern crate a as b;",
    "extern \"C\" { fn f(...); static X: u8; }",
    "static mut X: u8 = 0;",
    "const X: u8 = 0;",
    "type T<U> = Vec<U>;",
    "macro_rules! m { ($x:expr) => { $x } }",
    "m!{}",
    "async || {}",
    "|x| x + 1",
    "let x = 1;",
    "{ }",
    "( ) [ ] { }",
    "123 'a' \"s\" b\"b\" 1.5e3 'lt",
    "=> , ; : :: # ! ? @ $ ~ & | ^ + - * / % < > .. ..= ...",
    "r#fn r#async r#type",
    "async fn \u{e9}t\u{e9}() {}",
];

const ARGS: &[&str] = &[
    "",
    ",",
    ",,",
    "=",
    "= 1",
    "name",
    "name =",
    "name = \"\"",
    "name = \"x\", name = \"y\"",
    "name = r#\"raw\"#",
    "name = b\"bytes\"",
    "name = 'c'",
    "name = (\"x\")",
    "local",
    "local = ",
    "local = true",
    "local local",
    "limit = 0",
    "limit = -1",
    "limit = 1e3",
    "limit = 18446744073709551616",
    "limit = 4u8",
    "limit = 4usize",
    "limit = N",
    "limit = 2 * N",
    "limit = { 4 }",
    "limit = { }",
    "limit = jobs()",
    "limit = -N",
    "limit = - 1",
    "limit = 4 4",
    "limit = = 4",
    "limit = \"{}\"",
    "limit = |x| x",
    "limit = async { 4 }",
    "crate",
    "crate =",
    "crate = \"\"",
    "crate = ::",
    "crate = a::",
    "crate = a::b<c>",
    "crate = self",
    "crate = super::super",
    "crate = crate",
    "crate = 1",
    "#[x]",
    "(name = \"x\")",
    "{}",
    "name = \"x\" local",
    r#"name = "tick", local, limit = 4, crate = my::cosched"#,
    "nmae = \"x\", lcoal, limt = 2, krate = x",
    "on = lp, missed = skip, times = 0, name = |a, b| a",
];

const SCHEDULE_INPUTS: &[&str] = &[
    "",
    ",",
    "=>",
    "create_task",
    "create_task,",
    "create_task =>",
    "create_task create_task",
    "create_task create_task create_task",
    "ensure_future",
    "after",
    "after d",
    "after d =>",
    "after d => ,",
    "after => x",
    "after d x",
    "after (d) => x, on = lp",
    "at",
    "at i => x",
    "every",
    "every p => x",
    "every p => x => y",
    "every p => x, missed",
    "every p => x, missed =",
    "every p => x, missed = ,",
    "every p => x, missed = skip burst",
    "every p => x, missed = 1",
    "every p => x, missed = r#skip",
    "every p => x, first = now, first = now",
    "every p => x, times = 0, times = -1, times = 1.5, times = \"3\"",
    "every p => x, times = 99999999999999999999999999",
    "every p => x, jitter = |a, b| a, times = n",
    "every p => x, jitter",
    "after d => x, missed = skip, times = 2, jitter = j, first = now",
    "x, local, limit = 2",
    "x",
    "x y",
    "x,",
    "x,,",
    "x, ,name = 1",
    "x, name",
    "x, name =",
    "x, name = 1, name = 2",
    "x, on = ",
    "x, on = a b",
    "x, crate = 1",
    "x, crate = a::",
    "x, 1 = 2",
    "x, nmae = 1, no = 2",
    "x as y",
    "x.await",
    "async {}",
    "async move { x }",
    "r#after",
    "r#create_task x",
    "create_tsk x",
    "create_tsk x, nmae = 1",
    "spawn x => y",
    "'a: loop {}",
    "#[attr] x",
    "create_task #[attr] x",
    "create_task 'a: loop {}",
    "create_task 1",
    "1 2 3",
    "match x { _ => y }",
    "create_task match x { _ => y }, name = n",
    "{ } ( ) [ ]",
    "=> , ; : :: # ! ? @ $ ~",
    "after d => x, name = \"n\", on = lp, crate = c, extra",
];

fn expand_all(args: &TokenStream, item: &TokenStream) {
    for output in [
        crate::task::task(args.clone(), item.clone()),
        crate::entry::main(args.clone(), item.clone()),
        crate::entry::test(args.clone(), item.clone()),
    ] {
        assert_every_error_has_help(&output);
    }
}

/// The convention: a message line, then one `help: ` line.
#[track_caller]
fn assert_every_error_has_help(output: &TokenStream) {
    for message in super::compile_errors(output) {
        let lines: Vec<&str> = message.lines().collect();
        assert!(
            lines.len() == 2 && lines[1].starts_with("help: ") && !lines[0].is_empty(),
            "{message:?}"
        );
    }
}

#[test]
fn attribute_macros_never_panic() {
    for item in ITEMS {
        let item_tokens = tokens(item);
        for args in ARGS {
            let args_tokens = tokens(args);
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                expand_all(&args_tokens, &item_tokens);
            }));
            assert!(result.is_ok(), "panicked on args `{args}`, item `{item}`");
        }
    }
}

#[test]
fn schedule_never_panics() {
    let inputs = SCHEDULE_INPUTS.iter().chain(ITEMS).chain(ARGS);
    for input in inputs {
        let input_tokens = tokens(input);
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            assert_every_error_has_help(&crate::schedule::schedule(input_tokens.clone()));
        }));
        assert!(result.is_ok(), "panicked on `{input}`");
    }
}

#[test]
fn outputs_are_valid_token_streams_for_the_compiler() {
    // An expansion of garbage must still be tokens rustc can read: items
    // for the attributes (or the original tokens), an expression or
    // `compile_error!`s for `schedule!`.
    for item in ITEMS {
        let output = crate::task::task(TokenStream::new(), tokens(item));
        assert!(
            !output.is_empty() || item.is_empty(),
            "`{item}` expanded to nothing"
        );
    }
    for input in SCHEDULE_INPUTS {
        let output = crate::schedule::schedule(tokens(input));
        assert!(
            syn::parse2::<syn::Expr>(output.clone()).is_ok()
                || !super::compile_errors(&output).is_empty(),
            "`{input}` expanded to neither an expression nor errors: {output}"
        );
    }
}
