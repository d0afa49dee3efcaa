// Input:
// #[cosched::task]
// async fn patterns(
//     (a, b): (u32, u32),
//     mut count: u32,
//     _: Guard,
//     _unused: Permit,
//     Point { x, y }: Point,
//     ref name: String,
//     r#in: u8,
// ) -> u32 {
//     count += a + b + x + y + u32::from(r#in);
//     println!("{name}");
//     count
// }
//
// Expansion:

#[track_caller]
fn patterns(
    __arg0: (u32, u32),
    count: u32,
    __arg2: Guard,
    _unused: Permit,
    __arg4: Point,
    __arg5: String,
    r#in: u8,
) -> ::cosched::Coroutine<
    impl 'static + ::core::future::Future<Output = u32> + ::core::marker::Send,
> {
    let __coroutine = ::cosched::__private::threaded(
        &::cosched::TaskMeta {
            name: "patterns",
            local: false,
            limit: 0,
        },
        async move {
            let __arg0 = __arg0;
            let (a, b) = __arg0;
            let mut count = count;
            let __arg2 = __arg2;
            let _unused = _unused;
            let __arg4 = __arg4;
            let Point { x, y } = __arg4;
            let __arg5 = __arg5;
            let ref name = __arg5;
            if false {
                return ::cosched::__private::output::<u32>();
            }
            {
                count += a + b + x + y + u32::from(r#in);
                println!("{name}");
                count
            }
        },
    );
    __coroutine
}
