// What every end-to-end file shares: the built site (dist/) served on 127.0.0.1 as a static
// host would, and Debian's Chromium started headless.
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';

export const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist');
const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.md': 'text/markdown; charset=utf-8' };

/** Serves `root` on a port of its own, as a static host would; `extra` maps paths to
 *  generated pages; with `gzip`, files go out `gzip -9`-compressed to browsers that accept it,
 *  as a host that compresses sends them. Returns `{ server, base }`. */
export async function serveDir(root, extra = {}, { gzip = false } = {}) {
  const compressed = new Map(); // compressed once per file, as a host that precompresses
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (extra[url]) { res.writeHead(200, { 'Content-Type': 'text/html' }); res.end(extra[url]); return; }
    const file = path.join(root, url === '/' ? 'index.html' : url);
    if (!file.startsWith(root) || !fs.existsSync(file)) { res.writeHead(404); res.end(); return; }
    const type = types[path.extname(file)] || 'application/octet-stream';
    if (gzip && /\bgzip\b/.test(req.headers['accept-encoding'] || '')) {
      if (!compressed.has(file)) compressed.set(file, zlib.gzipSync(fs.readFileSync(file), { level: 9 }));
      const body = compressed.get(file);
      res.writeHead(200, { 'Content-Type': type, 'Content-Encoding': 'gzip', 'Content-Length': body.length, Vary: 'Accept-Encoding' });
      res.end(body);
      return;
    }
    res.writeHead(200, { 'Content-Type': type });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { server, base: `http://127.0.0.1:${server.address().port}/` };
}

/** Serves the built site, dist/ (`options` as for `serveDir`). */
export function serveDist(options = {}) {
  assert.ok(fs.existsSync(path.join(dist, 'index.html')), 'run `trunk build --release` first');
  return serveDir(dist, {}, options);
}

/** Headless Chromium (`CHROMIUM` names another binary). */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}

/** The session the app saved in this page's IndexedDB (src/ui/storage.rs), as text, or null.
 *  With `needle`: only whether the saved text holds it (computed in the page, so a large
 *  session is not copied out of the browser). */
export function savedSession(page, needle) {
  return page.evaluate((needle) => new Promise((resolve, reject) => {
    const open = indexedDB.open('kafka-playground');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains('sessions')) { db.close(); resolve(needle === undefined ? null : false); return; }
      const get = db.transaction('sessions').objectStore('sessions').get('current');
      get.onsuccess = async () => {
        db.close();
        // Kept as a Blob (src/ui/storage.rs says why).
        const text = get.result instanceof Blob ? await get.result.text() : (get.result ?? null);
        resolve(needle === undefined ? text : text !== null && text.includes(needle));
      };
      get.onerror = () => { db.close(); reject(get.error); };
    };
  }), needle);
}

/** For a test file: the built site served and a browser launched before its tests, both closed
 *  after them. Returns `{ base, browser }`, filled in once the file's tests start. */
export function siteAndBrowser() {
  const shared = {};
  let server;
  before(async () => {
    ({ server, base: shared.base } = await serveDist());
    shared.browser = await launchBrowser();
  });
  after(async () => {
    await shared.browser?.close();
    server?.close();
  });
  return shared;
}

/** Types a command into the page's console with real key events and presses Enter. */
export async function typeCommand(page, command) {
  await page.click('#console-input');
  await page.keyboard.type(command);
  await page.keyboard.press('Enter');
}
