// A method of `impl<'a> Parser<'a>`: `Self` borrows, so its coroutine cannot be `'static`; rustc says so at `self`.
struct Parser<'a> {
    input: &'a str,
}

impl<'a> Parser<'a> {
    #[cosched::task]
    async fn parse(self) -> usize {
        self.input.len()
    }
}

fn main() {
    let text = String::from("1 2 3");
    let _ = Parser { input: &text }.parse();
}
