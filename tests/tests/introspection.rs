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
    // The gather's two tasks are the loop's only ones (named `idle-N` from
    // their first poll on, `Task-N` until then).
    let sites: Vec<u32> = cosched::all_tasks()
        .iter()
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

async fn settle() {
    // Long enough for the tasks above to reach their awaits; never a
    // timing asserted on.
    cosched::sleep(common::ms(20)).await;
}

fn row(dump: &cosched::Dump, id: cosched::TaskId) -> cosched::TaskInfo {
    dump.tasks()
        .iter()
        .find(|row| row.id() == id)
        .cloned()
        .unwrap_or_else(|| panic!("task {id} not in the dump:\n{dump}"))
}

/// A task awaiting a task (directly or through `wait_for`) is drawn above
/// it, and `capture_call_graph` walks up from it.
#[cosched::test]
async fn awaiting_a_task_is_an_edge() {
    let worker = cosched::Builder::new()
        .name("worker")
        .create_task(cosched::sleep(FOREVER));
    let worker_id = worker.id();
    let watched = worker.task_ref();
    let boss = cosched::Builder::new()
        .name("boss")
        .create_task(async move { worker.await });
    let boss_id = boss.id();
    let chief = cosched::Builder::new()
        .name("chief")
        .create_task(async move { cosched::wait_for(boss, FOREVER).await });
    settle().await;

    let dump = cosched::dump();
    assert_eq!(row(&dump, boss_id).awaits(), [worker_id]);
    assert_eq!(row(&dump, chief.id()).awaits(), [boss_id]);
    let tree = dump.to_string();
    let lines: Vec<&str> = tree.lines().collect();
    let chief_line = lines
        .iter()
        .position(|l| l.starts_with("chief (id"))
        .expect(&tree);
    assert!(lines[chief_line + 1].starts_with("└── boss (id"), "{tree}");
    assert!(
        lines[chief_line + 2].starts_with("    └── worker (id"),
        "{tree}"
    );
    assert!(dump.cycles().is_empty());

    let graph = cosched::capture_call_graph(&watched);
    assert_eq!(graph.task().name(), "worker");
    assert_eq!(graph.awaited_by()[0].task().name(), "boss");
    assert_eq!(graph.awaited_by()[0].awaited_by()[0].task().name(), "chief");
    let text = graph.to_string();
    assert!(text.starts_with("* worker (id "), "{text}");
    assert!(text.contains("\n  awaited by:\n    * boss (id "), "{text}");
    chief.cancel();
}

/// `gather` and a group's `join` make their awaiter await each task,
/// including a member added while the group is joined.
#[cosched::test]
async fn gathering_and_joining_are_edges() {
    let gatherer = cosched::Builder::new().name("gatherer").create_task(async {
        cosched::gather([idle(), idle()]).await;
    });
    let (tx, rx) = std::sync::mpsc::channel();
    let joiner = cosched::Builder::new()
        .name("joiner")
        .create_task(async move {
            let mut group = cosched::TaskGroup::new();
            let handle = group.handle();
            group.create_task(idle());
            group.create_task(async move {
                cosched::sleep(common::ms(5)).await;
                tx.send(handle.create_task(idle()).id()).unwrap();
            });
            group.join().await
        });
    settle().await;
    let late = rx.recv().unwrap();
    let dump = cosched::dump();
    let gathered = row(&dump, gatherer.id());
    assert_eq!(gathered.awaits().len(), 2, "{dump}");
    for id in gathered.awaits() {
        assert!(row(&dump, *id).name().starts_with("idle-"));
    }
    let joined = row(&dump, joiner.id());
    assert_eq!(
        joined.awaits().len(),
        2,
        "one idle member and the late one:\n{dump}"
    );
    assert!(joined.awaits().contains(&late), "{dump}");
    gatherer.cancel();
    joiner.cancel();
}

/// A cycle through a gather (which `Join`'s check does not see) is named
/// in the tree, in `cycles()` and in red in the DOT.
#[cosched::test]
async fn an_await_cycle_through_a_gather_is_reported() {
    let slot: std::sync::Arc<std::sync::Mutex<Option<cosched::Task<()>>>> =
        std::sync::Arc::default();
    let inbox = std::sync::Arc::clone(&slot);
    let b = cosched::Builder::new().name("b").create_task(async move {
        let a = loop {
            if let Some(a) = inbox.lock().unwrap().take() {
                break a;
            }
            cosched::sleep(common::ms(1)).await;
        };
        let _ = a.await;
    });
    let b_id = b.id();
    let a = cosched::Builder::new().name("a").create_task(async move {
        cosched::gather([b]).await;
    });
    let a_ref = a.task_ref();
    *slot.lock().unwrap() = Some(a);
    settle().await;

    let dump = cosched::dump();
    // Found from the first task by id (b), with no task outside it to
    // start from.
    assert_eq!(dump.cycles(), [vec![b_id, a_ref.id()]], "{dump}");
    let tree = dump.to_string();
    assert!(tree.contains("└── a (id"), "{tree}");
    assert!(tree.contains("↺ b (id"), "{tree}");
    assert!(tree.contains("await cycle: b → a → b"), "{tree}");
    let dot = dump.to_dot();
    assert!(
        dot.contains(&format!("t{} -> t{b_id} [color=red", a_ref.id())),
        "{dot}"
    );
    a_ref.cancel();
}

/// In debug mode (every `#[cosched::test]`) a task's age is known; out of
/// it, it is not measured, and not shown.
#[test]
fn a_tasks_age_is_recorded_in_debug_mode_only() {
    let plain = cosched::EventLoop::new();
    let debug = cosched::EventLoop::new();
    debug.set_debug(true);
    for (event_loop, expected) in [(&plain, cosched::debug::is_enabled()), (&debug, true)] {
        event_loop.run_until_complete(async {
            let task = cosched::create_task(cosched::sleep(FOREVER));
            let dump = cosched::dump();
            assert_eq!(dump.tasks()[0].age().is_some(), expected);
            assert_eq!(dump.to_string().contains(", age "), expected, "{dump}");
            task.cancel();
        });
    }
}
