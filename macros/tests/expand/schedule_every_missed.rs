// Input:
// schedule!(every Duration::from_secs(1) => poll(), missed = burst);
//
// Expansion:

fn expansion() {
    ::cosched::create_task(
        ::cosched::Every::new(Duration::from_secs(1))
            .missed(::cosched::Missed::Burst)
            .forever(move || poll()),
    );
}
