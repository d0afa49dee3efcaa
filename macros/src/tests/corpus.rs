//! The macros over real code nobody here wrote: the `.rs` files of the
//! crates in the local cargo registry's source directory.
//!
//! Every file is parsed with `syn`; every item in it (recursively: inline
//! modules, fn bodies, `impl` blocks, traits, `extern` blocks) is given to
//! `#[task]` under several option lists, and every `fn` also to `#[main]`
//! and `#[test]`, methods and provided trait methods as free functions too.
//! `schedule!` gets each item's tokens, a sample of each file's expressions,
//! statements and macro bodies, alone and behind every mode word. No call
//! may panic, and every output must be tokens the compiler can read in the
//! place of the input: items (or impl/trait/extern members) for the
//! attributes, one expression for `schedule!`, each `compile_error!` with
//! its `help:` line.
//!
//! Ignored by default, as it reads hundreds of megabytes; `.ci/run` runs it
//! with a time cap:
//!
//! ```text
//! COSCHED_CORPUS_SECONDS=60 cargo test -p cosched-macros --lib corpus -- --ignored --nocapture
//! ```
//!
//! * `COSCHED_CORPUS_SECONDS`: stop after this many seconds (default 120;
//!   `0` for no cap).
//! * `COSCHED_CORPUS_FILES`: stop after this many files (default: all).
//! * `COSCHED_CORPUS_DIR`: walk this directory instead of every
//!   `$CARGO_HOME/registry/src/*/` (`CARGO_HOME` defaults to `~/.cargo`).
//!
//! Crates are deduplicated by name (the highest version is kept) and their
//! files taken round-robin, one file of each crate in turn, so that a capped
//! run still sees every crate.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::panic::{self, AssertUnwindSafe, PanicHookInfo};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use proc_macro2::TokenStream;

use super::messages::error_messages;
use quote::{ToTokens, quote};
use syn::visit::{self, Visit};

/// At most this many expressions, statements and macro bodies of one file
/// go to `schedule!` (spread evenly over the file).
const SAMPLES_PER_FILE: usize = 150;
/// Inputs are quoted in failure reports up to this many characters.
const QUOTE_LIMIT: usize = 1_500;

#[test]
#[ignore = "reads the whole cargo registry; .ci/run runs it with COSCHED_CORPUS_SECONDS"]
fn macros_over_the_registry_sources() {
    // syn recurses per nesting level, and real code nests deeply: give the
    // walk the stack a compiler thread has, not a test thread's 2 MiB.
    let walk = std::thread::Builder::new()
        .name("corpus".to_owned())
        .stack_size(256 << 20)
        .spawn(run)
        .expect("the corpus thread starts");
    if let Err(panic) = walk.join() {
        panic::resume_unwind(panic);
    }
}

