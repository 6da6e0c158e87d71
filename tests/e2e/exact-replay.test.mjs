// End-to-end (issue 23, "Done when"): a share link made after Ctrl+C on a throughput-limited
// perf test, and after a reload that ended another, reproduces the record counts the author
// saw (docs/RELIABILITY.md, "Exact replay"). The link opens in a fresh browser profile.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { siteAndBrowser, typeCommand } from './harness.mjs';

const site = siteAndBrowser();
const BOOT = '--bootstrap-server localhost:9092';
const perf = (topic) => `kafka-producer-perf-test.sh --topic ${topic} --num-records 100000 --throughput 100 --record-size 100 --producer-props bootstrap.servers=localhost:9092`;

const records = (page, topic) => page.evaluate((t) => {
  const found = window.kafkaPlayground.state().topics.find((x) => x.name === t);
  return found ? found.records : -1;
}, topic);
const shown = (page) => page.locator('.scrollback').innerText();
/** The count the live view shows on the topic's card ("1 partition · RF 1 · N records"). */
const card = async (page, topic) => Number((await page.locator(`[data-topic="${topic}"]`).innerText()).match(/(\d+) records/)[1]);

test('a link made after Ctrl+C on a throttled perf test and after a reload reproduces the counts shown', { timeout: 120_000 }, async () => {
  const context = await site.browser.newContext({ viewport: { width: 1366, height: 768 } });
  let page = await context.newPage();
  page.on('pageerror', (e) => { throw e; });
  await page.goto(site.base);
  await typeCommand(page, `kafka-topics.sh ${BOOT} --create --topic stopped`);
  await typeCommand(page, `kafka-topics.sh ${BOOT} --create --topic reloaded`);
  await page.waitForSelector('[data-topic="reloaded"]');

  // A throttled perf test, stopped with Ctrl+C after a while.
  await typeCommand(page, perf('stopped'));
  await page.waitForFunction(() => window.kafkaPlayground.state().topics.find((t) => t.name === 'stopped')?.records > 150);
  await page.keyboard.press('Control+C');
  await page.waitForFunction(() => document.querySelector('.scrollback').innerText.includes('^C'));
  const stopped = await records(page, 'stopped');
  await page.waitForTimeout(500);
  assert.equal(await records(page, 'stopped'), stopped, 'stopped: nothing more is sent');
  assert.equal(await card(page, 'stopped'), stopped, 'the live view shows the count');

  // Another, ended by a reload while it runs.
  await typeCommand(page, perf('reloaded'));
  await page.waitForFunction(() => window.kafkaPlayground.state().topics.find((t) => t.name === 'reloaded')?.records > 100);
  await page.reload();
  await page.waitForSelector('[data-topic="reloaded"]');
  const reloaded = await records(page, 'reloaded');
  assert.ok(reloaded > 100, `${reloaded} records before the reload`);
  // The producer died with the page: nothing more arrives.
  await page.waitForTimeout(1500);
  assert.equal(await records(page, 'reloaded'), reloaded);
  assert.equal(await records(page, 'stopped'), stopped);
  assert.equal(await card(page, 'reloaded'), reloaded);

  // The link, opened in a fresh profile, shows the same counts, and nothing keeps producing.
  await page.click('.session-menu button:has-text("Share")');
  await page.waitForFunction(() => document.querySelector('.scrollback').innerText.includes('#s=v1.'));
  const url = (await shown(page)).split('\n').find((l) => l.includes('#s=v1.')).trim();
  const reader = await (await site.browser.newContext()).newPage();
  reader.on('pageerror', (e) => { throw e; });
  await reader.goto(url);
  await reader.waitForFunction(() => document.querySelector('.scrollback')?.innerText.includes('Opened a shared session'), null, { timeout: 60000 });
  assert.equal(await records(reader, 'stopped'), stopped);
  assert.equal(await records(reader, 'reloaded'), reloaded);
  assert.equal(await card(reader, 'stopped'), stopped);
  assert.equal(await card(reader, 'reloaded'), reloaded);
  await reader.waitForTimeout(1500);
  assert.equal(await records(reader, 'reloaded'), reloaded, 'the producer the reload ended stays dead');
  await context.close();
});
