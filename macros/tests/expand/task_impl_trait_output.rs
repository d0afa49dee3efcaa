// Input:
// #[cosched::task]
// async fn describe(id: u64) -> impl Display + Send {
//     id
// }
//
// Expansion:

#[must_use = "a coroutine does nothing unless it is `.await`ed or scheduled with `create_task`, `ensure_future` or `.spawn()`"]
fn describe(
    id: u64,
) -> ::cosched::Coroutine<
    impl ::core::future::Future<
        Output = impl Display + Send,
    > + ::core::marker::Send + 'static,
> {
    static __COSCHED_META: ::cosched::TaskMeta = ::cosched::TaskMeta::new("describe");
    ::cosched::Coroutine::new(
        &__COSCHED_META,
        async move {
            let id = id;
            { id }
        },
    )
}
