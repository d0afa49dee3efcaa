// Tokens after the expression without a comma: pointed at, with the options syntax in the help.
#[cosched::task]
async fn job() {}

fn main() {
    cosched::run(async {
        let _task = cosched::schedule!(job() job());
    });
}
