// Offline: after the first visit the playground loads from this cache with the network off.
// The page is fetched from the network when possible (so new versions arrive) and from the
// cache when not; the hashed assets never change, so the cache serves them first.
const CACHE = 'kafka-playground-v1';

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    const response = await fetch('./', { cache: 'no-cache' });
    const html = await response.clone().text();
    await cache.put('./', response);
    const assets = [...html.matchAll(/['"]\.\/([^'"]+?\.(?:css|js|wasm))['"]/g)].map((m) => './' + m[1]);
    await cache.addAll([...new Set(assets), './embed.js']);
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
