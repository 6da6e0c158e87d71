// End-to-end: widgets a docs page embeds cannot be turned against the page or the reader —
// on the built site (dist/) served on 127.0.0.1, driven by headless Chromium. A page that frames
// a docs page cannot drive its widget; settings a widget cannot read give an error widget and
// leave the reader's saved session alone; a read-only widget changes nothing; a widget does not
// take the keyboard on load; data-commands run one after another.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { siteAndBrowser, savedSession } from './harness.mjs';

const site = siteAndBrowser();

/** Serves `pages` (path → HTML) on a port of its own: another origin than the playground's. */
async function serve(pages) {
  const server = http.createServer((req, res) => {
    const page = pages[new URL(req.url, 'http://x').pathname];
    res.writeHead(page ? 200 : 404, { 'Content-Type': 'text/html' });
    res.end(page || '');
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { server, base: `http://127.0.0.1:${server.address().port}/` };
}

/** The frame of the playground inside `page` (the first one from the playground's origin). */
async function widgetFrame(page, timeout = 15000) {
  const until = Date.now() + timeout;
  while (Date.now() < until) {
    const frame = page.frames().find((f) => f.url().startsWith(site.base));
    if (frame) {
      await frame.waitForSelector('#console-input', { timeout });
      return frame;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail('no widget frame appeared');
}

function b64url(text) {
  return Buffer.from(text).toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

test('a page that frames a docs page cannot drive its widget, even with settings naming itself', async () => {
  const context = await site.browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  const docs = await serve({
    '/docs.html': `<!DOCTYPE html><title>docs</title><script src="${site.base}embed.js" defer></script>
      <div class="kafka-playground" data-height="400"
           data-commands="kafka-topics.sh --bootstrap-server localhost:9092 --create --topic safe"></div>`,
  });
  const evil = await serve({
    '/evil.html': `<!DOCTYPE html><title>evil</title>
      <iframe id="docs" src="${docs.base}docs.html" style="width:1000px;height:600px"></iframe>
      <script>window.replies = []; addEventListener('message', (e) => replies.push(e.data));</script>`,
  });
  const attacker = new URL(evil.base).origin;
  assert.notEqual(attacker, new URL(docs.base).origin);
  await page.goto(evil.base + 'evil.html');
  let widget = await widgetFrame(page);
  await widget.waitForSelector('[data-topic="safe"]');
  // The attacker sends the widget's frame to settings that name the attacker as its host.
  const forged = site.base + 'index.html?again#embed=' + b64url(JSON.stringify({ origin: attacker, commands: [] }));
  await page.evaluate((url) => { document.getElementById('docs').contentWindow.frames[0].location = url; }, forged);
  await page.waitForFunction(() => true);
  const until = Date.now() + 15000;
  while (Date.now() < until && !page.frames().some((f) => f.url().includes('?again'))) {
    await new Promise((r) => setTimeout(r, 100));
  }
  widget = page.frames().find((f) => f.url().includes('?again'));
  assert.ok(widget, 'the attacker could navigate the widget frame (the attack this test is about)');
  await widget.waitForSelector('#console-input');
  await page.evaluate(() => {
    const target = document.getElementById('docs').contentWindow.frames[0];
    target.postMessage({ type: 'kafka-playground:run', id: 1,
      command: 'kafka-topics.sh --bootstrap-server localhost:9092 --create --topic pwned' }, '*');
  });
  await new Promise((r) => setTimeout(r, 1500));
  const listed = await widget.evaluate(() => window.kafkaPlayground.run('kafka-topics.sh --bootstrap-server localhost:9092 --list'));
  assert.doesNotMatch(listed, /pwned/);
  assert.deepEqual(await page.evaluate(() => window.replies.filter((m) => m && m.type === 'kafka-playground:output')), []);
  await context.close();
  docs.server.close();
  evil.server.close();
});

test('settings a widget cannot read give an error widget and leave the saved session alone', async () => {
  const context = await site.browser.newContext({ viewport: { width: 1000, height: 800 } });
  const app = await context.newPage();
  await app.goto(site.base);
  await app.locator('#console-input').click();
  await app.keyboard.type('kafka-topics.sh --bootstrap-server localhost:9092 --create --topic kept');
  await app.keyboard.press('Enter');
  await app.waitForSelector('[data-topic="kept"]');
  const until = Date.now() + 10000;
  while (Date.now() < until && !(await savedSession(app, '"kept"'))) await new Promise((r) => setTimeout(r, 200));
  assert.ok(await savedSession(app, '"kept"'), 'the session was saved');

  const widget = await context.newPage();
  await widget.goto(site.base + 'index.html#embed=!!not-settings!!');
  await widget.locator('.scrollback').filter({ hasText: 'This embedded console cannot start: the embed settings are damaged' }).waitFor();
  assert.equal(await widget.locator('.app.embed').count(), 1, 'a widget, not the app');
  assert.equal(await widget.locator('[data-topic="kept"]').count(), 0, 'not the reader\'s session');
  assert.ok(await widget.locator('#console-input').isDisabled());
  assert.equal(await widget.locator('.cluster').count(), 0, 'only the error is shown');
  await widget.screenshot({ path: '/tmp/e2e-embed-refused.png' });
  await widget.close({ runBeforeUnload: true });

  await app.reload();
  await app.waitForSelector('[data-topic="kept"]');
  assert.ok(await savedSession(app, '"kept"'));
  await context.close();
});

test('a read-only widget changes nothing, and no widget takes the keyboard on load', async () => {
  const context = await site.browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  const docs = await serve({
    '/ro.html': `<!DOCTYPE html><title>ro</title><script src="${site.base}embed.js" defer></script>
      <p>Some prose before the example.</p>
      <div class="kafka-playground" data-readonly data-height="420"
           data-commands="kafka-topics.sh --bootstrap-server localhost:9092 --create --topic shown"></div>
      <div style="height:2000px"></div>`,
  });
  await page.goto(docs.base + 'ro.html');
  const widget = await widgetFrame(page);
  await widget.waitForSelector('[data-topic="shown"]');
  // No focus grab: the reader's keys still belong to the page.
  assert.equal(await page.evaluate(() => document.activeElement.tagName), 'BODY');
  await page.keyboard.press('Space');
  await page.waitForFunction(() => window.scrollY > 0);
  // Nothing in it changes the cluster.
  assert.ok(await widget.locator('#console-input').isDisabled());
  assert.equal(await widget.locator('.tab-new').count(), 0);
  const stops = widget.locator('.broker-action');
  assert.ok((await stops.count()) > 0);
  for (let i = 0; i < await stops.count(); i++) assert.ok(await stops.nth(i).isDisabled());
  await stops.first().click({ force: true });
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(await widget.locator('.broker.up').count(), 3, 'every broker still runs');
  await page.screenshot({ path: '/tmp/e2e-embed-readonly.png' });
  await context.close();
  docs.server.close();
});

test('data-commands run one after another: a consumer with a timeout ends before the next line', async () => {
  const context = await site.browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  const commands = [
    'kafka-topics.sh --bootstrap-server localhost:9092 --create --topic first',
    'kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic first --timeout-ms 1500',
    'kafka-topics.sh --bootstrap-server localhost:9092 --create --topic after',
  ].join('\n');
  const docs = await serve({
    '/seq.html': `<!DOCTYPE html><title>seq</title><script src="${site.base}embed.js" defer></script>
      <div class="kafka-playground" data-height="420" data-commands="${commands}"></div>`,
  });
  await page.goto(docs.base + 'seq.html');
  const widget = await widgetFrame(page);
  await widget.waitForSelector('[data-topic="after"]', { timeout: 20000 });
  const shown = await widget.locator('.scrollback').innerText();
  // ConsoleConsumer ends a timed-out run with "Processed a total of N messages".
  const consumed = shown.indexOf('Processed a total of 0 messages');
  const created = shown.indexOf('Created topic after.');
  assert.ok(consumed >= 0 && created > consumed, shown);
  await context.close();
  docs.server.close();
});
