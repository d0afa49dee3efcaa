// `IntoTask` accepts a `Task`, returned as it is (same id), and a coroutine, which it schedules.
#[cosched::task]
async fn double(n: u32) -> u32 {
    n * 2
}

fn make_sure<X: cosched::IntoTask>(x: X) -> cosched::Task<X::Output> {
    cosched::ensure_future(x)
}

fn main() {
    cosched::run(async {
        let task = make_sure(double(2));
        let id = task.id();
        let same = make_sure(task);
        assert_eq!(same.id(), id);
        assert_eq!(same.await, Ok(4));
        assert_eq!(make_sure(async { 5 }).await, Ok(5));
    });
}
