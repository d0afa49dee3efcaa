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
    ::cosched::__private::run_test(
        async {
            if false {
                return ::cosched::__private::output::<Result<(), String>>();
            }
            {
                explode().await?;
                Ok(())
            }
        },
        false,
        false,
    )
}
