// Input:
// #[cosched::task]
// async fn serve(listener: Listener) -> ! {
//     loop {
//         listener.accept().await;
//     }
// }
//
// Expansion:

#[track_caller]
fn serve(
    listener: Listener,
) -> ::cosched::Coroutine<
    impl 'static + ::core::future::Future<
        Output = ::cosched::__private::Never,
    > + ::core::marker::Send,
> {
    let __coroutine = ::cosched::__private::threaded(
        &::cosched::TaskMeta {
            name: "serve",
            local: false,
            limit: 0,
        },
        async move {
            let listener = listener;
            {
                loop {
                    listener.accept().await;
                }
            }
        },
    );
    __coroutine
}
