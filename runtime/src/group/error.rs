//! How a group's members fail, and the error a group returns.

use std::error::Error;
use std::fmt;

use crate::task::{PanicMessage, TaskError};

/// Why one member of a [`TaskGroup`](crate::TaskGroup) gave no output.
///
/// ```
/// # cosched::run(async {
/// let mut group = cosched::TaskGroup::<u8, String>::fallible();
/// group.try_create_task(async { Err("refused".to_owned()) });
/// let error = group.join().await.unwrap_err();
/// assert_eq!(error.errors(), [cosched::Failure::Err("refused".to_owned())]);
/// # });
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure<E> {
    /// The member panicked (its body, or a destructor of its locals, also
    /// one that ran while it was being cancelled), was cancelled, or was
    /// never run ([`TaskError::NotOnLoopThread`]). A cancelled member does
    /// not fail its group; only [`TaskGroup::join_next`](crate::TaskGroup::join_next)
    /// reports it.
    Member(TaskError),
    /// The member returned `Err` (a member added with
    /// [`try_create_task`](crate::TaskGroup::try_create_task)).
    Err(E),
    /// The body of [`TaskGroup::scope`](crate::TaskGroup::scope) panicked,
    /// while it ran or while it was dropped because the group stopped.
    Body(PanicMessage),
}

impl<E> Failure<E> {
    /// Whether this is a member's cancellation, which does not fail a group.
    ///
    /// ```
    /// let failure = cosched::Failure::<()>::Member(cosched::TaskError::Cancelled);
    /// assert!(failure.is_cancelled());
    /// ```
    pub fn is_cancelled(&self) -> bool {
        matches!(self, Self::Member(TaskError::Cancelled))
    }
}

impl<E: fmt::Display> fmt::Display for Failure<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Member(error) => error.fmt(f),
            Self::Err(error) => write!(f, "task failed: {error}"),
            Self::Body(message) => write!(f, "the group's body panicked: {message}"),
        }
    }
}

impl<E: Error + 'static> Error for Failure<E> {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            Self::Member(error) => Some(error),
            Self::Err(error) => Some(error),
            Self::Body(_) => None,
        }
    }
}

/// Every failure of a group's members, in the order they happened, like
/// asyncio's `ExceptionGroup`: the first one stopped the group, the others
/// happened while it stopped (a member that panics while it is cancelled
/// is one). Never empty.
///
/// ```
/// # cosched::run(async {
/// let mut group = cosched::TaskGroup::<()>::new();
/// group.create_task(async { panic!("one") });
/// let error = group.join().await.unwrap_err();
/// assert_eq!(error.to_string(), "task group failed (1 error); the first: task panicked: one");
/// # });
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupError<E> {
    errors: Vec<Failure<E>>,
}

impl<E> GroupError<E> {
    pub(super) fn new(errors: Vec<Failure<E>>) -> Self {
        debug_assert!(!errors.is_empty(), "a group error names a failure");
        Self { errors }
    }

    /// The failures, the first one first.
    ///
    /// ```
    /// # cosched::run(async {
    /// let mut group = cosched::TaskGroup::<()>::new();
    /// group.create_task(async { panic!("boom") });
    /// let error = group.join().await.unwrap_err();
    /// assert_eq!(error.errors(), [cosched::Failure::Member(cosched::TaskError::Panicked("boom".into()))]);
    /// # });
    /// ```
    pub fn errors(&self) -> &[Failure<E>] {
        &self.errors
    }

    /// The failures, by value.
    ///
    /// ```
    /// # cosched::run(async {
    /// let mut group = cosched::TaskGroup::<(), u8>::fallible();
    /// group.try_create_task(async { Err(7) });
    /// let errors = group.join().await.unwrap_err().into_errors();
    /// assert_eq!(errors, vec![cosched::Failure::Err(7)]);
    /// # });
    /// ```
    pub fn into_errors(self) -> Vec<Failure<E>> {
        self.errors
    }
}

impl<E: fmt::Display> fmt::Display for GroupError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.errors.len();
        let errors = if count == 1 { "error" } else { "errors" };
        write!(f, "task group failed ({count} {errors})")?;
        if let Some(first) = self.errors.first() {
            write!(f, "; the first: {first}")?;
        }
        Ok(())
    }
}

impl<E: Error + 'static> Error for GroupError<E> {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.errors
            .first()
            .map(|first| first as &(dyn Error + 'static))
    }
}
