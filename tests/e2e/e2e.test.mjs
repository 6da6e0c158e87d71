// End-to-end: the built site (dist/) served on 127.0.0.1, driven by headless Chromium with real
// key events. A learner's first session: create a topic, produce keyed records, consume them with
// keys and partitions printed, and see the same records at the same offsets in the live view.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serveDist, launchBrowser, savedSession } from './harness.mjs';

let server, browser, page, base;

before(async () => {
  ({ server, base } = await serveDist());
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', (e) => { throw e; });
  await page.goto(base);
  await page.waitForSelector('#console-input');
});

after(async () => {
  await browser?.close();
  server?.close();
});

/** Types a command with real key events and presses Enter. */
async function run(command) {
  await page.click('#console-input');
  await page.keyboard.type(command);
  await page.keyboard.press('Enter');
}

/** A new browser context (its own storage, so no saved session) with the app loaded. */
async function freshPage() {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  page = await context.newPage();
  page.on('pageerror', (e) => { throw e; });
  await page.goto(base);
  await page.waitForSelector('#console-input');
}

async function consoleText() {
  return page.$eval('.scrollback', (el) => el.innerText);
}

test('create, produce and consume show Kafka output and the live view agrees', async () => {
  await run('kafka-topics.sh --bootstrap-server localhost:9092 --create --topic orders --partitions 3');
  await page.waitForFunction(() => document.querySelector('.scrollback').innerText.includes('Created topic orders.'));
  assert.equal(await page.locator('[data-topic="orders"] .partition').count(), 3);

  // Interactive producer: Kafka's '>' prompt, one record per line, Ctrl+D ends.
  await run('kafka-console-producer.sh --bootstrap-server localhost:9092 --topic orders --property parse.key=true --property key.separator=:');
  await page.waitForFunction(() => document.querySelector('.prompt').textContent === '>');
  for (const line of ['alice:1', 'bob:2', 'carol:3']) {
    await page.keyboard.type(line);
    await page.keyboard.press('Enter');
  }
  await page.keyboard.press('Control+D');
  await page.waitForFunction(() => document.querySelector('.prompt').textContent === '$ ');

  await run('kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic orders --from-beginning --property print.key=true --property print.partition=true --max-messages 3');
  // The group's first rebalance takes 3 s, as in Kafka.
  await page.waitForFunction(() => document.querySelector('.scrollback').innerText.includes('Processed a total of 3 messages'), null, { timeout: 15000 });
  const text = await consoleText();
  // murmur2 with 3 partitions: alice and bob go to partition 0, carol to 2 (as the Java client).
  assert.match(text, /Partition:0\talice\t1\nPartition:0\tbob\t2\nPartition:2\tcarol\t3/);

  // The live view shows the same records at the same offsets.
  const cell = (p, o) => page.locator(`[data-partition="orders-${p}"] .cell[data-offset="${o}"]`);
  assert.match(await cell(0, 0).innerText(), /alice/);
  assert.match(await cell(0, 1).innerText(), /bob/);
  assert.match(await cell(2, 0).innerText(), /carol/);
  assert.equal(await page.locator('[data-partition="orders-1"] .cell[data-offset]').count(), 0);
  await page.screenshot({ path: process.env.E2E_SCREENSHOT || '/tmp/e2e.png' });
});

test('bad input gets a message, history and Ctrl+C work', async () => {
  await run('kafka-topic.sh --list');
  await page.waitForFunction(() => document.querySelector('.scrollback').innerText.includes("Did you mean 'kafka-topics.sh'?"));
  await run('kafka-topics.sh --bootstrap-server localhost:9092 --describe --topic nope');
  await page.waitForFunction(() => document.querySelector('.scrollback').innerText.includes("Topic 'Optional[nope]' does not exist as expected"));
  // ↑ brings back the last command.
  await page.click('#console-input');
  await page.keyboard.press('ArrowUp');
  assert.equal(await page.inputValue('#console-input'), 'kafka-topics.sh --bootstrap-server localhost:9092 --describe --topic nope');
  await page.fill('#console-input', '');
  // A consumer without --max-messages keeps running until Ctrl+C.
  await run('kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic orders --partition 0 --offset earliest');
  await page.waitForFunction(() => document.querySelector('.running') !== null);
  await page.keyboard.press('Control+C');
  await page.waitForFunction(() => document.querySelector('.scrollback').innerText.includes('Processed a total of 2 messages'));
  assert.equal(await page.locator('.running').count(), 0);
});

