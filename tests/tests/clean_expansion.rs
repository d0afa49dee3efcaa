//! Every macro form, expanded in a crate that denies warnings: the
//! expansions trigger no rustc lint, and CI's `cargo clippy --workspace
//! --all-targets -- -D warnings` (with the workspace lints, `clippy::pedantic`
//! included) checks that they trigger no clippy lint either. The
//! `#[no_implicit_prelude]` module proves that every path in the expansions
//! is absolute. A few `#[test]`s run the forms, so that this file is not
//! only a compile check.
#![deny(warnings)]

use std::fmt::Display;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use cosched::{EventLoop, schedule};

/// Where the `crate = path` options find cosched.
mod reexport {
    pub(crate) use ::cosched as rt;
}

/// A public task that nothing spawns: neither it nor its expansion warns.
#[cosched::task]
pub async fn never_spawned(period: Duration) {
    cosched::sleep(period).await;
}

#[cosched::task]
async fn plain() {}

#[cosched::task]
async fn double(n: u32) -> u32 {
    cosched::yield_now().await;
    n * 2
}

/// Docs, attributes, every option, in any order.
#[cosched::task(limit = 2, crate = reexport::rt, local, name = "everything")]
#[inline]
async fn everything(n: u32) -> u32 {
    let shared = Rc::new(n);
    cosched::yield_now().await;
    *shared + 1
}

#[cosched::task(name = "named")]
async fn named() -> &'static str {
    "named"
}

#[cosched::task(local)]
async fn local(value: Rc<u32>) -> u32 {
    cosched::yield_now().await;
    *value
}

#[cosched::task(limit = 1)]
async fn limited(n: u32) -> u32 {
    n
}

const JOBS: usize = 2;

/// `limit` as a constant expression, braces included (`unused_braces`
/// would see them in a `const` item's value).
#[cosched::task(limit = { 2 * JOBS })]
async fn limited_by_a_constant(n: u32) -> u32 {
    n
}

#[cosched::task(crate = crate::reexport::rt)]
async fn via_reexport() -> u8 {
    1
}

/// Generics: bounds, an unbounded parameter (with `local`), `where`
/// clauses, const generics and `impl Trait` arguments.
#[cosched::task]
async fn generic<T: Display + Send, I, const N: usize>(
    value: T,
    items: [I; N],
    measure: impl Fn(&str) -> usize + Send,
) -> usize
where
    I: Into<u64> + Copy + Send,
{
    let total: u64 = items.iter().map(|item| (*item).into()).sum();
    measure(&value.to_string()) + usize::try_from(total).unwrap_or(usize::MAX)
}

#[cosched::task(local)]
async fn unbounded<T>(value: T) -> Vec<T> {
    vec![value]
}

/// Patterns, `mut`, an unused guard, attributes on arguments and `cfg`.
#[cosched::task]
async fn patterns(
    (a, b): (u32, u32),
    mut total: u32,
    _guard: Arc<()>,
    _: String,
    #[cfg(any())] never: u32,
    #[allow(unused_variables)] unused: u8,
) -> u32 {
    total += a + b;
    total
}

#[cosched::task]
async fn fallible(text: String) -> Result<u32, std::num::ParseIntError> {
    let n: u32 = text.parse()?;
    Ok(n)
}

#[cosched::task]
async fn forever() -> ! {
    loop {
        cosched::sleep(Duration::from_secs(3600)).await;
    }
}

#[cosched::task]
async fn tick(counter: Arc<AtomicUsize>) {
    counter.fetch_add(1, Ordering::SeqCst);
}

/// Methods: `self: Arc<Self>` with options, a receiver the body never
/// uses, `mut self`, `Rc<Self>` with `local`, `Box<Self>` in a generic
/// `impl`.
struct Service {
    calls: AtomicUsize,
}

impl Service {
    #[cosched::task(limit = 2, name = "service")]
    pub(crate) async fn serve(self: Arc<Self>, request: String) -> usize {
        self.calls.fetch_add(1, Ordering::SeqCst);
        cosched::yield_now().await;
        request.len()
    }

    #[cosched::task(limit = JOBS)]
    async fn idle(self: Arc<Self>) {
        cosched::yield_now().await;
    }

