// A hidden lifetime inside a standard container (`Vec<Line>`) is at that
// argument too.
pub struct Line<'a>(&'a str);

#[cosched::task]
async fn count(lines: Vec<Line>, limit: u32) -> usize {
    lines.len().min(limit as usize)
}

fn main() {
    let text = String::from("a b");
    let _ = count(vec![Line(&text)], 4);
}
