// Input:
// #[cosched::task]
// async fn describe(id: u64) -> impl Display + Send {
//     id
// }
//
// Expansion:

#[track_caller]
fn describe(
    id: u64,
) -> ::cosched::Coroutine<
    impl 'static + ::core::future::Future<
        Output = impl Display + Send,
    > + ::core::marker::Send,
> {
    ::cosched::__private::threaded(
        &::cosched::TaskMeta {
            name: "describe",
            local: false,
            limit: 0,
        },
        async move { { id } },
    )
}
