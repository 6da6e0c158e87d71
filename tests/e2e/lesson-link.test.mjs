// End-to-end: a lesson reaches a class by link. An instructor checks a lesson on the
// instructor page and copies its link; a learner with work of their own opens it in a fresh
// browser, finishes it and hands in; the instructor page shows the class row. Also: a lesson
// and a course fetched from another site (CORS), and the message when that site refuses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { siteAndBrowser, typeCommand } from './harness.mjs';

const site = siteAndBrowser();

const lesson = `---
id: linked-orders
title: Orders by link
brokers: 1
---
# Before you start

Read the **whole** step first, then *decide*. Kafka's own docs: [topics](https://kafka.apache.org/documentation/#intro_concepts_and_terms).

## Make the orders topic

1. Create a topic named \`orders\` with **3** partitions.
2. Describe it to see where its partitions are.

| Option | Why |
|---|---|
| \`--partitions 3\` | three consumers can share it |
| \`--topic orders\` | its name |

check: topic orders partitions 3
hint: \`kafka-topics.sh --create\` takes \`--partitions\`.
solution: kafka-topics.sh --bootstrap-server localhost:9092 --create --topic orders --partitions 3
`;

/** A second site: serves `files` with CORS, except paths under /private/. */
async function otherSite(files) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x').pathname;
    const body = files[url];
    if (body === undefined) { res.writeHead(404); res.end(); return; }
    const headers = { 'Content-Type': 'text/plain; charset=utf-8' };
    if (!url.startsWith('/private/')) headers['Access-Control-Allow-Origin'] = '*';
    res.writeHead(200, headers);
    res.end(body);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { server, base: `http://127.0.0.1:${server.address().port}/` };
}

test('an instructor links a lesson; a learner opens it beside their own work, finishes and hands in; the class table shows it', async () => {
  const teacherContext = await site.browser.newContext({ viewport: { width: 1366, height: 768 }, acceptDownloads: true });
  const teacher = await teacherContext.newPage();
  teacher.on('pageerror', (e) => { throw e; });
  await teacher.goto(site.base + 'index.html#instructor');
  // A lesson that fails its checks gets no link.
  await teacher.locator('textarea[aria-label="Lesson text"]').fill(lesson.replace('partitions 3\nhint', 'partitions 4\nhint'));
  await teacher.click('.lesson-link .btn:has-text("Check and make link")');
  await teacher.waitForSelector('.lesson-link .lesson-error');
  assert.match(await teacher.locator('.lesson-link .lesson-error').innerText(), /the number of partitions of orders is 3, expected 4/);
  await teacher.locator('textarea[aria-label="Lesson text"]').fill(lesson);
  await teacher.click('.lesson-link .btn:has-text("Check and make link")');
  const link = await teacher.locator('input[aria-label="Lesson link"]').inputValue();
  assert.ok(link.startsWith(site.base + 'index.html#lesson=v1.'), link);

  const learnerContext = await site.browser.newContext({ viewport: { width: 1366, height: 768 }, acceptDownloads: true });
  const learner = await learnerContext.newPage();
  learner.on('pageerror', (e) => { throw e; });
  await learner.goto(site.base);
  await typeCommand(learner, 'kafka-topics.sh --bootstrap-server localhost:9092 --create --topic my-own-work');
  await learner.waitForSelector('.console :text("Created topic my-own-work.")');
  await learner.waitForTimeout(1500); // saved (at most once a second)
  await learner.goto(link);
  await learner.waitForSelector('.lesson[data-lesson="linked-orders"]');
  assert.equal(new URL(learner.url()).hash, '', 'the address bar loses the link: a reload continues the lesson');
  assert.match(await learner.locator('.console').innerText(), /Opened the lesson 'Orders by link' from the link\. Your own session is kept/);
  // Rich Markdown, as text nodes: a heading, a numbered list, emphasis, a safe link, a table.
  const intro = learner.locator('.lesson-intro');
  assert.equal(await intro.locator('h2, h3, h4').first().innerText(), 'Before you start');
  assert.equal(await intro.locator('em').innerText(), 'decide');
  const a = intro.locator('a');
  assert.deepEqual([await a.getAttribute('href'), await a.getAttribute('target'), await a.getAttribute('rel')],
    ['https://kafka.apache.org/documentation/#intro_concepts_and_terms', '_blank', 'noopener noreferrer']);
  // The step's text is parsed in the Markdown worker too: drawn as a subset until its tree is there.
  await learner.waitForSelector('.step-text table tbody tr');
  assert.equal(await learner.locator('.step-text ol li').count(), 2);
  assert.equal(await learner.locator('.step-text table tbody tr').count(), 2);
  await learner.screenshot({ path: '/tmp/lessons/link-1366.png' });
  await learner.setViewportSize({ width: 390, height: 844 });
  await learner.screenshot({ path: '/tmp/lessons/link-390.png', fullPage: true });
  await learner.setViewportSize({ width: 1366, height: 768 });

  await typeCommand(learner, 'kafka-topics.sh --bootstrap-server localhost:9092 --create --topic orders --partitions 3');
  await learner.waitForSelector('.lesson-done');
  await learner.click('.hand-in summary');
  await learner.locator('.hand-in input').fill('Grace Hopper');
  const [download] = await Promise.all([
    learner.waitForEvent('download'),
    learner.click('.hand-in .btn:has-text("Download results")'),
  ]);
  const file = await download.path();
  // The learner's own session is one click away.
  await learner.click('.session-menu button:has-text("Sessions")');
  await learner.waitForSelector('.recent-session');
  assert.equal(await learner.locator('.recent-session').count(), 1);

  await teacher.setInputFiles('input[aria-label="Add results files"]', file);
  await teacher.waitForSelector('.class-table tr[data-learner="Grace Hopper"]');
  assert.match(await teacher.locator('.class-table tbody').innerText(), /Grace Hopper\s+linked-orders\s+1\/1/);
  await teacherContext.close();
  await learnerContext.close();
});

