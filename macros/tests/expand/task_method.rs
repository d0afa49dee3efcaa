// Input:
// #[cosched::task]
// /// Serves one connection.
// pub async fn serve(self: Arc<Self>, conn: Connection) -> usize {
//     self.handle(conn).await
// }
//
// Expansion:

/// Serves one connection.
#[track_caller]
pub fn serve(
    self: Arc<Self>,
    conn: Connection,
) -> ::cosched::Coroutine<
    impl 'static + ::core::future::Future<Output = usize> + ::core::marker::Send,
> {
    let __coroutine = ::cosched::__private::threaded(
        &::cosched::TaskMeta {
            name: "serve",
            local: false,
            limit: 0,
        },
        async move {
            let _ = &self;
            let conn = conn;
            if false {
                return ::cosched::__private::output::<usize>();
            }
            { self.handle(conn).await }
        },
    );
    __coroutine
}
