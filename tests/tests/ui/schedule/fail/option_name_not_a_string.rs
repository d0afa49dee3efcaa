// `name = 5`: a task name is a string (`&'static str` or `String`).
#[cosched::task]
async fn job() {}

fn main() {
    cosched::run(async {
        let _task = cosched::schedule!(job(), name = 5);
    });
}
