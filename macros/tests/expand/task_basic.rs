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
#[must_use = "a coroutine does nothing unless it is `.await`ed or scheduled with `create_task`, `ensure_future` or `.spawn()`"]
pub fn indication(
    timeout: Duration,
) -> ::cosched::Coroutine<
    impl ::core::future::Future<Output = ()> + ::core::marker::Send + 'static,
> {
    static __COSCHED_META: ::cosched::TaskMeta = ::cosched::TaskMeta::new("indication");
    ::cosched::Coroutine::new(
        &__COSCHED_META,
        async move {
            #[allow(unreachable_code)]
            if let ::core::option::Option::Some(__ret) = ::core::option::Option::None::<
                (),
            > {
                return __ret;
            }
            let timeout = timeout;
            {
                loop {
                    print!(".");
                    cosched::sleep(timeout).await;
                }
            }
        },
    )
}
