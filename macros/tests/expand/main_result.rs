// Input:
// #[cosched::main(crate = my::reexport::cosched)]
// /// Entry point.
// async fn main() -> Result<(), Box<dyn std::error::Error>> {
//     #![allow(unused_mut)]
//     let config = load().await?;
//     run(config).await?;
//     Ok(())
// }
//
// Expansion:

/// Entry point.
#[allow(unused_mut)]
fn main() -> Result<(), Box<dyn std::error::Error>> {
    my::reexport::cosched::run(async {
        #[allow(unreachable_code)]
        if let ::core::option::Option::Some(__ret) = ::core::option::Option::None::<
            Result<(), Box<dyn std::error::Error>>,
        > {
            return __ret;
        }
        {
            let config = load().await?;
            run(config).await?;
            Ok(())
        }
    })
}
