#!/usr/bin/env bash
# Installs whatever is missing, builds the app and serves it on http://127.0.0.1:8080.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
bash scripts/setup.sh
echo "Serving Kafka Playground on http://127.0.0.1:8080 (Ctrl+C stops)"
trunk serve --release --address 127.0.0.1 --port 8080
