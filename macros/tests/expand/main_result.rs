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
        if false {
            return my::reexport::cosched::__private::output::<
                Result<(), Box<dyn std::error::Error>>,
            >();
        }
        {
            let config = load().await?;
            run(config).await?;
            Ok(())
        }
    })
}
