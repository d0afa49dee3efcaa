//! Waiting for tasks without taking their results.
//!
//! `children` is what `gather` is made of: many tasks awaited at once,
//! each polled with a waker of its own, their results kept in their
//! [`Task`](crate::Task)s.

mod children;

pub(crate) use children::Children;