test('two members of one group split the partitions, and the survivor takes over', async () => {
  await freshPage();
  await run('kafka-topics.sh --bootstrap-server localhost:9092 --create --topic shop --partitions 3');
  await run("printf 'a:1\\nb:2\\nc:3\\nd:4\\n' | kafka-console-producer.sh --bootstrap-server localhost:9092 --topic shop --property parse.key=true --property key.separator=:");
  await run('kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic shop --group g1 --from-beginning &');
  await run('kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic shop --group g1 --from-beginning &');
  const group = page.locator('[data-group="g1"]');
  // The first rebalance of a new group waits 3 s (group.initial.rebalance.delay.ms).
  await group.locator('.badge', { hasText: 'Stable' }).waitFor({ timeout: 15000 });
  const owned = async () => (await group.locator(':scope > .member').allInnerTexts())
    .map((t) => (t.split('→')[1] || '').split(',').filter((p) => p.trim().startsWith('shop-')).length)
    .sort();
  assert.deepEqual(await owned(), [1, 2], 'range gives 2 partitions to one member and 1 to the other');
  await run('kafka-consumer-groups.sh --bootstrap-server localhost:9092 --describe --group g1 --members');
  await page.waitForFunction(() => /GROUP\s+CONSUMER-ID\s+HOST\s+CLIENT-ID\s+#PARTITIONS/.test(document.querySelector('.scrollback').innerText));

  await run('kill %1');
  await page.waitForFunction(() => document.querySelector('.scrollback').innerText.includes('Terminated'));
  // After the rebalance, the one member left owns all three partitions.
  await page.waitForFunction(() => {
    const g = document.querySelector('[data-group="g1"]');
    const members = g ? g.querySelectorAll(':scope > .member') : [];
    return members.length === 1 && (members[0].innerText.match(/shop-/g) || []).length === 3;
  }, null, { timeout: 15000 });
  await page.locator('[data-group="g1"] .timeline summary').click();
  assert.match(await group.locator('.timeline').innerText(), /generation 2[\s\S]*left/);
  await page.screenshot({ path: process.env.E2E_GROUPS_SCREENSHOT || '/tmp/e2e-groups.png' });
});

test('two terminal tabs: a consumer in one sees what a producer types in the other', async () => {
  await freshPage();
  await run('kafka-topics.sh --bootstrap-server localhost:9092 --create --topic chat');
  await run('kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic chat --group readers');
  await page.waitForSelector('.running');
  await page.click('.tab-new');
  await page.waitForFunction(() => document.querySelectorAll('.tab').length === 2);
  await run('kafka-console-producer.sh --bootstrap-server localhost:9092 --topic chat');
  await page.waitForFunction(() => document.querySelector('.prompt').textContent === '>');
  // Wait until the consumer's group is Stable, so it is reading from the end when we type.
  await page.locator('[data-group="readers"] .badge', { hasText: 'Stable' }).waitFor({ timeout: 15000 });
  await page.keyboard.type('hello from terminal 2');
  await page.keyboard.press('Enter');
  await page.click('.tab-label[data-tab="1"]');
  await page.waitForFunction(() => document.querySelector('.scrollback').innerText.includes('hello from terminal 2'), null, { timeout: 5000 });
  // Ctrl+C in terminal 1 stops the consumer there; the producer in terminal 2 keeps running.
  await page.click('#console-input');
  await page.keyboard.press('Control+C');
  await page.waitForFunction(() => document.querySelector('.scrollback').innerText.includes('Processed a total of 1 messages'));
  await page.click('.tab-label[data-tab="2"]');
  assert.equal(await page.textContent('.prompt'), '>');
  await page.screenshot({ path: process.env.E2E_TABS_SCREENSHOT || '/tmp/e2e-tabs.png' });
});

test('the cluster map stops and starts brokers and shows leadership move', async () => {
  await freshPage();
  await run('kafka-topics.sh --bootstrap-server localhost:9092 --create --topic ha --partitions 1 --replication-factor 3');
  const leader = async () => (await page.locator('[data-partition="ha-0"] .leader').innerText()).replace('leader ', '');
  const before = await leader();
  await page.click(`[data-broker="${before}"] .broker-action`);
  await page.waitForFunction((b) => document.querySelector('.scrollback').innerText.includes(`playground broker stop ${b}`), before);
  assert.notEqual(await leader(), before, 'a new leader from the ISR');
  assert.match(await page.locator(`[data-broker="${before}"]`).innerText(), /stopped/);
  assert.equal(await page.locator('[data-partition="ha-0"] .badge.warn').count(), 1, 'under-replicated');
  await page.screenshot({ path: process.env.E2E_MAP_SCREENSHOT || '/tmp/e2e-map.png' });
  await page.click(`[data-broker="${before}"] .broker-action`);
  await page.waitForFunction((b) => document.querySelector('.scrollback').innerText.includes(`playground broker start ${b}`), before);
  assert.equal(await page.locator('[data-partition="ha-0"] .badge.warn').count(), 0, 'back in sync');
  // The header counts the cluster's brokers (a stopped one is still one of them).
  assert.match(await page.locator('.subtitle').innerText(), /KRaft · 3 brokers$/);
  await run('playground broker add');
  await page.waitForSelector('[data-broker="4"]');
  assert.match(await page.locator('.subtitle').innerText(), /KRaft · 4 brokers$/);
});

test('the session survives a reload; an unreadable snapshot is reported and replaced', async () => {
  await freshPage();
  await run('kafka-topics.sh --bootstrap-server localhost:9092 --create --topic kept --partitions 2');
  await run("echo 'k:v' | kafka-console-producer.sh --bootstrap-server localhost:9092 --topic kept --property parse.key=true --property key.separator=:");
  await page.waitForSelector('[data-topic="kept"] .cell[data-offset="0"]');
  await page.reload();
  await page.waitForSelector('#console-input');
  await page.waitForFunction(() => document.querySelector('.scrollback').innerText.includes('Restored your session'));
  assert.equal(await page.locator('[data-topic="kept"] .cell[data-offset="0"]').count(), 1, 'the record is still there');
  await page.click('#console-input');
  await page.keyboard.press('ArrowUp');
  assert.match(await page.inputValue('#console-input'), /kafka-console-producer\.sh/);

  // A damaged snapshot in storage when the page opens (set before the app starts, since the
  // app saves its own session when a page is left).
  const damaged = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  await damaged.addInitScript(() => {
    if (!sessionStorage.getItem('damaged')) {
      sessionStorage.setItem('damaged', '1');
      localStorage.setItem('kafka-playground/session', '{not json');
    }
  });
  page = await damaged.newPage();
  await page.goto(base);
  await page.waitForSelector('#console-input');
  await page.waitForFunction(() => document.querySelector('.scrollback').innerText.includes('could not be read'));
  assert.equal(await page.locator('[data-topic]').count(), 0, 'a fresh cluster');
});

test('the clock control shows the cluster time, changes its speed and jumps ahead', async () => {
  await freshPage();
  const clockMs = () => page.$eval('.clock-time', (el) => Number(el.dataset.clockMs));
  await page.click('.clock-btn[title="Pause the cluster\'s clock"]');
  await page.waitForFunction(() => document.querySelector('.scrollback').innerText.includes('Clock paused'));
  const paused = await clockMs();
  await page.waitForTimeout(600);
  assert.equal(await clockMs(), paused, 'a paused clock does not move');
  await page.click('.clock-btn[title="Move the clock forward by 1d"]');
  await page.waitForFunction((p) => Number(document.querySelector('.clock-time').dataset.clockMs) >= p + 86400000, paused);
  assert.match(await consoleText(), /Clock advanced by 1d to/);
  await page.click('.clock-btn[title="An hour per second"]');
  const fast = await clockMs();
  await page.waitForFunction((p) => Number(document.querySelector('.clock-time').dataset.clockMs) >= p + 600000, fast);
  assert.equal(await page.locator('.clock-btn.on').innerText(), '3600×');
  await run('playground clock');
  await page.waitForFunction(() => document.querySelector('.scrollback').innerText.includes('running 3600× faster than real time'));
});

test('a topic shows its configs and where each value comes from', async () => {
  await freshPage();
  await run('kafka-topics.sh --bootstrap-server localhost:9092 --create --topic users --config cleanup.policy=compact');
  await page.waitForSelector('[data-topic="users"] .config-chip');
  assert.equal(await page.locator('[data-topic="users"] .config-chip').innerText(), 'cleanup.policy=compact');
  await page.click('[data-topic="users"] .topic-configs summary');
  const row = page.locator('[data-topic="users"] .config-table tr.override');
  assert.match(await row.innerText(), /cleanup\.policy\s+compact\s+topic/);
  await run('kafka-configs.sh --bootstrap-server localhost:9092 --alter --entity-type topics --entity-name users --add-config retention.ms=60000');
  await page.waitForFunction(() => document.querySelectorAll('[data-topic="users"] .config-chip').length === 2);
});

test('a whole lesson is completed by typing its commands, and progress survives a reload', async () => {
  await freshPage();
  await page.click('.lessons-btn');
  await page.click('[data-lesson="first-topic"] .lesson-start');
  await page.waitForSelector('.lesson[data-lesson="first-topic"][data-step="0"]');
  assert.equal(await page.locator('.check.ok').count(), 0, 'nothing is done on a fresh cluster');
  const step = (n) => page.waitForSelector(`.lesson[data-step="${n}"]`);
  const passed = () => page.waitForSelector('.step.passed');
  const next = async (n) => { await page.click('.lesson-actions .btn.primary'); await step(n); };

  await run('kafka-topics.sh --bootstrap-server localhost:9092 --create --topic orders --partitions 3');
  // Not done yet: the replication factor is 1; the panel says so.
  await page.waitForFunction(() => document.querySelector('.check-why')?.textContent.includes('the replication factor of orders is 1, expected 2'));
  await run('kafka-topics.sh --bootstrap-server localhost:9092 --delete --topic orders');
  await run('kafka-topics.sh --bootstrap-server localhost:9092 --create --topic orders --partitions 3 --replication-factor 2');
  await passed();
  await next(1);
  // A command in the lesson text runs when clicked.
  await page.click('.step-text .cmd');
  await passed();
  await page.screenshot({ path: process.env.E2E_LESSON_SCREENSHOT || '/tmp/e2e-lesson.png' });
  await next(2);
  await page.click('.lesson-actions .btn:has-text("Hint")');
  assert.match(await page.locator('.hint').innerText(), /--alter --topic orders --partitions 6/);
  await run('kafka-topics.sh --bootstrap-server localhost:9092 --alter --topic orders --partitions 6');
  await passed();
  await next(3);
  await run('kafka-topics.sh --bootstrap-server localhost:9092 --delete --topic oders');
  await page.click('.choice:has-text("No, its partitions")');
  await passed();
  await page.waitForSelector('.lesson-done');

  await page.reload();
  await page.waitForSelector('.lesson[data-lesson="first-topic"][data-step="3"] .step.passed');
  await page.click('.lesson-top .link-btn:has-text("Lessons")');
  assert.match(await page.locator('[data-lesson="first-topic"] .lesson-progress').innerText(), /done/);
});

test('built-in lessons are fetched when they open: loading, a failed fetch with retry, resumed after a reload', async () => {
  // No service worker here, so every lesson request reaches page.route (a worker would answer
  // them itself); the offline test below covers the worker.
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, serviceWorkers: 'block' });
  page = await context.newPage();
  page.on('pageerror', (e) => { throw e; });
  const fetched = [];
  page.on('request', (r) => { if (r.url().includes('/lessons/')) fetched.push(new URL(r.url()).pathname); });
  await page.goto(base);
  await page.waitForSelector('#console-input');
  await page.click('.lessons-btn');
  // The catalog comes from the index compiled in: every lesson file, with its header's title
  // and level, and nothing fetched for it.
  const dir = new URL('../../lessons/', import.meta.url);
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.md') && f !== 'README.md').sort();
  const header = (f, key) => fs.readFileSync(new URL(f, dir), 'utf8').match(new RegExp(`^${key}: (.*)$`, 'm'))[1];
  const items = page.locator('.lesson-item');
  assert.equal(await items.count(), files.length);
  for (const [i, f] of files.entries()) {
    assert.equal(await items.nth(i).locator('.lesson-title').innerText(), header(f, 'title'));
    assert.match(await items.nth(i).locator('.meta').innerText(), new RegExp(`^${header(f, 'level')} · \\d+ steps$`));
  }
  assert.deepEqual(fetched, [], 'no lesson is downloaded before one opens');

  // Opening one says so until its file is here.
  let arrive;
  const held = new Promise((r) => { arrive = r; });
  await page.route('**/lessons/02-produce-consume.md', async (route) => { await held; await route.continue(); });
  await page.click('[data-lesson="produce-consume"] .lesson-start');
  await page.waitForSelector('.lesson-fetch[data-lesson-fetch="produce-consume"] .lesson-loading');
  assert.equal(await page.locator('.lesson-fetch .lesson-name').innerText(), header('02-produce-consume.md', 'title'));
  await page.screenshot({ path: '/tmp/lessons-fetch-loading.png' });
  arrive();
  await page.waitForSelector('.lesson[data-lesson="produce-consume"][data-step="0"]');
  await page.unroute('**/lessons/02-produce-consume.md');
  assert.deepEqual(fetched, ['/lessons/02-produce-consume.md']);
  await page.screenshot({ path: '/tmp/lessons-fetch-lesson.png' });
  await page.click('.lesson-actions .btn:has-text("Show solution")');
  await page.click('.lesson-actions .btn:has-text("Run solution")');
  await page.waitForSelector('.step.passed');
  await page.click('.lesson-actions .btn.primary');
  await page.waitForSelector('.lesson[data-lesson="produce-consume"][data-step="1"]');
  // A reload fetches it again and continues where the learner was.
  await page.reload();
  await page.waitForSelector('.lesson[data-lesson="produce-consume"][data-step="1"]');
  assert.equal(await page.locator('.steps-nav .step-dot.passed').count(), 1);

  // A failed fetch says why and offers a retry; the panel is never empty.
  await page.click('.lesson-top .link-btn:has-text("Lessons")');
  await page.route('**/lessons/03-keys-and-partitions.md', (route) => route.abort());
  await page.click('[data-lesson="keys-and-partitions"] .lesson-start');
  await page.waitForSelector('.lesson-error[role="alert"]');
  assert.match(await page.locator('.lesson-error').innerText(), /could not be loaded: the site could not be reached for lessons\/03-keys-and-partitions\.md \(are you offline\?\)/);
  await page.screenshot({ path: '/tmp/lessons-fetch-error.png' });
  await page.unroute('**/lessons/03-keys-and-partitions.md');
  await page.route('**/lessons/03-keys-and-partitions.md', (route) => route.fulfill({ status: 404, body: 'Not Found' }));
  await page.click('.lesson-error button:has-text("Retry")');
  await page.waitForFunction(() => document.querySelector('.lesson-error')?.innerText.includes('the site answered 404'));
  await page.unroute('**/lessons/03-keys-and-partitions.md');
  await page.click('.lesson-error button:has-text("Retry")');
  await page.waitForSelector('.lesson[data-lesson="keys-and-partitions"][data-step="0"]');
  await page.click('.lesson-actions .btn:has-text("Show solution")');
  await page.click('.lesson-actions .btn:has-text("Run solution")');
  await page.waitForSelector('.step.passed');
  await page.click('.lesson-actions .btn.primary');
  await page.waitForSelector('.lesson[data-lesson="keys-and-partitions"][data-step="1"]');

  // A reload whose fetch fails keeps the lesson in progress, even through saves meanwhile;
  // the retry continues it.
  await page.route('**/lessons/03-keys-and-partitions.md', (route) => route.abort());
  await page.reload();
  await page.waitForSelector('.lesson-fetch[data-lesson-fetch="keys-and-partitions"] .lesson-error');
  await run('kafka-topics.sh --bootstrap-server localhost:9092 --list --exclude-internal');
  // Saved meanwhile (with the command, for the lesson's `ran …` checks), lesson and all.
  for (let saved = {}; !(saved.lesson?.source?.BuiltIn === 'keys-and-partitions' && saved.lesson.commands.some((c) => c.includes('--exclude-internal')));) {
    await page.waitForTimeout(100);
    saved = JSON.parse((await savedSession(page)) || '{}');
  }
  await page.reload();
  await page.waitForSelector('.lesson-fetch[data-lesson-fetch="keys-and-partitions"] .lesson-error');
  await page.unroute('**/lessons/03-keys-and-partitions.md');
  await page.click('.lesson-error button:has-text("Retry")');
  await page.waitForSelector('.lesson[data-lesson="keys-and-partitions"][data-step="1"]');
  assert.equal(await page.locator('.steps-nav .step-dot.passed').count(), 1);
  await context.close();
});

