//! asyncio's bare `Future`, for the ports of CPython's tests that set a
//! future's result or exception by hand: a [`Promise`] is set once, and
//! every [`Promise::wait`] on it then returns its value or panics with its
//! exception (cosched's exceptions are panics). Included by the test files
//! that use it (`#[path]`), so that the others do not see it unused.

use std::future::{Future, poll_fn};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Poll, Waker};

/// A value to come, set once.
pub(crate) struct Promise<T> {
    inner: Arc<Mutex<State<T>>>,
}

struct State<T> {
    outcome: Option<Result<T, &'static str>>,
    waiters: Vec<Waker>,
}

impl<T> Clone for Promise<T> {
    fn clone(&self) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
        }
    }
}

impl<T: Clone + Send + 'static> Promise<T> {
    pub(crate) fn new() -> Self {
        Self {
            inner: Arc::new(Mutex::new(State {
                outcome: None,
                waiters: Vec::new(),
            })),
        }
    }

    /// asyncio's `set_result`.
    pub(crate) fn set_result(&self, value: T) {
        self.settle(Ok(value));
    }

    /// asyncio's `set_exception`: every waiter panics with `message`.
    pub(crate) fn set_exception(&self, message: &'static str) {
        self.settle(Err(message));
    }

    fn settle(&self, outcome: Result<T, &'static str>) {
        let waiters = {
            let mut state = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
            assert!(state.outcome.is_none(), "a promise is set once");
            state.outcome = Some(outcome);
            std::mem::take(&mut state.waiters)
        };
        for waiter in waiters {
            waiter.wake();
        }
    }

    /// `await future`: its value once set, or a panic with its exception.
    pub(crate) fn wait(&self) -> impl Future<Output = T> + Send + 'static + use<T> {
        let inner = Arc::clone(&self.inner);
        async move {
            let outcome = poll_fn(|cx| {
                let mut state = inner.lock().unwrap_or_else(PoisonError::into_inner);
                if let Some(outcome) = &state.outcome {
                    Poll::Ready(outcome.clone())
                } else {
                    state.waiters.push(cx.waker().clone());
                    Poll::Pending
                }
            })
            .await;
            match outcome {
                Ok(value) => value,
                Err(message) => panic!("{message}"),
            }
        }
    }
}
