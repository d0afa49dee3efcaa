//! `schedule!` as a whole: what the leading word means, and misuse.

use super::{compile_errors, tokens};
use crate::schedule::schedule;

/// The expansion, as compact text (`::cosched::create_task(x)`).
#[track_caller]
fn expands_to(input: &str) -> String {
    let output = schedule(tokens(input));
    let errors = compile_errors(&output);
    assert!(errors.is_empty(), "`{input}`: {errors:#?}");
    // Compare without whitespace: `a . b ()` is `a.b()`.
    output.to_string().split_whitespace().collect()
}

/// `expected` without whitespace, to compare with [`expands_to`].
fn compact(expected: &str) -> String {
    expected.split_whitespace().collect()
}

fn errors(input: &str) -> Vec<String> {
    let errors = compile_errors(&schedule(tokens(input)));
    for error in &errors {
        let (_, help) = error.split_once('\n').expect("a help line");
        assert!(
            help.starts_with("help: ") && !help.contains('\n'),
            "{error}"
        );
    }
    errors
}

#[test]
fn modes() {
    assert_eq!(
        expands_to("tick()"),
        compact("::cosched::create_task(tick())")
    );
    assert_eq!(
        expands_to("create_task tick()"),
        compact("::cosched::create_task(tick())")
    );
    assert_eq!(
        expands_to("ensure_future fut"),
        compact("::cosched::ensure_future(fut)")
    );
    assert_eq!(
        expands_to("after Duration::from_secs(1) => tick()"),
        compact("::cosched::create_task(::cosched::after(Duration::from_secs(1), tick()))")
    );
    assert_eq!(
        expands_to("at deadline => tick()"),
        compact("::cosched::create_task(::cosched::at(deadline, tick()))")
    );
    assert_eq!(
        expands_to("every period => tick()"),
        compact("::cosched::create_task(::cosched::every(period, move || tick()))")
    );
}

#[test]
fn a_leading_word_is_a_mode_only_before_an_expression() {
    // Followed by an identifier, keyword, literal, lifetime or `#`: a mode.
    assert_eq!(
        expands_to("create_task async { 1 }"),
        compact("::cosched::create_task(async { 1 })")
    );
    assert_eq!(
        expands_to("create_task self.task()"),
        compact("::cosched::create_task(self.task())")
    );
    assert_eq!(
        expands_to("ensure_future 42"),
        compact("::cosched::ensure_future(42)")
    );
    // Followed by `(`, `.`, `::`, `!`, an operator…: part of the expression.
    assert_eq!(
        expands_to("create_task(fetch(url))"),
        "::cosched::create_task(create_task(fetch(url)))"
    );
    assert_eq!(
        expands_to("after(d, tick())"),
        compact("::cosched::create_task(after(d, tick()))")
    );
    assert_eq!(
        expands_to("every.next()"),
        compact("::cosched::create_task(every.next())")
    );
    assert_eq!(
        expands_to("at::task()"),
        compact("::cosched::create_task(at::task())")
    );
    assert_eq!(
        expands_to("at!(x)"),
        compact("::cosched::create_task(at!(x))")
    );
    assert_eq!(
        expands_to("x as Coroutine"),
        compact("::cosched::create_task(x as Coroutine)")
    );
    // … except `after`, `at` and `every` followed by an expression and `=>`.
    assert_eq!(
        expands_to("after (delay * 2) => tick()"),
        compact("::cosched::create_task(::cosched::after(delay * 2, tick()))")
    );
    assert_eq!(
        expands_to("every &period => tick()"),
        compact("::cosched::create_task(::cosched::every(&period, move || tick()))")
    );
    // Keywords and raw identifiers are never modes.
    assert_eq!(
        expands_to("async move { x }"),
        compact("::cosched::create_task(async move { x })")
    );
    assert_eq!(
        expands_to("r#after"),
        compact("::cosched::create_task(r#after)")
    );
    assert_eq!(
        expands_to("r#create_task.clone()"),
        compact("::cosched::create_task(r#create_task.clone())")
    );
}

