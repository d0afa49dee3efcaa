// `times` after `after`: an option of `every` only; the help says so.

#[cosched::task]
async fn job() {}

fn main() {
    cosched::run(async {
        let _task = cosched::schedule!(after std::time::Duration::from_secs(1) => job(), times = 3);
    });
}
