// End-to-end: a workshop in Chromium, on the built site. A learner finishes an instructor's
// lesson and hands in a results file and a completion code; the instructor page (#instructor)
// reads both, refuses an edited code, and shows the class table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { siteAndBrowser } from './harness.mjs';

const site = siteAndBrowser();

const lesson = `---
id: workshop-1
title: Workshop one
brokers: 1
---
## Make a topic
check: topic orders exists
hint: kafka-topics.sh --create
solution: kafka-topics.sh --bootstrap-server localhost:9092 --create --topic orders
`;

test('a learner hands in results; the instructor page shows the class and refuses an edited code', async () => {
  const context = await site.browser.newContext({ viewport: { width: 1366, height: 768 }, acceptDownloads: true });
  const learner = await context.newPage();
  learner.on('pageerror', (e) => { throw e; });
  await learner.goto(site.base);
  await learner.click('.lessons-btn');
  await learner.setInputFiles('input[type=file][aria-label="Open a lesson file"]',
    { name: 'workshop-1.md', mimeType: 'text/markdown', buffer: Buffer.from(lesson) });
  await learner.waitForSelector('.lesson[data-lesson="workshop-1"]');
  await learner.click('.lesson-actions .btn:has-text("Hint")');
  await learner.locator('#console-input').click();
  await learner.keyboard.type('kafka-topics.sh --bootstrap-server localhost:9092 --create --topic orders');
  await learner.keyboard.press('Enter');
  await learner.waitForSelector('.lesson-done');
  await learner.click('.hand-in summary');
  await learner.locator('.hand-in input').fill('Ada Lovelace');
  const code = (await learner.locator('.completion-code').innerText()).trim();
  assert.match(code, /^kp1:Ada Lovelace:workshop-1:1\/1:[0-9a-f]{8}$/);
  const [download] = await Promise.all([
    learner.waitForEvent('download'),
    learner.click('.hand-in .btn:has-text("Download results")'),
  ]);
  const file = await download.path();
  const results = JSON.parse(fs.readFileSync(file, 'utf8'));
  assert.equal(results.learner, 'Ada Lovelace');
  assert.deepEqual([results.lessons[0].passed, results.lessons[0].hints, results.lessons[0].attempts], [1, 1, 1]);
  await learner.screenshot({ path: '/tmp/e2e-hand-in.png' });

  const teacher = await context.newPage();
  teacher.on('pageerror', (e) => { throw e; });
  await teacher.goto(site.base + 'index.html#instructor');
  await teacher.waitForSelector('.instructor');
  await teacher.setInputFiles('input[aria-label="Add results files"]', file);
  await teacher.waitForSelector('.class-table tr[data-learner="Ada Lovelace"]');
  const edited = code.replace('Ada Lovelace', 'Bob');
  await teacher.locator('.instructor-codes textarea').fill(`${edited}\n`);
  await teacher.waitForSelector('.problems li');
  assert.match(await teacher.locator('.problems').innerText(), /the check does not match/);
  assert.equal(await teacher.locator('.class-table tbody tr').count(), 1);
  assert.match(await teacher.locator('.class-table tbody').innerText(), /Ada Lovelace\s+workshop-1\s+1\/1\s+1\s+1\s+0/);
  const [csv] = await Promise.all([
    teacher.waitForEvent('download'),
    teacher.click('.instructor .btn:has-text("Download CSV")'),
  ]);
  const table = fs.readFileSync(await csv.path(), 'utf8');
  assert.match(table, /^learner,lesson,steps passed,steps,attempts,hints,solutions,seconds\nAda Lovelace,workshop-1,1,1,1,1,0,\d+\n$/);
  await teacher.screenshot({ path: '/tmp/e2e-instructor.png' });
  await context.close();
});
