// Raw identifiers: `r#match` is a task named `match`, and `r#in` an argument.
#[cosched::task]
async fn r#match(r#in: u8) -> u8 {
    r#in + 1
}

fn main() {
    cosched::run(async {
        let coroutine = r#match(1);
        assert_eq!(coroutine.meta().name(), "match");
        let task = coroutine.spawn();
        assert!(task.name().starts_with("match-"), "{}", task.name());
        assert_eq!(task.await, Ok(2));
    });
}
