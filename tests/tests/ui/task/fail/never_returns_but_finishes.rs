// `-> !` with a body that can finish: rustc says the coroutine resolves to the wrong type.
#[cosched::task]
async fn forever() -> ! {
    1
}

fn main() {
    let _ = forever();
}
