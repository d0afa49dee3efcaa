// Input:
// #[cosched::task]
// async fn fetch(url: String, retries: u32) -> Result<String, Error> {
//     if retries == 0 {
//         return Err(Error::NoRetries);
//     }
//     let body = download(&url).await?;
//     Ok(body)
// }
//
// Expansion:

#[must_use = "a coroutine does nothing unless it is `.await`ed or scheduled with `create_task`, `ensure_future` or `.spawn()`"]
fn fetch(
    url: String,
    retries: u32,
) -> ::cosched::Coroutine<
    impl ::core::future::Future<
        Output = Result<String, Error>,
    > + ::core::marker::Send + 'static,
> {
    static __COSCHED_META: ::cosched::TaskMeta = ::cosched::TaskMeta::new("fetch");
    ::cosched::Coroutine::new(
        &__COSCHED_META,
        async move {
            #[allow(unreachable_code)]
            if let ::core::option::Option::Some(__ret) = ::core::option::Option::None::<
                Result<String, Error>,
            > {
                return __ret;
            }
            let url = url;
            let retries = retries;
            {
                if retries == 0 {
                    return Err(Error::NoRetries);
                }
                let body = download(&url).await?;
                Ok(body)
            }
        },
    )
}
