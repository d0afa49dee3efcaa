// A mode word with nothing after it: the help shows the form, and how to schedule a variable named `create_task`.
fn main() {
    cosched::run(async {
        let _task = cosched::schedule!(create_task);
    });
}
