// A misspelt option, `nmae`: the help suggests `name` and lists the valid options.
#[cosched::task(nmae = "fetcher")]
async fn fetch() {}

fn main() {}
