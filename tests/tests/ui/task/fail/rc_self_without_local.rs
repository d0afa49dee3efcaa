// `self: Rc<Self>` without `local`: an `Rc` cannot go to another thread; refused at `Rc<Self>`, with a help naming `local`.
use std::rc::Rc;

struct Widget;

impl Widget {
    #[cosched::task]
    async fn redraw(self: Rc<Self>) {
        cosched::yield_now().await;
    }
}

fn main() {
    let _ = Rc::new(Widget).redraw();
}
