// Input:
// #[cosched::task(local)]
// async fn gui_update(widget: Rc<Widget>) {
//     widget.refresh().await;
// }
//
// Expansion:

#[track_caller]
fn gui_update(
    widget: Rc<Widget>,
) -> ::cosched::Coroutine<
    impl 'static + ::core::future::Future<Output = ()>,
    ::cosched::Local,
> {
    let __coroutine = ::cosched::__private::coroutine(
        &::cosched::TaskMeta {
            name: "gui_update",
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
