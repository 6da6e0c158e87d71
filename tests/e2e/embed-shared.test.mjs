// End-to-end: docs widgets sharing one cluster (data-cluster), on the built site (dist/) served
// on 127.0.0.1 and driven by headless Chromium with real key events. Two widgets of one group
// see each other's topics and records, each in its own terminal; a widget without the attribute
// keeps a cluster of its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { siteAndBrowser } from './harness.mjs';

const site = siteAndBrowser();

/** Clicks a widget's command line and types `command` with real keys, then Enter. */
async function typeIn(page, frame, command) {
  await frame.locator('#console-input').click();
  await page.keyboard.type(command);
  await page.keyboard.press('Enter');
}

/** Waits until a widget's console shows `text` (a string, or a regex over its lines). */
async function shows(frame, text, timeout = 15000) {
  if (typeof text === 'string') {
    await frame.locator('.scrollback').filter({ hasText: text }).waitFor({ timeout });
    return;
  }
  // A regex is matched against the text as the reader sees it, line by line (innerText).
  const until = Date.now() + timeout;
  let seen = '';
  while (Date.now() < until) {
    seen = await frame.locator('.scrollback').innerText();
    if (text.test(seen)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`the console never showed ${text}; it shows:\n${seen}`);
}

test('two widgets with one data-cluster share topics and records; a widget without it does not', async () => {
  const context = await site.browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => { throw e; });
  await page.goto(site.base + 'docs-shared-cluster.html');
  const s1 = page.frameLocator('#s1 iframe');
  const s2 = page.frameLocator('#s2 iframe');
  const s3 = page.frameLocator('#s3 iframe');

  // The group started in page order: widget 2's setup `--list` already sees widget 1's topic.
  await shows(s1, 'Created topic orders.');
  await shows(s2, '--list');
  assert.match(await s2.locator('.scrollback').innerText(), /--list\norders\n/);
  // Each widget is its own terminal: widget 1 does not show widget 2's command, and back.
  assert.doesNotMatch(await s1.locator('.scrollback').innerText(), /--list/);
  assert.doesNotMatch(await s2.locator('.scrollback').innerText(), /--create/);
  // The sandbox below the fold is not loaded yet.
  assert.equal(await page.locator('#s3 iframe').count(), 0);

  // A topic created by typing in widget 1 is listed by typing in widget 2, and drawn there.
  await typeIn(page, s1, 'kafka-topics.sh --bootstrap-server localhost:9092 --create --topic payments --partitions 2');
  await shows(s1, 'Created topic payments.');
  await typeIn(page, s2, 'kafka-topics.sh --bootstrap-server localhost:9092 --list');
  await shows(s2, /--list\norders\npayments\n/);
  await s2.locator('[data-topic="payments"] .partition').nth(1).waitFor();
  assert.equal(await s2.locator('[data-topic="payments"] .partition').count(), 2);

  // The host page's API on the second widget runs on the shared cluster.
  const described = await page.evaluate(() => document.getElementById('s2').kafkaPlayground
    .run('kafka-topics.sh --bootstrap-server localhost:9092 --describe --topic payments'));
  assert.match(described, /Topic: payments\tTopicId: \S+\tPartitionCount: 2/);

  // A consumer in widget 2 receives what widget 1's producer sends.
  await typeIn(page, s2, 'kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic payments --from-beginning');
  await s2.locator('.running').waitFor();
  await typeIn(page, s1, 'kafka-console-producer.sh --bootstrap-server localhost:9092 --topic payments');
  await s1.locator('.prompt', { hasText: '>' }).waitFor();
  for (const line of ['paid-1', 'paid-2']) {
    await page.keyboard.type(line);
    await page.keyboard.press('Enter');
  }
  // The consumer's group joins after Kafka's 3 s initial rebalance delay.
  await shows(s2, 'paid-2', 20000);
  const consumed = await s2.locator('.scrollback').innerText();
  assert.match(consumed, /paid-1\npaid-2/);
  // The producer's input lines are widget 1's, not widget 2's.
  assert.doesNotMatch(consumed, /> ?paid-1/);
  await s1.locator('#console-input').click();
  await page.keyboard.press('Control+D');
  await s1.locator('.prompt', { hasText: '$' }).waitFor();
  await s2.locator('#console-input').click();
  await page.keyboard.press('Control+C');
  await shows(s2, 'Processed a total of 2 messages');
  // ↑ in widget 2 brings back widget 2's own last command.
  await page.keyboard.press('ArrowUp');
  assert.equal(await s2.locator('#console-input').inputValue(),
    'kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic payments --from-beginning');
  await s2.locator('#console-input').fill('');

  // The widget without data-cluster has a cluster of its own: no orders, no payments.
  await page.locator('#s3').scrollIntoViewIfNeeded();
  await shows(s3, '--list');
  await typeIn(page, s3, 'kafka-topics.sh --bootstrap-server localhost:9092 --list');
  await s3.locator('.scrollback .line.input').nth(1).waitFor();
  const own = await s3.locator('.scrollback').innerText();
  assert.doesNotMatch(own, /orders|payments/);
  assert.equal(await s3.locator('[data-topic]').count(), 0);
  assert.equal(await s1.locator('[data-topic="payments"]').count(), 1);

  await page.locator('#s1').scrollIntoViewIfNeeded();
  await page.screenshot({ path: process.env.E2E_SHARED_SCREENSHOT || '/tmp/e2e-embed-shared.png', fullPage: true });
  await context.close();
});

