// Input:
// schedule!(create_task lookup(key), eager);
//
// Expansion:

fn expansion() {
    ::cosched::Builder::new().eager().create_task(lookup(key));
}
