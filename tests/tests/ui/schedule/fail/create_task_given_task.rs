// `create_task` given a `Task`: already scheduled; the notes say to `.await` it or use `ensure_future`.
#[cosched::task]
async fn job() -> u8 {
    1
}

fn main() {
    cosched::run(async {
        let task = cosched::schedule!(create_task job());
        let _again = cosched::schedule!(create_task task);
    });
}
