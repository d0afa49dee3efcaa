// Input:
// #[cosched::test(start_paused, allow_lost_panics)]
// async fn hourly() {
//     let task = cosched::create_task(report_every(Duration::from_secs(3600)));
//     cosched::sleep(Duration::from_secs(86_400)).await;
//     task.cancel();
// }
//
// Expansion:

#[::core::prelude::v1::test]
fn hourly() {
    ::cosched::__private::run_test(
        async {
            if false {
                return ::cosched::__private::output::<()>();
            }
            {
                let task = cosched::create_task(report_every(Duration::from_secs(3600)));
                cosched::sleep(Duration::from_secs(86_400)).await;
                task.cancel();
            }
        },
        true,
        true,
    )
}
