//! The consumer's parts: deserializers, and the auto-commit timer.

pub mod auto_commit;
pub mod deserializer;
