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

/// A failure's `Display` already says what its error says, so `source()`
/// is that error's own source, not the error again (an error chain, as
/// `anyhow` prints it, names each cause once): `None` for a task error or
/// a panic, the member's error's source for [`Failure::Err`]. The error
/// itself is in the variant.
///
/// ```
/// use std::error::Error;
/// use std::io;
///
/// let failure = cosched::Failure::Err(io::Error::other("disk full"));
/// assert_eq!(failure.to_string(), "task failed: disk full");
/// assert!(failure.source().is_none()); // "disk full" has no cause of its own
/// ```
impl<E: Error + 'static> Error for Failure<E> {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            Self::Member(error) => error.source(),
            Self::Err(error) => error.source(),
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

/// Like asyncio's `ExceptionGroup`, a group error is an error of its own:
/// `?` takes it into `Box<dyn Error + Send + Sync>` or `anyhow::Error` when
/// `E` is an error that is `Send + Sync` (for `GroupError<String>`, map it
/// first: `String` is no `Error`). Its `Display` names the first failure,
/// so `source()` is that failure's source, the next cause not yet said
/// (see [`Failure`]'s); [`errors`](GroupError::errors) has every failure.
///
/// ```
/// use std::error::Error;
///
/// #[derive(Debug)]
/// struct Refused;
/// impl std::fmt::Display for Refused {
///     fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
///         f.write_str("refused")
///     }
/// }
/// impl Error for Refused {}
///
/// async fn serve() -> Result<(), Box<dyn Error + Send + Sync>> {
///     let mut group = cosched::TaskGroup::<(), Refused>::fallible();
///     group.try_create_task(async { Err(Refused) });
///     group.join().await?;
///     Ok(())
/// }
/// # cosched::run(async {
/// let error = serve().await.unwrap_err();
/// assert_eq!(error.to_string(), "task group failed (1 error); the first: task failed: refused");
/// assert!(error.source().is_none());
/// # });
/// ```
impl<E: Error + 'static> Error for GroupError<E> {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.errors.first().and_then(Error::source)
    }
}

/// A group error in I/O code: an [`io::Error`](std::io::Error) of kind
/// [`Other`](std::io::ErrorKind::Other) that wraps it, as a
/// [`TaskError`] converts.
///
/// ```
/// use std::io;
///
/// async fn serve() -> io::Result<()> {
///     let mut group = cosched::TaskGroup::<(), io::Error>::fallible();
///     group.try_create_task(async { Err(io::Error::other("peer reset")) });
///     group.join().await?;
///     Ok(())
/// }
/// # cosched::run(async {
/// let error = serve().await.unwrap_err();
/// assert_eq!(error.kind(), io::ErrorKind::Other);
/// assert_eq!(error.to_string(), "task group failed (1 error); the first: task failed: peer reset");
/// # });
/// ```
impl<E: Error + Send + Sync + 'static> From<GroupError<E>> for std::io::Error {
    fn from(error: GroupError<E>) -> Self {
        Self::other(error)
    }
}
