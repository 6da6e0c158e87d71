// End-to-end: nothing is lost without the user's consent, and two tabs never lose the newer
// work (docs/RELIABILITY.md). Each test is a user's steps in Chromium; the saved session is read
// back from the browser's IndexedDB (src/ui/storage.rs) where what the page shows is not enough.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { siteAndBrowser, savedSession, typeCommand } from './harness.mjs';

const site = siteAndBrowser();
const shots = '/tmp/guard';
fs.mkdirSync(shots, { recursive: true });

async function open(context, url = site.base) {
  const page = await context.newPage();
  page.on('pageerror', (e) => { throw e; });
  await page.goto(url);
  await page.waitForSelector('#console-input');
  return page;
}

const run = typeCommand;

const shown = (page) => page.$eval('.scrollback', (el) => el.innerText);
const until = (page, text) => page.waitForFunction((t) => document.querySelector('.scrollback').innerText.includes(t), text);

async function createTopic(page, topic) {
  await run(page, `kafka-topics.sh --bootstrap-server localhost:9092 --create --topic ${topic}`);
  await page.waitForSelector(`[data-topic="${topic}"]`);
}

async function savedWith(page, needle) {
  while (!(await savedSession(page, needle))) await page.waitForTimeout(100);
}

/** A share link made in a browser profile of its own, whose session created `topic`. */
async function linkTo(topic) {
  const other = await site.browser.newContext();
  const page = await open(other);
  await createTopic(page, topic);
  await page.click('.session-menu button:has-text("Share")');
  await until(page, '#s=v1.');
  const url = (await shown(page)).split('\n').find((l) => l.includes('#s=v1.')).trim();
  await other.close();
  return url;
}

test('a damaged share link, then leaving, keeps the saved session', { timeout: 60_000 }, async () => {
  const context = await site.browser.newContext({ viewport: { width: 1366, height: 768 } });
  let page = await open(context);
  await createTopic(page, 'mine');
  await savedWith(page, '"mine"');
  await page.close();

  const url = await linkTo('shared');
  page = await open(context, url.replace('#s=v1.', '#s=v1.garbage'));
  await until(page, 'The share link could not be opened: the link is damaged');
  await until(page, 'Your saved session is opened instead.');
  await page.waitForSelector('[data-topic="mine"]');
  // The user leaves without doing anything.
  await page.close();

  page = await open(context);
  await until(page, 'Restored your session');
  await page.waitForSelector('[data-topic="mine"]');
  assert.equal(await page.locator('[data-topic="shared"]').count(), 0);
  await context.close();
});

test('a valid share link opens as its own session; the saved one is one click away', { timeout: 90_000 }, async () => {
  const url = await linkTo('shared');
  for (const [width, height] of [[1366, 768], [390, 844]]) {
    const context = await site.browser.newContext({ viewport: { width, height } });
    let page = await open(context);
    await createTopic(page, 'mine');
    await savedWith(page, '"mine"');
    await page.close();

    page = await open(context, url);
    await until(page, 'Opened a shared session');
    await until(page, 'Your own session is kept: Sessions lists it, one click opens it again.');
    await page.waitForSelector('[data-topic="shared"]');
    assert.equal(await page.locator('[data-topic="mine"]').count(), 0);
    await savedWith(page, '"shared"');

    await page.click('.session-menu button:has-text("Sessions")');
    const mine = page.locator('.recent-session').first();
    await mine.waitFor();
    assert.match(await mine.innerText(), /1 topic · 1 command/);
    assert.match(await mine.innerText(), /saved /);
    await page.screenshot({ path: `${shots}/recent-sessions-${width}.png` });
    await mine.locator('.recent-open').click();
    // The page opens the user's own session again ...
    await page.waitForSelector('[data-topic="mine"]');
    await until(page, 'Restored your session');
    assert.equal(await page.locator('[data-topic="shared"]').count(), 0);
    // ... and the shared one is now the recent one, as a way back.
    await page.click('.session-menu button:has-text("Sessions")');
    await page.locator('.recent-session').first().waitFor();
    assert.equal(await page.locator('.recent-session').count(), 1);
    assert.match(await page.locator('.recent-session').first().innerText(), /1 topic/);
    await context.close();
  }
});

