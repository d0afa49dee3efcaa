// `schedule!(EXPR)` is `create_task`: any expression, including a block, a method call or a variable.
use cosched::schedule;

#[cosched::task]
async fn double(n: u32) -> u32 {
    n * 2
}

fn main() {
    cosched::run(async {
        let task: cosched::Task<u32> = schedule!(double(1));
        assert_eq!(task.await, Ok(2));
        assert_eq!(schedule!(async { "block" }).await, Ok("block"));
        let coroutine = double(2);
        assert_eq!(schedule!(coroutine).await, Ok(4));
        let numbers = [3_u32];
        assert_eq!(schedule!(double(numbers[0])).await, Ok(6));
        // A trailing comma is allowed.
        assert_eq!(schedule!(double(4),).await, Ok(8));
    });
}
