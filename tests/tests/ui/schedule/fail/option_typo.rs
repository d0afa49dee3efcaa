// A misspelt option, `nmae`: the help suggests `name`.
#[cosched::task]
async fn job() {}

fn main() {
    cosched::run(async {
        let _task = cosched::schedule!(job(), nmae = "worker");
    });
}
