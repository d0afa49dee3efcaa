// Input:
// #[cosched::task(limit = 2)]
// pub(crate) async fn download(url: String) -> Vec<u8> {
//     fetch(url).await
// }
//
// Expansion:

#[track_caller]
pub(crate) fn download(
    url: String,
) -> ::cosched::Coroutine<
    impl 'static + ::core::future::Future<Output = Vec<u8>> + ::core::marker::Send,
> {
    static __COSCHED_LIMIT: ::cosched::__private::Limit = ::cosched::__private::Limit::new(
        2,
    );
    ::cosched::__private::threaded(
        &::cosched::TaskMeta {
            name: "download",
            local: false,
            limit: 2,
        },
        ::cosched::__private::limited(
            &__COSCHED_LIMIT,
            async move {
                let url = url;
                if false {
                    return ::cosched::__private::output::<Vec<u8>>();
                }
                { fetch(url).await }
            },
        ),
    )
}
