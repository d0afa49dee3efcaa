// An explicit ABI: a task is called from Rust and returns a coroutine value.
#[cosched::task]
async extern "C" fn callback(code: i32) -> i32 {
    code
}

fn main() {}
