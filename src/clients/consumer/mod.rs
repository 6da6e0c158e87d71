//! The consumer's parts: group membership, positions and commits, the auto-commit timer,
//! deserializers.

pub mod auto_commit;
pub mod coordinator;
pub mod deserializer;
pub mod subscription_state;
