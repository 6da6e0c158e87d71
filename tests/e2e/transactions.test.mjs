// End-to-end: a transaction left open from the console shows in the live view (issue 17): the
// partition's last stable offset badge while it is open, the open records marked, and after the
// abort the ABORT marker drawn as a control record and the aborted records struck through.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { siteAndBrowser, typeCommand } from './harness.mjs';

const site = siteAndBrowser();

const scrollback = (page) => page.$eval('.scrollback', (el) => el.innerText);

test('an open transaction holds the last stable offset; its abort marker is drawn as a control record', { timeout: 120_000 }, async () => {
  const context = await site.browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => { throw e; });
  await page.goto(site.base);
  await page.waitForSelector('#console-input');
  await typeCommand(page, 'kafka-topics.sh --bootstrap-server localhost:9092 --create --topic payments --partitions 1');
  await page.waitForFunction(() => document.querySelector('.scrollback').innerText.includes('Created topic payments.'));
  await typeCommand(page, 'playground transaction init t1');
  await typeCommand(page, 'playground transaction begin t1');
  await typeCommand(page, 'playground transaction send t1 payments p1 p2');
  await page.waitForSelector('[data-partition="payments-0"] .badge.lso');
  assert.equal(await page.$eval('[data-partition="payments-0"] .badge.lso', (el) => el.textContent), 'lso 0');
  assert.equal((await page.$$('[data-partition="payments-0"] .cell.open-txn')).length, 2);
  await page.screenshot({ path: '/tmp/e2e-transaction-open.png' });

  await typeCommand(page, 'playground transaction abort t1');
  await page.waitForSelector('[data-partition="payments-0"] .cell.control');
  assert.equal(await page.$('[data-partition="payments-0"] .badge.lso'), null, 'no badge once the LSO is the high watermark');
  assert.equal(await page.$eval('[data-partition="payments-0"] .cell.control .cell-value', (el) => el.textContent), 'ABORT');
  assert.equal((await page.$$('[data-partition="payments-0"] .cell.aborted')).length, 2);
  assert.match(await page.$eval('[data-partition="payments-0"] .cell.control', (el) => el.title), /producerId 0/);
  assert.match(await scrollback(page), /2 record\(s\) written to payments/);
  await page.screenshot({ path: '/tmp/e2e-transaction-aborted.png' });
  await context.close();
});
