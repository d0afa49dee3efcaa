// Input:
// schedule!(fetch(url), on = *loops.get(0).unwrap());
//
// Expansion:

fn expansion() {
    ::cosched::EventLoop::create_task(&(*loops.get(0).unwrap()), fetch(url));
}
