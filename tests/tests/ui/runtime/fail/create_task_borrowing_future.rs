// A future borrowing a local is not `'static`: a task may outlive the local.
fn main() {
    cosched::run(async {
        let text = String::from("borrowed");
        let _task = cosched::create_task(async { text.len() });
    });
}
