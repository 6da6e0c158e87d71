// End-to-end: the console behaves as a terminal a person can trust, driven as a user would with
// real key events in Chromium: + then typing goes to the new terminal, the keyboard can leave the
// console and reaches every control with a visible focus ring, Kafka's wide tables scroll
// sideways instead of wrapping, an error stays in view above its folded usage, and the page
// works at 1366×768 and at phone width.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { siteAndBrowser, typeCommand } from './harness.mjs';

const site = siteAndBrowser();
const BOOT = '--bootstrap-server localhost:9092';

/** A fresh browser context (no saved session) at this viewport, with the app loaded. */
async function open(viewport, options = {}) {
  const context = await site.browser.newContext({ viewport, ...options });
  const page = await context.newPage();
  page.on('pageerror', (e) => { throw e; });
  await page.goto(site.base);
  await page.waitForSelector('#console-input');
  return page;
}

const run = typeCommand;

const waitForText = (page, text) => page.waitForFunction(
  (t) => document.querySelector('.scrollback').innerText.includes(t), text);

test('+ then typing: the command runs in the new terminal, and many tabs stay on one row', async () => {
  const page = await open({ width: 1366, height: 768 });
  await page.click('.tab-new');
  await page.keyboard.type(`kafka-topics.sh ${BOOT} --create --topic typed-after-plus`);
  await page.keyboard.press('Enter');
  await waitForText(page, 'Created topic typed-after-plus.');
  assert.equal(await page.locator('.tab').count(), 2, 'one new tab, not one per keystroke');
  assert.equal(await page.getAttribute('.tab.active .tab-label', 'data-tab'), '2');
  // Terminal 1 did not get the command.
  await page.click('.tab-label[data-tab="1"]');
  assert.ok(!(await page.innerText('.scrollback')).includes('typed-after-plus'));

  // Tabs with tools running in them: the strip scrolls sideways instead of stacking.
  for (let i = 0; i < 5 && await page.locator('.tab-new').count(); i++) {
    await page.click('.tab-new');
    await page.keyboard.type(`kafka-console-consumer.sh ${BOOT} --topic typed-after-plus --group g${i}`);
    await page.keyboard.press('Enter');
    await page.waitForSelector('.running');
  }
  const strip = await page.$eval('.tabs', (el) => {
    const tops = [...el.querySelectorAll('.tab')].map((t) => Math.round(t.getBoundingClientRect().top));
    return { rows: new Set(tops).size, bar: el.closest('.console-bar').getBoundingClientRect().height };
  });
  assert.equal(strip.rows, 1, 'every tab on one row');
  assert.ok(strip.bar < 50, `the console bar stays one row high (${strip.bar} px)`);
  await page.context().close();
});

test('keyboard only: Tab completes, Esc then Tab leaves the console, every control is reached with a visible focus ring', async () => {
  const page = await open({ width: 1366, height: 768 });
  await run(page, `kafka-topics.sh ${BOOT} --create --topic keys --partitions 2`);
  await page.waitForSelector('[data-topic="keys"]');
  await page.focus('#console-input');
  await page.keyboard.type('kafka-topi');
  await page.keyboard.press('Tab');
  assert.equal(await page.inputValue('#console-input'), 'kafka-topics.sh ');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'console-input', 'Tab alone completes');
  await page.fill('#console-input', '');

  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  assert.notEqual(await page.evaluate(() => document.activeElement.id), 'console-input', 'Esc then Tab leaves');

  // Walk the page with Tab until the console has the focus again.
  const reached = new Set();
  const unringed = [];
  for (let i = 0; i < 300; i++) {
    const here = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      if (el.id === 'console-input') return { console: true };
      el.dataset.reached = '1';
      const ring = (e) => e && getComputedStyle(e).outlineStyle !== 'none' && parseFloat(getComputedStyle(e).outlineWidth) > 0;
      const what = el.getAttribute('aria-label') || el.textContent.trim().slice(0, 30) || el.className;
      return { what, ring: ring(el) || ring(el.closest('label')) };
    });
    if (here?.console) break;
    if (here) {
      reached.add(here.what);
      if (!here.ring) unringed.push(here.what);
    }
    await page.keyboard.press('Tab');
  }
  assert.equal(await page.evaluate(() => document.activeElement.id), 'console-input', 'Tab comes round to the console');
  assert.deepEqual(unringed, [], 'every focused control shows a focus ring');
  // Every visible control was reached.
  const missed = await page.evaluate(() => [...document.querySelectorAll('button, input, select, textarea, a[href], [tabindex="0"], summary')]
    .filter((el) => !el.disabled && el.id !== 'console-input' && el.getClientRects().length > 0)
    .filter((el) => !(el.type === 'file' && el.closest('label')?.getClientRects().length === 0))
    .filter((el) => el.dataset.reached !== '1')
    .map((el) => el.outerHTML.slice(0, 80)));
  assert.deepEqual(missed, [], 'every control is reached by Tab');
  for (const name of ['Resize the console and the cluster view (← →)', 'Import a session file', 'Lessons', 'Widen the console']) {
    assert.ok(reached.has(name), `${name} is reached (${[...reached].join(' | ')})`);
  }
  // The clock's buttons say what they do.
  const labels = await page.$$eval('.clock .clock-btn', (els) => els.map((b) => b.getAttribute('aria-label')));
  assert.ok(labels.every((l) => l && l.length > 6), `clock buttons are labelled: ${labels.join(', ')}`);
  assert.ok(labels.includes('Clock speed 60×: A minute per second'));
  assert.ok(labels.includes('+1d: move the clock forward by 1d'));
  // Shift+Tab leaves too, after Esc.
  await page.keyboard.press('Escape');
  await page.keyboard.press('Shift+Tab');
  assert.notEqual(await page.evaluate(() => document.activeElement.id), 'console-input');
  await page.context().close();
});

