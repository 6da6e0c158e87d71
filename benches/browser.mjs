// The browser half of the benchmark (scripts/bench.sh runs it): in headless Chromium,
//  1. the workloads of src/bench/, compiled to wasm (examples/bench_wasm.rs, a page built by
//     wasm-bindgen into target/bench/page/), each run in a fresh page, median of --runs;
//  2. the built app (dist/): how long after navigation the console is ready, Kafka's
//     producer perf test typed into the console (its summary line parsed), then how long
//     console commands take with its million records in the cluster.
// Writes one JSON object to --out. Serving and launching as tests/e2e/e2e.test.mjs does.
//
// node benches/browser.mjs --page DIR [--memory-page DIR] --dist dist --records N --runs N --out F
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

// playwright-core is installed for the end-to-end test (tests/e2e: npm ci).
const require = createRequire(new URL('../tests/e2e/package.json', import.meta.url));
const { chromium } = require('playwright-core');
const { serveDir } = await import('../tests/e2e/harness.mjs');

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []),
);
const records = Number(args.records ?? 1000000);
const runs = Number(args.runs ?? 3);
const workloads = (args.workloads ?? 'produce,produce-unkeyed,perf-test,consume,describe-group,compaction,snapshot-save,snapshot-restore,paste,many-partitions').split(',');
const log = (...a) => console.error('[browser]', ...a);

/** Serves `root` on 127.0.0.1; `extra` maps paths to generated pages. */
const serve = (root, extra = {}) => serveDir(path.resolve(root), extra);

const median = (xs, key) => [...xs].sort((a, b) => a[key] - b[key])[Math.floor(xs.length / 2)];

/** Serves a benchmark page directory (wasm-bindgen's output) with a page that loads it. */
function serveBenchPage(pageDir) {
  const page0 = '<!doctype html><meta charset="utf-8"><title>bench</title>'
    + '<script type="module">import init, { run } from "./bench_wasm.js"; await init(); window.bench = run; window.benchReady = true;</script>';
  return serve(path.resolve(pageDir), { '/': page0, '/index.html': page0 });
}

/**
 * 1. The workloads in wasm, each in a fresh page, timed in the steady state a page reaches
 * once it has done the work before: each timed run follows a full-size run of the same
 * workload in the same page. Two things only that warm-up gives, measured on the perf test
 * (1 M records): V8 tiers hot wasm code up with the feedback its baseline compiler collected
 * (inlining indirect calls), which compiling everything optimized up front (`--no-liftoff`,
 * used before) cannot do — 2.7 → 3.3 M records/s; and the linear memory has already grown,
 * so the run does not pay for growing it — 2.0 → 2.7 M records/s. The browser runs with
 * default flags, as the app's users do. The app's perf test is compared in the same state
 * (appRun: its second run, after the topic of the first was deleted).
 */
async function wasmWorkloads(browser, pageDir) {
  const { server, base } = await serveBenchPage(pageDir);
  const results = [];
  try {
    for (const w of workloads) {
      const all = [];
      for (let i = 0; i < runs; i++) {
        const context = await browser.newContext();
        const page = await context.newPage();
        await page.goto(base);
        await page.waitForFunction(() => window.benchReady === true);
        // The warm-up: the same run once (see above).
        await page.evaluate(([w, n]) => window.bench(w, n), [w, records]);
        all.push(JSON.parse(await page.evaluate(([w, n]) => window.bench(w, n), [w, records])));
        await context.close();
      }
      const m = median(all, 'elapsed_ms');
      log(`wasm ${w.padEnd(17)} ${m.elapsed_ms.toFixed(1).padStart(10)} ms ${Math.round(m.per_second).toString().padStart(14)} /s`);
      results.push(m);
    }
  } finally {
    server.close();
  }
  return results;
}

/**
 * 1b. Memory: the produce workload once in the page built with the counting allocator
 * (`--features count-alloc`), which the timed page does without (counting costs time on every
 * allocation, and the app does not count).
 */
async function wasmMemory(browser, pageDir) {
  const { server, base } = await serveBenchPage(pageDir);
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(base);
    await page.waitForFunction(() => window.benchReady === true);
    const m = JSON.parse(await page.evaluate(([w, n]) => window.bench(w, n), ['produce', records]));
    await context.close();
    log(`wasm memory: ${m.overhead_bytes_per_record?.toFixed(1)} bytes/record beyond key+value, linear memory ${(m.memory_bytes / 2 ** 20).toFixed(0)} MiB`);
    return m;
  } finally {
    server.close();
  }
}

