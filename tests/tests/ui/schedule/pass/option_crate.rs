// `crate = path` finds cosched through a re-export, with and without other options.
use std::time::Duration;

mod reexport {
    pub use ::cosched as rt;
}

fn main() {
    reexport::rt::run(async {
        let task = cosched::schedule!(async { 1 }, crate = reexport::rt);
        assert_eq!(task.await, Ok(1));
        let task = cosched::schedule!(
            after Duration::ZERO => async { 2 },
            crate = crate::reexport::rt,
            name = "two",
        );
        assert_eq!(task.name(), "two");
        assert_eq!(task.await, Ok(2));
    });
}
