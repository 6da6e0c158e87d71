// Prints the benchmark table (scripts/bench.sh): native and wasm figures side by side against
// issue 9's targets, then the browser measurements, the first-load size and the machine.
//
// node benches/table.mjs --native F [--native-memory F] --browser F [--load F]
import fs from 'node:fs';
import os from 'node:os';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []),
);
const lines = (f) => fs.readFileSync(f, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
const native = lines(args.native);
// The memory pass (built with the counting allocator): its produce run.
const nativeMemory = args['native-memory'] && fs.existsSync(args['native-memory']) ? lines(args['native-memory']).find((n) => n.workload === 'produce') : null;
const browser = JSON.parse(fs.readFileSync(args.browser, 'utf8'));
const load = args.load && fs.existsSync(args.load) ? fs.readFileSync(args.load, 'utf8') : '';

const M = (x) => (x >= 1e6 ? `${(x / 1e6).toFixed(2)} M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)} k` : x.toFixed(1));
const ms = (x) => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(1)} ms`);
const yes = (ok) => (ok ? 'yes' : 'NO');

// Issue 9's targets per workload: a wasm rate (items/s), a wasm time for the run, and the
// wasm/native time ratio for all of them.
const RATIO = 1.5;
const targets = {
  produce: { rate: 5e6, label: '≥ 5 M/s' },
  'produce-unkeyed': { rate: 5e6, label: '≥ 5 M/s' },
  'perf-test': { label: '' },
  consume: { rate: 20e6, label: '≥ 20 M/s' },
  'describe-group': { each_ms: 50, label: '≤ 50 ms each' },
  compaction: { label: '' },
  'snapshot-save': { total_ms: 1000, label: '≤ 1 s' },
  'snapshot-restore': { total_ms: 1000, label: '≤ 1 s' },
  // Issue 23: 2,000 pasted lines froze the page 46 s; 200 topics × 50 partitions took 4.5 s.
  paste: { total_ms: 1000, label: '≤ 1 s' },
  'many-partitions': { total_ms: 1000, label: '≤ 1 s' },
};
const units = { 'describe-group': 'describes', paste: 'lines', 'many-partitions': 'commands' };

const rows = [['workload', 'records', 'native /s', 'wasm /s', 'wasm time', 'wasm/native', 'target', 'met?']];
const verdicts = [];
for (const n of native) {
  const w = (browser.workloads ?? []).find((x) => x.workload === n.workload);
  const t = targets[n.workload] ?? { label: '' };
  const ratio = w ? w.elapsed_ms / n.elapsed_ms : NaN;
  const checks = [ratio <= RATIO];
  if (t.rate) checks.push(w && w.per_second >= t.rate);
  if (t.each_ms) checks.push(w && w.elapsed_ms / w.items <= t.each_ms);
  if (t.total_ms) checks.push(w && w.elapsed_ms <= t.total_ms);
  const unit = units[n.workload] ? ` ${units[n.workload]}` : '';
  const wasmTime = w ? (t.each_ms ? `${ms(w.elapsed_ms / w.items)} each` : ms(w.elapsed_ms)) : '-';
  rows.push([
    n.workload, M(n.records), M(n.per_second) + unit, w ? M(w.per_second) + unit : '-', wasmTime,
    Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : '-',
    [t.label, `≤ ${RATIO}×`].filter(Boolean).join(', '), yes(checks.every(Boolean)),
  ]);
  verdicts.push(checks.every(Boolean));
}

const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => [...r[c]].length)));
const line = (r) => `| ${r.map((x, c) => x + ' '.repeat(widths[c] - [...x].length)).join(' | ')} |`;
console.log(line(rows[0]));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
rows.slice(1).forEach((r) => console.log(line(r)));
console.log();

const other = [['measurement', 'figure', 'target', 'met?']];
const produceNative = nativeMemory;
const produceWasm = browser.memory;
for (const [face, m] of [['native', produceNative], ['wasm', produceWasm]]) {
  const b = m?.overhead_bytes_per_record;
  if (b != null) other.push([`memory per record beyond key+value (${face})`, `${b.toFixed(1)} bytes`, '≤ 32 bytes', yes(b <= 32)]);
}
if (produceWasm?.memory_bytes) {
  other.push([`wasm linear memory after producing ${M(produceWasm.records)} records`, `${(produceWasm.memory_bytes / 2 ** 20).toFixed(0)} MiB`, '', '']);
}
if (browser.perf_test) {
  // The same command as the benchmark's perf-test workload in wasm: compared with what the tool
  // printed there.
  const p = browser.perf_test;
  const same = (browser.workloads ?? []).find((n) => n.workload === 'perf-test');
  const ref = same?.reported_per_second;
  const vs = ref && p.per_second ? p.per_second / ref : NaN;
  other.push(['producer perf test typed into the app: records/sec', p.per_second ? `${M(p.per_second)}/s (${vs.toFixed(2)}× wasm perf-test's ${ref ? M(ref) : '-'}/s)` : `unparsed: ${p.line}`, 'within 20%', yes(Math.abs(vs - 1) <= 0.2)]);
}
for (const [face, list] of [['native', native], ['wasm', browser.workloads ?? []]]) {
  const t = list.find((n) => n.workload === 'perf-test');
  if (t?.reported_per_second) other.push([`perf-test (${face}): the tool's own records/sec`, `${M(t.reported_per_second)}/s (${(t.reported_per_second / t.per_second).toFixed(2)}× the lent clock's)`, '', '']);
}
if (browser.console_ready) {
  const r = browser.console_ready.median_ms;
  other.push(['console ready after navigation (median of 5)', ms(r), '≤ 1 s', yes(r <= 1000)]);
}
if (browser.command_latency) {
  const worst = browser.command_latency.reduce((a, b) => (b.ms > a.ms ? b : a));
  other.push([`slowest console command with ${M(browser.perf_test?.records ?? 0)} records`, `${ms(worst.ms)} (${worst.command.split(' ')[0]})`, '≤ 50 ms', yes(worst.ms <= 50)]);
}
const gz = load.match(/\((\d+) KB gzipped\)/);
if (gz) other.push(['first load, gzipped (scripts/measure-load.sh)', `${gz[1]} KB`, '≤ 500 KB', yes(Number(gz[1]) <= 500)]);
const ow = other[0].map((_, c) => Math.max(...other.map((r) => [...r[c]].length)));
const oline = (r) => `| ${r.map((x, c) => x + ' '.repeat(ow[c] - [...x].length)).join(' | ')} |`;
console.log(oline(other[0]));
console.log(`|${ow.map((w) => '-'.repeat(w + 2)).join('|')}|`);
other.slice(1).forEach((r) => console.log(oline(r)));

if (browser.command_latency) {
  console.log('\nConsole commands (Enter to output shown, median of 3):');
  for (const c of browser.command_latency) console.log(`  ${ms(c.ms).padStart(9)}  ${c.command}`);
}
if (browser.perf_test) console.log(`\nPerf test summary line: ${browser.perf_test.line}`);
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
console.log(`\nMachine: ${os.cpus().length} CPUs (${cpu}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; Chromium ${browser.chromium}; node ${process.version}; ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`);
