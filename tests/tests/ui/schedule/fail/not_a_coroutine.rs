// `schedule!(42)`: an integer is not a coroutine.
fn main() {
    cosched::run(async {
        let _task = cosched::schedule!(42);
    });
}
