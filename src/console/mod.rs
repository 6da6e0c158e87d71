//! The Kafka command line: turns console lines into engine calls and engine results into the
//! exact text Kafka's tools print.
//!
//! Invariant: no web dependencies; parsing never panics; output is a sequence of stdout/stderr
//! chunks, identical in the browser and in `kplay`.