    #[cosched::task]
    async fn into_calls(mut self, more: usize) -> usize {
        *self.calls.get_mut() += more;
        self.calls.into_inner()
    }

    #[cosched::task(local)]
    async fn local(self: Rc<Self>, #[allow(unused_variables)] unused: u8) -> usize {
        cosched::yield_now().await;
        Rc::strong_count(&self)
    }
}

struct Wrapper<T>(T);

impl<T: Clone + Send + Sync + 'static> Wrapper<T> {
    #[cosched::task]
    async fn get(self: Box<Self>) -> T {
        self.0.clone()
    }

    #[rustfmt::skip]
    #[cosched::task]
    async fn one(self) -> u32 { 1 }
}

/// Every `schedule!` form and option.
async fn every_schedule_form(event_loop: &EventLoop) -> Vec<u32> {
    let ticks = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&ticks);
    let tasks = vec![
        schedule!(double(1)),
        schedule!(create_task double(2)),
        schedule!(ensure_future double(3)),
        schedule!(ensure_future schedule!(double(4))),
        schedule!(after Duration::from_millis(1) => double(5)),
        schedule!(after (Duration::ZERO) => double(6)),
        schedule!(at Instant::now() => double(7)),
        schedule!(double(8), name = "eight"),
        schedule!(double(9), on = event_loop),
        schedule!(double(10), on = event_loop, name = format!("ten")),
        schedule!(create_task double(11), name = "eleven", on = event_loop,),
        schedule!(async { 24 }, crate = reexport::rt),
    ];
    let ticker =
        schedule!(every Duration::from_millis(1) => tick(Arc::clone(&counter)), name = "ticker");
    while ticks.load(Ordering::SeqCst) < 2 {
        cosched::sleep(Duration::from_millis(1)).await;
    }
    ticker.cancel();
    cosched::gather(tasks)
        .await
        .into_iter()
        .map(|result| result.expect("runs"))
        .collect()
}

/// Paths in the expansions are absolute: nothing here is in scope but
/// what is written.
#[no_implicit_prelude]
mod no_prelude {
    #[::cosched::task(name = "isolated", limit = 3)]
    pub(crate) async fn isolated(
        (a, b): (u32, u32),
        c: impl ::core::convert::Into<u32> + ::core::marker::Send,
    ) -> ::std::string::String {
        ::std::format!("{}", a + b + c.into())
    }

    #[::cosched::task(local)]
    pub(crate) async fn isolated_local<T>(value: T) -> ::std::vec::Vec<T> {
        ::std::vec![value]
    }

    const CORES: usize = 2;

    #[::cosched::task(limit = CORES + 1)]
    pub(crate) async fn isolated_limited() -> usize {
        CORES
    }

    pub(crate) struct Isolated;

    impl Isolated {
        #[::cosched::task(limit = 1, name = "isolated-method")]
        pub(crate) async fn method(self: ::std::sync::Arc<Self>, n: usize) -> usize {
            n
        }
    }

    pub(crate) async fn schedule_everything(event_loop: &::cosched::EventLoop) -> usize {
        let delay = ::std::time::Duration::ZERO;
        let tasks = [
            ::cosched::schedule!(isolated((1, 2), 3_u32)),
            ::cosched::schedule!(create_task isolated((1, 2), 3_u32)),
            ::cosched::schedule!(ensure_future isolated((1, 2), 3_u32)),
            ::cosched::schedule!(after delay => isolated((1, 2), 3_u32)),
            ::cosched::schedule!(at ::std::time::Instant::now() => isolated((1, 2), 3_u32)),
            ::cosched::schedule!(isolated((1, 2), 3_u32), name = "n", on = event_loop),
            ::cosched::schedule!(isolated((1, 2), 3_u32), on = event_loop),
        ];
        let ticker = ::cosched::schedule!(every delay => isolated_local(1_u8));
        ticker.cancel();
        let period = ::std::time::Duration::from_millis(1);
        let twice = ::cosched::schedule!(every period => isolated((1, 2), 3_u32),
            missed = burst, jitter = period, times = 2, first = after_period);
        let mut done = 0;
        if twice.await.as_deref() == ::core::result::Result::Ok("6") {
            done += 1;
        }
        for task in tasks {
            if task.await.as_deref() == ::core::result::Result::Ok("6") {
                done += 1;
            }
        }
        if isolated_limited().await == CORES {
            done += 1;
        }
        if ::std::sync::Arc::new(Isolated).method(1).spawn().await == ::core::result::Result::Ok(1)
        {
            done += 1;
        }
        done
    }
}