test('a reader who jumps straight to a later widget starts the group: the first widget loads too', async () => {
  const context = await site.browser.newContext({ viewport: { width: 1000, height: 700 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => { throw e; });
  await page.route(site.base + 'anchor-host.html', (route) => route.fulfill({
    contentType: 'text/html',
    body: `<!DOCTYPE html><title>anchor</title><script src="embed.js" defer></script>
      <div id="g1" class="kafka-playground" data-cluster="book" data-height="300" data-brokers="1"
           data-commands="kafka-topics.sh --bootstrap-server localhost:9092 --create --topic chapter-1"></div>
      <div style="height:3000px">A long chapter.</div>
      <h2 id="step-2">Step 2</h2>
      <div id="g2" class="kafka-playground" data-cluster="book" data-height="300" data-hide-commands
           data-commands="kafka-topics.sh --bootstrap-server localhost:9092 --create --topic chapter-2"></div>
      <div style="height:3000px">Another chapter.</div>
      <div id="g3" class="kafka-playground" data-cluster="book" data-height="300"
           data-commands="kafka-topics.sh --bootstrap-server localhost:9092 --list"></div>`,
  }));
  await page.goto(site.base + 'anchor-host.html#step-2');
  const g2 = page.frameLocator('#g2 iframe');
  await g2.locator('#console-input').waitFor();
  // The first widget, above the viewport, was loaded with the second; the third was not.
  assert.equal(await page.locator('#g1 iframe').count(), 1);
  assert.equal(await page.locator('#g3 iframe').count(), 0);
  // Widget 2's hidden setup ran after widget 1's, and widget 3's too (page order, at start):
  // chapter-2 exists, on the first widget's one broker.
  await g2.locator('[data-topic="chapter-2"]').waitFor();
  assert.equal(await g2.locator('.scrollback .line.input').count(), 0, 'its commands are hidden');
  await typeIn(page, g2, 'kafka-topics.sh --bootstrap-server localhost:9092 --list');
  await shows(g2, /--list\nchapter-1\nchapter-2\n/);
  assert.equal(await g2.locator('.brokers .broker').count(), 1);
  await page.locator('#g3').scrollIntoViewIfNeeded();
  const g3 = page.frameLocator('#g3 iframe');
  await shows(g3, /--list\nchapter-1\nchapter-2\n/);
  await context.close();
});

test('a host page on another origin: the widgets still find each other, and the host API answers it', async () => {
  const context = await site.browser.newContext({ viewport: { width: 1000, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => { throw e; });
  // The docs site is served by a second server (another port: another origin); the widgets
  // come from the playground's. (Both on 127.0.0.1: Chromium refuses a loopback address to pages
  // it does not see on one.)
  const hostPage = `<!DOCTYPE html><title>cross</title><script src="${site.base}embed.js" defer></script>
      <div id="c1" class="kafka-playground" data-cluster="x" data-height="300"
           data-commands="kafka-topics.sh --bootstrap-server localhost:9092 --create --topic crossed"></div>
      <div id="c2" class="kafka-playground" data-cluster="x" data-height="300"></div>`;
  const docs = http.createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end(hostPage);
  });
  await new Promise((r) => docs.listen(0, '127.0.0.1', r));
  const host = `http://127.0.0.1:${docs.address().port}/`;
  assert.notEqual(new URL(host).origin, new URL(site.base).origin);
  await page.goto(host + 'cross-host.html');
  const c2 = page.frameLocator('#c2 iframe');
  await c2.locator('[data-topic="crossed"]').waitFor();
  await typeIn(page, c2, 'kafka-topics.sh --bootstrap-server localhost:9092 --list');
  await shows(c2, /--list\ncrossed\n/);
  const listed = await page.evaluate(() => document.getElementById('c2').kafkaPlayground
    .run('kafka-topics.sh --bootstrap-server localhost:9092 --list'));
  assert.equal(listed.trim(), 'crossed');
  // The host page (another origin) forging a member's input to the first widget: ignored.
  await page.evaluate(() => {
    const forged = 'kafka-playground-group/2:' + JSON.stringify({ input: { group: 'x', member: 1,
      input: { do: 'line', text: 'kafka-topics.sh --bootstrap-server localhost:9092 --delete --topic crossed' } } });
    for (let i = 0; i < window.frames.length; i++) window.frames[i].postMessage(forged, '*');
  });
  // Messages from one window to another arrive in order: the forged one was handled first.
  const still = await page.evaluate(() => document.getElementById('c1').kafkaPlayground
    .run('kafka-topics.sh --bootstrap-server localhost:9092 --list'));
  assert.equal(still.trim(), 'crossed');
  assert.doesNotMatch(await c2.locator('.scrollback').innerText(), /--delete/);
  await context.close();
  docs.close();
});

test('the iframe form (no script on the host page) shares a cluster too', async () => {
  const context = await site.browser.newContext({ viewport: { width: 1000, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => { throw e; });
  const src = (settings) => site.base + 'index.html#embed=' + Buffer.from(JSON.stringify(settings)).toString('base64url');
  const first = src({ cluster: 'raw', member: 0, brokers: 1, show_commands: true,
    commands: ['kafka-topics.sh --bootstrap-server localhost:9092 --create --topic events'] });
  const second = src({ cluster: 'raw', member: 1, show_commands: true,
    commands: ['kafka-topics.sh --bootstrap-server localhost:9092 --describe --topic events'] });
  // A host page of plain HTML: two iframes, no script.
  await page.route(site.base + 'raw-host.html', (route) => route.fulfill({
    contentType: 'text/html',
    body: `<!DOCTYPE html><title>raw</title>
      <iframe id="a" src="${first}" style="width:900px;height:380px"></iframe>
      <iframe id="b" src="${second}" style="width:900px;height:380px"></iframe>`,
  }));
  await page.goto(site.base + 'raw-host.html');
  const b = page.frameLocator('#b');
  // The second widget's commands ran on the first one's cluster (its one broker), once attached.
  await shows(b, /--describe --topic events\nTopic: events\tTopicId: \S+\tPartitionCount: 1\tReplicationFactor: 1/);
  await b.locator('.brokers .broker').first().waitFor();
  assert.equal(await b.locator('.brokers .broker').count(), 1);

  // A later widget whose first widget is missing from the page says what it waits for.
  await page.evaluate((src) => {
    const lonely = document.createElement('iframe');
    lonely.id = 'lonely';
    lonely.src = src;
    lonely.style.cssText = 'width:900px;height:300px';
    document.body.appendChild(lonely);
  }, src({ cluster: 'nobody-home', member: 1, commands: ['kafka-topics.sh --bootstrap-server localhost:9092 --list'] }));
  await shows(page.frameLocator('#lonely'), 'Still waiting for the widget that holds the shared cluster "nobody-home"', 20000);
  await context.close();
});

test('an unusable data-cluster name is refused with the reason, and the widget works alone', async () => {
  const context = await site.browser.newContext({ viewport: { width: 1000, height: 600 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => { throw e; });
  const settings = { commands: [], show_commands: true, brokers: 1, cluster: 'two words', member: 1 };
  const code = Buffer.from(JSON.stringify(settings)).toString('base64url');
  await page.goto(site.base + 'index.html#embed=' + code);
  await page.locator('.scrollback').filter({ hasText: 'data-cluster is not used' }).waitFor();
  assert.match(await page.locator('.scrollback').innerText(), /letters, digits/);
  await page.click('#console-input');
  await page.keyboard.type('kafka-topics.sh --bootstrap-server localhost:9092 --create --topic alone');
  await page.keyboard.press('Enter');
  await page.locator('.scrollback').filter({ hasText: 'Created topic alone.' }).waitFor();
  assert.equal(await page.locator('.brokers .broker').count(), 1);
  await context.close();
});
