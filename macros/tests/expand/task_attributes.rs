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
pub(super) fn r#type(
    #[cfg(feature = "verbose")]
    verbose: bool,
    unused: u32,
    kept: u32,
) -> ::cosched::Coroutine<
    impl ::core::future::Future<Output = String> + ::core::marker::Send + 'static,
> {
    static __COSCHED_META: ::cosched::TaskMeta = ::cosched::TaskMeta::new("type");
    ::cosched::Coroutine::new(
        &__COSCHED_META,
        async move {
            #[allow(unreachable_code)]
            if let ::core::option::Option::Some(__ret) = ::core::option::Option::None::<
                String,
            > {
                return __ret;
            }
            #[cfg(feature = "verbose")]
            let verbose = verbose;
            #[allow(unused_variables)]
            let unused = unused;
            #[allow(unused_mut)]
            let mut kept = kept;
            {
                return format!("{kept}");
            }
        },
    )
}
