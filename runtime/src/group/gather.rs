//! `gather`: waiting for many tasks, each result in its place.

use crate::task::{Task, TaskError};

/// Awaits every task and returns their results in the order given, like
/// `asyncio.gather(..., return_exceptions=True)`: a failed task is an `Err`
/// in its place and does not disturb the others.
///
/// ```
/// # cosched::run(async {
/// let tasks = (1..=3).map(|n| cosched::create_task(async move {
///     if n == 2 { panic!("two") }
///     n * 10
/// }));
/// let results = cosched::gather(tasks).await;
/// assert_eq!(results[0], Ok(10));
/// assert!(results[1].as_ref().unwrap_err().is_panic());
/// assert_eq!(results[2], Ok(30));
/// # });
/// ```
pub async fn gather<T, I>(tasks: I) -> Vec<Result<T, TaskError>>
where
    I: IntoIterator<Item = Task<T>>,
{
    let tasks: Vec<Task<T>> = tasks.into_iter().collect();
    let mut results = Vec::with_capacity(tasks.len());
    for task in tasks {
        results.push(task.await);
    }
    results
}
