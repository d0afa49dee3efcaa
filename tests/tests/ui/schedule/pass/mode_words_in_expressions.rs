// A mode word followed by `(`, `.` or `::` is part of the expression; a raw identifier is never a mode.
use cosched::schedule;

#[cosched::task]
async fn create_task(n: u32) -> u32 {
    n + 1
}

mod after {
    pub async fn job() -> u8 {
        3
    }
}

fn main() {
    cosched::run(async {
        // A call of the fn named `create_task`, scheduled with `create_task`.
        assert_eq!(schedule!(create_task(1)).await, Ok(2));
        assert_eq!(schedule!(after::job()).await, Ok(3));
        let every = async { 4 };
        assert_eq!(schedule!(r#every).await, Ok(4));
        let at = create_task(4);
        assert_eq!(schedule!(ensure_future r#at).await, Ok(5));
    });
}
