// Input:
// schedule!(create_tsk fetch(url), nmae = "x");
//
// Expansion:

fn expansion() {
    {
        ::core::compile_error! {
            "unknown `schedule!` mode `create_tsk`\nhelp: did you mean `create_task`? modes are `create_task EXPR`, `ensure_future EXPR`, `after DURATION => EXPR`, `at INSTANT => EXPR`, `every PERIOD => EXPR` and `cron \"SEC MIN HOUR DAY MONTH WEEKDAY\" => EXPR`; or write just `EXPR`"
        };
        ::core::compile_error! {
            "unknown option `nmae` in `schedule!`\nhelp: did you mean `name`? valid options are `name = \"worker\"`, `on = event_loop`, `eager`, `missed = delay`, `jitter = Duration::from_millis(100)`, `times = 3`, `first = after_period` or `crate = my::reexport::cosched`"
        }
    };
}
