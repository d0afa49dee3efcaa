// Input:
// schedule!(ensure_future some_future_or_coroutine);
//
// Expansion:

fn expansion() {
    ::cosched::ensure_future(some_future_or_coroutine);
}
