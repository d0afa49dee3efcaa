// Input:
// #[cosched::task(name = "tick", local, limit = 4, crate = my::reexport::cosched)]
// async fn ticker(period: Duration) {
//     let shared = Rc::new(period);
//     sleep(*shared).await;
// }
//
// Expansion:

#[must_use = "a coroutine does nothing unless it is `.await`ed or scheduled with `create_task`, `ensure_future` or `.spawn()`"]
fn ticker(
    period: Duration,
) -> my::reexport::cosched::Coroutine<
    impl ::core::future::Future<Output = ()> + 'static,
    my::reexport::cosched::Local,
> {
    static __COSCHED_META: my::reexport::cosched::TaskMeta = my::reexport::cosched::TaskMeta::new(
            "tick",
        )
        .local()
        .limit(4);
    static __COSCHED_LIMIT: my::reexport::cosched::__private::Limit = my::reexport::cosched::__private::Limit::new(
        4,
    );
    my::reexport::cosched::Coroutine::new(
        &__COSCHED_META,
        my::reexport::cosched::__private::limited(
            &__COSCHED_LIMIT,
            async move {
                #[allow(unreachable_code)]
                if let ::core::option::Option::Some(__ret) = ::core::option::Option::None::<
                    (),
                > {
                    return __ret;
                }
                let period = period;
                {
                    let shared = Rc::new(period);
                    sleep(*shared).await;
                }
            },
        ),
    )
}
