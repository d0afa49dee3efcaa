// `const async fn main`: refused at `const`, once.
#[cosched::main]
const async fn main() {}
