// Input:
// schedule!(every period => probe(), times = attempts, name = "probe");
//
// Expansion:

fn expansion() {
    ::cosched::Builder::new()
        .name("probe")
        .create_task(::cosched::Every::new(period).times(attempts, move || probe()));
}
