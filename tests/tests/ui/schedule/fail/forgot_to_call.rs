// A `#[task]` fn named without calling it: not a coroutine (rustc suggests the call).
#[cosched::task]
async fn job() -> u8 {
    1
}

fn main() {
    cosched::run(async {
        let _task = cosched::schedule!(create_task job);
    });
}
