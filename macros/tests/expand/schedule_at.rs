// Input:
// schedule!(at deadline => alarm());
//
// Expansion:

fn expansion() {
    ::cosched::create_task(::cosched::at(deadline, alarm()));
}
