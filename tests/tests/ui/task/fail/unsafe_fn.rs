// An `unsafe fn` task: its caller cannot uphold a contract for a body that runs later.
#[cosched::task]
async unsafe fn read_raw(address: usize) -> u8 {
    address as u8
}

fn main() {}
