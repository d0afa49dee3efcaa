// Input:
// schedule!(fetch(url), on = *loops.get(0).unwrap());
//
// Expansion:

fn expansion() {
    (*loops.get(0).unwrap()).create_task(fetch(url));
}
