//! Browser entry point: Trunk builds this binary for wasm32 and mounts the Yew app.

#[cfg(target_arch = "wasm32")]
fn main() {
    kafka_playground::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("kafka-playground is the browser app; build it with `trunk serve`.");
    eprintln!("For a native console, run: cargo run --release --bin kplay -- --help");
    std::process::exit(2);
}
