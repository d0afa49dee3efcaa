// A generic `#[cosched::test]`: tests cannot have generic parameters.
#[cosched::test]
async fn works<T: Default>() {
    let _ = T::default();
}

fn main() {}
