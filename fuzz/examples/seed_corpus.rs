//! Writes the seeds tests/fuzz.rs builds at run time into `fuzz/corpus/<target>/`: snapshots
//! in the current format and share links, which libFuzzer would hardly find from bytes.

#[path = "../../tests/fuzz.rs"]
#[allow(dead_code, unused_imports)]
mod entry;

use std::path::Path;

fn main() -> std::io::Result<()> {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    for (target, (seeds, _)) in [
        ("snapshot", entry::snapshot_seeds()),
        ("share", entry::share_seeds()),
    ] {
        let dir = corpus.join(target);
        std::fs::create_dir_all(&dir)?;
        for (i, seed) in seeds.iter().enumerate() {
            std::fs::write(dir.join(format!("built-{i}")), seed)?;
        }
        println!("{}: {} seeds", dir.display(), seeds.len());
    }
    Ok(())
}
