// End-to-end: quickstart step 6 typed into the browser console. The Connect worker runs in
// its terminal, a second tab reads the sink file and asks the REST API with curl, the live
// view shows the worker's connectors, and Ctrl+C stops them.
// Kafka: docs/quickstart.html (step 6), connect/runtime/.../runtime/Connect.java ("Kafka Connect
// started", "Kafka Connect stopped").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { siteAndBrowser, typeCommand } from './harness.mjs';

const site = siteAndBrowser();

const scrollback = (page) => page.innerText('.scrollback');
const waitForText = (page, text, timeout = 20000) => page.waitForFunction(
  (t) => document.querySelector('.scrollback').innerText.includes(t), text, { timeout });

test('the file connectors run in the worker\'s terminal; curl and the live view see them', async () => {
  const context = await site.browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => { throw e; });
  await page.goto(site.base);
  await page.waitForSelector('#console-input');
  await typeCommand(page, 'cd kafka_2.13-4.3.0');
  await typeCommand(page, 'echo "plugin.path=libs/connect-file-4.3.0.jar" >> config/connect-standalone.properties');
  await typeCommand(page, 'echo -e "foo\\nbar" > test.txt');
  await typeCommand(page, 'bin/connect-standalone.sh config/connect-standalone.properties config/connect-file-source.properties config/connect-file-sink.properties');
  await waitForText(page, 'Kafka Connect started');
  await page.waitForFunction(() => document.querySelector('.cluster').innerText.includes('local-file-sink (sink) · task 0 RUNNING'));
  // Another terminal, as the quickstart's next commands assume.
  await page.click('.tab-new');
  // The sink's group rebalances after 3 s of the cluster's clock.
  await page.waitForTimeout(4500);
  await typeCommand(page, 'cd kafka_2.13-4.3.0');
  await typeCommand(page, 'more test.sink.txt');
  await waitForText(page, 'foo\nbar');
  await typeCommand(page, 'curl localhost:8083/connectors');
  await waitForText(page, '["local-file-source","local-file-sink"]');
  await page.screenshot({ path: '/tmp/quickstart/connect.png' });
  // Ctrl+C in the worker's tab stops it and its connectors.
  await page.click('.tab-label[data-tab="1"]');
  await page.click('#console-input');
  await page.keyboard.press('Control+c');
  await waitForText(page, 'Kafka Connect stopped');
  assert.ok(!(await page.innerText('.cluster')).includes('Connect worker'));
  assert.ok((await scrollback(page)).includes('Stopping task local-file-sink-0'));
  await context.close();
});
