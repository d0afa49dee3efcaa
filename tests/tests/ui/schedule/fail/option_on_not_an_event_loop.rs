// `on = 5`: `on` takes an `EventLoop`.
#[cosched::task]
async fn job() {}

fn main() {
    cosched::run(async {
        let _task = cosched::schedule!(job(), on = 5);
    });
}
