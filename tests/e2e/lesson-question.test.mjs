// End-to-end: a lesson step that asks a question, checked against the cluster — on the built
// site (dist/) in headless Chromium. The learner opens an instructor's lesson file, answers with
// the panel's buttons; a wrong answer is told wrong without giving the right one away.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { siteAndBrowser } from './harness.mjs';

const site = siteAndBrowser();

const lesson = `---
id: erin
title: "Where did erin go?"   # an instructor's own lesson
brokers: 1
setup: kafka-topics.sh --bootstrap-server localhost:9092 --create --topic users --partitions 3
setup: echo erin:signed-up | kafka-console-producer.sh --bootstrap-server localhost:9092 --topic users --property parse.key=true --property key.separator=:
---

## Find erin

Read the topic with \`--property print.partition=true\` and see where erin's record went.

question: Which partition of users holds erin's record?
choice: 0
choice: 1
choice: 2
check: answer = key erin partition in users
message: Not that one: the consumer's Partition: column tells.
solution: playground answer 0
`;

test('a question step is answered in the panel and judged against the cluster', async () => {
  const context = await site.browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => { throw e; });
  await page.goto(site.base);
  await page.click('.lessons-btn');
  await page.setInputFiles('input[type=file][aria-label="Open a lesson file"]',
    { name: 'erin.md', mimeType: 'text/markdown', buffer: Buffer.from(lesson) });
  await page.waitForSelector('.lesson[data-lesson="erin"] .question');
  assert.equal(await page.locator('.lesson-name').innerText(), 'Where did erin go?');
  // Where the cluster put erin (murmur2 of the key, as Kafka's partitioner does).
  await page.locator('#console-input').click();
  await page.keyboard.type('kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic users --from-beginning --max-messages 1 --property print.partition=true');
  await page.keyboard.press('Enter');
  await page.locator('.scrollback').filter({ hasText: 'Processed a total of 1 messages' }).waitFor();
  const read = await page.locator('.scrollback').innerText();
  const right = Number(/Partition:(\d)/.exec(read)[1]);
  const wrong = (right + 1) % 3;
  await page.click(`.question .choice:text-is("${wrong}")`);
  await page.waitForFunction(() => document.querySelector('.check-why')?.textContent.includes('Not that one'));
  assert.equal(await page.locator('.step.passed').count(), 0);
  assert.doesNotMatch(await page.locator('.lesson').innerText(), new RegExp(`expected ${right}`));
  await page.screenshot({ path: '/tmp/e2e-question-wrong.png' });
  await page.click(`.question .choice:text-is("${right}")`);
  await page.waitForSelector('.step.passed');
  // The answer went through the console, like any command.
  assert.match(await page.locator('.scrollback').innerText(), new RegExp(`playground answer '${right}'\\nYour answer: ${right}`));
  await page.screenshot({ path: '/tmp/e2e-question-right.png' });
  await context.close();
});
