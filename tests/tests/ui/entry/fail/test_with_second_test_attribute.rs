// `#[cosched::test]` together with `#[test]`: the second test attribute is pointed at.
#[cosched::test]
#[test]
async fn works() {}

fn main() {}
