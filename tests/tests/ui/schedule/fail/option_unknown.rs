// An unknown option, `priority`: the valid options are listed.
#[cosched::task]
async fn job() {}

fn main() {
    cosched::run(async {
        let _task = cosched::schedule!(job(), priority = 1);
    });
}
