// `#[task]` on an impl block rather than on each fn: pointed at `impl Worker`.
struct Worker;

#[cosched::task]
impl Worker {
    async fn run() {}
}

fn main() {
    let _ = Worker::run();
}
