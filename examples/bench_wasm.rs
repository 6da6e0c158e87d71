//! The benchmark workloads (`kafka_playground::bench`) in the browser: a wasm module whose
//! `run(workload, records)` the benchmark page calls (`benches/browser.mjs` builds the page and
//! drives it in headless Chromium). Built with the app's profile, so its figures are the app's.
//!
//! Native builds compile it empty: the workloads run natively from `benches/workloads.rs`.

#[cfg(target_arch = "wasm32")]
mod page {
    use kafka_playground::bench::{self, Lent, Workload};
    use serde_json::Value;
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen]
    extern "C" {
        /// The page's clock, lent to the workloads (the engine never reads one).
        #[wasm_bindgen(js_namespace = performance, js_name = now)]
        fn performance_now() -> f64;
    }

    /// Runs one workload; its measurement as JSON, with the module's linear memory added.
    #[wasm_bindgen]
    pub fn run(workload: &str, records: u32) -> Result<String, String> {
        let w = Workload::parse(workload).ok_or(format!("unknown workload {workload}"))?;
        let lent = Lent {
            now_ms: performance_now,
            live_bytes: bench::live_bytes,
        };
        let m = bench::run(w, u64::from(records), lent)?;
        let pages = core::arch::wasm32::memory_size(0);
        let mut json: Value = serde_json::from_str(&m.to_json()).map_err(|e| e.to_string())?;
        if let Value::Object(fields) = &mut json {
            fields.insert("memory_bytes".into(), Value::from(pages as u64 * 65_536));
        }
        Ok(json.to_string())
    }
}
