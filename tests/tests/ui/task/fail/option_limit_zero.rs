// `limit = 0` would never run anything: refused at `0`.
#[cosched::task(limit = 0)]
async fn fetch() {}

fn main() {}
