// A borrow nested in a type argument, `Vec<&str>`: the error points at the `&str` inside.
#[cosched::task]
async fn count_words(words: Vec<&str>) -> usize {
    words.len()
}

fn main() {}
