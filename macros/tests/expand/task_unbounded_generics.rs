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

#[track_caller]
fn pair<T, U: Clone + 'static, V>(
    first: T,
    second: U,
    third: V,
) -> ::cosched::Coroutine<
    impl 'static + ::core::future::Future<Output = usize> + ::core::marker::Send,
>
where
    T: 'static,
    V: 'static,
    V: Default,
{
    ::cosched::__private::threaded(
        &::cosched::TaskMeta {
            name: "pair",
            local: false,
            limit: 0,
        },
        async move {
            let first = first;
            let second = second;
            let third = third;
            if false {
                return ::cosched::__private::output::<usize>();
            }
            { size_of_val(&first) + size_of_val(&second.clone()) + size_of_val(&third) }
        },
    )
}
