// Input:
// #[cosched::task(eager, local)]
// async fn repaint(widget: Rc<Widget>) {
//     widget.refresh().await;
// }
//
// Expansion:

#[track_caller]
fn repaint(
    widget: Rc<Widget>,
) -> ::cosched::Coroutine<
    impl 'static + ::core::future::Future<Output = ()>,
    ::cosched::Eager<::cosched::Local>,
> {
    let __coroutine = ::cosched::__private::coroutine(
        &::cosched::TaskMeta {
            name: "repaint",
            local: true,
            limit: 0,
        },
        async move {
            let widget = widget;
            if false {
                return ::cosched::__private::output::<()>();
            }
            {
                widget.refresh().await;
            }
        },
    );
    __coroutine
}
