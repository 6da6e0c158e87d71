// End-to-end: where the session is kept between visits (IndexedDB, src/ui/storage.rs). A reload
// loses nothing however large the session; sessions kept by earlier builds in local storage
// still open; a damaged saved session is reported and the page still comes up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { siteAndBrowser, savedSession, typeCommand } from './harness.mjs';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures');
const site = siteAndBrowser();

async function newPage(context) {
  const page = await context.newPage();
  page.on('pageerror', (e) => { throw e; });
  await page.goto(site.base);
  await page.waitForSelector('#console-input');
  return page;
}

const run = typeCommand;

const scrollback = (page) => page.$eval('.scrollback', (el) => el.innerText);

test('a session with a million records survives a reload', { timeout: 240_000 }, async () => {
  const context = await site.browser.newContext({ viewport: { width: 1400, height: 900 } });
  let page = await newPage(context);
  await run(page, 'kafka-topics.sh --bootstrap-server localhost:9092 --create --topic big --partitions 1');
  await run(page, 'kafka-producer-perf-test.sh --topic big --num-records 1000000 --record-size 100 --throughput -1 --producer-props bootstrap.servers=localhost:9092');
  await page.waitForFunction(() => document.querySelector('.scrollback').innerText.includes('1000000 records sent'), null, { timeout: 120_000 });
  // Saved after the perf test ended (a large session is saved every few seconds): the stored
  // log of big's one partition ends at a million. Then reload.
  while (!(await savedSession(page, '"log_end_offset":1000000,'))) await page.waitForTimeout(500);
  await page.reload();
  await page.waitForSelector('#console-input');
  await page.waitForFunction(() => document.querySelector('.scrollback').innerText.includes('Restored your session'), null, { timeout: 60_000 });
  assert.doesNotMatch(await scrollback(page), /cannot be saved|more than browser storage keeps|could not be read/);
  await run(page, 'kafka-get-offsets.sh --bootstrap-server localhost:9092 --topic big');
  await page.waitForFunction(() => /big:0:\d+/.test(document.querySelector('.scrollback').innerText));
  const ends = [...(await scrollback(page)).matchAll(/^big:\d+:(\d+)$/gm)].map((m) => Number(m[1]));
  assert.ok(ends.length > 0, 'the topic is back');
  assert.equal(ends.reduce((a, b) => a + b, 0), 1_000_000, 'every record is back');
  await page.screenshot({ path: '/tmp/e2e-million-reload.png' });
  await context.close();
});

test('a session an earlier build kept in local storage opens, and moves to IndexedDB', { timeout: 60_000 }, async () => {
  // Written by the format-1 serde code (tests/fixtures): topics orders and users.
  const old = fs.readFileSync(path.join(fixtures, 'snapshot-rich.json'), 'utf8');
  const context = await site.browser.newContext({ viewport: { width: 1400, height: 900 } });
  await context.addInitScript((text) => {
    if (!sessionStorage.getItem('seeded')) {
      sessionStorage.setItem('seeded', '1');
      localStorage.setItem('kafka-playground/session', text);
    }
  }, old);
  const page = await newPage(context);
  await page.waitForSelector('[data-topic="orders"]');
  assert.equal(await page.locator('[data-topic="users"]').count(), 1);
  // The next save writes it to IndexedDB and clears the old copy. (The fixture's cluster has
  // lost its controller, so the change is a file.)
  await run(page, 'echo kept > moved.txt');
  while (!(await savedSession(page, 'moved.txt'))) await page.waitForTimeout(100);
  assert.equal(await page.evaluate(() => localStorage.getItem('kafka-playground/session')), null);
  await page.reload();
  await page.waitForSelector('[data-topic="orders"]');
  await run(page, 'cat moved.txt');
  await page.waitForFunction(() => /\$ cat moved\.txt\s+kept/.test(document.querySelector('.scrollback').innerText));
  await context.close();
});

test('a damaged session in IndexedDB is reported and a fresh cluster starts', { timeout: 60_000 }, async () => {
  const context = await site.browser.newContext({ viewport: { width: 1400, height: 900 } });
  let page = await newPage(context);
  await run(page, 'kafka-topics.sh --bootstrap-server localhost:9092 --create --topic soon-damaged');
  while (!(await savedSession(page, 'soon-damaged'))) await page.waitForTimeout(100);
  // The app saves when its page goes: close it first, then damage the stored text from a page
  // of the same site that is not the app, then open the app again.
  await page.close();
  page = await context.newPage();
  await page.goto(site.base + 'sw.js');
  await page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('kafka-playground');
    open.onsuccess = () => {
      const tx = open.result.transaction('sessions', 'readwrite');
      tx.objectStore('sessions').put(new Blob(['{"format":1,"playground":']), 'current');
      tx.oncomplete = () => { open.result.close(); resolve(); };
      tx.onerror = () => reject(tx.error);
    };
  }));
  await page.close();
  page = await newPage(context);
  await page.waitForFunction(() => document.querySelector('.scrollback').innerText.includes('could not be read'));
  assert.equal(await page.locator('[data-topic]').count(), 0, 'a fresh cluster');
  await context.close();
});
