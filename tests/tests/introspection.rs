//! Introspection (issue 14): where each task came from, the await graph,
//! and the reports cosched prints about tasks.

mod common;

use std::time::Duration;

use common::FOREVER;
use cosched::{schedule, task};

#[task]
async fn job(x: u32) -> u32 {
    x
}

/// Every way of scheduling records the user's line, not cosched's.
#[cosched::test]
async fn every_way_of_scheduling_records_the_users_line() {
    let this_file = file!();
    let line = line!() + 1;
    let created = cosched::create_task(job(1));
    let ensured = cosched::ensure_future(job(2));
    let spawned = job(3).spawn();
    let built = cosched::Builder::new().name("b").create_task(job(4));
    let scheduled = schedule!(create_task job(5));
    let wrapped = schedule!(ensure_future job(6));
    let later = schedule!(after Duration::ZERO => job(7));
    for (line, task) in (line..).zip([created, ensured, spawned, built, scheduled, wrapped, later])
    {
        let site = task.spawn_site();
        assert_eq!(
            (site.file(), site.line()),
            (this_file, line),
            "{}",
            task.name()
        );
    }

    let mut group = cosched::TaskGroup::new();
    let line = line!() + 1;
    let member = group.create_task(job(8));
    let named = group.create_task_named("m", job(9));
    let by_handle = group.handle().create_task(job(10));
    for (line, task) in (line..).zip([member, named, by_handle]) {
        assert_eq!(task.spawn_site().line(), line, "{}", task.name());
    }
    assert_eq!(group.join().await.map(|v| v.len()), Ok(3));
}

/// `gather`, `wait` and `as_completed` schedule their coroutines at their
/// caller's line.
#[cosched::test]
async fn gathered_coroutines_record_the_gathers_line() {
    let line = line!() + 1;
    let gather = cosched::gather([idle(), idle()]);
    let sites: Vec<u32> = cosched::all_tasks()
        .iter()
        .filter(|task| task.name().starts_with("idle-"))
        .map(|task| task.spawn_site().line())
        .collect();
    assert_eq!(sites, [line, line]);
    drop(gather); // cancels them
}

#[task]
async fn idle() {
    cosched::sleep(FOREVER).await;
}

/// A task spawned by a task records the inner line.
#[cosched::test]
async fn a_nested_spawn_records_the_inner_line() {
    let outer = cosched::create_task(async {
        let inner = cosched::create_task(cosched::sleep(FOREVER));
        let site = inner.spawn_site().line();
        inner.cancel();
        site
    });
    assert_eq!(outer.await, Ok(line!() - 5));
}
