// Input:
// #[cosched::task(limit = 2)]
// pub(crate) async fn download(url: String) -> Vec<u8> {
//     fetch(url).await
// }
//
// Expansion:

#[must_use = "a coroutine does nothing unless it is `.await`ed or scheduled with `create_task`, `ensure_future` or `.spawn()`"]
pub(crate) fn download(
    url: String,
) -> ::cosched::Coroutine<
    impl ::core::future::Future<Output = Vec<u8>> + ::core::marker::Send + 'static,
> {
    static __COSCHED_META: ::cosched::TaskMeta = ::cosched::TaskMeta::new("download")
        .limit(2);
    static __COSCHED_LIMIT: ::cosched::__private::Limit = ::cosched::__private::Limit::new(
        2,
    );
    ::cosched::Coroutine::new(
        &__COSCHED_META,
        ::cosched::__private::limited(
            &__COSCHED_LIMIT,
            async move {
                #[allow(unreachable_code)]
                if let ::core::option::Option::Some(__ret) = ::core::option::Option::None::<
                    Vec<u8>,
                > {
                    return __ret;
                }
                let url = url;
                { fetch(url).await }
            },
        ),
    )
}
