// Input:
// schedule!(cron "0 0 9 * * SUNDAY" => tick(), tz = "Europe/Berln");
//
// Expansion:

fn expansion() {
    {
        ::core::compile_error! {
            "`SUNDAY` is not a valid day of week in the cron expression, which takes 0-7 or SUN-SAT (0 and 7 are Sunday)\nhelp: besides 0-7 or SUN-SAT (0 and 7 are Sunday), the day of week field takes `*`, lists, ranges, steps, `FRI#2` (the 2nd Friday), `FRI#L` (the last): `0 30 9 * * MON-FRI` runs at 09:30 on weekdays"
        };
        ::core::compile_error! {
            "unknown time zone `Europe/Berln`\nhelp: did you mean `Europe/Berlin`? write an IANA time zone name, such as `\"Europe/Berlin\"` or `\"America/New_York\"`; without `tz`, the schedule is in UTC"
        }
    };
}
