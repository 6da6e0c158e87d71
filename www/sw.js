// Offline: after the first visit the playground loads from this cache with the network off.
// The page is fetched from the network when possible (so new versions arrive) and from the
// cache when not; the hashed assets never change, so the cache serves them first — after
// checking each against its SHA-384: a damaged copy is evicted and fetched again.
const CACHE = 'kafka-playground-v1';
// The SHA-384 of each asset by file name ("sha384-<base64>"), as built: filled in after each
// build by scripts/sw_lessons.py.
const INTEGRITY = {};
// The lesson files' names (in lessons/), which the app fetches when a lesson opens: filled
// in after each build by scripts/sw_lessons.py. Their names do not change from one version to
// the next, so they are fetched from the network first and from the cache when that fails.
const LESSONS = [];

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    const response = await fetch('./', { cache: 'no-cache' });
    const html = await response.clone().text();
    await cache.put('./', response);
    // Quoted or not: release builds minify the page (`href=./style-….css`).
    const assets = [...html.matchAll(/(?:['"]|=)\.\/([^'"\s>]+?\.(?:css|js|wasm))(?=['"\s>])/g)].map((m) => './' + m[1]);
    // Fetched with their hashes: the browser refuses a damaged download instead of caching it.
    // The Markdown worker's files (Trunk names them after the bin) are not in the page: the app
    // starts the worker when it shows a lesson.
    const worker = ['./markdown-worker_loader.js', './markdown-worker.js', './markdown-worker_bg.wasm'];
    await Promise.all([...new Set([...assets, './embed.js', ...worker])].map(async (url) => {
      const response = await fetch(url, { cache: 'no-cache', integrity: expected(url) || '' });
      if (!response.ok) throw new Error(`${url}: ${response.status}`);
      await cache.put(url, response);
    }));
    // Every lesson opens offline, not only those opened so far; one that cannot be downloaded
    // now is still fetched (and then cached) when it opens online.
    await Promise.all(LESSONS.map((name) => './lessons/' + name).map((url) => fetch(url, { cache: 'no-cache' })
      .then((response) => response.ok && cache.put(url, response))
      .catch(() => {})));
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    event.respondWith((async () => {
      try {
        const response = await fetch(request);
        const path = new URL(request.url).pathname;
        if (response.ok && (path.endsWith('/') || path.endsWith('/index.html'))) {
          const copy = response.clone();
          caches.open(CACHE).then((c) => c.put('./', copy));
        }
        return response;
      } catch (e) {
        return (await caches.match(request, { ignoreSearch: true })) || (await caches.match('./'));
      }
    })());
    return;
  }
  if (/\/lessons\/[^/]+\.md$/.test(new URL(request.url).pathname)) {
    event.respondWith((async () => {
      try {
        const response = await fetch(request);
        if (response.ok) {
          const copy = response.clone();
          caches.open(CACHE).then((c) => c.put(request, copy));
        }
        return response;
      } catch (e) {
        const hit = await caches.match(request);
        if (hit) return hit;
        throw e;
      }
    })());
    return;
  }
  event.respondWith((async () => {
    const hash = expected(request.url);
    const hit = await caches.match(request);
    if (hit && (!hash || (await intact(hit, hash)))) return hit;
    if (hit) await (await caches.open(CACHE)).delete(request);
    // From the network: with the hash, the browser refuses a damaged body too.
    const response = await fetch(request.url, hash ? { integrity: hash, cache: 'no-cache' } : {});
    if (response.ok) {
      const copy = response.clone();
      caches.open(CACHE).then((c) => c.put(request, copy));
    }
    return response;
  })());
});

/** The hash the build wrote for the asset at `url`, if any. */
function expected(url) {
  const name = new URL(url, self.location.href).pathname.split('/').pop();
  return Object.prototype.hasOwnProperty.call(INTEGRITY, name) ? INTEGRITY[name] : null;
}

/** Whether a cached response's body has the SHA-384 `hash` ("sha384-<base64>"). */
async function intact(response, hash) {
  try {
    const digest = await crypto.subtle.digest('SHA-384', await response.clone().arrayBuffer());
    let binary = '';
    for (const byte of new Uint8Array(digest)) binary += String.fromCharCode(byte);
    return 'sha384-' + btoa(binary) === hash;
  } catch (e) {
    return false;
  }
}
