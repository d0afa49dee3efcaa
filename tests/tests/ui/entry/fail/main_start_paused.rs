// `#[cosched::main(start_paused)]`: virtual time is for tests, where a
// paused clock cannot leave a program sleeping through its real deadlines.
#[cosched::main(start_paused)]
async fn main() {}
