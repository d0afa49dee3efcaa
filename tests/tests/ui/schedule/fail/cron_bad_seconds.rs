// A second past 59: an error at the string naming the field, the value and the range.

#[cosched::task]
async fn job() {}

fn main() {
    cosched::run(async {
        let _task = cosched::schedule!(cron "61 * * * * *" => job());
    });
}
