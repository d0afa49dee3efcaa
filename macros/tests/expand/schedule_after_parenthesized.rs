// Input:
// schedule!(after (delay * 2) => retry(request));
//
// Expansion:

fn expansion() {
    ::cosched::create_task(::cosched::after(delay * 2, retry(request)));
}
