// An early `return` of the wrong type: one error, at the returned expression.
#[cosched::task]
async fn parse(text: String) -> u32 {
    if text.is_empty() {
        return "empty";
    }
    text.len() as u32
}

fn main() {
    let _ = parse(String::new());
}
