#!/usr/bin/env bash
# Lighthouse, desktop and mobile, on the built site (dist/) served with gzip as a static host
# would (issue 22: Accessibility 100, Best Practices 100, Performance >= 90 on desktop).
# Not part of CI. Needs `trunk build --release` first, Chromium (CHROME_PATH, default
# /usr/bin/chromium) and the e2e tests' node_modules (`cd tests/e2e && npm ci`). Lighthouse
# itself is installed on first use into target/lighthouse (12.2.3: 13 wants Node 22).
# Reports go to target/lighthouse/report-{desktop,mobile}.{json,html}.
set -euo pipefail
cd "$(dirname "$0")/.."
tools=${LIGHTHOUSE_DIR:-target/lighthouse}
if [ ! -x "$tools/node_modules/.bin/lighthouse" ]; then
  mkdir -p "$tools"
  (cd "$tools" && { [ -f package.json ] || npm init -y >/dev/null; } && npm i -E lighthouse@12.2.3)
fi
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
node scripts/lighthouse.mjs "$(cd "$tools" && pwd)"
