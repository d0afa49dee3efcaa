//! Seeing your tasks: a small crawler, and what cosched shows of it while
//! it runs (`cosched::dump()`, as a tree and as Graphviz DOT, and
//! `capture_call_graph`), and after it lost a panic.
//!
//! ```text
//! cargo run --example see_tasks            # the tree, the call graph, the lost panic
//! cargo run --example see_tasks -- --dot   # the DOT instead: | dot -Tsvg > tasks.svg
//! ```

use std::time::Duration;

use cosched::{TaskGroup, schedule, task};

/// Fetches a page (here: waits, as if on the network).
#[task]
async fn fetch(page: u32) -> u32 {
    cosched::sleep(Duration::from_millis(1000 + u64::from(page) * 100)).await;
    page * 10
}

/// Fetches a site's pages in a group, then returns their sizes.
#[task]
async fn crawl(pages: u32) -> Vec<u32> {
    let mut group = TaskGroup::new();
    for page in 0..pages {
        group.create_task(fetch(page));
    }
    group.join().await.unwrap_or_default()
}

/// Crawls two sites at once.
#[task]
async fn crawler() -> usize {
    let sizes = cosched::gather([crawl(2), crawl(1)]).await;
    sizes.into_iter().flatten().flatten().count()
}

#[cosched::main]
async fn main() {
    let dot = std::env::args().any(|arg| arg == "--dot");
    let crawler = schedule!(create_task crawler());
    // Until the crawl is all there: two crawls and three fetches, and who
    // awaits whom (five edges), however busy the machine (or until it is
    // over, on a machine so busy that the first fetch ended first).
    let dump = loop {
        let dump = cosched::dump();
        let edges: usize = dump.tasks().iter().map(|task| task.awaits().len()).sum();
        if edges == 5 || crawler.is_done() {
            break dump;
        }
        cosched::sleep(Duration::from_millis(10)).await;
    };
    if dot {
        print!("{}", dump.to_dot());
        crawler.cancel();
        return;
    }
    println!("{dump}");
    let fetch = dump
        .tasks()
        .iter()
        .find(|task| task.name().starts_with("fetch-"))
        .expect("a fetch is running");
    let fetch = cosched::all_tasks()
        .into_iter()
        .find(|task| task.id() == fetch.id())
        .expect("still running");
    print!("{}", cosched::capture_call_graph(&fetch));
    println!("crawled {:?} pages", crawler.await);

    // A task that panics and whose result nobody takes: reported on
    // stderr, once, when its handle goes.
    let careless = cosched::create_task(async { panic!("no one is listening") });
    while !careless.is_done() {
        cosched::yield_now().await;
    }
    drop(careless);
}
