// `ensure_future(42)`: neither a task nor a coroutine.
fn main() {
    cosched::run(async {
        let _task = cosched::ensure_future(42);
    });
}