test('Tab completes tool names, options and topic names; Ctrl+R finds an earlier command', async () => {
  await freshPage();
  await run('kafka-topics.sh --bootstrap-server localhost:9092 --create --topic payments');
  await page.click('#console-input');
  await page.keyboard.type('kafka-top');
  await page.keyboard.press('Tab');
  assert.equal(await page.inputValue('#console-input'), 'kafka-topics.sh ');
  await page.keyboard.type('--boot');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  assert.equal(await page.inputValue('#console-input'), 'kafka-topics.sh --bootstrap-server localhost:9092 ');
  await page.keyboard.type('--desc');
  await page.keyboard.press('Tab');
  await page.keyboard.type('--topic pay');
  await page.keyboard.press('Tab');
  assert.equal(await page.inputValue('#console-input'), 'kafka-topics.sh --bootstrap-server localhost:9092 --describe --topic payments ');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('.scrollback').innerText.includes('Topic: payments\tTopicId:'));
  // Several candidates are listed, as bash does on a second Tab.
  await page.keyboard.type('kafka-console-');
  await page.keyboard.press('Tab');
  await page.waitForFunction(() => document.querySelector('.scrollback').innerText.includes('kafka-console-consumer.sh  kafka-console-producer.sh'));
  await page.fill('#console-input', 'create');
  await page.keyboard.press('Control+R');
  assert.match(await page.inputValue('#console-input'), /--create --topic payments/);
  assert.match(await page.locator('.search-label').innerText(), /reverse-i-search/);
});

