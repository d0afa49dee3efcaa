// Input:
// schedule!(every period => report(stats.clone()), missed = delay, jitter = Duration::from_millis(250), times = 10, first = after_period);
//
// Expansion:

fn expansion() {
    ::cosched::create_task(
        ::cosched::Every::new(period)
            .missed(::cosched::Missed::Delay)
            .jitter(Duration::from_millis(250))
            .first(::cosched::FirstRun::AfterPeriod)
            .times(10, move || report(stats.clone())),
    );
}
