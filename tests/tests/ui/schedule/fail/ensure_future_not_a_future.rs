// `ensure_future` given something that is neither a task nor a coroutine.
fn main() {
    cosched::run(async {
        let _task = cosched::schedule!(ensure_future 42);
    });
}