/** Whether every line of the last output block is one line box, and the block scrolls. */
function lastBlock(page) {
  return page.$eval('.scrollback', (sb) => {
    const blocks = sb.querySelectorAll('.out-block');
    const block = blocks[blocks.length - 1];
    const lineHeight = parseFloat(getComputedStyle(block.querySelector('.line')).lineHeight);
    const lines = [...block.querySelectorAll('.line')];
    const wrapped = lines.filter((l) => l.getBoundingClientRect().height > lineHeight * 1.5).map((l) => l.textContent);
    return { wrapped, lines: lines.length, scrollWidth: block.scrollWidth, clientWidth: block.clientWidth, text: block.innerText };
  });
}

test('wide output: a describe never wraps mid-word on a phone or beside a lesson; the block scrolls sideways', async () => {
  const phone = await open({ width: 390, height: 844 }, { isMobile: true, hasTouch: true });
  await run(phone, `kafka-topics.sh ${BOOT} --create --topic quickstart-events --partitions 3 --config retention.ms=86400000`);
  await phone.waitForSelector('[data-topic="quickstart-events"]');
  await run(phone, `kafka-topics.sh ${BOOT} --describe --topic quickstart-events`);
  await waitForText(phone, 'Partition: 2');
  const described = await lastBlock(phone);
  assert.equal(described.lines, 4);
  assert.deepEqual(described.wrapped, [], 'no line of the describe wraps');
  assert.ok(described.scrollWidth > described.clientWidth, `the block scrolls (${described.scrollWidth} > ${described.clientWidth})`);
  assert.match(described.text, /Topic: quickstart-events\tTopicId: \S+\tPartitionCount: 3\t.*retention.ms=86400000/);
  // The page itself never scrolls sideways; the phone's input is 16 px (iOS does not zoom).
  assert.ok(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth));
  assert.equal(await phone.$eval('#console-input', (el) => getComputedStyle(el).fontSize), '16px');
  // The clock's jump buttons stay on a phone, inside the screen.
  for (const b of await phone.locator('.clock-btn.jump').all()) {
    const box = await b.boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= 390, 'a jump button is on screen');
  }
  // A group's members, verbose: Kafka's widest table.
  await run(phone, `kafka-console-consumer.sh ${BOOT} --topic quickstart-events --group readers > /dev/null &`);
  await phone.locator('[data-group="readers"] .badge', { hasText: 'Stable' }).waitFor({ timeout: 15000 });
  await run(phone, `kafka-consumer-groups.sh ${BOOT} --describe --group readers --members --verbose`);
  await waitForText(phone, 'ASSIGNMENT');
  const members = await lastBlock(phone);
  assert.deepEqual(members.wrapped, [], 'no line of the members table wraps');
  assert.ok(members.scrollWidth > members.clientWidth);
  await phone.screenshot({ path: '/tmp/terminal/phone-390x844.png' });
  await phone.context().close();

  const desk = await open({ width: 1366, height: 768 });
  await desk.click('.lessons-btn');
  await desk.waitForSelector('.lesson-panel');
  await run(desk, `kafka-topics.sh ${BOOT} --create --topic quickstart-events --partitions 3`);
  await run(desk, `kafka-topics.sh ${BOOT} --describe --topic quickstart-events`);
  await waitForText(desk, 'Partition: 2');
  assert.deepEqual((await lastBlock(desk)).wrapped, [], 'beside a lesson, no line wraps');
  await desk.screenshot({ path: '/tmp/terminal/lesson-1366x768.png' });
  await run(desk, 'kafka-topics.sh --help');
  await waitForText(desk, '--version');
  const help = await lastBlock(desk);
  assert.ok(help.lines > 50, '--help prints the whole table, unfolded');
  assert.deepEqual(help.wrapped, [], 'the help table does not wrap');
  // Widened, the console takes the page.
  await desk.click('.console-max');
  const width = await desk.$eval('.console', (el) => el.getBoundingClientRect().width);
  assert.ok(width > 1300, `the widened console fills the page (${width} px)`);
  await desk.click('.console-max');
  await desk.context().close();
});

