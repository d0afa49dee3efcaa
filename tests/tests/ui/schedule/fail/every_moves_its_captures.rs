// `every PERIOD => EXPR` makes `EXPR` the body of a hidden `move ||` closure
// (`every` calls it for each run, and the task outlives the caller), so a
// variable `EXPR` uses is moved into the task: using it afterwards is E0382,
// whose "value moved into closure here" points at `EXPR`. Clone it before
// the `schedule!` to keep a copy.
use std::time::Duration;

#[cosched::task]
async fn greet(name: String) {
    println!("hello {name}");
}

fn main() {
    cosched::run(async {
        let name = String::from("world");
        let _ticker = cosched::schedule!(every Duration::from_secs(1) => greet(name.clone()));
        println!("{name}");
    });
}
