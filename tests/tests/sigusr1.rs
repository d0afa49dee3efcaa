//! Debug mode's `kill -USR1 <pid>` (issue 14, item 4): the dump of every
//! live loop, through the report hook, and the program goes on. Unix only;
//! the report hook is process-wide, so this file is a test binary of its
//! own, with one test.
#![cfg(unix)]

mod common;

use std::sync::{Arc, Mutex};

use common::{FOREVER, ms, within};
use cosched::report::{self, Report};
use signal_hook::consts::SIGUSR1;

#[test]
fn sigusr1_in_debug_mode_reports_the_dump_of_every_live_loop() {
    within("the SIGUSR1 test", || {
        let seen: Arc<Mutex<Vec<Report>>> = Arc::default();
        let log = Arc::clone(&seen);
        report::set_hook(move |report| {
            if matches!(report, Report::Dump { .. }) {
                log.lock().unwrap().push(report.clone());
            }
        });
        // Debug mode for one loop is enough to install the handler;
        // the dump covers every loop alive, this other one as well.
        let other = cosched::EventLoop::new();
        let elsewhere = cosched::Builder::new()
            .name("sleeper-on-the-other-loop")
            .on(&other)
            .create_task(cosched::sleep(FOREVER));
        let event_loop = cosched::EventLoop::new();
        event_loop.set_debug(true);
        let dump = event_loop.run_until_complete(async {
            let sleeper = cosched::Builder::new()
                .name("sleeper-in-the-dump")
                .create_task(cosched::sleep(FOREVER));
            signal_hook::low_level::raise(SIGUSR1).unwrap();
            // The dump is made on cosched's signal thread: wait for it, a
            // bounded number of times (never a timing asserted).
            let mut dump = None;
            for _ in 0..6000 {
                if let Some(report) = seen.lock().unwrap().first() {
                    dump = Some(report.clone());
                    break;
                }
                cosched::sleep(ms(10)).await;
            }
            // The program went on: this task still runs, and ends as asked.
            sleeper.cancel();
            assert_eq!(sleeper.await, Err(cosched::TaskError::Cancelled));
            let Some(dump @ Report::Dump { .. }) = dump else {
                panic!("no dump was reported after SIGUSR1");
            };
            dump
        });
        drop(report::take_hook());
        let text = dump.to_string();
        let Report::Dump { loops } = dump else {
            unreachable!("matched above")
        };
        assert!(text.starts_with("SIGUSR1: "), "{text}");
        assert!(text.contains("sleeper-in-the-dump (id "), "{text}");
        let row = loops
            .iter()
            .flat_map(cosched::Dump::tasks)
            .find(|task| task.name() == "sleeper-in-the-dump")
            .unwrap_or_else(|| panic!("the task is in no loop's dump: {text}"));
        assert_eq!(row.spawned_at().file(), file!());
        // Every live loop: the other one's task is in its own dump.
        let holders: Vec<usize> = ["sleeper-in-the-dump", "sleeper-on-the-other-loop"]
            .iter()
            .map(|name| {
                loops
                    .iter()
                    .position(|dump| dump.tasks().iter().any(|task| task.name() == *name))
                    .unwrap_or_else(|| panic!("{name} is in no loop's dump: {text}"))
            })
            .collect();
        assert_ne!(holders[0], holders[1], "{text}");
        elsewhere.cancel();
    });
}
