// `#[task]` on a struct: the error names what it was applied to and points at `struct Config`.
#[cosched::task]
struct Config {
    url: String,
}

fn main() {
    let _ = Config { url: String::new() }.url;
}
