// Two arguments that may hide a lifetime: the error is at the argument
// list, and rustc's label names the one that does.
pub struct Line<'a>(&'a str);
pub struct Header {
    pub len: usize,
}

#[cosched::task]
async fn count(header: Header, line: Line) -> usize {
    header.len + line.0.len()
}

fn main() {
    let text = String::from("a b");
    let _ = count(Header { len: 1 }, Line(&text));
}
