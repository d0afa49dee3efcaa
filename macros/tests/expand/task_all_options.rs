// Input:
// #[cosched::task(name = "tick", local, limit = 4, crate = my::reexport::cosched)]
// async fn ticker(period: Duration) {
//     let shared = Rc::new(period);
//     sleep(*shared).await;
// }
//
// Expansion:

#[track_caller]
fn ticker(
    period: Duration,
) -> my::reexport::cosched::Coroutine<
    impl 'static + ::core::future::Future<Output = ()>,
    my::reexport::cosched::Local,
> {
    static __COSCHED_LIMIT: my::reexport::cosched::__private::Limit = my::reexport::cosched::__private::Limit::new(
        4,
    );
    my::reexport::cosched::__private::coroutine(
        &my::reexport::cosched::TaskMeta {
            name: "tick",
            local: true,
            limit: 4,
        },
        my::reexport::cosched::__private::limited(
            &__COSCHED_LIMIT,
            async move {
                let period = period;
                if false {
                    return my::reexport::cosched::__private::output::<()>();
                }
                {
                    let shared = Rc::new(period);
                    sleep(*shared).await;
                }
            },
        ),
    )
}
