// End-to-end accessibility (issue 22.6): axe-core finds no violation on the docs pages (the
// host page and every widget frame), on the live view with its event feed and a waiting
// consumer's note, and on a share link's replay progress; and a keyboard alone reaches every
// control of the main page and leaves the console.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import zlib from 'node:zlib';
import { siteAndBrowser, typeCommand } from './harness.mjs';

const site = siteAndBrowser();
const BOOT = '--bootstrap-server localhost:9092';
const axeSource = fs.readFileSync(new URL('./node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');

/** axe-core's violations in one frame (every rule axe runs by default), as a report. */
async function axeViolations(frame) {
  await frame.addScriptTag({ content: axeSource });
  const result = await frame.evaluate(() => window.axe.run(document));
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('\n  ')}`);
}

/** A context whose pages take axe's script tag (the site's CSP would refuse it). */
async function newPage(options = {}) {
  const context = await site.browser.newContext({ bypassCSP: true, ...options });
  const page = await context.newPage();
  page.on('pageerror', (e) => { throw e; });
  return page;
}

for (const doc of ['docs-example.html', 'docs-shared-cluster.html']) {
  test(`axe-core finds no violation on ${doc}, its widgets included, at 1366 and 390 px, in both colour schemes`, { timeout: 120_000 }, async () => {
    for (const [width, height] of [[1366, 768], [390, 844]]) {
      for (const colorScheme of ['light', 'dark']) {
        const page = await newPage({ viewport: { width, height }, colorScheme });
        await page.goto(site.base + doc);
        // Widgets further down load when they come into view: bring them all in.
        await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
        await page.waitForTimeout(500);
        // Every widget has drawn its console.
        await page.waitForFunction(() => {
          const frames = [...document.querySelectorAll('iframe')];
          return frames.length > 0 && frames.every((f) => f.contentDocument?.querySelector('.console, .lesson, .error'));
        }, null, { timeout: 30000 });
        await page.waitForTimeout(1500); // the widgets' commands have run
        await page.addScriptTag({ content: axeSource });
        // axe in every frame, run from the page: the widgets are checked as parts of it (a
        // page-wide rule such as "one main landmark" is the host page's).
        for (const frame of page.frames().filter((f) => f !== page.mainFrame())) {
          await frame.addScriptTag({ content: axeSource });
        }
        const result = await page.evaluate(() => window.axe.run(document, { iframes: true }));
        assert.ok(!result.incomplete.some((r) => r.id === 'frame-tested'), 'every widget frame was tested');
        const found = result.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('\n  ')}`);
        assert.deepEqual(found, [], `${doc}, ${width} px, ${colorScheme}`);
        await page.context().close();
      }
    }
  });
}

test('axe-core finds no violation with the event feed filled and a waiting consumer\'s note, in both colour schemes', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const page = await newPage({ viewport: { width: 1366, height: 768 }, colorScheme });
    await page.goto(site.base);
    await page.waitForSelector('#console-input');
    await typeCommand(page, `kafka-topics.sh ${BOOT} --create --topic short --replication-factor 3 --config retention.ms=60000`);
    await page.waitForSelector('[data-topic="short"]');
    await typeCommand(page, `echo a | kafka-console-producer.sh ${BOOT} --topic short`);
    await typeCommand(page, 'playground broker stop 2');
    await page.click('.clock-btn[title="Move the clock forward by 1h"]');
    await page.waitForSelector('.event-feed .event-retention');
    await typeCommand(page, `kafka-console-consumer.sh ${BOOT} --topic short --group g`);
    await page.waitForSelector('.waiting-note');
    assert.deepEqual(await axeViolations(page.mainFrame()), [], `${colorScheme}, feed and note`);
    await page.context().close();
  }
});

test('axe-core finds no violation on a share link\'s replay progress', async () => {
  const START = 1735689600000;
  const entries = Array.from({ length: 1999 }, (_, i) => ({ t: START + i, w: 1, k: 'Line', s: `kafka-topics.sh ${BOOT} --create --topic load${i} --partitions 5` }));
  const link = `v1.${zlib.deflateRawSync(Buffer.from(JSON.stringify({ start_ms: START, brokers: 3, entries }))).toString('base64url')}`;
  for (const colorScheme of ['light', 'dark']) {
    const page = await newPage({ viewport: { width: 390, height: 844 }, colorScheme });
    await page.goto(`${site.base}#s=${link}`);
    await page.waitForSelector('.replay-progress');
    assert.deepEqual(await axeViolations(page.mainFrame()), [], `${colorScheme}, replay progress`);
    await page.context().close();
  }
});

test('the keyboard alone reaches every control of the main page and leaves the console', async () => {
  const page = await newPage({ viewport: { width: 1366, height: 768 } });
  await page.goto(site.base);
  await page.waitForSelector('#console-input');
  await typeCommand(page, `kafka-topics.sh ${BOOT} --create --topic keys --partitions 2`);
  await page.waitForSelector('[data-topic="keys"]');
  await typeCommand(page, 'playground broker stop 3');
  await page.waitForSelector('.event-feed .event');
  // Every control a pointer could use: visible, enabled, focusable.
  const controls = await page.evaluate(() => {
    const all = [...document.querySelectorAll('button, input, select, textarea, a[href], summary, [tabindex]:not([tabindex="-1"])')];
    const shown = all.filter((e) => !e.disabled && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden');
    shown.forEach((e, i) => { e.dataset.kbd = String(i); });
    return shown.map((e) => `${e.tagName.toLowerCase()}${e.className ? '.' + String(e.className).split(' ')[0] : ''} "${(e.getAttribute('aria-label') || e.innerText || '').slice(0, 30)}"`);
  });
  assert.ok(controls.length > 15, `${controls.length} controls`);
  // From the top of the page, Tab only (and Esc then Tab to leave the console, as the
  // welcome text says); never the mouse.
  await page.evaluate(() => document.activeElement?.blur());
  const reached = new Set();
  let leftConsole = false;
  for (let i = 0; i < controls.length * 3 && reached.size < controls.length; i++) {
    const id = await page.evaluate(() => document.activeElement?.dataset?.kbd ?? null);
    if (id !== null) reached.add(id);
    if (id !== null && (await page.evaluate(() => document.activeElement.id === 'console-input'))) {
      await page.keyboard.press('Escape');
      await page.keyboard.press('Tab');
      const after = await page.evaluate(() => document.activeElement?.id);
      if (after !== 'console-input') leftConsole = true;
      continue;
    }
    await page.keyboard.press('Tab');
  }
  const missed = controls.filter((_, i) => !reached.has(String(i)));
  assert.deepEqual(missed, [], 'controls the keyboard never reached');
  assert.ok(leftConsole, 'Esc then Tab leaves the console');
  await page.context().close();
});
