// The expression must be a literal, to be checked at compile time; the help names the run-time way.

#[cosched::task]
async fn job() {}

fn main() {
    cosched::run(async {
        let expr = "0 0 9 * * *";
        let _task = cosched::schedule!(cron expr => job());
    });
}
