// A time zone name the database does not have: an error at it, with the nearest name.

#[cosched::task]
async fn job() {}

fn main() {
    cosched::run(async {
        let _task = cosched::schedule!(cron "0 0 9 * * *" => job(), tz = "Europe/Berln");
    });
}
