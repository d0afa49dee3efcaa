// Input:
// schedule!(every period => tick(), name = "ticker", on = lp, crate = my::cosched,);
//
// Expansion:

fn expansion() {
    my::cosched::Builder::new()
        .name("ticker")
        .on(&lp)
        .create_task(my::cosched::every(period, move || tick()));
}
