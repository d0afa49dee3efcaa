// A misspelt mode, `create_tsk`: the error is at the word and suggests `create_task`.
#[cosched::task]
async fn job() {}

fn main() {
    cosched::run(async {
        let _task = cosched::schedule!(create_tsk job());
    });
}
