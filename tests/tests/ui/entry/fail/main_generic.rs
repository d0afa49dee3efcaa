// A generic `#[cosched::main]`: one error at the generics, and no second one from rustc about an `async` or generic `main`.
#[cosched::main]
async fn main<T>() {}
