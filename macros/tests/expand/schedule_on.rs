// Input:
// schedule!(fetch(url), on = event_loop);
//
// Expansion:

fn expansion() {
    event_loop.create_task(fetch(url));
}
