// Serves dist/ with gzip (tests/e2e/harness.mjs) and runs Lighthouse on it, desktop then
// mobile, printing each category's score. Run by scripts/lighthouse.sh.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { serveDist } from '../tests/e2e/harness.mjs';

const tools = process.argv[2];
const run = (cmd, args) => new Promise((resolve, reject) => {
  spawn(cmd, args, { stdio: 'inherit' }).on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`lighthouse exited ${code}`))));
});
const bin = path.join(tools, 'node_modules/.bin/lighthouse');
const { server, base } = await serveDist({ gzip: true });
const scores = {};
try {
  for (const form of ['desktop', 'mobile']) {
    const out = path.join(tools, `report-${form}`);
    // Asynchronously: this process serves the pages Lighthouse loads.
    await run(bin, [
      base,
      ...(form === 'desktop' ? ['--preset=desktop'] : []),
      '--only-categories=performance,accessibility,best-practices',
      '--chrome-flags=--headless=new --no-sandbox --disable-gpu',
      '--output=json', '--output=html', `--output-path=${out}`,
      '--quiet',
    ]);
    const report = JSON.parse(fs.readFileSync(`${out}.report.json`, 'utf8'));
    scores[form] = Object.fromEntries(Object.values(report.categories).map((c) => [c.title, Math.round(c.score * 100)]));
    for (const audit of Object.values(report.audits)) {
      if (audit.score !== null && audit.score < 1 && audit.scoreDisplayMode === 'binary') {
        console.log(`${form}: ${audit.id}: ${audit.title}`);
      }
    }
  }
} finally {
  server.close();
}
for (const [form, s] of Object.entries(scores)) console.log(`${form}: ${JSON.stringify(s)}`);
