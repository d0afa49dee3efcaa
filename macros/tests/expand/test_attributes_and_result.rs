// Input:
// #[cosched::test]
// #[should_panic(expected = "boom")]
// #[ignore = "slow"]
// async fn fails() -> Result<(), String> {
//     explode().await?;
//     Ok(())
// }
//
// Expansion:

#[should_panic(expected = "boom")]
#[ignore = "slow"]
#[::core::prelude::v1::test]
fn fails() -> Result<(), String> {
    ::cosched::run(async {
        #[allow(unreachable_code)]
        if let ::core::option::Option::Some(__ret) = ::core::option::Option::None::<
            Result<(), String>,
        > {
            return __ret;
        }
        {
            explode().await?;
            Ok(())
        }
    })
}
