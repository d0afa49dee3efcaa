// Input:
// #[cosched::task]
// pub async fn generic<T: Display + Send, U, const N: usize>(
//     value: T,
//     other: U,
//     bytes: [u8; N],
//     measure: impl Fn(&str) -> usize + Send,
//     items: Vec<impl Debug + Send>,
// ) -> usize
// where
//     U: Clone + Send + 'static,
// {
//     measure(&value.to_string()) + bytes.len() + items.len()
// }
//
// Expansion:

#[must_use = "a coroutine does nothing unless it is `.await`ed or scheduled with `create_task`, `ensure_future` or `.spawn()`"]
pub fn generic<T: Display + Send + 'static, U, const N: usize>(
    value: T,
    other: U,
    bytes: [u8; N],
    measure: impl Fn(&str) -> usize + Send + 'static,
    items: Vec<impl Debug + Send + 'static>,
) -> ::cosched::Coroutine<
    impl ::core::future::Future<Output = usize> + ::core::marker::Send + 'static,
>
where
    U: Clone + Send + 'static,
{
    static __COSCHED_META: ::cosched::TaskMeta = ::cosched::TaskMeta::new("generic");
    ::cosched::Coroutine::new(
        &__COSCHED_META,
        async move {
            #[allow(unreachable_code)]
            if let ::core::option::Option::Some(__ret) = ::core::option::Option::None::<
                usize,
            > {
                return __ret;
            }
            let value = value;
            let other = other;
            let bytes = bytes;
            let measure = measure;
            let items = items;
            { measure(&value.to_string()) + bytes.len() + items.len() }
        },
    )
}
