//! `#[task]` as a whole: every rejection, collected, with the item kept.

use super::{compile_errors, tokens};
use crate::task::task;

fn errors(args: &str, item: &str) -> Vec<String> {
    compile_errors(&task(tokens(args), tokens(item)))
}

#[track_caller]
fn first_lines(args: &str, item: &str) -> Vec<String> {
    errors(args, item)
        .iter()
        .map(|message| {
            let (first, help) = message
                .split_once('\n')
                .unwrap_or_else(|| panic!("no help line in {message:?}"));
            assert!(help.starts_with("help: "), "{message:?}");
            assert!(!help.contains('\n'), "{message:?}");
            first.to_owned()
        })
        .collect()
}

#[test]
fn valid_tasks_expand_without_errors() {
    for item in [
        "async fn f() {}",
        "pub async fn f(x: u32) -> u32 { x }",
        "async fn f<T: Send>(x: T) -> T { x }",
        "async fn f(s: &'static str) {}",
        "async fn f(f: impl Fn(&str) -> usize + Send) {}",
        "#[doc = \"x\"] pub(crate) async fn r#match() {}",
        "async fn f(self) {}",
        "pub async fn f(mut self, x: u32) -> Self { self }",
        "async fn f(self: Arc<Self>, conn: Conn) {}",
        "async fn f(self: Box<Self>) {}",
        "async fn f(mut self: Pin<Box<Self>>) {}",
        "async fn f(&'static self) {}",
    ] {
        assert_eq!(errors("", item), Vec::<String>::new(), "{item}");
    }
    for item in [
        "async fn f(self: Rc<Self>) {}",
        "async fn f(self: Pin<Rc<Self>>) {}",
    ] {
        assert_eq!(errors("local", item), Vec::<String>::new(), "{item}");
    }
    assert_eq!(
        errors(
            r#"name = "x", local, limit = 3, crate = rt"#,
            "async fn f() {}"
        ),
        Vec::<String>::new()
    );
    for limit in [
        "JOBS",
        "2 * CORES",
        "{ 4 }",
        "config::JOBS.max(1)",
        "jobs()",
    ] {
        assert_eq!(
            errors(&format!("limit = {limit}"), "async fn f() {}"),
            Vec::<String>::new(),
            "rustc, not the macro, checks that `{limit}` is a constant `usize`"
        );
    }
}

#[test]
fn a_method_moves_its_receiver_into_the_coroutine() {
    let output = task(
        tokens("limit = 2"),
        tokens("async fn serve(self: Arc<Self>, conn: Conn) -> u32 { 1 }"),
    )
    .to_string();
    // `self` cannot be rebound: naming it moves it in, whole.
    assert!(
        output.contains("async move { let _ = & self ; let conn = conn ; if false { return :: cosched :: __private :: output :: < u32 > () ; }"),
        "{output}"
    );
    // The `static` of `limit` is in the fn's body, which an `impl` allows;
    // the coroutine is returned from a binding (at the receiver).
    assert!(
        output
            .starts_with("# [track_caller] fn serve (self : Arc < Self > , conn : Conn) -> :: cosched :: Coroutine"),
        "{output}"
    );
    assert!(output.contains("{ static __COSCHED_LIMIT"), "{output}");
    assert!(
        output.contains("let __coroutine = :: cosched :: __private :: threaded ("),
        "{output}"
    );
    assert!(output.ends_with("; __coroutine }"), "{output}");
    // A free fn returns it directly.
    let output = task(tokens(""), tokens("async fn f() {}")).to_string();
    assert!(!output.contains("__coroutine"), "{output}");
}

#[test]
fn a_constant_limit_is_checked_where_it_was_written() {
    let output = task(tokens("limit = { N }"), tokens("async fn f() {}")).to_string();
    assert!(
        output.contains("const __COSCHED_MAX_RUNNING : usize = ({ N }) ;"),
        "{output}"
    );
    // The braces of the expression are doubled in the panic message, which
    // `assert!` formats.
    assert!(
        output.contains(
            "\"`limit` must be at least 1, but `{{ N }}` is 0 (remove `limit` to allow any \
             number of instances)\""
        ),
        "{output}"
    );
    assert!(output.contains("limit : __COSCHED_MAX_RUNNING"), "{output}");
}