test('an unreadable saved session is kept aside, exportable, and not written over on leaving', { timeout: 60_000 }, async () => {
  const damaged = '{"format":1,"playground":';
  const context = await site.browser.newContext({ viewport: { width: 1366, height: 768 } });
  // Damaged from a page of the same site that is not the app.
  let page = await context.newPage();
  await page.goto(site.base + 'sw.js');
  await page.evaluate((text) => new Promise((resolve, reject) => {
    const req = indexedDB.open('kafka-playground', 1);
    req.onupgradeneeded = () => req.result.createObjectStore('sessions');
    req.onsuccess = () => {
      const tx = req.result.transaction('sessions', 'readwrite');
      tx.objectStore('sessions').put(new Blob([text]), 'current');
      tx.oncomplete = () => { req.result.close(); resolve(); };
      tx.onerror = () => reject(tx.error);
    };
  }), damaged);
  await page.close();

  page = await open(context);
  await until(page, 'Your saved session could not be read: it is damaged');
  await until(page, 'It is kept aside in this browser (Sessions: export it as a file)');
  await page.close();
  // Left untouched: nothing written, the next visit starts fresh without the report.
  page = await open(context);
  assert.doesNotMatch(await shown(page), /could not be read/);
  await page.click('.session-menu button:has-text("Sessions")');
  const kept = page.locator('.recent-session').first();
  await kept.waitFor();
  assert.match(await kept.innerText(), /Unreadable saved session/);
  assert.equal(await kept.locator('.recent-open').count(), 0, 'it cannot be opened, only exported');
  const [download] = await Promise.all([page.waitForEvent('download'), kept.locator('.recent-export').click()]);
  assert.equal(fs.readFileSync(await download.path(), 'utf8'), damaged, 'the export is the kept text as it was');
  await context.close();
});

test('two tabs: the second is told, can take over, and the newer work is never lost', { timeout: 90_000 }, async () => {
  for (const [width, height] of [[1366, 768], [390, 844]]) {
    const context = await site.browser.newContext({ viewport: { width, height } });
    const first = await open(context);
    await createTopic(first, 'first');
    await savedWith(first, '"first"');

    const second = await open(context);
    await second.waitForSelector('.lease-notice');
    assert.match(await second.locator('.lease-notice').innerText(), /This session is open in another tab\. This tab is read only/);
    await second.waitForSelector('[data-topic="first"]');
    await second.screenshot({ path: `${shots}/lease-read-only-${width}.png` });

    await second.click('.lease-take');
    await second.waitForSelector('#console-input');
    await second.waitForSelector('[data-topic="first"]');
    await first.waitForSelector('.lease-notice');
    assert.match(await first.locator('.lease-notice').innerText(), /This session was taken over in another tab/);
    await first.screenshot({ path: `${shots}/lease-taken-over-${width}.png` });
    assert.equal(await second.locator('.lease-notice').count(), 0, 'the tab that took over writes');

    await createTopic(second, 'newer');
    await savedWith(second, '"newer"');
    // The older tab goes on being used, then is closed last.
    await run(first, 'echo older > old.txt');
    await first.waitForTimeout(1_500);
    await second.close();
    await first.close();

    const again = await open(context);
    await until(again, 'Restored your session');
    await again.waitForSelector('[data-topic="newer"]');
    await run(again, 'ls');
    await again.waitForTimeout(300);
    assert.doesNotMatch(await shown(again), /old\.txt/);
    await context.close();
  }
});

test('without Web Locks, the generation stamp still keeps an older tab from writing over newer work', { timeout: 60_000 }, async () => {
  const context = await site.browser.newContext({ viewport: { width: 1366, height: 768 } });
  await context.addInitScript(() => { delete Navigator.prototype.locks; });
  const setup = await open(context);
  await createTopic(setup, 'first');
  await savedWith(setup, '"first"');
  await setup.close();

  const older = await open(context);
  const newer = await open(context);
  assert.equal(await newer.locator('.lease-notice').count(), 0, 'no locks: each tab writes');
  await createTopic(newer, 'newer');
  await savedWith(newer, '"newer"');
  await run(older, 'echo older > old.txt');
  await until(older, 'Newer work on this session was saved in another tab, so this tab no longer saves (nothing was written over it).');
  await older.waitForSelector('.lease-notice');
  await older.close();
  assert.ok(await savedSession(newer, '"newer"'), 'the newer work is what is saved');
  await newer.close();
  await context.close();
});

