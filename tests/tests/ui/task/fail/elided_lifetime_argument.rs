// An argument whose type hides a lifetime (`Line` is `Line<'_>`): rustc's
// "lifetime may not live long enough" is at the argument's type.
pub struct Line<'a>(&'a str);

#[cosched::task]
async fn count(name: String, line: Line) -> usize {
    name.len() + line.0.len()
}

fn main() {
    let text = String::from("a b");
    let _ = count(String::new(), Line(&text));
}
