//! Kafka Playground: Apache Kafka in a browser tab.
//!
//! Layers with one-way dependencies: `ui` → `session` → `console` → `clients` → `engine`.
//! Invariant: `engine`, `console` and `session` have no web dependencies and never read a
//! wall clock; `ui` exists only on wasm32.

pub mod clients;
pub mod console;
pub mod decimal;
pub mod engine;
pub mod lesson;
pub mod session;
pub mod share;
pub mod snapshot;
pub mod sort;
pub mod vec_map;
pub mod widget_group;

/// The benchmark workloads (`scripts/bench.sh`); not part of the playground.
#[doc(hidden)]
pub mod bench;

#[cfg(target_arch = "wasm32")]
pub mod ui;
