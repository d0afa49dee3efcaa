// Arguments the body never uses: rustc's "unused variable" lint fires at
// each, as for an `async fn` (an owned one, moved into the coroutine, and a
// primitive one, left in the signature), with its `_` suggestion.
#![deny(unused_variables)]

#[cosched::task]
async fn greet(name: String, times: u32) -> usize {
    0
}

fn main() {
    drop(greet(String::new(), 1));
}
