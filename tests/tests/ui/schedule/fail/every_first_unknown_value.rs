// `first = Now`: a misspelt value, with the nearest suggested.

#[cosched::task]
async fn job() {}

fn main() {
    cosched::run(async {
        let _task = cosched::schedule!(every std::time::Duration::from_secs(1) => job(), first = Now);
    });
}
