// `&'_ T` is a borrow like `&T`: refused at `&'_ Vec<u8>`.
#[cosched::task]
async fn checksum(bytes: &'_ Vec<u8>) -> u8 {
    bytes.iter().fold(0, |a, b| a ^ b)
}

fn main() {}