test('the session exports to a file and imports back, replacing the cluster', async () => {
  await freshPage();
  await run('kafka-topics.sh --bootstrap-server localhost:9092 --create --topic exported --partitions 2');
  await page.waitForSelector('[data-topic="exported"]');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('.session-menu button:has-text("Export")')]);
  const file = await download.path();
  assert.match(fs.readFileSync(file, 'utf8'), /"format":1/);
  await run('playground reset');
  await page.waitForFunction(() => !document.querySelector('[data-topic="exported"]'));
  await page.setInputFiles('.session-menu input[type=file]', file);
  await page.waitForSelector('[data-topic="exported"]');
  assert.match(await consoleText(), /Restored your session from the imported file: 1 topic/);
  // Not a session: reported, nothing replaced.
  const bad = path.join(path.dirname(file), 'not-a-session.json');
  fs.writeFileSync(bad, '{"hello": 1}');
  await page.setInputFiles('.session-menu input[type=file]', bad);
  await page.waitForFunction(() => document.querySelector('.scrollback').innerText.includes('could not be imported'));
  assert.equal(await page.locator('[data-topic="exported"]').count(), 1);
});

test('a lesson file opened from disk runs; a malformed one is rejected with file, line and problem', async () => {
  await freshPage();
  await run('kafka-topics.sh --bootstrap-server localhost:9092 --create --topic keep-me');
  await page.click('.lessons-btn');
  const dir = fs.mkdtempSync('/tmp/lesson-');
  const bad = path.join(dir, 'broken.md');
  fs.writeFileSync(bad, '---\nid: broken\ntitle: Broken\n---\n## A step\ncheck: topic t colour blue\n');
  await page.setInputFiles('.open-file input[type=file]', bad);
  await page.waitForFunction(() => document.querySelector('.scrollback').innerText.includes('The lesson file broken.md could not be opened: line 6: check: unknown topic check \'colour\''));
  assert.equal(await page.locator('[data-topic="keep-me"]').count(), 1, 'the session is untouched');
  const good = path.join(dir, 'mine.md');
  fs.writeFileSync(good, '---\nid: mine\ntitle: My own lesson\nbrokers: 1\n---\n## Make a topic\nCreate `<b>bold</b>` please.\ncheck: topic mine exists\nsolution: kafka-topics.sh --bootstrap-server localhost:9092 --create --topic mine\n');
  await page.setInputFiles('.open-file input[type=file]', good);
  await page.waitForSelector('.lesson[data-lesson="mine"]');
  // Lesson text is shown as text, never as HTML.
  assert.equal(await page.locator('.step-text b').count(), 0);
  assert.match(await page.locator('.step-text').innerText(), /<b>bold<\/b>/);
  await page.click('.lesson-actions .btn:has-text("Show solution")');
  await page.click('.lesson-actions .btn:has-text("Run solution")');
  await page.waitForSelector('.step.passed');
  assert.equal(await page.locator('.brokers .broker').count(), 1, "the lesson's one-broker cluster");
});

