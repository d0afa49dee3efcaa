//! Runs the `see_tasks` example and checks what it shows: the crawler's
//! tasks as a tree, a call graph, and the report of the panic it loses.

use std::path::PathBuf;
use std::process::Command;

/// The `see_tasks` example, which `cargo test` builds beside this test.
fn example() -> PathBuf {
    cosched_examples::example_path("see_tasks")
}

fn run(args: &[&str]) -> (String, String) {
    let output = Command::new(example())
        .args(args)
        .env_remove("COSCHED_DEBUG")
        .output()
        .expect("the example starts");
    assert!(output.status.success(), "exit status {}", output.status);
    (
        String::from_utf8(output.stdout).expect("UTF-8"),
        String::from_utf8(output.stderr).expect("UTF-8"),
    )
}

#[test]
fn the_tree_the_call_graph_and_the_lost_panic() {
    let (stdout, stderr) = run(&[]);
    let tree: Vec<&str> = stdout.lines().collect();
    assert_eq!(tree[0], "event loop 1: 6 live tasks", "{stdout}");
    assert!(
        tree[1].starts_with("crawler-1 (id 1, running, spawned at examples/see_tasks.rs:"),
        "{stdout}"
    );
    assert!(tree[2].starts_with("├── crawl-"), "{stdout}");
    assert!(tree[3].starts_with("│   ├── fetch-"), "{stdout}");
    assert!(tree[4].starts_with("│   └── fetch-"), "{stdout}");
    assert!(tree[5].starts_with("└── crawl-"), "{stdout}");
    assert!(tree[6].starts_with("    └── fetch-"), "{stdout}");
    assert!(stdout.contains("  awaited by:\n    * crawl-"), "{stdout}");
    assert!(stdout.contains("crawled Ok(3) pages"), "{stdout}");
    let report = stderr.lines().last().unwrap_or_default();
    assert!(
        report.starts_with("panic in task `Task-7` (spawned at examples/see_tasks.rs:"),
        "{stderr}"
    );
    assert!(
        report.ends_with(") was never retrieved: no one is listening"),
        "{stderr}"
    );
}

#[test]
fn the_dot() {
    let (stdout, _) = run(&["--dot"]);
    assert!(stdout.starts_with("digraph cosched {\n"), "{stdout}");
    let edges: Vec<(u32, u32)> = stdout
        .lines()
        .filter_map(|line| {
            let (from, to) = line.trim().strip_suffix(';')?.split_once(" -> ")?;
            Some((
                from.strip_prefix('t')?.parse().ok()?,
                to.strip_prefix('t')?.parse().ok()?,
            ))
        })
        .collect();
    let children = |parent: u32| -> Vec<u32> {
        edges
            .iter()
            .filter(|(from, _)| *from == parent)
            .map(|(_, to)| *to)
            .collect()
    };
    // The crawler (id 1) awaits the two crawls `gather` made. Which ids
    // they get depends on whether the first crawl has started its fetches
    // before `gather` spawns the second, so the test follows the edges.
    let crawls = children(1);
    assert_eq!(crawls.len(), 2, "{stdout}");
    for crawl in &crawls {
        assert!(
            stdout.contains(&format!("t{crawl} [label=\"crawl-")),
            "{stdout}"
        );
    }
    let mut fetches: Vec<usize> = crawls.iter().map(|crawl| children(*crawl).len()).collect();
    fetches.sort_unstable();
    assert_eq!(fetches, [1, 2], "{stdout}");
    assert_eq!(edges.len(), 5, "{stdout}");
}
