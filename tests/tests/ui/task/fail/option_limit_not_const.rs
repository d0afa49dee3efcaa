// `limit` is evaluated at compile time: a call of a fn that is not `const` is rustc's own error,
// at the call. A number known only at run time is a `cosched::Limiter`.
fn jobs() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

#[cosched::task(limit = jobs())]
async fn fetch() {}

fn main() {}
