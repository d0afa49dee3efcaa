// Input:
// #[cosched::task]
// async fn serve(listener: Listener) -> ! {
//     loop {
//         listener.accept().await;
//     }
// }
//
// Expansion:

#[must_use = "a coroutine does nothing unless it is `.await`ed or scheduled with `create_task`, `ensure_future` or `.spawn()`"]
fn serve(
    listener: Listener,
) -> ::cosched::Coroutine<
    impl ::core::future::Future<
        Output = ::cosched::__private::Never,
    > + ::core::marker::Send + 'static,
> {
    static __COSCHED_META: ::cosched::TaskMeta = ::cosched::TaskMeta::new("serve");
    ::cosched::Coroutine::new(
        &__COSCHED_META,
        async move {
            #[allow(unreachable_code)]
            if let ::core::option::Option::Some(__ret) = ::core::option::Option::None::<
                ::cosched::__private::Never,
            > {
                return __ret;
            }
            let listener = listener;
            {
                loop {
                    listener.accept().await;
                }
            }
        },
    )
}
