// Input:
// #[cosched::task]
// async fn pair<T, U: Clone, V>(first: T, second: U, third: V) -> usize
// where
//     V: Default,
// {
//     size_of_val(&first) + size_of_val(&second.clone()) + size_of_val(&third)
// }
//
// Expansion:

#[must_use = "a coroutine does nothing unless it is `.await`ed or scheduled with `create_task`, `ensure_future` or `.spawn()`"]
fn pair<T, U: Clone + 'static, V>(
    first: T,
    second: U,
    third: V,
) -> ::cosched::Coroutine<
    impl ::core::future::Future<Output = usize> + ::core::marker::Send + 'static,
>
where
    T: 'static,
    V: 'static,
    V: Default,
{
    static __COSCHED_META: ::cosched::TaskMeta = ::cosched::TaskMeta::new("pair");
    ::cosched::Coroutine::new(
        &__COSCHED_META,
        async move {
            #[allow(unreachable_code)]
            if let ::core::option::Option::Some(__ret) = ::core::option::Option::None::<
                usize,
            > {
                return __ret;
            }
            let first = first;
            let second = second;
            let third = third;
            { size_of_val(&first) + size_of_val(&second.clone()) + size_of_val(&third) }
        },
    )
}