test('an error stays in view above its folded usage; pre-4.0 options and near-miss names get a dim pointer', async () => {
  const page = await open({ width: 1366, height: 768 });
  await run(page, `kafka-topics.sh ${BOOT} --create --topic orders`);
  await waitForText(page, 'Created topic orders.');
  // Kafka: server-common/src/main/java/org/apache/kafka/server/util/CommandLineUtils.java
  await run(page, `kafka-topics.sh ${BOOT} --create`);
  await waitForText(page, 'Missing required argument "[topic]"');
  const toggle = page.locator('.fold-toggle').last();
  assert.match(await toggle.innerText(), /^show usage \(\d+ lines\)$/);
  const inView = await page.evaluate(() => {
    const sb = document.querySelector('.scrollback').getBoundingClientRect();
    const line = [...document.querySelectorAll('.line.stderr')].find((l) => l.textContent === 'Missing required argument "[topic]"');
    const r = line.getBoundingClientRect();
    return r.top >= sb.top && r.bottom <= sb.bottom;
  });
  assert.ok(inView, 'the error line is in view');
  assert.ok(!(await page.innerText('.scrollback')).includes('--bootstrap-server <String: server to'), 'the usage is folded');
  await page.screenshot({ path: '/tmp/terminal/folded-1366x768.png' });
  await toggle.click();
  await waitForText(page, '--bootstrap-server <String: server to');
  assert.equal(await toggle.innerText(), 'hide usage');

  // Kafka's text first, then the playground's dim line.
  await run(page, 'kafka-topics.sh --zookeeper localhost:2181 --list');
  await waitForText(page, 'joptsimple.UnrecognizedOptionException: zookeeper is not a recognized option');
  assert.match(await page.locator('.line.note').last().innerText(), /^\[playground\] --zookeeper is from Kafka before 4\.0/);
  await run(page, `kafka-topics.sh ${BOOT} --describe --topic order`);
  await waitForText(page, "Topic 'Optional[order]' does not exist as expected");
  assert.equal(await page.locator('.line.note').last().innerText(), "[playground] No topic 'order': did you mean 'orders'?");
  await page.context().close();
});

test('the page at 1366×768: the header is one row, "help" runs help, there is a favicon', async () => {
  const page = await open({ width: 1366, height: 768 });
  const rows = await page.$eval('.topbar', (bar) => new Set([...bar.children].map((c) => {
    const r = c.getBoundingClientRect();
    return Math.round(r.top + r.height / 2);
  })).size);
  assert.equal(rows, 1, 'the header is one row');
  const height = await page.$eval('.topbar', (bar) => bar.getBoundingClientRect().height);
  assert.ok(height < 56, `the header is one line high (${height} px)`);
  await page.click('.help-link');
  await waitForText(page, 'Kafka tools (each takes --help):');
  assert.ok((await page.innerText('.scrollback')).includes('Esc then Tab'));
  assert.equal(await page.evaluate(() => document.activeElement.id), 'console-input');
  const favicon = await page.evaluate(async () => (await fetch('/favicon.ico')).status);
  assert.equal(favicon, 200);
  await page.screenshot({ path: '/tmp/terminal/main-1366x768.png' });

  await page.context().close();
});

/** axe-core's violations on this page (every rule axe runs by default), as a report. */
async function axeViolations(page) {
  const axe = fs.readFileSync(new URL('./node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');
  // Injected as a script tag, which the site's Content-Security-Policy refuses: the context
  // bypasses it.
  await page.addScriptTag({ content: axe });
  const result = await page.evaluate(() => window.axe.run(document));
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('\n  ')}`);
}

test('axe-core finds no violation on the main page, with wide and folded output and with a lesson open, in both colour schemes', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const page = await open({ width: 1366, height: 768 }, { bypassCSP: true, colorScheme });
    await run(page, 'help');
    await run(page, `kafka-topics.sh ${BOOT} --create --topic a11y --partitions 2`);
    await run(page, `kafka-topics.sh ${BOOT} --create`);
    await page.waitForSelector('.fold-toggle');
    await run(page, 'kafka-topics.sh --zookeeper localhost:2181 --list');
    await page.waitForSelector('.line.note');
    assert.deepEqual(await axeViolations(page), [], `${colorScheme}, main page`);
    await page.click('.lessons-btn');
    await page.click('[data-lesson="first-topic"] .lesson-start');
    await page.waitForSelector('.lesson');
    assert.deepEqual(await axeViolations(page), [], `${colorScheme}, a lesson open`);
    await page.context().close();
  }
});
