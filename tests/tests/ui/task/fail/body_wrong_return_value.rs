// A body returning the wrong type: one error, at the user's expression, as without the macro.
#[cosched::task]
async fn answer() -> u32 {
    "forty-two"
}

fn main() {
    let _ = answer();
}
