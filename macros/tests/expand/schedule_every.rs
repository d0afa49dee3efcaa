// Input:
// schedule!(every Duration::from_secs(1) => tick(counter.clone()));
//
// Expansion:

fn expansion() {
    ::cosched::create_task(
        ::cosched::every(Duration::from_secs(1), move || tick(counter.clone())),
    );
}
