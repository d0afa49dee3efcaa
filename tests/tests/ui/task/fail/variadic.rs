// A variadic task: refused at the `...` argument, reported once (rustc's own complaint is not repeated).
#[cosched::task]
async fn sum(first: u32, rest: ...) -> u32 {
    first
}

fn main() {}
