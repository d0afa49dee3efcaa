// A local variable is not a constant: rustc's own error, at the variable. A number known only at
// run time is a `cosched::Limiter`.
fn main() {
    let jobs = 4;
    #[cosched::task(limit = jobs)]
    async fn fetch() {}
    let _ = (jobs, fetch);
}