test('a save the browser refuses shows in the fault notice', { timeout: 60_000 }, async () => {
  const context = await site.browser.newContext({ viewport: { width: 1366, height: 768 } });
  // A full disk: every write of the session is refused.
  await context.addInitScript(() => {
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (value, key) {
      if (key === 'current') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put.call(this, value, key);
    };
  });
  const page = await open(context);
  page.removeAllListeners('pageerror'); // the forced panic surfaces as a page error, on purpose
  await createTopic(page, 'unsaved');
  await until(page, 'Your session cannot be saved in this browser: the browser refused to store it (QuotaExceededError');
  await run(page, '__panic');
  await page.waitForSelector('.fault');
  const said = await page.locator('.fault-saved').innerText();
  assert.match(said, /^The last save did not succeed \(the browser refused to store it \(QuotaExceededError: The quota has been exceeded\.\)\): reloading opens the session as it was last saved in this browser, without the latest changes\./);
  assert.doesNotMatch(said, /saved a moment before/);
  await page.screenshot({ path: `${shots}/fault-save-refused.png` });
  await context.close();
});

test('an imported file keeps the session it replaces, one click away', { timeout: 60_000 }, async () => {
  const other = await site.browser.newContext();
  let page = await open(other);
  await createTopic(page, 'exported');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('.session-menu button:has-text("Export")')]);
  const file = `${shots}/exported-session.json`;
  await download.saveAs(file); // a download goes with its browser context
  await other.close();

  const context = await site.browser.newContext({ viewport: { width: 1366, height: 768 } });
  page = await open(context);
  await createTopic(page, 'mine');
  await page.setInputFiles('.session-menu input[type=file]', file);
  await page.waitForSelector('[data-topic="exported"]');
  await until(page, 'The session it replaced is kept: Sessions lists it, one click opens it again.');
  await savedWith(page, '"exported"');
  await page.click('.session-menu button:has-text("Sessions")');
  const mine = page.locator('.recent-session').first();
  await mine.waitFor();
  await mine.locator('.recent-open').click();
  await page.waitForSelector('[data-topic="mine"]');
  assert.equal(await page.locator('[data-topic="exported"]').count(), 0);
  await context.close();
});

test('a saved session the browser fails to read is left as it is: the page says so and writes nothing over it', { timeout: 60_000 }, async () => {
  const context = await site.browser.newContext({ viewport: { width: 1366, height: 768 } });
  let page = await open(context);
  await createTopic(page, 'mine');
  await savedWith(page, '"mine"');
  await page.close();

  // The next visit's IndexedDB fails to read the session (as a broken profile or a full
  // disk can make it), while writing would still work.
  const failing = await context.newPage();
  failing.on('pageerror', (e) => { throw e; });
  await failing.addInitScript(() => {
    const get = IDBObjectStore.prototype.get;
    IDBObjectStore.prototype.get = function (key) {
      if (key === 'current') throw new DOMException('injected read failure', 'UnknownError');
      return get.call(this, key);
    };
    // Every attempt to write the session is counted (the generation stamp would refuse an
    // older one anyway: the page must not even try).
    window.__writes = 0;
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (value, key) {
      if (key === 'current') window.__writes += 1;
      return put.call(this, value, key);
    };
  });
  await failing.goto(site.base);
  await failing.waitForSelector('#console-input');
  await until(failing, 'Your saved session could not be read: the browser refused to read it');
  await until(failing, 'It is left as it is in this browser, and this page saves nothing over it: reload to try again, or export this page\'s work as a file (Export).');
  // Work goes on in the page; none of it is written.
  await createTopic(failing, 'meanwhile');
  await failing.waitForTimeout(2500);
  assert.equal(await failing.evaluate(() => window.__writes), 0, 'no write of the session was tried');
  assert.doesNotMatch(await shown(failing), /Newer work on this session was saved in another tab/);
  await failing.close();

  // Storage reads again: the session is the one saved before, untouched.
  page = await open(context);
  await page.waitForSelector('[data-topic="mine"]');
  assert.equal(await page.locator('[data-topic="meanwhile"]').count(), 0);
  assert.doesNotMatch(await shown(page), /could not be read/);
  await context.close();
});
