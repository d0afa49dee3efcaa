//! Errors point at the offending tokens.
//!
//! proc-macro2's `span-locations` (a dev-dependency feature) gives spans
//! their source text outside a compiler: each error is checked by the text
//! it underlines.

use super::{located_errors, tokens};

fn task(args: &str, item: &str) -> Vec<(String, Option<String>)> {
    located_errors(&crate::task::task(tokens(args), tokens(item)))
}

/// The text each error underlines; `<call site>` for the macro call.
fn underlined(errors: &[(String, Option<String>)]) -> Vec<String> {
    errors
        .iter()
        .map(|(_, text)| text.clone().unwrap_or_else(|| "<call site>".to_owned()))
        .collect()
}

#[test]
fn task_signature_errors() {
    let errors = task(
        "",
        "const unsafe extern \"C\" fn f<'a, T>(&self, x: &'a str, y: Vec<&u8>, z: Option<Foo<'_>>, ...) {}",
    );
    assert_eq!(
        underlined(&errors),
        [
            "const",
            "fn f",
            "unsafe",
            "extern \"C\"",
            "'a",
            "&self",
            "&'a str",
            "&u8",
            "'_",
            "...",
        ],
        "{errors:#?}"
    );
}

#[test]
fn task_receiver_errors() {
    for (receiver, at) in [
        ("&self", "&self"),
        ("&'a mut self", "&'a mut self"),
        ("self: &Arc<Self>", "self: &Arc<Self>"),
        ("self: Pin<&mut Self>", "self: Pin<&mut Self>"),
        ("self: Box<Parser<'a>>", "'a"),
        ("self: Rc<Self>", "Rc<Self>"),
        ("mut self: std::rc::Rc<Self>", "std::rc::Rc<Self>"),
    ] {
        let errors = task("", &format!("async fn serve({receiver}, n: u32) {{}}"));
        assert_eq!(underlined(&errors), [at], "{receiver}: {errors:#?}");
    }
}

#[test]
fn task_option_errors() {
    let errors = task(
        r#"nmae = "x", limit = 0, local = true, name = 5, local, local, crate = "x", limit"#,
        "async fn f() {}",
    );
    assert_eq!(
        underlined(&errors),
        ["nmae", "0", "= true", "5", "local", "\"x\"", "limit",],
        "{errors:#?}"
    );
    assert!(errors[4].0.starts_with("duplicate option `local`"));
}

#[test]
fn task_limit_errors() {
    for (args, at) in [
        ("limit = 2.5", "2.5"),
        ("limit = -1", "-1"),
        ("limit = \"4\"", "\"4\""),
        ("limit = 4 4", "4 4"),
        ("limit = 0x0", "0x0"),
        ("limit = 4u32", "4u32"),
    ] {
        let errors = task(args, "async fn f() {}");
        assert_eq!(underlined(&errors), [at], "{args}: {errors:#?}");
    }
}

#[test]
fn task_on_other_items() {
    let errors = task("", "#[derive(Debug)] pub struct Config { url: String }");
    assert_eq!(underlined(&errors), ["struct Config"], "{errors:#?}");
    let errors = task("", "impl Config { }");
    assert_eq!(underlined(&errors), ["impl Config"], "{errors:#?}");
    let errors = task("", "async fn f(x: u32);");
    assert_eq!(underlined(&errors), ["async fn f(x: u32);"], "{errors:#?}");
}

#[test]
fn entry_errors() {
    let errors = located_errors(&crate::entry::main(
        tokens("flavr = 1"),
        tokens("fn main<T>(args: Vec<String>, n: u8) {}"),
    ));
    assert_eq!(
        underlined(&errors),
        ["flavr", "fn main", "<T>", "(args: Vec<String>, n: u8)",],
        "{errors:#?}"
    );
    let errors = located_errors(&crate::entry::test(
        tokens(""),
        tokens("#[test] async fn t() {}"),
    ));
    assert_eq!(underlined(&errors), ["#[test]"], "{errors:#?}");
}

#[test]
fn schedule_errors() {
    let schedule = |input: &str| located_errors(&crate::schedule::schedule(tokens(input)));
    assert_eq!(
        underlined(&schedule("create_tsk tick(), nmae = 1, on = lp, on = lp2")),
        ["create_tsk", "nmae", "on"]
    );
    assert_eq!(underlined(&schedule("after delay tick()")), ["tick"]);
    assert_eq!(underlined(&schedule("every period")), ["period"]);
    assert_eq!(underlined(&schedule("at")), ["at"]);
    assert_eq!(underlined(&schedule("tick() tock()")), ["tock()"]);
    assert_eq!(underlined(&schedule("tick(), name")), ["name"]);
    assert_eq!(underlined(&schedule("tick(), name = ")), ["="]);
    assert_eq!(underlined(&schedule("")), ["<call site>"]);
}
