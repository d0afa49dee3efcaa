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

#[track_caller]
pub fn generic<T: Display + Send + 'static, U, const N: usize>(
    value: T,
    other: U,
    bytes: [u8; N],
    measure: impl Fn(&str) -> usize + Send + 'static,
    items: Vec<impl Debug + Send + 'static>,
) -> ::cosched::Coroutine<
    impl 'static + ::core::future::Future<Output = usize> + ::core::marker::Send,
>
where
    U: Clone + Send + 'static,
{
    ::cosched::__private::threaded(
        &::cosched::TaskMeta {
            name: "generic",
            local: false,
            limit: 0,
        },
        async move {
            let value = value;
            let other = other;
            let bytes = bytes;
            let measure = measure;
            let items = items;
            if false {
                return ::cosched::__private::output::<usize>();
            }
            { measure(&value.to_string()) + bytes.len() + items.len() }
        },
    )
}
