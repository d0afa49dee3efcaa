// `local = true`: `local` is a flag and takes no value.
#[cosched::task(local = true)]
async fn fetch() {}

fn main() {}
