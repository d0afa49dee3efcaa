// Input:
// schedule!(cron "0 */5 * * * *" => tick());
//
// Expansion:

fn expansion() {
    ::cosched::create_task(
        ::cosched::__private::cron("0 */5 * * * *", "UTC").forever(move || tick()),
    );
}