#[test]
fn options() {
    assert_eq!(
        expands_to("tick(), on = lp"),
        compact("::cosched::EventLoop::create_task(&lp, tick())")
    );
    assert_eq!(
        expands_to("ensure_future tick(), on = self.event_loop()"),
        compact("::cosched::EventLoop::ensure_future(&self.event_loop(), tick())")
    );
    assert_eq!(
        expands_to("tick(), on = *lp"),
        compact("::cosched::EventLoop::create_task(&(*lp), tick())")
    );
    assert_eq!(
        expands_to("tick(), name = \"t\""),
        compact("::cosched::Builder::new().name(\"t\").create_task(tick())")
    );
    assert_eq!(
        expands_to("tick(), on = lp, name = n,"),
        compact("::cosched::Builder::new().name(n).on(&lp).create_task(tick())")
    );
    assert_eq!(
        expands_to("tick(), on = a || b, name = n"),
        compact("::cosched::Builder::new().name(n).on(&(a || b)).create_task(tick())")
    );
    assert_eq!(
        expands_to("tick(), on = &lp"),
        compact("::cosched::EventLoop::create_task(&lp, tick())")
    );
    assert_eq!(
        expands_to("tick(), on = &lp, name = n"),
        compact("::cosched::Builder::new().name(n).on(&lp).create_task(tick())")
    );
    assert_eq!(
        expands_to("tick(), on = &mut lp"),
        compact("::cosched::EventLoop::create_task(&(&mut lp), tick())")
    );
    assert_eq!(
        expands_to("after d => tick(), crate = rt"),
        compact("rt::create_task(rt::after(d, tick()))")
    );
}

#[test]
fn empty_and_missing_expressions() {
    assert_eq!(
        errors(""),
        [
            "`schedule!` needs a coroutine to schedule\nhelp: write `schedule!(my_task(..))`, \
          `schedule!(ensure_future EXPR)` or `schedule!(after Duration::from_secs(1) => \
          my_task(..))`"
        ]
    );
    assert_eq!(
        errors("create_task"),
        [
            "missing the coroutine after `create_task`\nhelp: write `schedule!(create_task \
          my_task(..))`; to schedule a variable named `create_task`, write \
          `schedule!(r#create_task)`"
        ]
    );
    assert_eq!(
        errors("ensure_future, name = \"x\""),
        [
            "missing the coroutine after `ensure_future`\nhelp: write `schedule!(ensure_future \
          my_task(..))`; to schedule a variable named `ensure_future`, write \
          `schedule!(r#ensure_future)`"
        ]
    );
    assert_eq!(
        errors("every"),
        [
            "missing the period and the coroutine after `every`\nhelp: write `schedule!(every \
          Duration::from_secs(1) => my_task(..))`; to schedule a variable named `every`, write \
          `schedule!(r#every)`"
        ]
    );
    assert_eq!(
        errors("after d =>"),
        [
            "missing the coroutine after `=>`\nhelp: write `schedule!(after Duration::from_secs(1) \
          => my_task(..))`"
        ]
    );
}

#[test]
fn missing_arrow() {
    assert_eq!(
        errors("after d tick()"),
        [
            "expected `=>` after the delay of `after`, found `tick`\nhelp: write `schedule!(after \
          Duration::from_secs(1) => my_task(..))`"
        ]
    );
    assert_eq!(
        errors("at deadline, alarm()"),
        [
            "expected `=>` after the instant of `at`, found `,`\nhelp: write `schedule!(at \
          Instant::now() + Duration::from_secs(1) => my_task(..))`"
        ]
    );
    assert_eq!(
        errors("every period"),
        [
            "expected `=>` after the period of `every`\nhelp: write `schedule!(every \
          Duration::from_secs(1) => my_task(..))`"
        ]
    );
}

