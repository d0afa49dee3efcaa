// A block after a mode word is the expression, not a struct literal:
// `schedule!(create_task { .. })`, `schedule!(ensure_future { .. })`.
// (A block of one expression, `{ job(1) }`, is accepted too, with rustc's
// `unused_braces` warning, as for any call argument.)
use std::time::Duration;

use cosched::schedule;

#[cosched::task]
async fn job(n: u32) -> u32 {
    n * 2
}

fn main() {
    cosched::run(async {
        let a = schedule!(create_task {
            let n = 1;
            job(n)
        });
        let b = schedule!(ensure_future {
            let n = 2;
            job(n)
        });
        let c = schedule!(create_task {
            let n = 3;
            job(n)
        }, name = "block");
        assert_eq!(c.name(), "block");
        let d = schedule!(after {
            let ms = 1;
            Duration::from_millis(ms)
        } => job(4));
        assert_eq!(cosched::gather([a, b, c, d]).await, [Ok(2), Ok(4), Ok(6), Ok(8)]);
    });
}
