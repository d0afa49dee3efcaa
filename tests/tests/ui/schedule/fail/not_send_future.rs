// A future holding an `Rc` across an `.await`: not `Send`, so `create_task` refuses it; rustc names the value.
use std::rc::Rc;

fn main() {
    cosched::run(async {
        let _task = cosched::schedule!(async {
            let shared = Rc::new(1);
            cosched::yield_now().await;
            *shared
        });
    });
}
