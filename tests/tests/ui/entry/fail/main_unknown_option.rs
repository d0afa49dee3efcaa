// `#[cosched::main(flavor = ..)]`, a tokio option: the only option is `crate`.
#[cosched::main(flavor = "current_thread")]
async fn main() {}