test('undo takes back a mistaken delete and a mistaken offset reset', async () => {
  await freshPage();
  await run('kafka-topics.sh --bootstrap-server localhost:9092 --create --topic precious --partitions 1');
  await run('seq 1 5 | kafka-console-producer.sh --bootstrap-server localhost:9092 --topic precious');
  await run('kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic precious --group app --from-beginning --max-messages 5');
  await page.waitForFunction(() => document.querySelector('.scrollback').innerText.includes('Processed a total of 5 messages'));
  await run('kafka-consumer-groups.sh --bootstrap-server localhost:9092 --group app --topic precious --reset-offsets --to-earliest --execute');
  await page.waitForFunction(() => document.querySelector('[data-group="app"] .lag')?.dataset.lag === '5');
  await run('undo');
  await page.waitForFunction(() => document.querySelector('[data-group="app"] .lag')?.dataset.lag === '0');
  assert.match(await consoleText(), /Undone: kafka-consumer-groups\.sh .*--reset-offsets --to-earliest --execute/);
  await run('kafka-topics.sh --bootstrap-server localhost:9092 --delete --topic precious');
  await page.waitForFunction(() => !document.querySelector('[data-topic="precious"]'));
  await run('undo');
  await page.waitForSelector('[data-topic="precious"] .cell[data-offset="4"]');
  // A read-only command changes nothing, so there is nothing more to take back than the rest.
  await run('kafka-topics.sh --bootstrap-server localhost:9092 --list');
  await run('undo');
  await run('undo');
  await run('undo');
  await run('undo');
  await page.waitForFunction(() => document.querySelector('.scrollback').innerText.includes('undo: nothing to undo'));
});

test('a million-record partition: the whole log scrolls as a virtual list and seeks to an offset', async () => {
  await freshPage();
  await run('kafka-topics.sh --bootstrap-server localhost:9092 --create --topic big --partitions 1');
  await run('seq 1 1000000 | kafka-console-producer.sh --bootstrap-server localhost:9092 --topic big');
  await page.waitForSelector('[data-partition="big-0"] .cell[data-offset="999999"]', { timeout: 120000 });
  await page.click('[data-partition="big-0"] button.pname');
  await page.waitForSelector('.log-view .log-row[data-offset="0"]');
  const rows = await page.locator('.log-view .log-row').count();
  assert.ok(rows < 100, `only the rows in view are drawn (${rows})`);
  await page.fill('#log-seek-input', '500000');
  await page.click('.log-seek button');
  await page.waitForSelector('.log-view .log-row[data-offset="500000"]');
  assert.match(await page.locator('.log-view .log-row[data-offset="500000"]').innerText(), /500001/);
  await page.$eval('.log-rows', (el) => { el.scrollTop = el.scrollHeight; });
  await page.waitForSelector('.log-view .log-row[data-offset="999999"]');
  assert.ok(await page.locator('.log-view .log-row').count() < 100);
  await page.screenshot({ path: '/tmp/e2e-log-view.png' });
  await page.fill('#log-seek-input', 'yesterday');
  await page.click('.log-seek button');
  await page.waitForSelector('.seek-error');
  await page.keyboard.press('Escape');
  await run('kafka-get-offsets.sh --bootstrap-server localhost:9092 --topic big');
  await page.waitForFunction(() => document.querySelector('.scrollback').innerText.includes('big:0:1000000'));
});

