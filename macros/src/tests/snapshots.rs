//! Expansion snapshots: what `cargo expand` shows users.
//!
//! Each case is expanded with the `TokenStream` function behind its macro,
//! pretty-printed with prettyplease and compared with
//! `tests/expand/<case>.rs`. Run with `COSCHED_BLESS=1` to (re)write the
//! files, then review the diff by eye.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use quote::quote;

use super::{pretty_file, tokens};

#[derive(Clone, Copy)]
enum Macro {
    Task,
    Main,
    Test,
    Schedule,
}

struct Case {
    name: &'static str,
    mac: Macro,
    /// The attribute's arguments, or the input of `schedule!`.
    args: &'static str,
    /// The item under the attribute (unused for `schedule!`).
    item: &'static str,
}

const fn task(name: &'static str, args: &'static str, item: &'static str) -> Case {
    Case {
        name,
        mac: Macro::Task,
        args,
        item,
    }
}

const fn main(name: &'static str, args: &'static str, item: &'static str) -> Case {
    Case {
        name,
        mac: Macro::Main,
        args,
        item,
    }
}

const fn test(name: &'static str, args: &'static str, item: &'static str) -> Case {
    Case {
        name,
        mac: Macro::Test,
        args,
        item,
    }
}

const fn schedule(name: &'static str, input: &'static str) -> Case {
    Case {
        name,
        mac: Macro::Schedule,
        args: input,
        item: "",
    }
}

