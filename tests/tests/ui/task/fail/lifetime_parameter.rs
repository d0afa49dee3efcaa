// A lifetime parameter that no argument uses: still refused, at `'a`.
#[cosched::task]
async fn idle<'a>(rounds: u32) -> u32 {
    rounds
}

fn main() {}
