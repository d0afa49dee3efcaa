// A fn declaration without a body (as in a trait): `#[task]` needs the body.
trait Job {
    #[cosched::task]
    async fn run(input: u32) -> u32;
}

fn main() {}
