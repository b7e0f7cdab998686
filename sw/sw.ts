/**
 * The app's one service worker: precaching of the built app (the list is injected at build time
 * by vite-plugin-pwa), offline navigation to the app shell, and the update handshake with
 * src/pwa/register.ts, and push with notification clicks (sw/push.ts): never a second worker.
 */
import { addPlugins, cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { restoreMissingPrecache } from './precache-restore';
import { registerPushHandlers } from './push';

declare let self: ServiceWorkerGlobalScope;

// Serves index.html, the manifest, icons and every hashed chunk from the cache, so the app starts
// with no network. A new build changes this list, which is what makes the browser install an update.
const precacheManifest = self.__WB_MANIFEST;
precacheAndRoute(precacheManifest);

// A file the precache should hold but did not (answered from the network instead, online) means
// the browser dropped files from it: the worker rebuilds it (sw/precache-restore.ts) after
// answering. So does a navigation, which finds files dropped after the page last loaded.
addPlugins([
  {
    fetchDidSucceed: async ({ event, response }) => {
      if (event.type === 'fetch') (event as FetchEvent).waitUntil(restoreMissingPrecache(precacheManifest));
      return response;
    },
  },
]);
self.addEventListener('fetch', (event) => {
  if (event.request.mode === 'navigate') event.waitUntil(restoreMissingPrecache(precacheManifest));
});

// Drops precaches left by older Workbox versions (their cache names differ from this one's).
cleanupOutdatedCaches();

// Any in-app URL opened directly (/share?..., /?action=new-note, a reload on a deep link) gets
// the precached shell, offline too, like the host's SPA rewrite. Not rewritten: Firebase Hosting's
// reserved /__/ paths (the auth handler must reach the network) and direct visits to files
// (/robots.txt, an icon), which the host serves as they are.
registerRoute(
  new NavigationRoute(createHandlerBoundToURL('index.html'), {
    denylist: [/^\/__\//, /^[^?]*\/[^/?]+\.[^/?]+(?:\?.*)?$/],
  }),
);

// No skipWaiting() on install: a new version waits until the person accepts it in the page
// (src/ui/update-prompt.ts), which then sends this message. Until then every open tab keeps
// running the version it was loaded with, against the caches that match it.
self.addEventListener('message', (event) => {
  if ((event.data as { type?: unknown } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});

// Push: the `push` and `notificationclick` handlers (sw/push.ts) live in this worker, whose
// registration the page hands to Firebase getToken({ serviceWorkerRegistration }): no second
// firebase-messaging-sw.js. FCM delivers data-only messages, so these handlers decide what shows.
registerPushHandlers();
