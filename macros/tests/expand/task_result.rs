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

#[track_caller]
fn fetch(
    url: String,
    retries: u32,
) -> ::cosched::Coroutine<
    impl 'static + ::core::future::Future<
        Output = Result<String, Error>,
    > + ::core::marker::Send,
> {
    ::cosched::__private::threaded(
        &::cosched::TaskMeta {
            name: "fetch",
            local: false,
            limit: 0,
        },
        async move {
            let url = url;
            if false {
                return ::cosched::__private::output::<Result<String, Error>>();
            }
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
