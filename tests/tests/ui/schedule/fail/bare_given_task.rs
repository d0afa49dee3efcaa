// The bare form is `create_task`: given a `Task`, the same error as `create_task`.
#[cosched::task]
async fn job() -> u8 {
    1
}

fn main() {
    cosched::run(async {
        let task = job().spawn();
        let _again = cosched::schedule!(task);
    });
}
