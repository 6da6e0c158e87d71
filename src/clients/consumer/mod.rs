//! The consumer's parts: deserializers, positions and the auto-commit timer.

pub mod auto_commit;
pub mod deserializer;
pub mod subscription_state;
