// `crate = path` finds cosched through a re-export under another name, by a relative or an absolute path.
mod reexport {
    pub use ::cosched as rt;
}

#[cosched::task(crate = reexport::rt)]
async fn job(n: u8) -> u8 {
    n + 1
}

#[cosched::task(crate = crate::reexport::rt, name = "via", local, limit = 1)]
async fn all_options(n: u8) -> u8 {
    n * 2
}

fn main() {
    reexport::rt::run(async {
        assert_eq!(job(1).spawn().await, Ok(2));
        let task = all_options(2).spawn();
        assert!(task.name().starts_with("via-"));
        assert_eq!(task.await, Ok(4));
    });
}
