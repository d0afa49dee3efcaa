//! Nothing here: the package exists for its integration tests.
