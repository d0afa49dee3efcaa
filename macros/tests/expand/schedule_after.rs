// Input:
// schedule!(after Duration::from_millis(250) => retry(request));
//
// Expansion:

fn expansion() {
    ::cosched::create_task(::cosched::after(Duration::from_millis(250), retry(request)));
}
