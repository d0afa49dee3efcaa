// Input:
// #[cosched::task]
// pub struct Config { pub url: String }
//
// Expansion:

pub struct Config {
    pub url: String,
}
::core::compile_error! {
    "`#[task]` can only be applied to an `async fn`, not to a `struct`\nhelp: write `#[cosched::task] async fn name(..) { .. }`"
}
