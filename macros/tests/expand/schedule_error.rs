// Input:
// schedule!(create_tsk fetch(url), nmae = "x");
//
// Expansion:

fn expansion() {
    {
        ::core::compile_error! {
            "unknown `schedule!` mode `create_tsk`\nhelp: did you mean `create_task`? modes are `create_task EXPR`, `ensure_future EXPR`, `after DURATION => EXPR`, `at INSTANT => EXPR` and `every PERIOD => EXPR`; or write just `EXPR`"
        };
        ::core::compile_error! {
            "unknown `schedule!` option `nmae`\nhelp: did you mean `name`? options are `name = \"worker\"`, `on = event_loop` and `crate = path`"
        }
    };
}
