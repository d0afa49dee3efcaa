// Input:
// #[cosched::task]
// /// Prints a dot every `timeout`.
// pub async fn indication(timeout: Duration) {
//     loop {
//         print!(".");
//         cosched::sleep(timeout).await;
//     }
// }
//
// Expansion:

/// Prints a dot every `timeout`.
#[track_caller]
pub fn indication(
    timeout: Duration,
) -> ::cosched::Coroutine<
    impl 'static + ::core::future::Future<Output = ()> + ::core::marker::Send,
> {
    ::cosched::__private::threaded(
        &::cosched::TaskMeta {
            name: "indication",
            local: false,
            limit: 0,
        },
        async move {
            let timeout = timeout;
            if false {
                return ::cosched::__private::output::<()>();
            }
            {
                loop {
                    print!(".");
                    cosched::sleep(timeout).await;
                }
            }
        },
    )
}
