// Input:
// schedule!(ensure_future fetch(url), on = &event_loop, name = format!("fetch-{id}"));
//
// Expansion:

fn expansion() {
    ::cosched::Builder::new()
        .name(format!("fetch-{id}"))
        .on(&event_loop)
        .ensure_future(fetch(url));
}
