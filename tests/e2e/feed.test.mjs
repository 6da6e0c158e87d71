// End-to-end: the live view's event feed (src/ui/event_feed.rs, src/session/feed.rs) and the
// dim note a waiting console consumer shows (src/console/waiting.rs), as a learner meets them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { siteAndBrowser, typeCommand, savedSession } from './harness.mjs';

const site = siteAndBrowser();
const BOOT = '--bootstrap-server localhost:9092';
const shot = process.env.SHOTS; // a folder: screenshots of the feed are written there

test('+1d after producing to a topic with a short retention shows "deleted segment" in the feed, also after a reload', async () => {
  const context = await site.browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => { throw e; });
  await page.goto(site.base);
  await typeCommand(page, `kafka-topics.sh ${BOOT} --create --topic short --config retention.ms=60000 --config segment.ms=10000`);
  await page.waitForSelector('[data-topic="short"]');
  await typeCommand(page, `echo hello | kafka-console-producer.sh ${BOOT} --topic short`);
  await page.click('.clock-btn[title="Move the clock forward by 1d"]');
  await page.waitForFunction(() => document.querySelector('.scrollback').innerText.includes('Clock advanced by 1d'));
  const feed = page.locator('.event-feed');
  await feed.locator('.event-retention').first().waitFor();
  const first = await feed.locator('.event-retention').first().innerText();
  // Retention deletes the segment at its first 5-minute check once the record is a minute old.
  assert.match(first, /\d\d-\d\d \d\d:\d\d:\d\d\s+retention deleted \d+ segments? of short \(1 partition\)/);
  if (shot) await page.screenshot({ path: `${shot}/feed-1366.png` });

  // A reload shows the same feed (it is saved with the cluster).
  const until = Date.now() + 10000;
  while (Date.now() < until && !(await savedSession(page, 'segments_deleted'))) await new Promise((r) => setTimeout(r, 200));
  const before = await feed.locator('.event-retention').allInnerTexts();
  await page.reload();
  await page.locator('.event-feed .event-retention').first().waitFor();
  assert.deepEqual(await page.locator('.event-feed .event-retention').allInnerTexts(), before);

  // A phone: the feed is in the live view below the topics.
  await page.setViewportSize({ width: 390, height: 844 });
  if (shot) {
    await page.locator('.event-feed').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${shot}/feed-390.png` });
  }
  await context.close();
});

test('a broker stopped and started shows in the feed with the leadership it moved', async () => {
  const page = await (await site.browser.newContext()).newPage();
  page.on('pageerror', (e) => { throw e; });
  await page.goto(site.base);
  await typeCommand(page, `kafka-topics.sh ${BOOT} --create --topic t --replication-factor 3`);
  await page.waitForSelector('[data-topic="t"]');
  await typeCommand(page, 'playground broker stop 1');
  const feed = page.locator('.event-feed');
  await feed.locator('.event-broker', { hasText: 'broker 1 stopped' }).waitFor();
  await typeCommand(page, 'playground broker start 1');
  await feed.locator('.event-broker', { hasText: 'broker 1 started' }).waitFor();
  const text = await feed.innerText();
  assert.match(text, /ISR of t-0 shrank: 1 left/);
});

test('a first console consumer says, dimmed, that its group waits the initial rebalance delay; the note goes when it reads', async () => {
  const page = await (await site.browser.newContext()).newPage();
  page.on('pageerror', (e) => { throw e; });
  await page.goto(site.base);
  await typeCommand(page, `kafka-topics.sh ${BOOT} --create --topic greet`);
  await page.waitForSelector('[data-topic="greet"]');
  await typeCommand(page, `echo hi | kafka-console-producer.sh ${BOOT} --topic greet`);
  await typeCommand(page, `kafka-console-consumer.sh ${BOOT} --topic greet --group g --from-beginning`);
  const note = page.locator('.waiting-note');
  await note.waitFor();
  assert.match(await note.innerText(), /^\[playground\] waiting for group g's first rebalance: the coordinator waits group\.initial\.rebalance\.delay\.ms \(3000 ms, Kafka's default\)/);
  // The note is not one of the output's lines.
  assert.equal(await page.locator('.out-block .line', { hasText: "first rebalance" }).count(), 0);
  // About 3 s later the group is Stable, the record shows and the note is gone.
  await page.waitForFunction(() => [...document.querySelectorAll('.out-block .line')].some((l) => l.innerText === 'hi'), null, { timeout: 15000 });
  await note.waitFor({ state: 'detached' });
  await page.keyboard.press('Control+C');
});
