//! `#[main]` and `#[test]` as a whole.

use super::{compile_errors, tokens};
use crate::entry::{main, test};

fn main_errors(args: &str, item: &str) -> Vec<String> {
    compile_errors(&main(tokens(args), tokens(item)))
}

fn test_errors(args: &str, item: &str) -> Vec<String> {
    compile_errors(&test(tokens(args), tokens(item)))
}

#[test]
fn valid_entries_expand_without_errors() {
    for item in [
        "async fn main() {}",
        "async fn main() -> Result<(), String> { Ok(()) }",
        "pub async fn main() -> ! { loop {} }",
        "#[allow(unused)] async fn main() { #![allow(dead_code)] }",
    ] {
        assert_eq!(main_errors("", item), Vec::<String>::new(), "{item}");
        assert_eq!(test_errors("", item), Vec::<String>::new(), "{item}");
    }
    assert_eq!(
        main_errors("crate = rt", "async fn main() {}"),
        Vec::<String>::new()
    );
}

#[test]
fn rejections() {
    assert_eq!(
        main_errors("", "fn main() {}"),
        ["`#[main]` requires an `async fn`\nhelp: add `async`: `async fn main()`"]
    );
    assert_eq!(
        test_errors("", "fn check() {}"),
        ["`#[test]` requires an `async fn`\nhelp: add `async`: `async fn check()`"]
    );
    assert_eq!(
        main_errors("", "async fn main(args: Vec<String>) {}"),
        [
            "`#[main]` functions take no arguments\nhelp: remove the arguments; read command-line \
          arguments with `std::env::args()`"
        ]
    );
    assert_eq!(
        test_errors("", "async fn t(x: u32, y: u32) {}"),
        [
            "`#[test]` functions take no arguments\nhelp: remove the arguments and build the values \
          inside the test"
        ]
    );
    assert_eq!(
        test_errors("", "async fn t(&self) {}"),
        [
            "`#[test]` functions take no arguments\nhelp: remove the arguments and build the values \
          inside the test"
        ]
    );
    assert_eq!(
        main_errors("", "async fn main<T>() {}"),
        ["`#[main]` functions cannot have generic parameters\nhelp: remove `<T>`"]
    );
    assert_eq!(
        main_errors("", "const async fn main() {}"),
        ["`#[main]` cannot be applied to a `const fn`\nhelp: remove `const`"]
    );
    assert_eq!(
        main_errors("", "struct Main;"),
        [
            "`#[main]` can only be applied to an `async fn`, not to a `struct`\nhelp: write \
          `#[cosched::main] async fn main() { .. }`"
        ]
    );
    for attr in [
        "#[test]",
        "#[::core::prelude::v1::test]",
        "#[std::prelude::rust_2024::test]",
    ] {
        assert_eq!(
            test_errors("", &format!("{attr} async fn t() {{}}")),
            [format!(
                "second test attribute: `#[cosched::test]` already marks the function as a \
                 test\nhelp: remove `{attr}`"
            )]
        );
    }
}

#[test]
fn unknown_options() {
    assert_eq!(
        main_errors("flavor = \"current_thread\"", "async fn main() {}"),
        [
            "unknown option `flavor` in `#[main]`\nhelp: the only option is `crate = \
          my::reexport::cosched`"
        ]
    );
    assert_eq!(
        test_errors("crat = x", "async fn t() {}"),
        [
            "unknown option `crat` in `#[test]`\nhelp: did you mean `crate`? valid options are \
          `allow_lost_panics`, `start_paused` or `crate = my::reexport::cosched`"
        ]
    );
    assert_eq!(
        main_errors("crate = rt, crate = rt", "async fn main() {}"),
        ["duplicate option `crate` in `#[main]`\nhelp: give `crate` only once; remove this one"]
    );
}

/// `start_paused` is a flag of `#[test]`: tokio's spelling, with a value,
/// and `#[main]` are each one error saying what to write.
#[test]
fn start_paused() {
    assert_eq!(
        test_errors("start_paused, allow_lost_panics", "async fn t() {}"),
        Vec::<String>::new()
    );
    assert_eq!(
        test_errors("start_paused = true", "async fn t() {}"),
        ["option `start_paused` of `#[test]` takes no value\nhelp: write just `start_paused`"]
    );
    assert_eq!(
        main_errors("start_paused", "async fn main() {}"),
        [
            "option `start_paused` is not allowed in `#[main]`\nhelp: remove it; `start_paused` is \
             an option of `#[test]`"
        ]
    );
    let expanded = test(tokens("start_paused"), tokens("async fn t() {}")).to_string();
    assert!(expanded.contains(", false , true)"), "{expanded}");
}

#[test]
fn all_errors_and_the_item() {
    let output = main(tokens("x"), tokens("fn main(a: u8) {}"));
    assert_eq!(compile_errors(&output).len(), 3);
    assert!(
        output.to_string().starts_with("fn main (a : u8) { }"),
        "{output}"
    );
}

#[test]
fn an_async_main_in_error_is_nested_in_a_placeholder_main() {
    // As the entry point, rustc would add "`main` function is not allowed
    // to be `async`" to the macro's own error.
    let output = main(tokens("flavor = 1"), tokens("async fn main(a: u8) { a; }"));
    assert_eq!(compile_errors(&output).len(), 2);
    let expected = "fn main () { # [allow (dead_code)] async fn main (a : u8) { a ; } }";
    assert!(output.to_string().starts_with(expected), "{output}");
    // Other names, and tests, are emitted as written.
    let output = main(tokens("flavor = 1"), tokens("async fn start() {}"));
    assert!(
        output.to_string().starts_with("async fn start () { }"),
        "{output}"
    );
    let output = test(tokens("flavor = 1"), tokens("async fn main() {}"));
    assert!(
        output.to_string().starts_with("async fn main () { }"),
        "{output}"
    );
}
