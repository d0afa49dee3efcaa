// Input:
// #[cosched::task(name = "worker", limit = 4)]
// async fn run(mut self, rounds: u32) -> Self {
//     for _ in 0..rounds {
//         self.step().await;
//     }
//     self
// }
//
// Expansion:

#[track_caller]
fn run(
    mut self,
    rounds: u32,
) -> ::cosched::Coroutine<
    impl 'static + ::core::future::Future<Output = Self> + ::core::marker::Send,
> {
    static __COSCHED_LIMIT: ::cosched::__private::Limit = ::cosched::__private::Limit::new(
        4,
    );
    let __coroutine = ::cosched::__private::threaded(
        &::cosched::TaskMeta {
            name: "worker",
            local: false,
            limit: 4,
        },
        ::cosched::__private::limited(
            &__COSCHED_LIMIT,
            async move {
                let _ = &self;
                if false {
                    return ::cosched::__private::output::<Self>();
                }
                {
                    for _ in 0..rounds {
                        self.step().await;
                    }
                    self
                }
            },
        ),
    );
    __coroutine
}
