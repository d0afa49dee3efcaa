// Input:
// schedule!(fetch(url), on = event_loop);
//
// Expansion:

fn expansion() {
    ::cosched::EventLoop::create_task(&event_loop, fetch(url));
}
