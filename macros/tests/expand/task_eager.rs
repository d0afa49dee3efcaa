// Input:
// #[cosched::task(eager)]
// async fn lookup(cache: Arc<Cache>, key: u64) -> Option<Entry> {
//     cache.get(key)
// }
//
// Expansion:

#[track_caller]
fn lookup(
    cache: Arc<Cache>,
    key: u64,
) -> ::cosched::Coroutine<
    impl 'static + ::core::future::Future<Output = Option<Entry>> + ::core::marker::Send,
    ::cosched::Eager,
> {
    let __coroutine = ::cosched::__private::coroutine(
        &::cosched::TaskMeta {
            name: "lookup",
            local: false,
            limit: 0,
        },
        async move {
            let cache = cache;
            if false {
                return ::cosched::__private::output::<Option<Entry>>();
            }
            { cache.get(key) }
        },
    );
    __coroutine
}
