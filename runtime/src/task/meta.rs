//! What a `#[task]` fn's attribute said, which every task of it points at.

/// What a [`#[task]`](crate::task) fn's attribute said: the task-name
/// prefix and the options. Every [`Coroutine`](crate::Coroutine) points at its fn's.
///
/// ```
/// static META: cosched::TaskMeta = cosched::TaskMeta::new("worker").limit(4);
/// assert_eq!(META.name(), "worker");
/// assert_eq!(META.max_running(), Some(4));
/// assert!(!META.is_local());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskMeta {
    // Public but hidden for the `#[task]` expansion alone, which writes
    // `&TaskMeta { .. }`: rustc promotes the literal to a constant of the
    // fn's own, where a `static` would be one more item to check and
    // evaluate (0.05 ms more per task in `cargo check`). Not an API: use
    // `new`, the builders and the accessors.
    #[doc(hidden)]
    pub name: &'static str,
    #[doc(hidden)]
    pub local: bool,
    /// `limit = n`, or 0 for none (a literal `0` is cheaper for rustc to
    /// check than `Option::None`).
    #[doc(hidden)]
    pub limit: usize,
}

impl TaskMeta {
    /// Metadata with this name prefix and no options.
    ///
    /// ```
    /// assert_eq!(cosched::TaskMeta::new("fetch").name(), "fetch");
    /// ```
    pub const fn new(name: &'static str) -> Self {
        Self {
            name,
            local: false,
            limit: 0,
        }
    }

    /// Records the `local` option.
    ///
    /// ```
    /// assert!(cosched::TaskMeta::new("ui").local().is_local());
    /// ```
    #[must_use]
    pub const fn local(mut self) -> Self {
        self.local = true;
        self
    }

    /// Records the `limit = n` option (`limit(0)` records none).
    ///
    /// ```
    /// assert_eq!(cosched::TaskMeta::new("io").limit(8).max_running(), Some(8));
    /// assert_eq!(cosched::TaskMeta::new("io").limit(0).max_running(), None);
    /// ```
    #[must_use]
    pub const fn limit(mut self, limit: usize) -> Self {
        self.limit = limit;
        self
    }

    /// The name prefix of this fn's tasks (they are named `<prefix>-<id>`).
    ///
    /// ```
    /// assert_eq!(cosched::TaskMeta::new("job").name(), "job");
    /// ```
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// Whether the body may be `!Send` and runs on the loop's thread.
    ///
    /// ```
    /// assert!(!cosched::TaskMeta::new("job").is_local());
    /// ```
    pub const fn is_local(&self) -> bool {
        self.local
    }

    /// How many of this fn's coroutines may run at once, if limited.
    ///
    /// ```
    /// assert_eq!(cosched::TaskMeta::new("job").max_running(), None);
    /// ```
    pub const fn max_running(&self) -> Option<usize> {
        if self.limit == 0 {
            None
        } else {
            Some(self.limit)
        }
    }
}