#[test]
fn unknown_modes_suggest_the_nearest() {
    assert_eq!(
        errors("create_tsk fetch(url)"),
        [
            "unknown `schedule!` mode `create_tsk`\nhelp: did you mean `create_task`? modes are \
          `create_task EXPR`, `ensure_future EXPR`, `after DURATION => EXPR`, `at INSTANT => \
          EXPR`, `every PERIOD => EXPR` and `cron \"SEC MIN HOUR DAY MONTH WEEKDAY\" => EXPR`; \
          or write just `EXPR`"
        ]
    );
    assert!(errors("evrey p => tick()")[0].contains("did you mean `every`?"));
    assert!(
        errors("spawn tick()")[0].starts_with("unknown `schedule!` mode `spawn`\nhelp: modes are")
    );
    // Options are still checked.
    let errors = errors("create_tsk fetch(url), nmae = \"x\"");
    assert_eq!(errors.len(), 2);
    assert!(
        errors[1].starts_with("unknown option `nmae` in `schedule!`\nhelp: did you mean `name`?")
    );
}

#[test]
fn option_misuse() {
    // The same parser and messages as the attributes' (`crate::options`).
    let valid = "valid options are `name = \"worker\"`, `on = event_loop`, `eager` or `crate = \
                 my::reexport::cosched`";
    assert_eq!(
        errors("tick(), nmae = \"t\""),
        [format!(
            "unknown option `nmae` in `schedule!`\nhelp: did you mean `name`? {valid}"
        )]
    );
    assert_eq!(
        errors("tick(), loop = lp"),
        [format!(
            "unknown option `loop` in `schedule!`\nhelp: {valid}"
        )]
    );
    assert_eq!(
        errors("tick(), name = a, name = b"),
        ["duplicate option `name` in `schedule!`\nhelp: give `name` only once; remove this one"]
    );
    assert_eq!(
        errors("tick(), on lp"),
        [
            "expected `=` after option `on` of `schedule!`, found `lp`\nhelp: write `on = event_loop`"
        ]
    );
    assert_eq!(
        errors("tick(), on"),
        ["option `on` of `schedule!` needs a value\nhelp: write `on = event_loop`"]
    );
    assert_eq!(
        errors("tick(), name = , on = lp"),
        ["missing value after `name =` in `schedule!`\nhelp: write `name = \"worker\"`"]
    );
    assert_eq!(
        errors("tick(), name = a b"),
        [
            "expected `,` after option `name` of `schedule!`, found `b`\nhelp: separate options \
             with commas"
        ]
    );
    assert_eq!(
        errors("tick(),, on = lp"),
        [
            "expected an option before `,` in `schedule!`\nhelp: remove the extra comma; options \
             are `name = \"worker\"`, `on = event_loop`, `eager` or `crate = my::reexport::cosched`"
        ]
    );
    assert_eq!(
        errors("tick(), 5 = x"),
        [
            "expected an option name in `schedule!`, found `5 = x`\nhelp: options are `name = \
             \"worker\"`, `on = event_loop`, `eager` or `crate = my::reexport::cosched`"
        ]
    );
    assert_eq!(
        errors("tick(), crate = 5"),
        ["expected a path for `crate`, found `5`\nhelp: write `crate = my::reexport::cosched`"]
    );
    let all = errors("tick(), nmae = 1, on, name = 1, name = 2");
    assert_eq!(all.len(), 3, "{all:#?}");
}

