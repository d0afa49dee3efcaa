// Input:
// #[cosched::test]
// async fn it_works() {
//     assert_eq!(compute().await, 4);
// }
//
// Expansion:

#[::core::prelude::v1::test]
fn it_works() {
    ::cosched::__private::run_test(
        async {
            if false {
                return ::cosched::__private::output::<()>();
            }
            {
                assert_eq!(compute(). await, 4);
            }
        },
        false,
        false,
    )
}
