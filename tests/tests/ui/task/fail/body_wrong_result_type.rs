// A body whose `Ok` value has the wrong type, under a multi-token return type: one error, at the value.
#[cosched::task]
async fn load(path: String) -> Result<Vec<u8>, String> {
    Ok(path)
}

fn main() {
    let _ = load(String::new());
}
