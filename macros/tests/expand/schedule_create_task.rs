// Input:
// schedule!(create_task fetch(url.clone()));
//
// Expansion:

fn expansion() {
    ::cosched::create_task(fetch(url.clone()));
}
