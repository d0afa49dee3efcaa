// Input:
// schedule!(cron "0 30 9 * * MON-FRI" => report(stats.clone()), tz = "Europe/Berlin", times = 5, name = "standup");
//
// Expansion:

fn expansion() {
    ::cosched::Builder::new()
        .name("standup")
        .create_task(
            ::cosched::__private::cron("0 30 9 * * MON-FRI", "Europe/Berlin")
                .times(5, move || report(stats.clone())),
        );
}