test('accessibility: axe-core finds no serious or critical problems, in both colour schemes', async () => {
  const axe = fs.readFileSync(new URL('./node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');
  for (const colorScheme of ['dark', 'light']) {
    // axe is injected as a script tag, which the site's Content-Security-Policy rightly refuses.
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, colorScheme, bypassCSP: true });
    page = await context.newPage();
    await page.goto(base);
    await page.waitForSelector('#console-input');
    await run('kafka-topics.sh --bootstrap-server localhost:9092 --create --topic a11y --partitions 2 --config retention.ms=60000');
    await run('echo hello | kafka-console-producer.sh --bootstrap-server localhost:9092 --topic a11y');
    await run('kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic a11y --group g --from-beginning --max-messages 1');
    await page.waitForSelector('[data-group="g"]');
    await page.click('.lessons-btn');
    await page.click('[data-lesson="first-topic"] .lesson-start');
    await page.waitForSelector('.lesson');
    await page.addScriptTag({ content: axe });
    const result = await page.evaluate(async () => window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    }));
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    const report = bad.map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('\n  ')}`).join('\n');
    assert.equal(bad.length, 0, `${colorScheme}:\n${report}`);
    await context.close();
  }
});

test('topics chart their throughput and groups their lag over time', async () => {
  await freshPage();
  await run('kafka-topics.sh --bootstrap-server localhost:9092 --create --topic flow --partitions 2');
  await run('seq 1 10 | kafka-console-producer.sh --bootstrap-server localhost:9092 --topic flow');
  await run('kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic flow --group slowpoke --max-messages 1 --from-beginning');
  await page.waitForFunction(() => document.querySelector('.scrollback').innerText.includes('Processed a total of 1 messages'));
  await run('seq 1 500 | kafka-console-producer.sh --bootstrap-server localhost:9092 --topic flow');
  await page.waitForSelector('[data-topic="flow"] svg.spark.rate');
  await page.waitForSelector('[data-group="slowpoke"] svg.spark.lag-chart');
  const label = await page.getAttribute('[data-group="slowpoke"] svg.spark', 'aria-label');
  assert.match(label, /lag of slowpoke over the last minute, now 509/);
});

test('a producer at 5,000 records/s keeps the page responsive: the views follow and typing is answered', async () => {
  await freshPage();
  await run('kafka-topics.sh --bootstrap-server localhost:9092 --create --topic fast --partitions 3');
  await page.waitForSelector('[data-partition="fast-2"]');
  // Frame gaps and long tasks while the producer runs: printed as figures, not asserted on.
  await page.evaluate(() => {
    window.gaps = [];
    window.longTasks = [];
    let last = performance.now();
    const frame = (t) => { window.gaps.push(t - last); last = t; if (!window.stopFrames) requestAnimationFrame(frame); };
    requestAnimationFrame(frame);
    new PerformanceObserver((list) => list.getEntries().forEach((e) => window.longTasks.push(e.duration)))
      .observe({ entryTypes: ['longtask'] });
  });
  await run('kafka-producer-perf-test.sh --topic fast --num-records 40000 --record-size 100 --throughput 5000 --producer-props bootstrap.servers=localhost:9092 acks=1 &');
  const logEnd = () => page.$$eval('[data-topic="fast"] .partition .offsets',
    (els) => els.reduce((sum, el) => sum + Number((el.textContent.match(/end (\d+)/) || [0, 0])[1]), 0));
  await page.waitForFunction(() => [...document.querySelectorAll('[data-topic="fast"] .partition .offsets')]
    .some((el) => /end [1-9]\d{3,}/.test(el.textContent)));
  const seen = await logEnd();
  // While it runs, a second terminal answers at once and sees the records arriving.
  await page.click('.tab-new');
  await page.waitForFunction(() => document.querySelectorAll('.tab').length === 2);
  await run('kafka-get-offsets.sh --bootstrap-server localhost:9092 --topic fast');
  await page.waitForFunction(() => /fast:2:\d+/.test(document.querySelector('.scrollback').innerText));
  const offsets = (await consoleText()).match(/fast:\d:(\d+)/g).map((l) => Number(l.split(':')[2]));
  const total = offsets.reduce((a, b) => a + b, 0);
  assert.ok(total >= seen && total < 40000, `get-offsets ${total} during the run (view showed ${seen})`);
  await page.waitForFunction((before) => [...document.querySelectorAll('[data-topic="fast"] .partition .offsets')]
    .reduce((sum, el) => sum + Number((el.textContent.match(/end (\d+)/) || [0, 0])[1]), 0) > before, total);
  // Back in the first terminal, the run ends with Kafka's summary line at the asked rate.
  await page.click('.tab-label[data-tab="1"]');
  await page.waitForFunction(() => document.querySelector('.scrollback').innerText.includes('40000 records sent'), null, { timeout: 60000 });
  const summary = (await consoleText()).split('\n').find((l) => l.startsWith('40000 records sent'));
  const rate = Number(summary.match(/records sent, ([\d.]+) records\/sec/)[1]);
  assert.ok(rate > 4500 && rate < 5100, summary);
  assert.equal(await logEnd(), 40000);
  const stats = await page.evaluate(() => {
    window.stopFrames = true;
    const gaps = window.gaps.slice(1).sort((a, b) => a - b);
    return { frames: gaps.length, p99: gaps[Math.floor(gaps.length * 0.99)], max: gaps[gaps.length - 1], longTasks: window.longTasks.length, longest: Math.max(0, ...window.longTasks) };
  });
  console.log(`5,000 records/s for 8 s: ${stats.frames} frames, frame gap p99 ${stats.p99.toFixed(1)} ms, max ${stats.max.toFixed(1)} ms; ${stats.longTasks} long tasks (longest ${stats.longest.toFixed(0)} ms)`);
  await page.screenshot({ path: '/tmp/e2e-fast-producer.png' });
});

test('a huge pipe or paste goes in over several ticks: the page answers and Ctrl+C stops it', async () => {
  await freshPage();
  await run('kafka-topics.sh --bootstrap-server localhost:9092 --create --topic bulk --partitions 1');
  const logEnd = () => page.$eval('[data-partition="bulk-0"] .offsets', (el) => Number(el.textContent.match(/end (\d+)/)[1]));
  const endAbove = (n) => page.waitForFunction((n) => Number(document.querySelector('[data-partition="bulk-0"] .offsets').textContent.match(/end (\d+)/)[1]) > n, n);
  // A million-line pipe: the producer runs (no prompt), the view follows, Ctrl+C ends it.
  await run('seq 1 1000000 | kafka-console-producer.sh --bootstrap-server localhost:9092 --topic bulk');
  await endAbove(40000);
  await page.keyboard.press('Control+c');
  await page.waitForFunction(() => document.querySelector('.prompt').textContent === '$ ');
  const stopped = await logEnd();
  assert.ok(stopped > 40000 && stopped < 1000000, `stopped at ${stopped}`);
  await page.waitForTimeout(500);
  assert.equal(await logEnd(), stopped, 'nothing more is sent after Ctrl+C');

  // A 100,000-line paste into a running producer: the first lines are in at once, the rest
  // follow tick by tick; Ctrl+C drops what is not in yet.
  await run('kafka-console-producer.sh --bootstrap-server localhost:9092 --topic bulk');
  await page.waitForFunction(() => document.querySelector('.prompt').textContent.startsWith('>'));
  const text = Array.from({ length: 100000 }, (_, i) => `pasted ${i}`).join('\n') + '\n';
  await page.evaluate((text) => {
    const data = new DataTransfer();
    data.setData('text/plain', text);
    document.querySelector('#console-input').dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
  await endAbove(stopped + 4000);
  await page.keyboard.press('Control+c');
  await page.waitForFunction(() => document.querySelector('.prompt').textContent === '$ ');
  const pasted = (await logEnd()) - stopped;
  assert.ok(pasted >= 4000 && pasted < 100000, `${pasted} pasted lines went in before Ctrl+C`);
  await page.waitForTimeout(500);
  assert.equal(await logEnd(), stopped + pasted, 'the rest of the paste was dropped');
  assert.match(await consoleText(), new RegExp(`>pasted ${pasted - 1}\n>\\^C`), 'the lines went in in order, up to Ctrl+C');
});

test('a panic shows a notice with a report, the saved session comes back, and Start fresh keeps it among the recent ones', async () => {
  await freshPage();
  page.removeAllListeners('pageerror'); // the forced panic surfaces as a page error, on purpose
  await run('kafka-topics.sh --bootstrap-server localhost:9092 --create --topic survivor');
  await page.waitForSelector('[data-topic="survivor"]');
  await page.waitForTimeout(1200); // the session is saved at most once a second
  await run('__panic');
  await page.waitForSelector('.fault');
  const report = await page.inputValue('.fault-report');
  // The panic's own message and where it happened, not only a trap.
  assert.match(report, /Panic: panicked at src\/ui\/host\.rs:\d+:\d+:\nforced by the __panic debug command/);
  assert.match(report, /Last command: __panic/);
  await page.click('.fault-restore');
  await page.waitForSelector('#console-input');
  await page.waitForSelector('[data-topic="survivor"]');
  assert.equal(await page.locator('.fault').count(), 0);
  // "Start fresh" after another panic starts a fresh cluster but loses nothing: the session
  // it leaves is the first of the recent ones, one click away.
  await run('__panic');
  await page.waitForSelector('.fault');
  await page.click('.fault-fresh');
  await page.waitForSelector('#console-input');
  assert.equal(await page.locator('[data-topic="survivor"]').count(), 0);
  await page.click('.session-menu button:has-text("Sessions")');
  const kept = page.locator('.recent-session').first();
  await kept.waitFor();
  assert.match(await kept.innerText(), /1 topic/);
  await kept.locator('.recent-open').click();
  await page.waitForSelector('[data-topic="survivor"]');
  page.on('pageerror', (e) => { throw e; });
});

test('the Content-Security-Policy refuses injected inline scripts; the app itself runs', async () => {
  await freshPage();
  const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval' 'sha256-/);
  const ran = await page.evaluate(() => {
    window.injected = false;
    const s = document.createElement('script');
    s.textContent = 'window.injected = true';
    document.body.appendChild(s);
    return window.injected;
  });
  assert.equal(ran, false, 'an injected inline script does not run');
});

/** After the payloads were shown (console and the partition's log view): none ran, all are text. */
async function nothingRan() {
  await page.click('[data-partition="xss-0"] button.pname');
  await page.waitForSelector('.log-view .log-row');
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => window.pwned), 0);
  assert.equal(await page.locator('img[src="x"], svg[onload]').count(), 0);
  assert.match(await page.locator('.scrollback').innerText(), /<img src=x onerror="window.pwned\+\+">/);
}

test('untrusted text never becomes HTML: record values, keys, headers, topic and group names, files', async () => {
  await freshPage();
  await page.evaluate(() => { window.pwned = 0; });
  const payloads = ['<img src=x onerror="window.pwned++">', '<script>window.pwned++</script>', '"><svg onload=window.pwned++>'];
  await run('kafka-topics.sh --bootstrap-server localhost:9092 --create --topic xss --partitions 1');
  for (const p of payloads) {
    await run(`echo 'h=${p}!k${p}:${p}' | kafka-console-producer.sh --bootstrap-server localhost:9092 --topic xss --property parse.key=true --property key.separator=: --property parse.headers=true --property headers.delimiter=! --property headers.separator=, --property headers.key.separator==`);
  }
  await run('kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic xss --from-beginning --max-messages 3 --property print.key=true --property print.headers=true --group \'<b>g</b>\'');
  await run(`echo '${payloads[0]}' > '${payloads[0]}.txt'`);
  await run('ls');
  await run(`kafka-topics.sh --bootstrap-server localhost:9092 --create --topic '${payloads[0]}'`);
  await page.waitForFunction(() => document.querySelector('.scrollback').innerText.includes('Processed a total of 3 messages'));
  await nothingRan();

  // The same payloads inside a share link, opened in a fresh profile: replayed as text.
  await page.click('.session-menu button:has-text("Share")');
  await page.waitForFunction(() => document.querySelector('.scrollback').innerText.includes('#s=v1.'));
  const url = (await consoleText()).split('\n').find((l) => l.includes('#s=v1.')).trim();
  const other = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  page = await other.newPage();
  page.on('pageerror', (e) => { throw e; });
  await page.addInitScript(() => { window.pwned = 0; });
  await page.goto(url);
  await page.waitForSelector('#console-input');
  await page.waitForFunction(() => document.querySelector('.scrollback').innerText.includes('Opened a shared session'));
  await page.waitForFunction(() => document.querySelector('.scrollback').innerText.includes('Processed a total of 3 messages'));
  await nothingRan();
  await other.close();
});

test('topic and group names in output link to their cards', async () => {
  await freshPage();
  await run('kafka-topics.sh --bootstrap-server localhost:9092 --create --topic linked');
  await run('kafka-topics.sh --bootstrap-server localhost:9092 --list');
  await page.waitForSelector('.scrollback .line.stdout .name-link');
  await page.click('.scrollback .line.stdout .name-link:text-is("linked")');
  await page.waitForSelector('[data-topic="linked"].flash');
  await run('echo x | kafka-console-producer.sh --bootstrap-server localhost:9092 --topic linked');
  await run('kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic linked --group readers --from-beginning --max-messages 1');
  await page.waitForFunction(() => document.querySelector('.scrollback').innerText.includes('Processed a total of 1 messages'));
  await run('kafka-consumer-groups.sh --bootstrap-server localhost:9092 --list');
  await page.waitForSelector('.scrollback .name-link:text-is("readers")');
  await page.click('.scrollback .name-link:text-is("readers")');
  await page.waitForSelector('[data-group="readers"].flash');
});

test('a share link replays the session exactly in a fresh browser; the script export is valid bash', async () => {
  await freshPage();
  await run('kafka-topics.sh --bootstrap-server localhost:9092 --create --topic shared --partitions 3 --replication-factor 2');
  await run("printf 'a:1\\nb:2\\nc:3\\n' | kafka-console-producer.sh --bootstrap-server localhost:9092 --topic shared --property parse.key=true --property key.separator=:");
  await run('kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic shared --group sharers --from-beginning --max-messages 2');
  await page.waitForFunction(() => document.querySelector('.scrollback').innerText.includes('Processed a total of 2 messages'));
  await run('playground broker stop 3');
  const describe = 'kafka-topics.sh --bootstrap-server localhost:9092 --describe --topic shared';
  const groups = 'kafka-consumer-groups.sh --bootstrap-server localhost:9092 --describe --group sharers';
  const lastOutput = async (command) => {
    await run(command);
    await page.waitForFunction((c) => document.querySelector('.scrollback').innerText.lastIndexOf(c) > -1, command);
    await page.waitForTimeout(300);
    const text = await consoleText();
    return text.slice(text.lastIndexOf(command) + command.length).split('$ ')[0].trim();
  };
  const before = [await lastOutput(describe), await lastOutput(groups)];
  assert.match(before[0], /Topic: shared\tTopicId:/);

  await page.click('.session-menu button:has-text("Share")');
  await page.waitForFunction(() => document.querySelector('.scrollback').innerText.includes('#s=v1.'));
  const url = (await consoleText()).split('\n').find((l) => l.includes('#s=v1.')).trim();

  const [script] = await Promise.all([page.waitForEvent('download'), page.click('.session-menu button:has-text("Script")')]);
  const scriptPath = await script.path();
  const text = fs.readFileSync(scriptPath, 'utf8');
  assert.match(text, /"\$KAFKA_BIN"\/kafka-topics.sh --bootstrap-server "\$BOOTSTRAP" --create --topic shared/);
  assert.match(text, /# playground only: playground broker stop 3/);
  const { spawnSync } = await import('node:child_process');
  assert.equal(spawnSync('bash', ['-n', scriptPath]).status, 0, 'the script is valid bash');

  // A fresh browser profile: nothing saved, only the link.
  const other = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  page = await other.newPage();
  await page.goto(url);
  await page.waitForSelector('#console-input');
  await page.waitForFunction(() => document.querySelector('.scrollback').innerText.includes('Opened a shared session'));
  assert.ok(!page.url().includes('#s='), 'the link leaves the address bar once opened');
  const after = [await lastOutput(describe), await lastOutput(groups)];
  assert.deepEqual(after, before);
  await other.close();

  // A damaged link is reported, and the page works with a fresh cluster.
  const third = await browser.newContext();
  page = await third.newPage();
  await page.goto(url.replace('#s=v1.', '#s=v1.garbage'));
  await page.waitForSelector('#console-input');
  await page.waitForFunction(() => document.querySelector('.scrollback').innerText.includes('The share link could not be opened'));
  await third.close();
});

test('the example docs page: three independent widgets, loaded when visible, with an API for the host', async () => {
  const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
  page = await context.newPage();
  page.on('pageerror', (e) => { throw e; });
  await page.goto(base + 'docs-example.html');
  const w1 = page.frameLocator('#w1 iframe');
  await w1.locator('.scrollback').filter({ hasText: 'Created topic orders.' }).waitFor();
  assert.match(await w1.locator('.scrollback').innerText(), /Topic: orders\tTopicId:/);
  // The third widget is below the fold: not loaded until it scrolls into view.
  assert.equal(await page.locator('#w3 iframe').count(), 0);
  const w2 = page.frameLocator('#w2 iframe');
  await w2.locator('#console-input').waitFor();
  assert.equal(await w2.locator('#console-input').isDisabled(), true, 'read-only widget');
  await w2.locator('[data-topic="payments"] .cell[data-offset="4"]').waitFor();
  assert.equal(await w2.locator('.scrollback .line.input').count(), 0, 'its commands are hidden');
  assert.equal(await w2.locator('.brokers .broker').count(), 1);
  // Each widget has its own cluster.
  assert.equal(await w1.locator('[data-topic="payments"]').count(), 0);
  assert.equal(await w2.locator('[data-topic="orders"]').count(), 0);
  // The host page drives a widget through embed.js's API (postMessage, origin-checked).
  const listed = await page.evaluate(() => document.getElementById('w1').kafkaPlayground.run('kafka-topics.sh --bootstrap-server localhost:9092 --list'));
  assert.equal(listed.trim(), 'orders');
  await page.locator('#w3').scrollIntoViewIfNeeded();
  const w3 = page.frameLocator('#w3 iframe');
  await w3.locator('.lesson[data-lesson="first-topic"]').waitFor();
  await page.screenshot({ path: '/tmp/e2e-docs-example.png', fullPage: true });
  await context.close();
});

test('after the first visit the app loads and works with the network off', async () => {
  // A host of its own, which then goes away entirely: no server answers any more. (Chromium's
  // offline emulation does not reach service workers reliably, so the network is really cut.)
  const host = await serveDist();
  const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
  page = await context.newPage();
  await page.goto(host.base);
  await page.waitForSelector('#console-input');
  // Installed (everything cached, lessons included: `ready` waits for the install to finish)
  // and in control of the page.
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30000 });
  assert.ok(await page.evaluate(async () => (await (await caches.open('kafka-playground-v1')).keys()).some((k) => k.url.endsWith('.wasm'))));
  // The Markdown worker is not in the page (the app starts it when a lesson shows): cached too.
  const cached = await page.evaluate(async () => (await (await caches.open('kafka-playground-v1')).keys()).map((k) => new URL(k.url).pathname));
  for (const file of ['/markdown-worker_loader.js', '/markdown-worker.js', '/markdown-worker_bg.wasm']) {
    assert.ok(cached.includes(file), `${file} is cached (${cached.filter((c) => !c.includes('/lessons/')).join(', ')})`);
  }
  await new Promise((r) => { host.server.close(r); host.server.closeAllConnections(); });
  await page.reload();
  await page.waitForSelector('#console-input');
  await run('kafka-topics.sh --bootstrap-server localhost:9092 --create --topic offline');
  await page.waitForFunction(() => document.querySelector('.scrollback').innerText.includes('Created topic offline.'));
  // Lessons are fetched when they open: the worker cached every one at install, so one never
  // opened before opens offline too.
  await page.click('.lessons-btn');
  await page.click('[data-lesson="log-compaction"] .lesson-start');
  await page.waitForSelector('.lesson[data-lesson="log-compaction"][data-step="0"]');
  await context.close();
});

test('the splitter resizes the live view (mouse and keyboard); the page works at phone width', async () => {
  await freshPage();
  const width = () => page.$eval('.cluster-wrap', (el) => el.getBoundingClientRect().width);
  const before = await width();
  const box = await page.locator('.splitter').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + 200);
  await page.mouse.down();
  await page.mouse.move(box.x - 200, box.y + 200, { steps: 5 });
  await page.mouse.up();
  const dragged = await width();
  assert.ok(dragged > before + 150, `dragging left widens the live view (${before} → ${dragged})`);
  await page.focus('.splitter');
  await page.keyboard.press('ArrowRight');
  assert.ok(await width() < dragged, 'ArrowRight narrows it');

  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  page = await phone.newPage();
  page.on('pageerror', (e) => { throw e; });
  await page.goto(base);
  await page.waitForSelector('#console-input');
  await run('kafka-topics.sh --bootstrap-server localhost:9092 --create --topic small-screen');
  await page.waitForSelector('[data-topic="small-screen"]');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no sideways scrolling at 390 px (${overflow} px too wide)`);
  await page.screenshot({ path: '/tmp/e2e-phone.png', fullPage: true });
  await phone.close();
});

test('the JavaScript API runs a command as if typed, and says so when called while one runs', async () => {
  await freshPage();
  const answer = await page.evaluate(() => {
    let inner = null;
    kafkaPlayground.onOutput(() => {
      if (inner !== null) return;
      try { kafkaPlayground.run('echo inner'); inner = 'answered'; } catch (e) { inner = e.message; }
    });
    const outer = kafkaPlayground.run('echo outer');
    return { outer, inner, time: typeof kafkaPlayground.state().timeMs };
  });
  assert.equal(answer.outer, 'outer\n');
  assert.match(answer.inner, /the playground is running a command/);
  assert.equal(answer.time, 'number');
  await page.waitForFunction(() => document.querySelector('.scrollback').innerText.includes('echo outer'));
  const shown = await consoleText();
  assert.match(shown, /echo outer\n+outer/);
  assert.doesNotMatch(shown, /inner/);
});
