// `#[cfg]` on the fn picks one of two definitions; `#[cfg]` on an argument removes it from the signature and the body.
#[cfg(any())]
#[cosched::task]
async fn pick() -> &'static str {
    "never compiled"
}

#[cfg(not(any()))]
#[cosched::task]
async fn pick() -> &'static str {
    "compiled"
}

#[cosched::task]
async fn sum(a: u32, #[cfg(any())] b: u32, #[cfg(not(any()))] c: u32) -> u32 {
    #[cfg(any())]
    let a = a + b;
    a + c
}

#[cosched::task]
async fn with_cfg_attr(#[cfg_attr(not(any()), allow(unused_variables))] unused: u32) -> u8 {
    1
}

fn main() {
    cosched::run(async {
        assert_eq!(pick().spawn().await, Ok("compiled"));
        assert_eq!(sum(1, 2).await, 3);
        assert_eq!(with_cfg_attr(0).await, 1);
    });
}
