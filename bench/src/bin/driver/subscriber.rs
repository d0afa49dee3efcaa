//! The `tracing` feature's listener (only with that feature): with
//! `COSCHED_BENCH_SUBSCRIBER=1`, a subscriber that takes every span and
//! event, formats their fields (as a logger would) into nothing, and keeps
//! nothing: what the tasks' spans cost cosched when someone listens, less
//! what a real subscriber does with them.

use std::fmt;
use std::io::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

fn wanted() -> bool {
    std::env::var_os("COSCHED_BENCH_SUBSCRIBER").is_some_and(|value| value == "1")
}

/// Installs it, if asked (children inherit the variable).
pub(crate) fn install() {
    if wanted() {
        let listener = Listener {
            next: AtomicU64::new(1),
        };
        tracing::subscriber::set_global_default(listener)
            .expect("the driver sets no other subscriber");
    }
}

pub(crate) fn described() -> &'static str {
    if wanted() {
        "`COSCHED_BENCH_SUBSCRIBER=1`, a subscriber that takes every span and event, \
         formats their fields into nothing and keeps nothing"
    } else {
        "no subscriber"
    }
}

struct Listener {
    next: AtomicU64,
}

/// Formats each field it is shown, and drops the text.
struct Sink;

impl Visit for Sink {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        let _ = write!(std::io::sink(), "{}={value:?}", field.name());
    }
}

impl Subscriber for Listener {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, attributes: &Attributes<'_>) -> Id {
        attributes.record(&mut Sink);
        Id::from_u64(self.next.fetch_add(1, Ordering::Relaxed))
    }

    fn record(&self, _: &Id, values: &Record<'_>) {
        values.record(&mut Sink);
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        event.record(&mut Sink);
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}