/** Records in the page when the console input appears (ms after navigation started). */
function watchReady() {
  new MutationObserver((_, observer) => {
    if (document.getElementById('console-input')) {
      window.__consoleReady = performance.now();
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
}

/** 2a. Console ready after navigation, in fresh contexts (no cache, no saved session). */
async function consoleReady(browser, base, times = 5) {
  const all = [];
  for (let i = 0; i < times; i++) {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    await page.addInitScript(watchReady);
    await page.goto(base);
    await page.waitForSelector('#console-input');
    all.push({ ms: await page.evaluate(() => window.__consoleReady) });
    await context.close();
  }
  log('console ready after', all.map((r) => r.ms.toFixed(0)).join(', '), 'ms');
  return { median_ms: median(all, 'ms').ms, runs_ms: all.map((r) => r.ms) };
}

/**
 * Types `command`, presses Enter and resolves with the time from the Enter key to `expected`
 * appearing in the console (ms, measured in the page).
 */
async function timed(page, command, expected, timeout = 30000) {
  await page.click('#console-input');
  await page.keyboard.type(command);
  await page.evaluate(([expected, timeout]) => {
    // The scrollback is looked up on every change: the app may render it anew.
    const text = () => document.querySelector('.scrollback')?.textContent ?? '';
    const from = text().length;
    window.__timed = new Promise((resolve, reject) => {
      let start = null;
      document.addEventListener('keydown', (e) => { if (e.key === 'Enter' && start === null) start = performance.now(); }, { capture: true });
      const check = () => {
        if (start !== null && text().slice(from).includes(expected)) {
          observer.disconnect();
          resolve(performance.now() - start);
        }
      };
      const observer = new MutationObserver(check);
      observer.observe(document.body, { childList: true, subtree: true, characterData: true });
      setTimeout(() => { observer.disconnect(); reject(new Error(`no "${expected}" after ${timeout} ms: ${text().slice(from)}`)); }, timeout);
    });
  }, [expected, timeout]);
  await page.keyboard.press('Enter');
  return page.evaluate(() => window.__timed);
}

const PERF_TEST = 'kafka-producer-perf-test.sh --topic t --num-records 1000000 --record-size 100 --throughput -1 --producer-props bootstrap.servers=localhost:9092 acks=1';
/** Commands timed with the perf test's million records in the cluster, and what ends them. */
const COMMANDS = [
  ['kafka-topics.sh --bootstrap-server localhost:9092 --describe --topic t', 'Partition: 5'],
  ['kafka-get-offsets.sh --bootstrap-server localhost:9092 --topic t', 't:5:'],
  ['kafka-log-dirs.sh --bootstrap-server localhost:9092 --describe --topic-list t', '"brokers"'],
  ['kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic t --partition 0 --offset 100000 --max-messages 10', 'Processed a total of 10 messages'],
  ['kafka-consumer-groups.sh --bootstrap-server localhost:9092 --describe --group bench', 'bench           t'],
  ['kafka-configs.sh --bootstrap-server localhost:9092 --describe --entity-type topics --entity-name t', 'Dynamic configs for topic t are:'],
  ['playground memory', 'Record data'],
];

/** 2b and 2c. The perf test in the console, then command latencies. */
async function appRun(browser, base) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => log('page error:', e.message));
  await page.goto(base);
  await page.waitForSelector('#console-input');
  // The console's lines are elements: its text has no newlines, so the summary is found by
  // its own shape (Kafka's: `N records sent, X records/sec (Y MB/sec), … 99.9th.`) with the
  // command's N (the text before it may end in a digit).
  const summary = async () => {
    const text = await page.$eval('.scrollback', (el) => el.textContent);
    const all = [...text.matchAll(/(1000000) records sent, ([\d.]+|Infinity) records\/sec \(([\d.]+) MB\/sec\).*?99\.9th\./g)];
    const m = all.at(-1);
    return { m, line: m ? m[0] : text.slice(-400) };
  };
  // A first run in the fresh page (cold: code not yet tiered up, memory to grow), then the
  // one compared with the benchmark's: the same on a topic made anew, as the wasm workloads
  // are timed after a run of their own.
  const create = 'kafka-topics.sh --bootstrap-server localhost:9092 --create --topic t --partitions 6';
  await timed(page, create, 'Created topic t.');
  await timed(page, PERF_TEST, 'records sent,', 600000);
  const cold = await summary();
  log('perf test (first run):', cold.line.trim());
  await timed(page, 'kafka-topics.sh --bootstrap-server localhost:9092 --delete --topic t', '$');
  await page.waitForTimeout(500);
  await timed(page, create, 'Created topic t.');
  const perfMs = await timed(page, PERF_TEST, 'records sent,', 600000);
  const { m, line } = await summary();
  log('perf test:', line.trim(), `(${(perfMs / 1000).toFixed(1)} s in the page)`);
  // A committed group on t, for the describe.
  await timed(page, 'kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic t --group bench --max-messages 6 --from-beginning', 'Processed a total of 6 messages', 60000);
  const latencies = [];
  for (const [command, expected] of COMMANDS) {
    const all = [];
    for (let i = 0; i < 3; i++) all.push({ ms: await timed(page, command, expected) });
    const ms = median(all, 'ms').ms;
    log(`${ms.toFixed(1).padStart(7)} ms  ${command}`);
    latencies.push({ command, ms });
  }
  await context.close();
  return {
    perf_test: { command: PERF_TEST, line: line.trim(), records: m ? Number(m[1]) : null, per_second: m ? Number(m[2]) : null, page_ms: perfMs },
    perf_test_first_run: { line: cold.line.trim(), per_second: cold.m ? Number(cold.m[2]) : null },
    command_latency: latencies,
  };
}

const launch = (extra = []) => chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--no-first-run', '--disable-sync', ...extra],
});
const browser = await launch();
const out = { chromium: browser.version(), records, runs };
try {
  if (args.page) {
    const workloadBrowser = await launch();
    try {
      out.workloads = await wasmWorkloads(workloadBrowser, args.page);
      if (args['memory-page']) out.memory = await wasmMemory(workloadBrowser, args['memory-page']);
    } finally {
      await workloadBrowser.close();
    }
  }
  if (args.dist) {
    const dist = path.resolve(args.dist);
    const { server, base } = await serve(dist);
    try {
      out.console_ready = await consoleReady(browser, base);
      Object.assign(out, await appRun(browser, base));
    } finally {
      server.close();
    }
  }
} finally {
  await browser.close();
}
fs.writeFileSync(args.out, JSON.stringify(out, null, 2));