const CASES: &[Case] = &[
    task(
        "task_basic",
        "",
        r#"
/// Prints a dot every `timeout`.
pub async fn indication(timeout: Duration) {
    loop {
        print!(".");
        cosched::sleep(timeout).await;
    }
}
"#,
    ),
    task(
        "task_result",
        "",
        r"
async fn fetch(url: String, retries: u32) -> Result<String, Error> {
    if retries == 0 {
        return Err(Error::NoRetries);
    }
    let body = download(&url).await?;
    Ok(body)
}
",
    ),
    task(
        "task_patterns",
        "",
        r#"
async fn patterns(
    (a, b): (u32, u32),
    mut count: u32,
    _: Guard,
    _unused: Permit,
    Point { x, y }: Point,
    ref name: String,
    r#in: u8,
) -> u32 {
    count += a + b + x + y + u32::from(r#in);
    println!("{name}");
    count
}
"#,
    ),
    task(
        "task_generics",
        "",
        r"
pub async fn generic<T: Display + Send, U, const N: usize>(
    value: T,
    other: U,
    bytes: [u8; N],
    measure: impl Fn(&str) -> usize + Send,
    items: Vec<impl Debug + Send>,
) -> usize
where
    U: Clone + Send + 'static,
{
    measure(&value.to_string()) + bytes.len() + items.len()
}
",
    ),
    task(
        "task_unbounded_generics",
        "",
        r"
async fn pair<T, U: Clone, V>(first: T, second: U, third: V) -> usize
where
    V: Default,
{
    size_of_val(&first) + size_of_val(&second.clone()) + size_of_val(&third)
}
",
    ),
    task(
        "task_all_options",
        r#"name = "tick", local, limit = 4, crate = my::reexport::cosched"#,
        r"
async fn ticker(period: Duration) {
    let shared = Rc::new(period);
    sleep(*shared).await;
}
",
    ),
    task(
        "task_limit",
        "limit = 2",
        r"
pub(crate) async fn download(url: String) -> Vec<u8> {
    fetch(url).await
}
",
    ),
    task(
        "task_limit_const",
        "limit = 2 * CORES",
        r"
async fn compile(unit: Unit) -> Object {
    build(unit).await
}
",
    ),
    task(
        "task_local",
        "local",
        r"
async fn gui_update(widget: Rc<Widget>) {
    widget.refresh().await;
}
",
    ),
    task(
        "task_eager",
        "eager",
        r"
async fn lookup(cache: Arc<Cache>, key: u64) -> Option<Entry> {
    cache.get(key)
}
",
    ),
    task(
        "task_eager_local",
        "eager, local",
        r"
async fn repaint(widget: Rc<Widget>) {
    widget.refresh().await;
}
",
    ),
    task(
        "task_method",
        "",
        r"
/// Serves one connection.
pub async fn serve(self: Arc<Self>, conn: Connection) -> usize {
    self.handle(conn).await
}
",
    ),
    task(
        "task_method_by_value",
        r#"name = "worker", limit = 4"#,
        r"
async fn run(mut self, rounds: u32) -> Self {
    for _ in 0..rounds {
        self.step().await;
    }
    self
}
",
    ),
    task(
        "task_attributes",
        "",
        r#"
#[cfg(unix)]
#[inline]
#[must_use = "the report is in the output"]
#[doc(alias = "r#type")]
pub(super) async fn r#type(
    #[cfg(feature = "verbose")] verbose: bool,
    #[allow(unused_variables)] unused: u32,
    #[allow(unused_mut)] mut kept: u32,
) -> String {
    #![allow(clippy::needless_return)]
    return format!("{kept}");
}
"#,
    ),
    task(
        "task_never_returns",
        "",
        r"
async fn serve(listener: Listener) -> ! {
    loop {
        listener.accept().await;
    }
}
",
    ),
    task(
        "task_impl_trait_output",
        "",
        r"
async fn describe(id: u64) -> impl Display + Send {
    id
}
",
    ),
    task(
        "task_error_keeps_item",
        r#"nmae = "x""#,
        r"
/// Docs stay.
async fn method(&self, name: &str) -> usize {
    name.len()
}
",
    ),
    task(
        "task_error_not_a_fn",
        "",
        "pub struct Config { pub url: String }",
    ),
    main(
        "main_basic",
        "",
        r"
async fn main() {
    let task = cosched::create_task(indication(Duration::from_secs(1)));
    task.await;
}
",
    ),
    main(
        "main_result",
        "crate = my::reexport::cosched",
        r"
/// Entry point.
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    #![allow(unused_mut)]
    let config = load().await?;
    run(config).await?;
    Ok(())
}
",
    ),
    main("main_error_not_async", "flavor = \"multi\"", "fn main() {}"),
    test(
        "test_basic",
        "",
        r"
async fn it_works() {
    assert_eq!(compute().await, 4);
}
",
    ),
    test(
        "test_attributes_and_result",
        "",
        r#"
#[should_panic(expected = "boom")]
#[ignore = "slow"]
async fn fails() -> Result<(), String> {
    explode().await?;
    Ok(())
}
"#,
    ),
    test(
        "test_start_paused",
        "start_paused, allow_lost_panics",
        r"
async fn hourly() {
    let task = cosched::create_task(report_every(Duration::from_secs(3600)));
    cosched::sleep(Duration::from_secs(86_400)).await;
    task.cancel();
}
",
    ),
    schedule("schedule_bare", "indication(Duration::from_secs(1))"),
    schedule("schedule_create_task", "create_task fetch(url.clone())"),
    schedule("schedule_call_named_create_task", "create_task(fetch(url))"),
    schedule(
        "schedule_ensure_future",
        "ensure_future some_future_or_coroutine",
    ),
    schedule(
        "schedule_after",
        "after Duration::from_millis(250) => retry(request)",
    ),
    schedule(
        "schedule_after_parenthesized",
        "after (delay * 2) => retry(request)",
    ),
    schedule("schedule_at", "at deadline => alarm()"),
    schedule(
        "schedule_every",
        "every Duration::from_secs(1) => tick(counter.clone())",
    ),
    schedule("schedule_on", "fetch(url), on = event_loop"),
    schedule(
        "schedule_on_complex",
        "fetch(url), on = *loops.get(0).unwrap()",
    ),
    schedule("schedule_name", "fetch(url), name = \"fetcher\""),
    schedule("schedule_eager", "create_task lookup(key), eager"),
    schedule(
        "schedule_eager_named_on",
        "ensure_future lookup(key), name = \"cached\", on = lp, eager",
    ),
    schedule(
        "schedule_name_and_on",
        "ensure_future fetch(url), on = &event_loop, name = format!(\"fetch-{id}\")",
    ),
    schedule(
        "schedule_every_with_options",
        "every period => tick(), name = \"ticker\", on = lp, crate = my::cosched,",
    ),
    schedule(
        "schedule_every_missed",
        "every Duration::from_secs(1) => poll(), missed = burst",
    ),
    schedule(
        "schedule_every_policy",
        "every period => report(stats.clone()), missed = delay, \
         jitter = Duration::from_millis(250), times = 10, first = after_period",
    ),
    schedule(
        "schedule_every_times_named",
        "every period => probe(), times = attempts, name = \"probe\"",
    ),
    schedule("schedule_error", "create_tsk fetch(url), nmae = \"x\""),
    schedule(
        "schedule_every_option_errors",
        "every period => tick(), missed = sometimes, times = 0, tims = 3",
    ),
    schedule(
        "schedule_after_every_option",
        "after delay => tick(), times = 3",
    ),
    // `schedule_cron*`: only with the `cron` feature (see the test).
    schedule("schedule_cron", "cron \"0 */5 * * * *\" => tick()"),
    schedule(
        "schedule_cron_options",
        "cron \"0 30 9 * * MON-FRI\" => report(stats.clone()), tz = \"Europe/Berlin\", \
         times = 5, name = \"standup\"",
    ),
    schedule(
        "schedule_cron_errors",
        "cron \"0 0 9 * * SUNDAY\" => tick(), tz = \"Europe/Berln\"",
    ),
];

