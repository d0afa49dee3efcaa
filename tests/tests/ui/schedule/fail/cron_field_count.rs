// crontab's five fields: cosched's cron has a seconds field first, and the help shows the fix.

#[cosched::task]
async fn job() {}

fn main() {
    cosched::run(async {
        let _task = cosched::schedule!(cron "*/5 * * * *" => job());
    });
}
