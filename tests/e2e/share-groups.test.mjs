// Share groups in the browser: two share consumers in one group split a partition's records,
// and the live view lists the share group with each member (and what it holds acquired) and
// each share-partition's start offset and lag.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { siteAndBrowser, typeCommand } from './harness.mjs';

const site = siteAndBrowser();

test('the live view shows a share group, its members and its share-partitions', async () => {
  const page = await site.browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(site.base);
  await page.waitForSelector('#console-input');
  const bs = '--bootstrap-server localhost:9092';
  await typeCommand(page, `kafka-topics.sh ${bs} --create --topic jobs`);
  await typeCommand(page, `kafka-console-share-consumer.sh ${bs} --topic jobs --group workers > w1.txt &`);
  await typeCommand(page, `kafka-console-share-consumer.sh ${bs} --topic jobs --group workers > w2.txt &`);
  for (const n of [1, 2, 3, 4]) {
    await typeCommand(page, `echo job-${n} | kafka-console-producer.sh ${bs} --topic jobs`);
  }
  const group = page.locator('[data-share-group="workers"]');
  await group.waitFor();
  assert.equal(await group.locator('.member').count(), 2);
  await typeCommand(page, 'cat w1.txt w2.txt');
  await page.waitForFunction(() => document.body.innerText.includes('job-4'));
  const text = await page.locator('main, body').first().innerText();
  for (const n of [1, 2, 3, 4]) assert.ok(text.includes(`job-${n}`), `job-${n} printed`);
  // Each record was acknowledged with the consumer's next fetch: nothing is held, the
  // share-partition's start offset is past all four.
  await page.waitForFunction(() => [...document.querySelectorAll('[data-share-group="workers"] .member')]
    .every((m) => m.dataset.acquired === '0'));
  assert.match(await group.locator('.offset-chip').innerText(), /jobs-0 @4 lag 0/);
  // A killed consumer stays a member until group.share.session.timeout.ms (45 s) has passed.
  await typeCommand(page, 'kill -9 %1');
  assert.equal(await group.locator('.member').count(), 2);
  await typeCommand(page, 'sleep 46');
  await page.waitForFunction(() => document.querySelectorAll('[data-share-group="workers"] .member').length === 1);
  if (process.env.SCREENSHOT) await page.screenshot({ path: process.env.SCREENSHOT, fullPage: false });
  await page.close();
});
