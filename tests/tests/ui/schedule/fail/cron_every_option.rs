// `missed` is `every`'s: after `cron`, an error that says where it belongs.

#[cosched::task]
async fn job() {}

fn main() {
    cosched::run(async {
        let _task = cosched::schedule!(cron "@hourly" => job(), missed = skip);
    });
}
