// Input:
// schedule!(ensure_future lookup(key), name = "cached", on = lp, eager);
//
// Expansion:

fn expansion() {
    ::cosched::Builder::new().name("cached").on(&lp).eager().ensure_future(lookup(key));
}
