// `local` accepts a `!Send` body (an `Rc` held across an await), gives a `Coroutine<_, Local>` and runs it on the loop's thread.
use std::cell::RefCell;
use std::rc::Rc;

#[cosched::task(local)]
async fn shared_len(items: Vec<u8>) -> (usize, std::thread::ThreadId) {
    let shared = Rc::new(RefCell::new(items));
    cosched::yield_now().await;
    shared.borrow_mut().push(0);
    let len = shared.borrow().len();
    (len, std::thread::current().id())
}

#[cosched::task(local)]
async fn takes_rc(value: Rc<u32>) -> u32 {
    cosched::yield_now().await;
    *value
}

fn main() {
    let driver = std::thread::current().id();
    cosched::run(async move {
        let coroutine: cosched::Coroutine<_, cosched::Local> = shared_len(vec![1, 2]);
        assert!(coroutine.meta().is_local());
        let (len, thread) = coroutine.spawn().await.expect("runs");
        assert_eq!(len, 3);
        assert_eq!(thread, driver);
        assert_eq!(takes_rc(Rc::new(5)).await, 5);
    });
}
