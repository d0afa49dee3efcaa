// Input:
// #[cosched::test]
// async fn it_works() {
//     assert_eq!(compute().await, 4);
// }
//
// Expansion:

#[::core::prelude::v1::test]
fn it_works() {
    ::cosched::run(async {
        #[allow(unreachable_code)]
        if let ::core::option::Option::Some(__ret) = ::core::option::Option::None::<()> {
            return __ret;
        }
        {
            assert_eq!(compute(). await, 4);
        }
    })
}
