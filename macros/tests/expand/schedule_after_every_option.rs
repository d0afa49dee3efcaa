// Input:
// schedule!(after delay => tick(), times = 3);
//
// Expansion:

fn expansion() {
    ::core::compile_error! {
        "option `times` is not allowed in `schedule!(after ..)`\nhelp: remove it; `times` is an option of `schedule!(every ..)` and `schedule!(cron ..)`"
    };
}
