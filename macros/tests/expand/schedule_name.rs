// Input:
// schedule!(fetch(url), name = "fetcher");
//
// Expansion:

fn expansion() {
    ::cosched::Builder::new().name("fetcher").create_task(fetch(url));
}
