// Offline: after the first visit the playground loads from this cache with the network off.
// The page is fetched from the network when possible (so new versions arrive) and from the
// cache when not; the hashed assets never change, so the cache serves them first.
const CACHE = 'kafka-playground-v1';
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
    await cache.addAll([...new Set(assets), './embed.js']);
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
    const hit = await caches.match(request);
    if (hit) return hit;
    const response = await fetch(request);
    if (response.ok) {
      const copy = response.clone();
      caches.open(CACHE).then((c) => c.put(request, copy));
    }
    return response;
  })());
});
