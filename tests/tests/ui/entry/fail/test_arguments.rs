// `#[cosched::test]` with arguments: tests take none.
#[cosched::test]
async fn works(input: u32) {
    let _ = input;
}

fn main() {}
