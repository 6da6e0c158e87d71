// End-to-end: a share link whose replay goes over the budget (here 31 days of simulated time,
// more than the 30 a link may take without asking: src/session/budget.rs) does not replace
// anything on its own. The reader's saved session opens, the page asks, and only "Replay it"
// replays the link.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { siteAndBrowser, typeCommand, savedSession } from './harness.mjs';

const site = siteAndBrowser();
const shown = (page) => page.locator('.scrollback').innerText();

test('a link over the replay budget asks first, keeps the reader\'s session, and replays on yes', async () => {
  // The author: 31 days of simulated time, then a link.
  const author = await (await site.browser.newContext()).newPage();
  await author.goto(site.base);
  await typeCommand(author, 'kafka-topics.sh --bootstrap-server localhost:9092 --create --topic month');
  await typeCommand(author, 'playground advance 31d');
  await author.waitForFunction(() => document.querySelector('.scrollback').innerText.includes('Clock advanced by 31d'));
  await author.click('.session-menu button:has-text("Share")');
  await author.waitForFunction(() => document.querySelector('.scrollback').innerText.includes('#s=v1.'));
  const url = (await shown(author)).split('\n').find((l) => l.includes('#s=v1.')).trim();

  // The reader has work of their own.
  const context = await site.browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => { throw e; });
  await page.goto(site.base);
  await typeCommand(page, 'kafka-topics.sh --bootstrap-server localhost:9092 --create --topic mine');
  await page.waitForSelector('[data-topic="mine"]');
  const until = Date.now() + 10000;
  while (Date.now() < until && !(await savedSession(page, '"mine"'))) await new Promise((r) => setTimeout(r, 200));

  // The link opens in another tab of the same browser (a new document, as a click on it would).
  await page.close();
  const linked = await context.newPage();
  linked.on('pageerror', (e) => { throw e; });
  await linked.goto(url);
  await linked.waitForSelector('.consent');
  // src/session/budget.rs: the largest whole unit of what the journal's clock covers.
  assert.match(await linked.locator('.consent').innerText(),
    /^This link replays 31 d of simulated time, more than a link may without asking: replay it anyway\?/);
  // Nothing replaced meanwhile: the reader's topic is there, the link's is not.
  assert.equal(await linked.locator('[data-topic="mine"]').count(), 1);
  assert.equal(await linked.locator('[data-topic="month"]').count(), 0);
  await linked.screenshot({ path: '/tmp/e2e-replay-consent.png' });

  await linked.click('.consent button:has-text("Replay it")');
  await linked.waitForSelector('[data-topic="month"]', { timeout: 30000 });
  assert.match(await shown(linked), /Opened a shared session/);
  assert.equal(await linked.locator('.consent').count(), 0);
  await context.close();
});
