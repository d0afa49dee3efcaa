// Input:
// #[cosched::task(limit = 2 * CORES)]
// async fn compile(unit: Unit) -> Object {
//     build(unit).await
// }
//
// Expansion:

#[track_caller]
fn compile(
    unit: Unit,
) -> ::cosched::Coroutine<
    impl 'static + ::core::future::Future<Output = Object> + ::core::marker::Send,
> {
    const __COSCHED_MAX_RUNNING: usize = (2 * CORES);
    static __COSCHED_LIMIT: ::cosched::__private::Limit = {
        ::core::assert!(
            __COSCHED_MAX_RUNNING > 0,
            "`limit` must be at least 1, but `2 * CORES` is 0 (remove `limit` to allow any number of instances)"
        );
        ::cosched::__private::Limit::new(__COSCHED_MAX_RUNNING)
    };
    let __coroutine = ::cosched::__private::threaded(
        &::cosched::TaskMeta {
            name: "compile",
            local: false,
            limit: __COSCHED_MAX_RUNNING,
        },
        ::cosched::__private::limited(
            &__COSCHED_LIMIT,
            async move {
                let unit = unit;
                if false {
                    return ::cosched::__private::output::<Object>();
                }
                { build(unit).await }
            },
        ),
    );
    __coroutine
}
