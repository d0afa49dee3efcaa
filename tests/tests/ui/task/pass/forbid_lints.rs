// A crate that forbids the lints generated code could trip: the expansions
// need no `#[allow]` (which `forbid` would reject) and trigger none of them,
// whatever the body: one expression, `return`, `?`, or no way out at all.
#![forbid(unreachable_code, unused_braces, unused_must_use, warnings)]

use std::time::Duration;

#[cosched::task]
async fn one_expression(n: u32) -> u32 { n }

#[cosched::task]
async fn early(n: u32) -> Result<u32, String> {
    if n == 0 {
        return Err("zero".to_owned());
    }
    let parsed: u32 = n.to_string().parse().map_err(|_| String::new())?;
    Ok(parsed)
}

#[cosched::task]
async fn forever() -> ! {
    loop {
        cosched::sleep(Duration::from_secs(3600)).await;
    }
}

#[cosched::task]
async fn gives_up() {
    panic!("gives up")
}

#[cosched::main]
async fn main() {
    assert_eq!(one_expression(7).await, 7);
    assert_eq!(early(3).await, Ok(3));
    assert_eq!(early(0).await, Err("zero".to_owned()));
    let forever = forever().spawn();
    assert!(gives_up().spawn().await.is_err());
    forever.cancel();
}