#[test]
fn every_options() {
    assert_eq!(
        expands_to("every p => tick(), missed = burst"),
        compact(
            "::cosched::create_task(::cosched::Every::new(p).missed(::cosched::Missed::Burst)\
             .forever(move || tick()))"
        )
    );
    assert_eq!(
        expands_to(
            "every p => tick(), first = after_period, times = 3, jitter = j, missed = skip, \
             crate = rt"
        ),
        compact(
            "rt::create_task(rt::Every::new(p).missed(rt::Missed::Skip).jitter(j)\
             .first(rt::FirstRun::AfterPeriod).times(3, move || tick()))"
        )
    );
    assert_eq!(
        expands_to("every p => tick(), times = n + 1, first = now, name = \"t\""),
        compact(
            "::cosched::Builder::new().name(\"t\").create_task(::cosched::Every::new(p)\
             .first(::cosched::FirstRun::Now).times(n + 1, move || tick()))"
        )
    );
    // Only after `every`.
    for mode in ["after d =>", "at i =>"] {
        let word = mode.split(' ').next().unwrap_or_default();
        for option in ["missed = skip", "jitter = j", "times = 3", "first = now"] {
            let key = option.split(' ').next().unwrap_or_default();
            let places = if key == "times" {
                "`schedule!(every ..)` and `schedule!(cron ..)`"
            } else {
                "`schedule!(every ..)`"
            };
            assert_eq!(
                errors(&format!("{mode} tick(), {option}")),
                [format!(
                    "option `{key}` is not allowed in `schedule!({word} ..)`\nhelp: remove it; \
                     `{key}` is an option of {places}"
                )]
            );
        }
    }
    assert_eq!(
        errors("tick(), times = 3"),
        [
            "option `times` is not allowed in `schedule!`\nhelp: remove it; `times` is an option \
             of `schedule!(every ..)` and `schedule!(cron ..)`"
        ]
    );
    assert_eq!(
        errors("every p => tick(), times = 0"),
        [
            "`times` must be at least 1\nhelp: write `times = 3`, or remove `times` to run until cancelled"
        ]
    );
    assert_eq!(
        errors("every p => tick(), missed = sometimes"),
        [
            "expected `skip`, `delay` or `burst` for `missed`, found `sometimes`\nhelp: write \
             `missed = skip`, `missed = delay` or `missed = burst`"
        ]
    );
    assert_eq!(
        errors("every p => tick(), first = later"),
        [
            "expected `now` or `after_period` for `first`, found `later`\nhelp: write `first = \
             now` or `first = after_period`"
        ]
    );
    assert_eq!(
        errors("every p => tick(), missed = skip, missed = burst"),
        [
            "duplicate option `missed` in `schedule!(every ..)`\nhelp: give `missed` only once; \
             remove this one"
        ]
    );
}

#[test]
fn trailing_tokens() {
    assert_eq!(
        errors("tick() other()"),
        [
            "unexpected `other()` after the expression\nhelp: options go after a comma: \
          `schedule!(my_task(..), name = \"worker\", on = event_loop)`"
        ]
    );
    assert_eq!(
        errors("every p => tick() => tock()"),
        [
            "unexpected `=> tock()` after the expression\nhelp: options go after a comma: \
          `schedule!(my_task(..), name = \"worker\", on = event_loop)`"
        ]
    );
}

#[test]
fn several_errors_form_one_expression() {
    let output = schedule(tokens("create_tsk x, nmae = 1"));
    assert!(syn::parse2::<syn::Expr>(output).is_ok());
}

#[test]
fn a_block_after_a_mode_word_is_the_expression() {
    assert_eq!(
        expands_to("create_task { job(1) }"),
        compact("::cosched::create_task({ job(1) })")
    );
    assert_eq!(
        expands_to("ensure_future { let n = 1; job(n) }"),
        compact("::cosched::ensure_future({ let n = 1; job(n) })")
    );
    assert_eq!(
        expands_to("every { p } => tick()"),
        compact("::cosched::create_task(::cosched::every({ p }, move || tick()))")
    );
    // Without a mode word, a struct literal is still one.
    assert_eq!(
        expands_to("Job { n: 1 }"),
        compact("::cosched::create_task(Job { n: 1 })")
    );
}

