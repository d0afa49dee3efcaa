//! The one place that names a runtime crate.
//!
//! cosched is written once over a tiny interface that each backend module
//! provides with the same names and signatures:
//!
//! | item | meaning |
//! | --- | --- |
//! | `JoinHandle<T>` | `Future<Output = Option<T>>`; `None` only if the runtime dropped the task; dropping it detaches the task |
//! | `JoinHandle::empty()` | a handle to no task, which gives `None` at once |
//! | `spawn(fut)` | start a `Send` future on the runtime's thread pool |
//! | `spawn_local(fut)` | start a `!Send` future on the current thread's local executor |
//! | `block_on(fut)` | run `fut` on this thread, driving this thread's local tasks meanwhile |
//! | `sleep(d)`, `sleep_until(i)` | the runtime's timer |
//!
//! Everything else (names, ids, cancellation, panic capture, the task
//! registry) lives above this line, so it behaves the same on every backend.

#[cfg(not(any(feature = "async-std", feature = "smol", feature = "tokio")))]
compile_error!(
    "cosched needs a backend: enable exactly one of the features `async-std` (the default), \
     `smol` or `tokio`, e.g. `cosched = { version = \"0.1\", default-features = false, features = [\"smol\"] }`"
);

#[cfg(any(
    all(feature = "async-std", feature = "smol"),
    all(feature = "async-std", feature = "tokio"),
    all(feature = "smol", feature = "tokio"),
))]
compile_error!(
    "cosched's backend features are exclusive: enable exactly one of `async-std` (the default), \
     `smol` or `tokio`; to pick smol or tokio, also set `default-features = false`"
);

#[cfg(all(feature = "async-std", not(any(feature = "smol", feature = "tokio"))))]
mod async_std;
#[cfg(all(feature = "async-std", not(any(feature = "smol", feature = "tokio"))))]
pub(crate) use self::async_std::*;

#[cfg(all(feature = "smol", not(any(feature = "async-std", feature = "tokio"))))]
mod smol;
#[cfg(all(feature = "smol", not(any(feature = "async-std", feature = "tokio"))))]
pub(crate) use self::smol::*;

#[cfg(all(feature = "tokio", not(any(feature = "async-std", feature = "smol"))))]
mod tokio;
#[cfg(all(feature = "tokio", not(any(feature = "async-std", feature = "smol"))))]
pub(crate) use self::tokio::*;

/// The name of the backend this build runs on, for diagnostics and benchmarks.
#[cfg(all(feature = "async-std", not(any(feature = "smol", feature = "tokio"))))]
pub(crate) const NAME: &str = "async-std";
/// The name of the backend this build runs on, for diagnostics and benchmarks.
#[cfg(all(feature = "smol", not(any(feature = "async-std", feature = "tokio"))))]
pub(crate) const NAME: &str = "smol";
/// The name of the backend this build runs on, for diagnostics and benchmarks.
#[cfg(all(feature = "tokio", not(any(feature = "async-std", feature = "smol"))))]
pub(crate) const NAME: &str = "tokio";
