// Input:
// #[cosched::task(local)]
// async fn gui_update(widget: Rc<Widget>) {
//     widget.refresh().await;
// }
//
// Expansion:

#[must_use = "a coroutine does nothing unless it is `.await`ed or scheduled with `create_task`, `ensure_future` or `.spawn()`"]
fn gui_update(
    widget: Rc<Widget>,
) -> ::cosched::Coroutine<
    impl ::core::future::Future<Output = ()> + 'static,
    ::cosched::Local,
> {
    static __COSCHED_META: ::cosched::TaskMeta = ::cosched::TaskMeta::new("gui_update")
        .local();
    ::cosched::Coroutine::new(
        &__COSCHED_META,
        async move {
            #[allow(unreachable_code)]
            if let ::core::option::Option::Some(__ret) = ::core::option::Option::None::<
                (),
            > {
                return __ret;
            }
            let widget = widget;
            {
                widget.refresh().await;
            }
        },
    )
}