#[test]
fn a_literal_zero_period_is_an_error() {
    let zero = "the period of `every` is zero, which would run back to back forever\nhelp: a \
                period must be positive: `every Duration::from_millis(100) => ..`";
    for period in [
        "Duration::ZERO",
        "std::time::Duration::ZERO",
        "::core::time::Duration::ZERO",
        "(Duration::ZERO)",
        "Duration::from_secs(0)",
        "Duration::from_millis(0)",
        "Duration::from_micros(0u64)",
        "Duration::from_nanos(0_0)",
        "Duration::from_secs_f64(0.0)",
        "Duration::from_secs_f32(0.)",
        "Duration::new(0, 0)",
        "time::Duration::new(0x0, 0)",
    ] {
        assert_eq!(
            errors(&format!("every {period} => tick()")),
            [zero],
            "{period}"
        );
    }
    // Options are still checked.
    assert_eq!(errors("every Duration::ZERO => tick(), nmae = 1").len(), 2);
    // Anything else is for the compiler and the runtime.
    for period in [
        "Duration::from_millis(1)",
        "Duration::new(0, 1)",
        "Duration::from_secs(ZERO)",
        "Duration::from_secs_f64(0.5)",
        "period",
        "ZERO",
        "Other::ZERO",
        "Duration::from_millis(0, 0)",
    ] {
        let _ = expands_to(&format!("every {period} => tick()"));
    }
    // `after` and `at` may be zero: the coroutine starts at once.
    let _ = expands_to("after Duration::ZERO => tick()");
}

#[cfg(feature = "cron")]
#[test]
fn cron_expands_to_a_checked_schedule() {
    assert_eq!(
        expands_to(r#"cron "0 */5 * * * *" => tick()"#),
        compact(
            r#"::cosched::create_task(::cosched::__private::cron("0 */5 * * * *", "UTC")
                .forever(move || tick()))"#
        )
    );
    assert_eq!(
        expands_to(r#"cron "@daily" => report(), tz = "Europe/Berlin", times = 3, name = "daily""#),
        compact(
            r#"::cosched::Builder::new().name("daily").create_task(
                ::cosched::__private::cron("@daily", "Europe/Berlin").times(3, move || report()))"#
        )
    );
    // `cron (..) =>` is the mode too, as `after (d) =>` is.
    assert_eq!(
        expands_to(r#"cron ("* * * * * *") => tick()"#),
        compact(
            r#"::cosched::create_task(::cosched::__private::cron("* * * * * *", "UTC")
                .forever(move || tick()))"#
        )
    );
}

#[cfg(feature = "cron")]
#[test]
fn cron_errors_are_at_the_string_and_name_the_field() {
    assert_eq!(
        errors(r#"cron "61 * * * * *" => tick()"#),
        [
            "`61` is out of range for the second field of the cron expression, which takes 0-59\n\
             help: seconds are 0-59: `30 * * * * *` runs at second 30 of every minute"
        ]
    );
    let [dow] = errors(r#"cron "0 0 9 * * 8" => tick()"#)
        .try_into()
        .unwrap();
    assert!(
        dow.starts_with("`8` is out of range for the day of week field"),
        "{dow}"
    );
    let [count] = errors(r#"cron "0 9 * * *" => tick()"#).try_into().unwrap();
    assert!(count.contains("`0 0 9 * * *`"), "{count}");
    let [tz] = errors(r#"cron "@daily" => tick(), tz = "Europe/Berln""#)
        .try_into()
        .unwrap();
    assert!(
        tz.starts_with("unknown time zone `Europe/Berln`\nhelp: did you mean `Europe/Berlin`?"),
        "{tz}"
    );
    let [literal] = errors("cron expr => tick()").try_into().unwrap();
    assert!(literal.contains("must be a string literal"), "{literal}");
    // Every problem at once: the string, the time zone, an option of `every`.
    let all = errors(r#"cron "* * * * * 9" => tick(), tz = "Nowhere", missed = skip"#);
    assert_eq!(all.len(), 3, "{all:#?}");
    assert!(all[0].starts_with("`9` is out of range"), "{all:#?}");
    assert!(
        all[1].starts_with("option `missed` is not allowed in `schedule!(cron ..)`"),
        "{all:#?}"
    );
    assert!(
        all[2].starts_with("unknown time zone `Nowhere`"),
        "{all:#?}"
    );
}

#[test]
fn cron_without_the_feature_says_to_turn_it_on() {
    let error = crate::schedule::cron::feature_off(proc_macro2::Span::call_site()).to_string();
    assert!(
        error.starts_with("`schedule!(cron ..)` needs the `cron` feature of cosched"),
        "{error}"
    );
    assert!(error.contains("\nhelp: it is on by default;"), "{error}");
}
