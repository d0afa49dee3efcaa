// An unknown option, `priority = 1`: no suggestion, the valid options are listed.
#[cosched::task(priority = 1)]
async fn fetch() {}

fn main() {}
