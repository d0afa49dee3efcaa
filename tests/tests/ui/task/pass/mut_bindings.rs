// `mut` arguments stay mutable inside the body (and the signature does not warn about `mut`).
#[cosched::task]
async fn countdown(mut n: u32, mut seen: Vec<u32>) -> Vec<u32> {
    while n > 0 {
        seen.push(n);
        n -= 1;
        cosched::yield_now().await;
    }
    seen
}

fn main() {
    cosched::run(async {
        assert_eq!(countdown(3, vec![9]).spawn().await, Ok(vec![9, 3, 2, 1]));
    });
}
