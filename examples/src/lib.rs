//! Nothing here: the package exists for its `[[example]]` targets.
