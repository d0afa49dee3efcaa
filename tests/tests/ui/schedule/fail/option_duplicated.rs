// `name` given twice: the second is pointed at.
#[cosched::task]
async fn job() {}

fn main() {
    cosched::run(async {
        let _task = cosched::schedule!(job(), name = "a", name = "b");
    });
}
