// `#[cosched::test(start_paused = true)]`, tokio's spelling: `start_paused`
// is a flag, written alone.
#[cosched::test(start_paused = true)]
async fn hourly() {}

fn main() {}