#[test]
fn every_task_form_runs() {
    cosched::run(async {
        assert_eq!(schedule!(plain()).await, Ok(()));
        let task = everything(1).spawn();
        assert!(task.name().starts_with("everything-"));
        assert_eq!(task.await, Ok(2));
        assert!(named().spawn().name().starts_with("named-"));
        assert_eq!(local(Rc::new(3)).spawn().await, Ok(3));
        assert_eq!(limited(4).spawn().await, Ok(4));
        assert_eq!(limited_by_a_constant(5).meta().max_running(), Some(4));
        assert_eq!(limited_by_a_constant(5).spawn().await, Ok(5));
        assert_eq!(via_reexport().await, 1);
        assert_eq!(generic("abc", [1_u8, 2], str::len).spawn().await, Ok(6));
        assert_eq!(unbounded(Rc::new(5)).await.len(), 1);
        assert_eq!(
            patterns((1, 2), 3, Arc::new(()), String::new(), 0)
                .spawn()
                .await,
            Ok(6)
        );
        assert_eq!(fallible("7".to_owned()).await, Ok(7));
        let task = forever().spawn();
        assert!(task.cancel());
        assert!(task.await.unwrap_err().is_cancelled());
    });
}

#[test]
fn every_method_form_runs() {
    cosched::run(async {
        let service = Arc::new(Service {
            calls: AtomicUsize::new(0),
        });
        let task = service.clone().serve("abc".to_owned()).spawn();
        assert!(task.name().starts_with("service-"));
        assert_eq!(task.await, Ok(3));
        assert_eq!(service.clone().idle().spawn().await, Ok(()));
        let owned = Service {
            calls: AtomicUsize::new(1),
        };
        assert_eq!(owned.into_calls(2).spawn().await, Ok(3));
        let shared = Rc::new(Service {
            calls: AtomicUsize::new(0),
        });
        assert_eq!(shared.clone().local(0).await, 2);
        assert_eq!(Box::new(Wrapper("x")).get().spawn().await, Ok("x"));
        assert_eq!(Wrapper(()).one().await, 1);
        assert_eq!(service.calls.load(Ordering::SeqCst), 1);
    });
}

#[test]
fn every_schedule_form_runs() {
    let event_loop = EventLoop::new();
    let results = event_loop.run_until_complete(every_schedule_form(&event_loop));
    assert_eq!(results, [2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24]);
}

#[test]
fn forms_without_the_prelude_run() {
    let event_loop = EventLoop::new();
    let done = event_loop.run_until_complete(no_prelude::schedule_everything(&event_loop));
    assert_eq!(done, 10);
}

#[cosched::test]
async fn a_cosched_test_runs_on_a_loop() {
    assert!(cosched::current_task().is_none());
    assert_eq!(double(21).spawn().await, Ok(42));
}

#[cosched::test(crate = reexport::rt)]
async fn a_cosched_test_returns_a_result() -> Result<(), cosched::TaskError> {
    assert_eq!(cosched::create_task(double(1)).await?, 2);
    Ok(())
}

#[cosched::test]
#[should_panic(expected = "boom")]
async fn a_cosched_test_can_panic() {
    cosched::yield_now().await;
    panic!("boom");
}

/// A body of one expression on one line (what `unused_braces` looks for),
/// with and without arguments moved in; `rustfmt` would spread them out.
#[rustfmt::skip]
#[cosched::task]
async fn one_expression(n: u32) -> u32 { n }

#[rustfmt::skip]
#[cosched::task]
async fn one_string(s: String) -> String { s }

#[rustfmt::skip]
#[cosched::task]
async fn one_unit() -> u32 { 1 }

#[rustfmt::skip]
#[cosched::test]
async fn one_expression_bodies() { assert_eq!(one_expression(2).await + one_unit().await, 3) }

#[test]
fn a_moved_string_comes_back() {
    assert_eq!(cosched::run(one_string("s".to_owned())), "s");
}
