//! The `tracing` feature (issue 14, item 6): each task a span with its
//! name, id, spawn site and parent task, entered around each poll, with
//! poll and completion events. Run with `--features tracing`; without it
//! this file is empty. A subscriber is process-wide: this one, written
//! here to depend on nothing but `tracing`, records every span and event,
//! and each test looks only at its own tasks.
#![cfg(feature = "tracing")]

mod common;

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, Once};

use common::FOREVER;
use cosched::TaskError;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Metadata, Subscriber};
use tracing_core::span::Current;

#[derive(Debug, Clone)]
struct SpanRecord {
    id: u64,
    metadata: &'static Metadata<'static>,
    name: &'static str,
    fields: BTreeMap<String, String>,
    parent: Option<u64>,
}

#[derive(Debug, Clone)]
struct EventRecord {
    level: Level,
    fields: BTreeMap<String, String>,
    parent: Option<u64>,
    /// The parent span's `task.name` when the event happened.
    parent_name: Option<String>,
}

static SPANS: Mutex<Vec<SpanRecord>> = Mutex::new(Vec::new());
static EVENTS: Mutex<Vec<EventRecord>> = Mutex::new(Vec::new());

thread_local! {
    /// The spans entered on this thread, innermost last.
    static ENTERED: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
}

/// Records every span (with its parent: explicit, or the one entered on
/// the creating thread) and every event (likewise).
struct Collector {
    next: AtomicU64,
}

struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0
            .insert(field.name().to_string(), format!("{value:?}"));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_string(), value.to_string());
    }
}

fn current() -> Option<u64> {
    ENTERED.with(|entered| entered.borrow().last().copied())
}

impl Subscriber for Collector {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, attributes: &Attributes<'_>) -> Id {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let mut fields = BTreeMap::new();
        attributes.record(&mut Fields(&mut fields));
        let parent = match attributes.parent() {
            Some(parent) => Some(parent.into_u64()),
            None if attributes.is_contextual() => current(),
            None => None,
        };
        SPANS.lock().unwrap().push(SpanRecord {
            id,
            metadata: attributes.metadata(),
            name: attributes.metadata().name(),
            fields,
            parent,
        });
        Id::from_u64(id)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut spans = SPANS.lock().unwrap();
        if let Some(record) = spans.iter_mut().find(|record| record.id == span.into_u64()) {
            values.record(&mut Fields(&mut record.fields));
        }
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut fields = BTreeMap::new();
        event.record(&mut Fields(&mut fields));
        let parent = match event.parent() {
            Some(parent) => Some(parent.into_u64()),
            None if event.is_contextual() => current(),
            None => None,
        };
        let parent_name = parent.and_then(|parent| {
            let spans = SPANS.lock().unwrap();
            let span = spans.iter().find(|span| span.id == parent)?;
            span.fields.get("task.name").cloned()
        });
        EVENTS.lock().unwrap().push(EventRecord {
            level: *event.metadata().level(),
            fields,
            parent,
            parent_name,
        });
    }

    /// The innermost span entered on this thread, as `Span::current()`
    /// asks (cosched records a coroutine's name on its task's span when it
    /// is the current one: see `task/trace.rs`).
    fn current_span(&self) -> Current {
        let Some(id) = current() else {
            return Current::none();
        };
        let spans = SPANS.lock().unwrap();
        match spans.iter().find(|span| span.id == id) {
            Some(span) => Current::new(Id::from_u64(id), span.metadata),
            None => Current::none(),
        }
    }

    fn enter(&self, span: &Id) {
        ENTERED.with(|entered| entered.borrow_mut().push(span.into_u64()));
    }

    fn exit(&self, span: &Id) {
        ENTERED.with(|entered| {
            let mut entered = entered.borrow_mut();
            if let Some(at) = entered.iter().rposition(|&id| id == span.into_u64()) {
                entered.remove(at);
            }
        });
    }
}

fn install() {
    static INSTALLED: Once = Once::new();
    INSTALLED.call_once(|| {
        tracing::subscriber::set_global_default(Collector {
            next: AtomicU64::new(1),
        })
        .unwrap();
    });
}

/// The span of the task with `id`.
fn span_of(id: cosched::TaskId) -> SpanRecord {
    let spans = SPANS.lock().unwrap();
    let found = spans
        .iter()
        .find(|span| span.fields.get("task.id") == Some(&id.as_u64().to_string()));
    found
        .cloned()
        .unwrap_or_else(|| panic!("no span has task.id = {id}: {spans:#?}"))
}

/// The events recorded inside the span `span`.
fn events_in(span: u64) -> Vec<EventRecord> {
    EVENTS
        .lock()
        .unwrap()
        .iter()
        .filter(|event| event.parent == Some(span))
        .cloned()
        .collect()
}

fn field<'a>(event: &'a EventRecord, name: &str) -> Option<&'a str> {
    event.fields.get(name).map(String::as_str)
}

