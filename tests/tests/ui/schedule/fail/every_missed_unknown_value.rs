// `missed = sometimes`: the value is pointed at, and the help lists the three.

#[cosched::task]
async fn job() {}

fn main() {
    cosched::run(async {
        let _task = cosched::schedule!(every std::time::Duration::from_secs(1) => job(), missed = sometimes);
    });
}
