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
        #[allow(unreachable_code)]
        if let ::core::option::Option::Some(__ret) = ::core::option::Option::None::<()> {
            return __ret;
        }
        {
            let task = cosched::create_task(indication(Duration::from_secs(1)));
            task.await;
        }
    })
}
