// The load budget, checked on every test run: a first visit to the built site (dist/, as
// `trunk build --release` writes it) in a fresh browser profile, with Chromium's network
// throttled to 10 Mbit/s each way and 40 ms latency.
//
// - First load ≤ 500 KB: every file the page fetched until its console answered a command
//   (the page, the JS glue, the wasm, the CSS), each counted at its `gzip -9` size — what a
//   static host that compresses would send. The harness's server does not compress, so the
//   bytes on the wire here are the raw sizes; both are printed.
// - Console ready ≤ 1.5 s: from navigation start to the output of a command typed into the
//   console as soon as its input is there (filled and entered by the test, so the figure also
//   holds the test's own round trips to the browser).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { serveDist, launchBrowser, dist } from './harness.mjs';

const FIRST_LOAD_BUDGET = 500 * 1024;
const READY_BUDGET_MS = 1500;
const COMMAND = 'kafka-topics.sh --bootstrap-server localhost:9092 --create --topic ready';
const ANSWER = 'Created topic ready.';

/** Runs in the page before its own scripts: notes (on the page's clock, which starts at
 *  navigation) when the console's input appears enabled and when the command's answer shows. */
function watch(answer) {
  new MutationObserver((_, observer) => {
    const input = document.getElementById('console-input');
    if (input && !input.disabled && window.__inputReady === undefined) window.__inputReady = performance.now();
    const scrollback = document.querySelector('.scrollback');
    if (scrollback && scrollback.textContent.includes(answer)) {
      window.__answered = performance.now();
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true, characterData: true, attributes: true });
}

test('first visit at 10 Mbit/s and 40 ms: ≤ 500 KB gzipped, console answers within 1.5 s', async (t) => {
  const { server, base } = await serveDist();
  const browser = await launchBrowser();
  t.after(async () => { await browser.close(); server.close(); });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => { throw e; });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 40,
    downloadThroughput: (10 * 1000 * 1000) / 8,
    uploadThroughput: (10 * 1000 * 1000) / 8,
  });
  const fetched = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.origin === new URL(base).origin) fetched.push(url.pathname);
  });
  await page.addInitScript(watch, ANSWER);

  await page.goto(base);
  await page.waitForSelector('#console-input:not([disabled])');
  await page.fill('#console-input', COMMAND);
  await page.press('#console-input', 'Enter');
  await page.waitForFunction(() => window.__answered !== undefined, null, { timeout: 15000 });
  const { inputReady, answered } = await page.evaluate(() => ({ inputReady: window.__inputReady, answered: window.__answered }));
  const firstLoad = [...new Set(fetched)];

  const rows = firstLoad.map((p) => {
    const bytes = fs.readFileSync(path.join(dist, p === '/' ? 'index.html' : p));
    return { file: p, raw: bytes.length, gzipped: zlib.gzipSync(bytes, { level: 9 }).length };
  });
  const total = rows.reduce((sum, r) => sum + r.gzipped, 0);
  const lines = rows.map((r) => `  ${r.file.padEnd(44)} ${String(r.raw).padStart(9)} ${String(r.gzipped).padStart(9)}`);
  console.log(['first load (bytes, raw and gzip -9):', ...lines,
    `  total: ${rows.reduce((s, r) => s + r.raw, 0)} raw, ${total} gzipped (${(total / 1024).toFixed(1)} KB of ${FIRST_LOAD_BUDGET / 1024} KB)`,
    `console input ready ${inputReady.toFixed(0)} ms, the command answered ${answered.toFixed(0)} ms after navigation (budget ${READY_BUDGET_MS} ms)`,
  ].join('\n'));

  for (const kind of ['.wasm', '.js', '.css']) {
    assert.ok(firstLoad.some((p) => p.endsWith(kind)), `the first load fetched a ${kind} file (${firstLoad.join(', ')})`);
  }
  assert.ok(total <= FIRST_LOAD_BUDGET, `first load ${total} bytes gzipped, over the budget of ${FIRST_LOAD_BUDGET}`);
  assert.ok(answered <= READY_BUDGET_MS, `the console answered ${answered.toFixed(0)} ms after navigation, over ${READY_BUDGET_MS} ms`);
  await context.close();
});
