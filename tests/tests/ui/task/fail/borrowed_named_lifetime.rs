// `&'a T` with a lifetime parameter `<'a>`: both the parameter and the borrow are pointed at.
#[cosched::task]
async fn first<'a>(items: &'a [u32]) -> u32 {
    items[0]
}

fn main() {}