fn run() {
    let limits = Limits::from_env();
    let roots = source_roots();
    assert!(
        !roots.is_empty(),
        "no registry sources found: set COSCHED_CORPUS_DIR or fetch some crates"
    );
    let files = corpus_files(&roots);
    println!(
        "corpus: {} .rs files under {}",
        files.len(),
        roots
            .iter()
            .map(|root| root.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut corpus = Corpus::new(limits.deadline());
    {
        let _quiet = QuietPanics::install();
        let mut last_progress = Instant::now();
        for path in &files {
            if limits.files.is_some_and(|max| corpus.stats.files >= max) || corpus.out_of_time() {
                corpus.stats.stopped_early = true;
                break;
            }
            corpus.file(path);
            if last_progress.elapsed() >= Duration::from_secs(30) {
                last_progress = Instant::now();
                println!(
                    "corpus: {} s, {} files, {} calls, {} failures so far",
                    limits.start.elapsed().as_secs(),
                    corpus.stats.files,
                    corpus.stats.calls.values().sum::<usize>(),
                    corpus.failures.len()
                );
            }
        }
    }
    let elapsed = limits.start.elapsed();
    corpus.stats.print(elapsed, files.len());
    corpus.report();
}

/// The caps from the environment.
struct Limits {
    start: Instant,
    seconds: Option<u64>,
    files: Option<usize>,
}

impl Limits {
    fn from_env() -> Self {
        let number = |name: &str| -> Option<u64> {
            let value = std::env::var(name).ok()?;
            Some(
                value
                    .trim()
                    .parse()
                    .unwrap_or_else(|_| panic!("{name}={value:?} is not a number")),
            )
        };
        Self {
            start: Instant::now(),
            seconds: match number("COSCHED_CORPUS_SECONDS") {
                None => Some(120),
                Some(0) => None,
                Some(seconds) => Some(seconds),
            },
            files: number("COSCHED_CORPUS_FILES")
                .map(|files| usize::try_from(files).unwrap_or(usize::MAX)),
        }
    }

    fn deadline(&self) -> Option<Instant> {
        self.seconds
            .map(|seconds| self.start + Duration::from_secs(seconds))
    }
}

/// `$COSCHED_CORPUS_DIR`, or every `$CARGO_HOME/registry/src/*/`.
fn source_roots() -> Vec<PathBuf> {
    if let Some(dir) = std::env::var_os("COSCHED_CORPUS_DIR") {
        return vec![PathBuf::from(dir)];
    }
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")));
    let Some(cargo_home) = cargo_home else {
        return Vec::new();
    };
    let mut roots: Vec<PathBuf> = std::fs::read_dir(cargo_home.join("registry").join("src"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.is_dir())
        .collect();
    roots.sort();
    roots
}

/// The `.rs` files to read: the newest version of each crate found in the
/// roots, one file of each crate in turn.
fn corpus_files(roots: &[PathBuf]) -> Vec<PathBuf> {
    // Crate name -> (version, directory).
    let mut crates: BTreeMap<String, (Vec<u64>, PathBuf)> = BTreeMap::new();
    for root in roots {
        let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
            .into_iter()
            .flatten()
            .flatten()
            .map(|entry| entry.path())
            .filter(|path| path.is_dir())
            .collect();
        dirs.sort();
        if dirs.is_empty() {
            continue;
        }
        for dir in dirs {
            let dir_name = dir
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
                .unwrap_or_default();
            let (name, version) = split_name_version(&dir_name);
            let newer = crates.get(&name).is_none_or(|(known, _)| version > *known);
            if newer {
                crates.insert(name, (version, dir));
            }
        }
    }
    // A root that is itself one crate (COSCHED_CORPUS_DIR=some/crate/src).
    if crates.is_empty() {
        for root in roots {
            crates.insert(root.display().to_string(), (Vec::new(), root.clone()));
        }
    }
    let per_crate: Vec<Vec<PathBuf>> = crates
        .into_values()
        .map(|(_, dir)| {
            let mut files = Vec::new();
            rust_files(&dir, &mut files);
            files.sort();
            files
        })
        .collect();
    let longest = per_crate.iter().map(Vec::len).max().unwrap_or(0);
    (0..longest)
        .flat_map(|index| per_crate.iter().filter_map(move |files| files.get(index)))
        .cloned()
        .collect()
}

/// `serde-1.0.228` -> (`serde`, [1, 0, 228]); `toml-0.9.12+spec-1.1.0` ->
/// (`toml`, [0, 9, 12]). The name ends at the first `-` before a digit.
fn split_name_version(dir_name: &str) -> (String, Vec<u64>) {
    let bytes = dir_name.as_bytes();
    let split = (1..bytes.len())
        .find(|&i| bytes[i - 1] == b'-' && bytes[i].is_ascii_digit())
        .map_or(dir_name.len(), |i| i - 1);
    let (name, rest) = dir_name.split_at(split);
    let version = rest
        .trim_start_matches('-')
        .split(['+', '-'])
        .next()
        .unwrap_or_default()
        .split('.')
        .map(|part| part.parse().unwrap_or(0))
        .collect();
    (name.to_owned(), version)
}

/// Every `.rs` file under `dir`, not following symbolic links.
fn rust_files(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let Ok(file_type) = entry.file_type() else {
            continue;
        };
        let path = entry.path();
        if file_type.is_dir() {
            rust_files(&path, files);
        } else if file_type.is_file() && path.extension().is_some_and(|ext| ext == "rs") {
            files.push(path);
        }
    }
}

/// Where an input sits, and so what its expansion must parse as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Context {
    /// Items of a module or block.
    Items,
    /// Members of an `impl` block.
    Impl,
    /// Members of a trait.
    Trait,
    /// Members of an `extern` block.
    Foreign,
    /// One expression (`schedule!`).
    Expr,
}

impl Context {
    fn parses(self, tokens: &TokenStream) -> Result<(), syn::Error> {
        match self {
            Self::Items => syn::parse2::<syn::File>(tokens.clone()).map(drop),
            Self::Impl => syn::parse2::<syn::ItemImpl>(quote!(impl X { #tokens })).map(drop),
            Self::Trait => syn::parse2::<syn::ItemTrait>(quote!(trait X { #tokens })).map(drop),
            Self::Foreign => {
                syn::parse2::<syn::ItemForeignMod>(quote!(extern "C" { #tokens })).map(drop)
            }
            Self::Expr => syn::parse2::<syn::Expr>(tokens.clone()).map(drop),
        }
    }
}

/// The macro a call went to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Macro {
    Task,
    Main,
    Test,
    Schedule,
}

/// An input that made a macro misbehave.
struct Failure {
    file: PathBuf,
    mac: Macro,
    args: String,
    input: String,
    problem: String,
}

#[derive(Default)]
struct Stats {
    files: usize,
    unreadable: usize,
    unparsable: usize,
    /// Files left half-done when time ran out.
    partial: usize,
    items: usize,
    fn_items: usize,
    exprs: usize,
    calls: BTreeMap<Macro, usize>,
    expanded: usize,
    errors: usize,
    /// Inputs that do not even parse back in their own context (syn prints
    /// a few trees it cannot read again); their outputs are not checked.
    unchecked: usize,
    stopped_early: bool,
}

impl Stats {
    fn print(&self, elapsed: Duration, available: usize) {
        let calls: usize = self.calls.values().sum();
        println!(
            "corpus: {} of {available} files in {:.1} s{} ({} unreadable, {} unparsable by syn, {} cut short)",
            self.files,
            elapsed.as_secs_f64(),
            if self.stopped_early {
                ", stopped at the cap"
            } else {
                ""
            },
            self.unreadable,
            self.unparsable,
            self.partial,
        );
        println!(
            "corpus: {} items ({} fns), {} expressions/statements/macro bodies",
            self.items, self.fn_items, self.exprs
        );
        println!(
            "corpus: {calls} calls: {} #[task], {} #[main], {} #[test], {} schedule!; \
             {} expanded, {} gave errors, {} inputs not re-parsable by syn (output unchecked)",
            self.calls.get(&Macro::Task).copied().unwrap_or(0),
            self.calls.get(&Macro::Main).copied().unwrap_or(0),
            self.calls.get(&Macro::Test).copied().unwrap_or(0),
            self.calls.get(&Macro::Schedule).copied().unwrap_or(0),
            self.expanded,
            self.errors,
            self.unchecked,
        );
    }
}

struct Corpus {
    deadline: Option<Instant>,
    stats: Stats,
    failures: Vec<Failure>,
    /// The file being read.
    file: PathBuf,
}

impl Corpus {
    fn new(deadline: Option<Instant>) -> Self {
        Self {
            deadline,
            stats: Stats::default(),
            failures: Vec::new(),
            file: PathBuf::new(),
        }
    }

    fn out_of_time(&self) -> bool {
        self.deadline
            .is_some_and(|deadline| Instant::now() >= deadline)
    }

    fn file(&mut self, path: &Path) {
        self.stats.files += 1;
        self.file = path.to_owned();
        let Ok(source) = std::fs::read_to_string(path) else {
            self.stats.unreadable += 1;
            return;
        };
        match syn::parse_file(&source) {
            Ok(file) => {
                let mut collector = Collector::default();
                collector.visit_file(&file);
                if !self.inputs(&collector) {
                    self.stats.partial += 1;
                }
            }
            Err(_) => self.stats.unparsable += 1,
        }
        // Nothing of this file's is kept: let its source text go (with
        // `span-locations`, proc-macro2 keeps every parsed file otherwise).
        proc_macro2::extra::invalidate_current_thread_spans();
    }

    /// Feeds everything `collector` found; false if time ran out first.
    fn inputs(&mut self, found: &Collector<'_>) -> bool {
        let samples = found.samples();
        // Garbage options, from the file itself.
        let garbage = samples.first().cloned().unwrap_or_else(|| quote!(= ,));
        let arg_lists = [
            TokenStream::new(),
            quote!(name = "x"),
            quote!(local),
            quote!(limit = 2),
            quote!(name = "n", local, limit = 1, crate = ::c),
            quote!(= , name local = limit),
            garbage,
        ];
        for (tokens, context) in &found.items {
            if self.out_of_time() {
                return false;
            }
            self.stats.items += 1;
            for args in &arg_lists {
                self.attribute(Macro::Task, args, tokens, *context);
            }
            self.schedule(tokens);
        }
        for tokens in &found.fns {
            if self.out_of_time() {
                return false;
            }
            self.stats.fn_items += 1;
            self.attribute(Macro::Task, &TokenStream::new(), tokens, Context::Items);
            self.attribute(Macro::Task, &quote!(local), tokens, Context::Items);
            self.attribute(Macro::Main, &TokenStream::new(), tokens, Context::Items);
            self.attribute(Macro::Test, &TokenStream::new(), tokens, Context::Items);
            self.attribute(Macro::Test, &quote!(crate = c), tokens, Context::Items);
        }
        for (index, sample) in samples.iter().enumerate() {
            if self.out_of_time() {
                return false;
            }
            self.stats.exprs += 1;
            // Other samples of the same file, as times, names and loops.
            let other = &samples[(index + 1) % samples.len()];
            let third = &samples[(index + 2) % samples.len()];
            self.schedule(sample);
            self.schedule(&quote!(create_task #sample));
            self.schedule(&quote!(ensure_future #sample));
            self.schedule(&quote!(after #other => #sample));
            self.schedule(&quote!(at (#other) => #sample, on = #third));
            self.schedule(&quote!(every #other => #sample, name = #third));
            self.schedule(&quote!(#sample, name = #other, on = &#third, crate = c));
        }
        true
    }

    fn attribute(&mut self, mac: Macro, args: &TokenStream, item: &TokenStream, context: Context) {
        let function = match mac {
            Macro::Task => crate::task::task,
            Macro::Main => crate::entry::main,
            Macro::Test => crate::entry::test,
            Macro::Schedule => unreachable!("schedule! is not an attribute"),
        };
        let output = self.call(mac, args, item, || function(args.clone(), item.clone()));
        if let Some(output) = output {
            self.check(mac, args, item, &output, context);
        }
    }

    fn schedule(&mut self, input: &TokenStream) {
        let none = TokenStream::new();
        let output = self.call(Macro::Schedule, &none, input, || {
            crate::schedule::schedule(input.clone())
        });
        if let Some(output) = output {
            self.check(Macro::Schedule, &none, input, &output, Context::Expr);
        }
    }

    /// Runs one expansion, catching a panic.
    fn call(
        &mut self,
        mac: Macro,
        args: &TokenStream,
        input: &TokenStream,
        expand: impl FnOnce() -> TokenStream,
    ) -> Option<TokenStream> {
        *self.stats.calls.entry(mac).or_default() += 1;
        LAST_PANIC.with(|last| last.borrow_mut().take());
        match panic::catch_unwind(AssertUnwindSafe(expand)) {
            Ok(output) => Some(output),
            Err(payload) => {
                let message = LAST_PANIC
                    .with(|last| last.borrow_mut().take())
                    .unwrap_or_else(|| payload_message(payload.as_ref()));
                self.fail(mac, args, input, format!("panicked: {message}"));
                None
            }
        }
    }

    /// The output must be tokens rustc can read where the input was.
    fn check(
        &mut self,
        mac: Macro,
        args: &TokenStream,
        input: &TokenStream,
        output: &TokenStream,
        context: Context,
    ) {
        let printed = output.to_string();
        if let Err(error) = printed.parse::<TokenStream>() {
            self.fail(
                mac,
                args,
                input,
                format!("output does not tokenize again: {error}\noutput: {printed}"),
            );
            return;
        }
        let messages = error_messages(output);
        if messages.is_empty() {
            self.stats.expanded += 1;
        } else {
            self.stats.errors += 1;
        }
        for message in &messages {
            let lines: Vec<&str> = message.lines().collect();
            let conventional =
                lines.len() == 2 && !lines[0].is_empty() && lines[1].starts_with("help: ");
            if !conventional {
                self.fail(
                    mac,
                    args,
                    input,
                    format!("error without its one `help:` line: {message:?}"),
                );
            }
        }
        if let Err(error) = context.parses(output) {
            if context.parses(input).is_ok() {
                self.fail(
                    mac,
                    args,
                    input,
                    format!(
                        "output is not valid {context:?} syntax: {error}\noutput: {}",
                        quoted(&printed)
                    ),
                );
            } else {
                self.stats.unchecked += 1;
            }
        }
    }

    fn fail(&mut self, mac: Macro, args: &TokenStream, input: &TokenStream, problem: String) {
        self.failures.push(Failure {
            file: self.file.clone(),
            mac,
            args: args.to_string(),
            input: quoted(&input.to_string()),
            problem,
        });
    }

    /// Prints the failures, grouped by what went wrong, and fails the test
    /// if there is any.
    fn report(&self) {
        if self.failures.is_empty() {
            println!("corpus: no panic, every output valid");
            return;
        }
        let mut groups: BTreeMap<(Macro, String), Vec<&Failure>> = BTreeMap::new();
        for failure in &self.failures {
            let first_line = failure.problem.lines().next().unwrap_or_default();
            let key = skeleton(first_line);
            groups.entry((failure.mac, key)).or_default().push(failure);
        }
        let mut report = String::new();
        for ((mac, key), failures) in &groups {
            let first = failures[0];
            let _ = writeln!(
                report,
                "\n{} failure(s) of {mac:?}: {key}\n  first in {}\n  args: {}\n  input: {}\n  {}",
                failures.len(),
                first.file.display(),
                first.args,
                first.input,
                first.problem.replace('\n', "\n  "),
            );
        }
        panic!(
            "{} failing calls in {} groups:{report}",
            self.failures.len(),
            groups.len()
        );
    }
}

/// What one file offers: items with their context, `fn`s as free
/// functions, and the expressions, statements and macro bodies of its code.
#[derive(Default)]
struct Collector<'ast> {
    items: Vec<(TokenStream, Context)>,
    fns: Vec<TokenStream>,
    exprs: Vec<&'ast syn::Expr>,
    stmts: Vec<&'ast syn::Stmt>,
    macros: Vec<&'ast syn::Macro>,
}

impl Collector<'_> {
    /// Up to `SAMPLES_PER_FILE` expressions, statements and macro bodies,
    /// spread evenly over the file.
    fn samples(&self) -> Vec<TokenStream> {
        let all = self.exprs.len() + self.stmts.len() + self.macros.len();
        if all == 0 {
            return Vec::new();
        }
        let step = all.div_ceil(SAMPLES_PER_FILE).max(1);
        (0..all)
            .step_by(step)
            .map(|index| {
                if index < self.exprs.len() {
                    self.exprs[index].to_token_stream()
                } else if index < self.exprs.len() + self.stmts.len() {
                    self.stmts[index - self.exprs.len()].to_token_stream()
                } else {
                    self.macros[index - self.exprs.len() - self.stmts.len()]
                        .tokens
                        .clone()
                }
            })
            .collect()
    }
}

impl<'ast> Visit<'ast> for Collector<'ast> {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        self.items.push((item.to_token_stream(), Context::Items));
        if let syn::Item::Fn(function) = item {
            self.fns.push(function.to_token_stream());
        }
        visit::visit_item(self, item);
    }

    fn visit_impl_item(&mut self, item: &'ast syn::ImplItem) {
        self.items.push((item.to_token_stream(), Context::Impl));
        if let syn::ImplItem::Fn(method) = item {
            // As a free function, without `default`.
            let syn::ImplItemFn {
                attrs,
                vis,
                sig,
                block,
                ..
            } = method;
            self.fns.push(quote!(#(#attrs)* #vis #sig #block));
        }
        visit::visit_impl_item(self, item);
    }

    fn visit_trait_item(&mut self, item: &'ast syn::TraitItem) {
        self.items.push((item.to_token_stream(), Context::Trait));
        if let syn::TraitItem::Fn(syn::TraitItemFn {
            attrs,
            sig,
            default: Some(block),
            ..
        }) = item
        {
            self.fns.push(quote!(#(#attrs)* #sig #block));
        }
        visit::visit_trait_item(self, item);
    }

    fn visit_foreign_item(&mut self, item: &'ast syn::ForeignItem) {
        self.items.push((item.to_token_stream(), Context::Foreign));
        visit::visit_foreign_item(self, item);
    }

    fn visit_expr(&mut self, expr: &'ast syn::Expr) {
        self.exprs.push(expr);
        visit::visit_expr(self, expr);
    }

    fn visit_stmt(&mut self, stmt: &'ast syn::Stmt) {
        self.stmts.push(stmt);
        visit::visit_stmt(self, stmt);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        self.macros.push(mac);
        visit::visit_macro(self, mac);
    }
}

/// `line` with what it quotes (between backquotes) and its numbers
/// blanked, to group failures by kind.
fn skeleton(line: &str) -> String {
    let mut skeleton = String::new();
    let mut quoting = false;
    for c in line.chars() {
        match c {
            '`' => {
                quoting = !quoting;
                if quoting {
                    skeleton.push_str("`…`");
                }
            }
            _ if quoting => {}
            '0'..='9' => skeleton.push('#'),
            _ => skeleton.push(c),
        }
    }
    skeleton
}

fn quoted(text: &str) -> String {
    if text.chars().count() <= QUOTE_LIMIT {
        return text.to_owned();
    }
    let cut: String = text.chars().take(QUOTE_LIMIT).collect();
    format!("{cut} …({} characters)", text.chars().count())
}

fn payload_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(message) = payload.downcast_ref::<&'static str>() {
        (*message).to_owned()
    } else if let Some(message) = payload.downcast_ref::<String>() {
        message.clone()
    } else {
        "Box<dyn Any>".to_owned()
    }
}

thread_local! {
    /// The last panic on this thread, message and location, as the quiet
    /// hook recorded it.
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

type Hook = Box<dyn Fn(&PanicHookInfo<'_>) + Sync + Send + 'static>;

/// While alive, panics on the corpus thread are recorded for the report
/// instead of printed; other threads' go to the previous hook.
struct QuietPanics {
    previous: Arc<Hook>,
}

impl QuietPanics {
    fn install() -> Self {
        let previous: Arc<Hook> = Arc::new(panic::take_hook());
        let fallback = Arc::clone(&previous);
        let corpus_thread = std::thread::current().id();
        panic::set_hook(Box::new(move |info| {
            if std::thread::current().id() == corpus_thread {
                LAST_PANIC.with(|last| *last.borrow_mut() = Some(info.to_string()));
            } else {
                fallback(info);
            }
        }));
        Self { previous }
    }
}

impl Drop for QuietPanics {
    fn drop(&mut self) {
        let previous = Arc::clone(&self.previous);
        panic::set_hook(Box::new(move |info| previous(info)));
    }
}

#[test]
fn crate_directories_split_into_name_and_version() {
    assert_eq!(
        split_name_version("serde-1.0.228"),
        ("serde".to_owned(), vec![1, 0, 228])
    );
    assert_eq!(
        split_name_version("toml-0.9.12+spec-1.1.0"),
        ("toml".to_owned(), vec![0, 9, 12])
    );
    assert_eq!(
        split_name_version("winapi-i686-pc-windows-gnu-0.4.0"),
        ("winapi-i686-pc-windows-gnu".to_owned(), vec![0, 4, 0])
    );
    assert_eq!(
        split_name_version("aws-lc-sys-0.40.0"),
        ("aws-lc-sys".to_owned(), vec![0, 40, 0])
    );
    assert_eq!(split_name_version("plain"), ("plain".to_owned(), vec![0]));
    assert!(split_name_version("syn-2.0.119").1 > split_name_version("syn-2.0.117").1);
    assert!(split_name_version("syn-3.0.10").1 > split_name_version("syn-2.0.119").1);
}

#[test]
fn error_messages_are_found_at_the_top_level_only() {
    let error =
        syn::Error::new(proc_macro2::Span::call_site(), "bad\nhelp: fix").into_compile_error();
    assert_eq!(error_messages(&error), ["bad\nhelp: fix"]);
    assert_eq!(error_messages(&quote!({ #error; #error })).len(), 2);
    assert_eq!(
        error_messages(&quote!(
            fn f() {
                ::core::compile_error!("user's")
            }
        )),
        Vec::<String>::new()
    );
}

#[test]
fn contexts_accept_their_members() {
    assert!(
        Context::Items
            .parses(&quote!(
                fn f() {}
                struct S;
            ))
            .is_ok()
    );
    assert!(
        Context::Impl
            .parses(&quote!(
                fn f(&self) {}
                type T = u8;
            ))
            .is_ok()
    );
    assert!(
        Context::Trait
            .parses(&quote!(
                fn f(&self);
                type T;
            ))
            .is_ok()
    );
    assert!(
        Context::Foreign
            .parses(&quote!(
                fn f(x: u8);
                static X: u8;
            ))
            .is_ok()
    );
    assert!(Context::Expr.parses(&quote!(a + b)).is_ok());
    assert!(Context::Expr.parses(&quote!(a + b; c)).is_err());
}

#[test]
fn failures_group_by_their_skeleton() {
    assert_eq!(
        skeleton("expected `=>` after the delay of `after`, found `x` at 12"),
        "expected `…` after the delay of `…`, found `…` at ##"
    );
}

/// Found by the corpus: messages quoting a literal that spans lines (a
/// multi-line string, a block doc comment) had more than two lines, and
/// the `help:` line was no longer the second.
#[test]
fn quoted_multi_line_literals_keep_messages_on_two_lines() {
    use super::{compile_errors, tokens};
    let multi_line = "r#\"\n    #![feature(x)]\n\"#";
    let outputs = [
        crate::task::task(tokens(multi_line), tokens("async fn f() {}")),
        crate::task::task(
            tokens("name = \"a\\\n   b\" local"),
            tokens("async fn f() {}"),
        ),
        crate::task::task(
            tokens("crate = \"my::\ncosched\""),
            tokens("async fn f() {}"),
        ),
        crate::entry::main(tokens("crate = \"a\r\nb\""), tokens("async fn main() {}")),
        crate::schedule::schedule(tokens(&format!("x; {multi_line}"))),
        crate::schedule::schedule(tokens("x, name = \"\n\" \"\n\"")),
    ];
    for output in outputs {
        let messages = compile_errors(&output);
        assert!(!messages.is_empty(), "{output}");
        for message in messages {
            let lines: Vec<&str> = message.lines().collect();
            assert_eq!(lines.len(), 2, "{message:?}");
            assert!(lines[1].starts_with("help: "), "{message:?}");
        }
    }
    assert_eq!(
        crate::errors::tokens_to_string(&tokens("f(\"a\nb\", r\"c\r\nd\")")),
        "f(\"a\\nb\", r\"c\\nd\")"
    );
}
