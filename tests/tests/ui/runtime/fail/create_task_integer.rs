// `create_task(42)`: an integer is not a coroutine.
fn main() {
    cosched::run(async {
        let _task = cosched::create_task(42);
    });
}
