// `const async fn` is refused at `const`, reported once (rustc's own complaint is not repeated).
#[cosched::task]
const async fn zero() -> u32 {
    0
}

fn main() {}
