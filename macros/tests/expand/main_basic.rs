// Input:
// #[cosched::main]
// async fn main() {
//     let task = cosched::create_task(indication(Duration::from_secs(1)));
//     task.await;
// }
//
// Expansion:

fn main() {
    ::cosched::run(async {
        if false {
            return ::cosched::__private::output::<()>();
        }
        {
            let task = cosched::create_task(indication(Duration::from_secs(1)));
            task.await;
        }
    })
}
