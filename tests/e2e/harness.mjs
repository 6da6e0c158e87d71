// What every end-to-end file shares: the built site (dist/) served on 127.0.0.1 as a static
// host would, and Debian's Chromium started headless.
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist');
const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.md': 'text/markdown; charset=utf-8' };

/** Serves `root` on a port of its own, as a static host would; `extra` maps paths to
 *  generated pages. Returns `{ server, base }`. */
export async function serveDir(root, extra = {}) {
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (extra[url]) { res.writeHead(200, { 'Content-Type': 'text/html' }); res.end(extra[url]); return; }
    const file = path.join(root, url === '/' ? 'index.html' : url);
    if (!file.startsWith(root) || !fs.existsSync(file)) { res.writeHead(404); res.end(); return; }
    res.writeHead(200, { 'Content-Type': types[path.extname(file)] || 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { server, base: `http://127.0.0.1:${server.address().port}/` };
}

/** Serves the built site, dist/. */
export function serveDist() {
  assert.ok(fs.existsSync(path.join(dist, 'index.html')), 'run `trunk build --release` first');
  return serveDir(dist);
}

/** Headless Chromium (`CHROMIUM` names another binary). */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}

/** The session the app saved in this page's IndexedDB (src/ui/storage.rs), as text, or null. */
export function savedSession(page) {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('kafka-playground');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains('sessions')) { db.close(); resolve(null); return; }
      const get = db.transaction('sessions').objectStore('sessions').get('current');
      get.onsuccess = () => { db.close(); resolve(get.result ?? null); };
      get.onerror = () => { db.close(); reject(get.error); };
    };
  }));
}
