// A misspelt day name in a list: the item at fault is named.

#[cosched::task]
async fn job() {}

fn main() {
    cosched::run(async {
        let _task = cosched::schedule!(cron "0 30 9 * * MON-FRY" => job(), tz = "Europe/Berlin");
    });
}
