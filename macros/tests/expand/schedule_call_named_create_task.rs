// Input:
// schedule!(create_task(fetch(url)));
//
// Expansion:

fn expansion() {
    ::cosched::create_task(create_task(fetch(url)));
}
