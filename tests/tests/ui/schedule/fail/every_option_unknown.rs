// `tims = 3`, a misspelt option of `every`: the help suggests `times` and lists the options of `every`.

#[cosched::task]
async fn job() {}

fn main() {
    cosched::run(async {
        let _task = cosched::schedule!(every std::time::Duration::from_secs(1) => job(), tims = 3);
    });
}
