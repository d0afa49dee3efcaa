// Input:
// #[cosched::task]
// #[cfg(unix)]
// #[inline]
// #[must_use = "the report is in the output"]
// #[doc(alias = "r#type")]
// pub(super) async fn r#type(
//     #[cfg(feature = "verbose")] verbose: bool,
//     #[allow(unused_variables)] unused: u32,
//     #[allow(unused_mut)] mut kept: u32,
// ) -> String {
//     #![allow(clippy::needless_return)]
//     return format!("{kept}");
// }
//
// Expansion:

#[cfg(unix)]
#[inline]
#[must_use = "the report is in the output"]
#[doc(alias = "r#type")]
#[allow(clippy::needless_return)]
#[track_caller]
pub(super) fn r#type(
    #[cfg(feature = "verbose")]
    verbose: bool,
    unused: u32,
    kept: u32,
) -> ::cosched::Coroutine<
    impl 'static + ::core::future::Future<Output = String> + ::core::marker::Send,
> {
    ::cosched::__private::threaded(
        &::cosched::TaskMeta {
            name: "type",
            local: false,
            limit: 0,
        },
        async move {
            #[cfg(feature = "verbose")]
            let verbose = verbose;
            #[allow(unused_variables)]
            let unused = unused;
            #[allow(unused_mut)]
            let mut kept = kept;
            if false {
                return ::cosched::__private::output::<String>();
            }
            {
                return format!("{kept}");
            }
        },
    )
}