#[test]
fn non_async_fn() {
    assert_eq!(
        errors("", "fn tick() {}"),
        ["`#[task]` requires an `async fn`\nhelp: add `async`: `async fn tick(..)`"]
    );
}

#[test]
fn not_a_function() {
    let cases = [
        ("struct Config { url: String }", "a `struct`"),
        ("enum E { A }", "an `enum`"),
        ("impl Foo { async fn f() {} }", "an `impl` block"),
        ("trait T { async fn f(); }", "a trait"),
        ("mod m {}", "a module"),
        ("static X: u32 = 1;", "a `static` item"),
        ("const X: u32 = 1;", "a `const` item"),
        ("type A = u32;", "a type alias"),
        ("use std::fmt;", "a `use` item"),
        ("union U { a: u32 }", "a `union`"),
        ("extern crate alloc;", "an `extern crate` item"),
        ("extern \"C\" { fn f(); }", "an `extern` block"),
        ("macro_rules! m { () => {} }", "a macro invocation"),
    ];
    for (item, what) in cases {
        assert_eq!(
            errors("", item),
            [format!(
                "`#[task]` can only be applied to an `async fn`, not to {what}\nhelp: write \
                 `#[cosched::task] async fn name(..) {{ .. }}`"
            )],
            "{item}"
        );
    }
}

#[test]
fn function_without_body() {
    assert_eq!(
        errors("", "async fn f(x: u32);"),
        [
            "`#[task]` needs a function with a body\nhelp: write the body in braces: \
          `#[cosched::task] async fn name(..) { .. }`; in a trait, put it on a free function \
          instead"
        ]
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let lines = first_lines(
        r#"nmae = "x", limit = 0, local = true, local, local"#,
        "const unsafe extern \"C\" fn f<'a>(&self, x: &'a str, y: Vec<&u8>, ...) {}",
    );
    assert_eq!(
        lines,
        [
            "unknown option `nmae` in `#[task]`",
            "`limit` must be at least 1",
            "option `local` of `#[task]` takes no value",
            "duplicate option `local` in `#[task]`",
            "a task cannot be a `const fn`",
            "`#[task]` requires an `async fn`",
            "a task cannot be an `unsafe fn`",
            "a task cannot have an explicit ABI (`extern \"C\"`)",
            "a task cannot have lifetime parameters: `'a`",
            "a task cannot borrow `self`: `&self` has an elided lifetime, not `'static`",
            "argument `x` of a task cannot borrow: `&'a str` has the lifetime `'a`, not `'static`",
            "argument `y` of a task cannot borrow: `&u8` has an elided lifetime, not `'static`",
            "a task cannot be variadic",
        ]
    );
}

#[test]
fn typo_in_option_suggests_the_nearest() {
    assert_eq!(
        errors(r#"nmae = "tick""#, "async fn f() {}"),
        [
            "unknown option `nmae` in `#[task]`\nhelp: did you mean `name`? valid options are \
          `name = \"tick\"`, `local`, `limit = 4`, `eager` or `crate = my::reexport::cosched`"
        ]
    );
    assert_eq!(
        first_lines("lcoal", "async fn f() {}"),
        ["unknown option `lcoal` in `#[task]`"]
    );
    assert!(errors("lcoal", "async fn f() {}")[0].contains("did you mean `local`?"));
    assert!(errors("limt = 3", "async fn f() {}")[0].contains("did you mean `limit`?"));
}

#[test]
fn on_error_the_item_is_emitted_as_written() {
    let item = "/// Docs.\n#[inline] pub async fn f(&self, x: &str) -> usize { #![allow(unused)] x.len() }";
    let output = task(tokens(""), tokens(item));
    let text = output.to_string();
    assert!(
        text.contains("pub async fn f (& self , x : & str) -> usize"),
        "{text}"
    );
    assert!(text.contains("# [inline]"), "{text}");
    assert!(text.contains("# [allow (unused)]"), "{text}");
    assert_eq!(compile_errors(&output).len(), 2);
    // Not a function: the tokens are passed through untouched.
    let item = "struct S;";
    let output = task(tokens(""), tokens(item));
    assert!(output.to_string().starts_with("struct S ;"));
    // `const async fn` would get a second, rustc error: `const` is dropped.
    let output = task(tokens(""), tokens("const async fn f() {}"));
    assert!(
        output.to_string().starts_with("async fn f () { }"),
        "{output}"
    );
}
