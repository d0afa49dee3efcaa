// `'static` borrows, and lifetimes bound inside `fn`/`Fn` types, are not refused: they borrow nothing from the caller.
#[cosched::task]
async fn lengths(
    name: &'static str,
    parts: Option<&'static [u8]>,
    f: fn(&str) -> usize,
    g: Box<dyn for<'a> Fn(&'a str) -> &'a str + Send>,
) -> usize {
    f(g(name)) + parts.map_or(0, <[u8]>::len)
}

fn main() {
    cosched::run(async {
        let task = lengths("abc", Some(b"xy"), str::len, Box::new(|s| &s[1..])).spawn();
        assert_eq!(task.await, Ok(4));
    });
}
