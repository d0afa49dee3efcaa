// A struct argument with a lifetime, `Holder<'_>`: refused at `'_`.
struct Holder<'a> {
    text: &'a str,
}

#[cosched::task]
async fn measure(holder: Holder<'_>) -> usize {
    holder.text.len()
}

fn main() {
    let _ = Holder { text: "" }.text;
}
