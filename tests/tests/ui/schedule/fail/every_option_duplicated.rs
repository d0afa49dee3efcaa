// `missed` given twice: the second is pointed at.

#[cosched::task]
async fn job() {}

fn main() {
    cosched::run(async {
        let _task = cosched::schedule!(every std::time::Duration::from_secs(1) => job(),
            missed = skip, missed = burst);
    });
}
