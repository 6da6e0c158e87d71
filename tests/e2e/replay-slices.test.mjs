// End-to-end: a share link's replay runs in slices between animation frames, with its
// progress shown and a Cancel button (src/ui/replay_progress.rs, src/session/link_replay.rs).
// The links are made here as anyone could make one: a journal, deflated, in base64url
// (src/share.rs `Journal::encode`), within the replay budget (src/session/budget.rs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { siteAndBrowser, typeCommand, savedSession } from './harness.mjs';

const site = siteAndBrowser();
const BOOT = '--bootstrap-server localhost:9092';
const shot = process.env.SHOTS;
const START = 1735689600000;

/** A link whose journal creates `n` topics of 5 partitions, one line each. */
function heavyLink(n) {
  const entries = Array.from({ length: n }, (_, i) => ({
    t: START + i, w: 1, k: 'Line', s: `kafka-topics.sh ${BOOT} --create --topic load${i} --partitions 5`,
  }));
  const json = JSON.stringify({ start_ms: START, brokers: 3, entries });
  return `v1.${zlib.deflateRawSync(Buffer.from(json), { level: 9 }).toString('base64url')}`;
}

/** Before the page loads: records every progress line drawn and the longest gap between
 *  animation frames while the replay runs (the page answers between slices). */
function watchReplay(page) {
  return page.addInitScript(() => {
    window.__seen = [];
    window.__maxGap = 0;
    let last = performance.now();
    const frame = () => {
      const now = performance.now();
      const status = document.querySelector('.replay-status');
      if (status) {
        window.__maxGap = Math.max(window.__maxGap, now - last);
        const text = status.innerText;
        if (window.__seen[window.__seen.length - 1] !== text) window.__seen.push(text);
      }
      last = now;
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
}

test('a heavy link replays in slices with its progress shown, the page answering, then opens', async () => {
  const context = await site.browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => { throw e; });
  await watchReplay(page);
  await page.goto(`${site.base}#s=${heavyLink(600)}`);
  await page.waitForFunction(() => document.querySelector('.scrollback')?.innerText.includes('Opened a shared session'), null, { timeout: 120000 });
  assert.match(await page.locator('.scrollback').innerText(), /Opened a shared session: 600 line\(s\) replayed on a fresh cluster/);
  await page.waitForSelector('[data-topic="load599"]');
  const seen = await page.evaluate(() => window.__seen);
  // Drawn between slices: several progress lines, counting up to the whole journal.
  assert.ok(seen.length >= 3, `progress drawn ${seen.length} time(s): ${seen.join(' | ')}`);
  for (const line of seen) assert.match(line, /^Replaying the link on a fresh cluster: \d+ of 600 entries \(\d+%\)$/);
  const counts = seen.map((l) => Number(l.match(/: (\d+) of/)[1]));
  assert.deepEqual([...counts].sort((a, b) => a - b), counts, 'the count only goes up');
  // A slice is about 25 ms: the page never stopped drawing for long.
  const gap = await page.evaluate(() => window.__maxGap);
  assert.ok(gap < 400, `the longest frame gap was ${gap} ms`);
  await context.close();
});

test('Cancel stops a link\'s replay and leaves the reader\'s own session as it was', async () => {
  const context = await site.browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => { throw e; });
  await page.goto(site.base);
  await typeCommand(page, `kafka-topics.sh ${BOOT} --create --topic mine`);
  await page.waitForSelector('[data-topic="mine"]');
  const until = Date.now() + 10000;
  while (Date.now() < until && !(await savedSession(page, '"mine"'))) await new Promise((r) => setTimeout(r, 200));
  await page.close();

  const linked = await context.newPage();
  linked.on('pageerror', (e) => { throw e; });
  await watchReplay(linked);
  await linked.goto(`${site.base}#s=${heavyLink(1999)}`);
  const progress = linked.locator('.replay-progress');
  await progress.waitFor();
  assert.match(await progress.innerText(), /Opening a shared session/);
  if (shot) await linked.screenshot({ path: `${shot}/replay-1366.png` });
  await linked.setViewportSize({ width: 390, height: 844 });
  if (shot) await linked.screenshot({ path: `${shot}/replay-390.png` });
  await linked.setViewportSize({ width: 1366, height: 768 });
  // The page answers while the replay runs: the button takes the click.
  await linked.getByRole('button', { name: 'Cancel' }).click();
  await progress.waitFor({ state: 'detached' });
  await linked.waitForSelector('[data-topic="mine"]');
  assert.match(await linked.locator('.scrollback').innerText(),
    /\[playground\] The shared session's replay was cancelled after \d+ of 1999 entries; nothing of it was kept\. Your own session is open as it was; open the link again to replay it\./);
  assert.equal(await linked.locator('[data-topic^="load"]').count(), 0, 'nothing of the link is shown');
  // Nor saved: the session in storage is still the reader's.
  await new Promise((r) => setTimeout(r, 1500));
  assert.ok(await savedSession(linked, '"mine"'));
  assert.ok(!(await savedSession(linked, 'load0')), 'the link\'s topics never reached storage');
  const gap = await linked.evaluate(() => window.__maxGap);
  assert.ok(gap < 400, `the longest frame gap was ${gap} ms`);
  await context.close();
});
