// A coroutine made and dropped: the `Coroutine` type's `#[must_use]` says why nothing ran.
#![deny(unused_must_use)]

#[cosched::task]
async fn tick() {}

fn main() {
    tick();
}
