// End-to-end: untrusted input cannot blank the page (issue 23, points 5 and 7). A share link
// with a topic regex nested thousands deep answers with the tool's error and the page stays
// usable; every error nothing caught (a RangeError, a rejected promise) draws the fault notice;
// a damaged wasm in the service worker's cache heals on the next online load.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { siteAndBrowser } from './harness.mjs';

const site = siteAndBrowser();

async function open(context, url = site.base, { strict = true } = {}) {
  const page = await context.newPage();
  // Offline, the page's own fetches fail (and the fault boundary must say so): not a test failure.
  if (strict) page.on('pageerror', (e) => { throw e; });
  await page.goto(url);
  await page.waitForSelector('#console-input');
  return page;
}

async function type(page, command) {
  await page.click('#console-input');
  await page.keyboard.type(command);
  await page.keyboard.press('Enter');
}

const scrollback = (page) => page.$eval('.scrollback', (el) => el.innerText);

test('a share link with a deeply nested topic regex shows the error and the page stays usable', { timeout: 120_000 }, async () => {
  const regex = '('.repeat(5000) + 'a' + ')'.repeat(5000);
  const command = `kafka-topics.sh --bootstrap-server localhost:9092 --list --topic '${regex}'`;
  const context = await site.browser.newContext({ viewport: { width: 1400, height: 900 } });
  let page = await open(context);
  // Filled in at once: typing 10,000 characters would take a while.
  await page.fill('#console-input', command);
  await page.press('#console-input', 'Enter');
  await page.waitForFunction(() => document.querySelector('.scrollback').innerText.includes('Groups nested more than 100 deep'));
  assert.match(await scrollback(page), /Error while executing topic command : Groups nested more than 100 deep near index 100\n/);
  await page.click('.session-menu button:has-text("Share")');
  await page.waitForFunction(() => document.querySelector('.scrollback').innerText.includes('#s=v1.'));
  const url = (await scrollback(page)).split('\n').find((l) => l.includes('#s=v1.')).trim();
  assert.ok(url.length < 2000, `a short link (${url.length} characters)`);
  await context.close();

  // Opened as a reader would: the error, then the console still answers.
  const reader = await site.browser.newContext({ viewport: { width: 1400, height: 900 } });
  page = await open(reader, url);
  await page.waitForFunction(() => document.querySelector('.scrollback').innerText.includes('Opened a shared session'));
  assert.match(await scrollback(page), /Groups nested more than 100 deep near index 100/);
  await type(page, 'echo still here');
  await page.waitForFunction(() => document.querySelector('.scrollback').innerText.includes('\nstill here'));
  assert.equal(await page.$('.fault'), null, 'no fault notice');
  await page.screenshot({ path: '/tmp/e2e-bounds-nested-link.png' });
  await reader.close();
});

for (const [what, raise, shown] of [
  ['a RangeError from an exhausted stack', () => setTimeout(() => { const f = () => f() + 1; f(); }), /Uncaught error: RangeError: Maximum call stack size exceeded/],
  ['a rejected promise nothing handles', () => { Promise.reject(new Error('nobody caught this')); }, /Uncaught error: Error: nobody caught this/],
]) {
  test(`${what} draws the fault notice`, { timeout: 60_000 }, async () => {
    const context = await site.browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    await page.goto(site.base);
    await page.waitForSelector('#console-input');
    await page.evaluate(raise);
    await page.waitForSelector('.fault');
    assert.equal(await page.$eval('.fault-title', (e) => e.textContent), 'Something went wrong — the playground stopped.');
    assert.match(await page.$eval('.fault-report', (e) => e.value), shown);
    assert.equal((await page.$$('.fault')).length, 1, 'one notice');
    await context.close();
  });
}

/** The app's cached wasm (not the lesson Markdown worker's): its URL and size, or null. */
const cachedWasm = (page) => page.evaluate(async () => {
  const cache = await caches.open('kafka-playground-v1');
  for (const request of await cache.keys()) {
    if (request.url.endsWith('.wasm') && request.url.includes('/kafka-playground-')) {
      return { url: request.url, size: (await (await cache.match(request)).arrayBuffer()).byteLength };
    }
  }
  return null;
});

/** Replaces the app's cached wasm with its first kilobyte, as a torn write would leave it. */
const damageCachedWasm = (page) => page.evaluate(async () => {
  const cache = await caches.open('kafka-playground-v1');
  const request = (await cache.keys()).find((r) => r.url.endsWith('.wasm') && r.url.includes('/kafka-playground-'));
  const body = await (await cache.match(request)).arrayBuffer();
  await cache.put(request, new Response(body.slice(0, 1024), { headers: { 'Content-Type': 'application/wasm' } }));
});

test('a damaged wasm in the offline cache heals on the next online load', { timeout: 120_000 }, async () => {
  const context = await site.browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await open(context, site.base, { strict: false });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  let good = null;
  while (!(good = await cachedWasm(page))) await page.waitForTimeout(200);
  await damageCachedWasm(page);
  assert.equal((await cachedWasm(page)).size, 1024);

  await page.reload();
  await page.waitForSelector('#console-input');
  await type(page, 'echo healed');
  await page.waitForFunction(() => document.querySelector('.scrollback').innerText.includes('\nhealed'));
  assert.equal(await page.$('.fault'), null, 'no fault notice');
  // The bad copy was replaced by a good one, so the next offline load works too.
  let now;
  while ((now = await cachedWasm(page)) === null || now.size !== good.size) await page.waitForTimeout(200);
  assert.deepEqual(errors, [], 'no error online');
  await context.setOffline(true);
  await page.reload();
  await page.waitForSelector('#console-input');
  await type(page, 'echo offline');
  await page.waitForFunction(() => document.querySelector('.scrollback').innerText.includes('\noffline'));
  assert.equal(await page.$('.fault'), null, 'no fault notice offline');
  await page.screenshot({ path: '/tmp/e2e-bounds-healed-offline.png' });
  await context.close();
});

test('offline with a damaged cache: a notice, never a blank page', { timeout: 120_000 }, async () => {
  const context = await site.browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await open(context, site.base, { strict: false });
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  while (!(await cachedWasm(page))) await page.waitForTimeout(200);
  await damageCachedWasm(page);
  await context.setOffline(true);
  await page.reload();
  await page.waitForSelector('.fault');
  assert.equal(await page.$eval('.fault-title', (e) => e.textContent), 'The playground could not start.');
  await page.screenshot({ path: '/tmp/e2e-bounds-offline-damaged.png' });
  await context.close();
});
