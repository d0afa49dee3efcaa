// `crate = "..."`: the option takes a path.
#[cosched::main(crate = "cosched")]
async fn main() {}
