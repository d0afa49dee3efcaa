// `#[cosched::main]` with arguments: the argument list is pointed at; the help says where arguments come from.
#[cosched::main]
async fn main(args: Vec<String>) {
    let _ = args;
}