#[test]
fn a_task_is_a_span_with_its_name_id_and_site_and_its_events_are_inside_it() {
    install();
    let (id, line) = cosched::run(async {
        let line = line!() + 1;
        let task = cosched::Builder::new().name("traced").create_task(async {
            tracing::info!(mark = "first poll", "in the task");
            cosched::yield_now().await;
            tracing::info!(mark = "second poll", "in the task");
        });
        let id = task.id();
        assert_eq!(task.await, Ok(()));
        (id, line)
    });
    let span = span_of(id);
    assert_eq!(span.name, "task");
    assert_eq!(span.fields["task.name"], "traced");
    let site = &span.fields["task.spawned_at"];
    let column = site
        .strip_prefix(&format!("{}:{line}:", file!()))
        .unwrap_or_else(|| panic!("spawned at {site}, not at line {line}"));
    assert!(column.parse::<u32>().is_ok(), "{site}");
    assert!(
        !span.fields.contains_key("task.parent_id"),
        "spawned by run's main future, which is not a task: {span:?}"
    );

    let events = events_in(span.id);
    for mark in ["first poll", "second poll"] {
        assert!(
            events
                .iter()
                .any(|event| field(event, "mark") == Some(mark)),
            "no event marked {mark:?} inside the task's span: {events:#?}"
        );
    }
    let polls = events
        .iter()
        .filter(|event| {
            event.level == Level::TRACE && field(event, "message") == Some("poll started")
        })
        .count();
    assert!(polls >= 2, "{events:#?}");
    let ends: Vec<&EventRecord> = events
        .iter()
        .filter(|event| field(event, "message") == Some("task ended"))
        .collect();
    assert_eq!(ends.len(), 1, "{events:#?}");
    assert_eq!(ends[0].level, Level::DEBUG);
    assert_eq!(field(ends[0], "outcome"), Some("returned"));
}

#[test]
fn a_task_spawned_in_a_task_names_its_parent_and_its_span_is_a_child() {
    install();
    let (parent, child) = cosched::run(async {
        let parent = cosched::Builder::new().name("parent").create_task(async {
            let child = cosched::Builder::new().name("child").create_task(async {});
            let id = child.id();
            child.await.unwrap();
            id
        });
        let parent_id = parent.id();
        (parent_id, parent.await.unwrap())
    });
    let (parent, child) = (span_of(parent), span_of(child));
    assert_eq!(child.fields["task.name"], "child");
    assert_eq!(child.fields["task.parent_id"], parent.fields["task.id"]);
    assert_eq!(child.parent, Some(parent.id));
}

#[test]
fn a_task_that_panics_or_is_cancelled_ends_with_that_outcome() {
    install();
    let (panicked, cancelled) = cosched::run(async {
        let panicked = cosched::create_task(async { panic!("boom in a span") });
        let cancelled = cosched::create_task(cosched::sleep(FOREVER));
        let ids = (panicked.id(), cancelled.id());
        cosched::yield_now().await;
        cancelled.cancel();
        assert!(matches!(panicked.await, Err(TaskError::Panicked(_))));
        assert_eq!(cancelled.await, Err(TaskError::Cancelled));
        ids
    });
    let ended = |id| {
        let events = events_in(span_of(id).id);
        let ends: Vec<EventRecord> = events
            .iter()
            .filter(|event| field(event, "message") == Some("task ended"))
            .cloned()
            .collect();
        assert_eq!(ends.len(), 1, "{events:#?}");
        assert_eq!(ends[0].level, Level::DEBUG);
        ends[0].clone()
    };
    let end = ended(panicked);
    assert_eq!(field(&end, "outcome"), Some("panicked"));
    assert_eq!(field(&end, "panic"), Some("boom in a span"));
    assert_eq!(field(&ended(cancelled), "outcome"), Some("cancelled"));
}

#[cosched::task]
async fn named_at_its_first_poll(x: u32) -> u32 {
    tracing::info!(mark = "in the coroutine", "first poll");
    cosched::yield_now().await;
    x
}

/// `create_task` of a `#[task]` coroutine takes it as a plain future: the
/// task is `Task-<id>` at its spawn, and named after the coroutine's fn at
/// its first poll (`poll::naming`). Its span has that final name, not the
/// provisional one (which a span that recorded the name at the spawn only
/// would keep); so has an eager task's, first polled inside `create_task`.
/// And the span has it before the coroutine's code runs: what that code
/// logs in the first poll is inside a span with the name.
#[test]
fn a_coroutine_scheduled_with_create_task_is_a_span_named_after_its_fn() {
    install();
    let (lazy, eager) = cosched::run(async {
        let lazy = cosched::create_task(named_at_its_first_poll(1));
        let eager = cosched::Builder::new()
            .eager()
            .create_task(named_at_its_first_poll(2));
        let ids = (lazy.id(), eager.id());
        assert_eq!(lazy.await, Ok(1));
        assert_eq!(eager.await, Ok(2));
        ids
    });
    for id in [lazy, eager] {
        let span = span_of(id);
        assert_eq!(
            span.fields.get("task.name"),
            Some(&format!("named_at_its_first_poll-{id}")),
            "{span:?}"
        );
        // The coroutine's code ran inside the span it names, named.
        let events = events_in(span.id);
        let logged = events
            .iter()
            .find(|event| field(event, "mark") == Some("in the coroutine"))
            .unwrap_or_else(|| panic!("{events:#?}"));
        assert_eq!(
            logged.parent_name.as_deref(),
            Some(&*format!("named_at_its_first_poll-{id}")),
            "{events:#?}"
        );
    }
}

/// A task given its name in full has it in its span from the spawn, and
/// a plain future's task its `Task-<id>` (nothing renames either).
#[test]
fn a_given_name_and_a_plain_futures_name_are_in_the_span() {
    install();
    let (given, plain) = cosched::run(async {
        let given = cosched::Builder::new()
            .name("given in full")
            .create_task(named_at_its_first_poll(3));
        let plain = cosched::create_task(async { 4 });
        let ids = (given.id(), plain.id());
        assert_eq!(given.await, Ok(3));
        assert_eq!(plain.await, Ok(4));
        ids
    });
    assert_eq!(span_of(given).fields["task.name"], "given in full");
    assert_eq!(span_of(plain).fields["task.name"], format!("Task-{plain}"));
}
