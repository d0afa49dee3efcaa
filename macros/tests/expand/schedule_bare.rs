// Input:
// schedule!(indication(Duration::from_secs(1)));
//
// Expansion:

fn expansion() {
    ::cosched::create_task(indication(Duration::from_secs(1)));
}
