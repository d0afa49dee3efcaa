// A body whose value does not match the declared `Result`: one error, at the user's expression.
#[cosched::main]
async fn main() -> Result<(), String> {
    42
}