test('a lesson and a course from another site open by link; a host that refuses gets a clear message', async () => {
  const other = await otherSite({
    '/course/lesson.md': lesson,
    '/course/course.json': JSON.stringify({ title: 'Kafka day one', lessons: [
      { id: 'linked-orders', title: 'Orders by link', url: 'lesson.md' },
      { id: 'first-topic', title: 'Your first topic', requires: ['linked-orders'] },
    ] }),
    '/private/lesson.md': lesson,
    '/not-a-lesson.md': '<html>hello</html>',
  });
  const context = await site.browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => { throw e; });

  await page.goto(`${site.base}#lesson-url=${other.base}private/lesson.md`);
  await page.waitForSelector('.lesson-panel .lesson-error');
  assert.match(await page.locator('.lesson-error').innerText(), /refused to share it with this page.*Access-Control-Allow-Origin/s);

  // A fragment alone does not load a page again: each link opens as a new visit would.
  await page.goto('about:blank');
  await page.goto(`${site.base}#lesson-url=${other.base}not-a-lesson.md`);
  await page.waitForSelector('.lesson-panel .lesson-error');
  assert.match(await page.locator('.lesson-error').innerText(), /does not hold a lesson file/);

  await page.goto('about:blank');
  await page.goto(`${site.base}#course-url=${other.base}course/course.json`);
  await page.waitForSelector('.course');
  assert.match(await page.locator('.course').innerText(), /Kafka day one\s+0 of 2 lessons done/);
  assert.ok(await page.locator('[data-course-lesson="first-topic"] button').isDisabled(), 'locked until its prerequisite is done');
  await page.click('[data-course-lesson="linked-orders"] button');
  await page.waitForSelector('.lesson[data-lesson="linked-orders"]');
  await page.click('.lesson-actions .btn:has-text("Show solution")');
  await page.click('.lesson-actions .btn:has-text("Run solution")');
  await page.waitForSelector('.next-lesson');
  await page.click('.next-lesson');
  await page.waitForSelector('.lesson[data-lesson="first-topic"]');
  await page.click('.lesson-top .link-btn:has-text("Lessons")');
  assert.match(await page.locator('.course').innerText(), /1 of 2 lessons done/);
  await context.close();
  other.server.close();
});

test("an author's preview: a lesson file opened is checked as kplay --check checks it", async () => {
  const context = await site.browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => { throw e; });
  await page.goto(site.base);
  await page.click('.lessons-btn');
  const open = (text) => page.setInputFiles('input[type=file][aria-label="Open a lesson file"]',
    { name: 'draft.md', mimeType: 'text/markdown', buffer: Buffer.from(text) });
  await open(lesson.replace('partitions 3\nhint', 'partitions 4\nhint'));
  await page.waitForSelector('.preview-report.failed');
  assert.match(await page.locator('.preview-report').innerText(), /✗ Preview: kplay --check fails[\s\S]*expected 4/);
  // Saved again, chosen again: checked again.
  await page.click('.lesson-top .link-btn:has-text("Lessons")');
  await open(lesson);
  await page.waitForSelector('.preview-report:not(.failed)');
  assert.match(await page.locator('.preview-report summary').innerText(), /✓ Preview: every step passes kplay --check/);
  await context.close();
});
