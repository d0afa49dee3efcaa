// `on = event_loop` on a `#[task]`: an option of `schedule!`, which the help names.
#[cosched::task(on = event_loop)]
async fn fetch() {}

fn main() {}
