// `create_task` of a `Task`: it is already scheduled; the notes suggest `.await` and `ensure_future`.
fn main() {
    cosched::run(async {
        let task = cosched::create_task(async { 1 });
        let _again = cosched::create_task(task);
    });
}
