// Input:
// schedule!(every period => tick(), missed = sometimes, times = 0, tims = 3);
//
// Expansion:

fn expansion() {
    {
        ::core::compile_error! {
            "expected `skip`, `delay` or `burst` for `missed`, found `sometimes`\nhelp: write `missed = skip`, `missed = delay` or `missed = burst`"
        };
        ::core::compile_error! {
            "`times` must be at least 1\nhelp: write `times = 3`, or remove `times` to run until cancelled"
        };
        ::core::compile_error! {
            "unknown option `tims` in `schedule!(every ..)`\nhelp: did you mean `times`? valid options are `name = \"worker\"`, `on = event_loop`, `eager`, `missed = delay`, `jitter = Duration::from_millis(100)`, `times = 3`, `first = after_period` or `crate = my::reexport::cosched`"
        }
    };
}
