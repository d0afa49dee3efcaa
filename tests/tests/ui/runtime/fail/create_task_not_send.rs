// `create_task` of a future that holds an `Rc` across an `.await`: rustc names the value held across the await.
use std::rc::Rc;

fn main() {
    cosched::run(async {
        let future = async {
            let shared = Rc::new(1);
            cosched::yield_now().await;
            *shared
        };
        let _task = cosched::create_task(future);
    });
}