fn snapshot_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/expand")
}

fn expand(case: &Case) -> String {
    let args = tokens(case.args);
    let item = tokens(case.item);
    let mut out = String::new();
    let _ = writeln!(out, "// Input:");
    let input = match case.mac {
        Macro::Schedule => format!("schedule!({});", case.args),
        Macro::Task | Macro::Main | Macro::Test => {
            let name = match case.mac {
                Macro::Task => "task",
                Macro::Main => "main",
                _ => "test",
            };
            let attr = if case.args.is_empty() {
                format!("#[cosched::{name}]")
            } else {
                format!("#[cosched::{name}({})]", case.args)
            };
            format!("{attr}\n{}", case.item.trim())
        }
    };
    for line in input.lines() {
        let _ = writeln!(out, "{}", format!("// {line}").trim_end());
    }
    let _ = writeln!(out, "//\n// Expansion:\n");
    let expansion = match case.mac {
        Macro::Task => crate::task::task(args, item),
        Macro::Main => crate::entry::main(args, item),
        Macro::Test => crate::entry::test(args, item),
        Macro::Schedule => {
            let expr: TokenStream = crate::schedule::schedule(args);
            quote!(fn expansion() { #expr; })
        }
    };
    out.push_str(&pretty_file(&expansion));
    out
}

#[test]
fn expansions_match_snapshots() {
    let bless = std::env::var_os("COSCHED_BLESS").is_some_and(|v| v == "1");
    let dir = snapshot_dir();
    let mut mismatches = Vec::new();
    for case in CASES {
        // Without the feature, `schedule!(cron ..)` is one error whatever
        // follows (see `cron_without_the_feature_says_to_turn_it_on`).
        if !cfg!(feature = "cron") && case.name.starts_with("schedule_cron") {
            continue;
        }
        let actual = expand(case);
        let path = dir.join(format!("{}.rs", case.name));
        if bless {
            std::fs::create_dir_all(&dir).expect("create the snapshot directory");
            std::fs::write(&path, &actual).expect("write the snapshot");
            continue;
        }
        match std::fs::read_to_string(&path) {
            Ok(expected) if expected == actual => {}
            Ok(expected) => mismatches.push(format!(
                "{} differs:\n--- expected\n{expected}\n+++ actual\n{actual}",
                path.display()
            )),
            Err(error) => mismatches.push(format!(
                "{}: {error}; run with COSCHED_BLESS=1 to create it:\n{actual}",
                path.display()
            )),
        }
    }
    assert!(
        mismatches.is_empty(),
        "{}\n\n(run `COSCHED_BLESS=1 cargo test -p cosched-macros` to accept the new output)",
        mismatches.join("\n\n")
    );
}

#[test]
fn no_stale_snapshots() {
    let Ok(entries) = std::fs::read_dir(snapshot_dir()) else {
        return;
    };
    let stale: Vec<String> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|file| {
            !CASES
                .iter()
                .any(|case| format!("{}.rs", case.name) == *file)
        })
        .collect();
    assert!(stale.is_empty(), "snapshots without a case: {stale:?}");
}

#[test]
fn case_names_are_unique_and_not_cargo_targets() {
    for (index, case) in CASES.iter().enumerate() {
        assert!(
            CASES[..index].iter().all(|other| other.name != case.name),
            "duplicate case {}",
            case.name
        );
        // `tests/expand/main.rs` would become an integration test target.
        assert_ne!(case.name, "main");
    }
}
