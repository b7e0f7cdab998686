/**
 * Rebuilds the precache when the browser has lost files from it. WebKit has been seen to empty the
 * precache once the page leaves the app's origin (for instance to finish an email-link sign-in)
 * and comes back: the cache is still listed, with no entries, every lookup misses, and an offline
 * start fails with "FetchEvent.respondWith received an error". Worse, a put of a lost file into
 * that cache resolves but stores nothing; only a cache made afresh holds them again. So on the next
 * navigation it handles while online, the worker checks the precache and, when a file is missing,
 * fetches every file, then replaces the cache with one holding them all.
 */
import { cacheNames } from 'workbox-core';
import { getCacheKeyForURL } from 'workbox-precaching';

type ManifestEntry = string | { url: string; revision?: string | null };

let running: Promise<boolean> | undefined;

/** Resolves whether it rebuilt the precache. One run at a time. */
export function restoreMissingPrecache(manifest: readonly ManifestEntry[]): Promise<boolean> {
  running ??= restore(manifest).finally(() => (running = undefined));
  return running;
}

async function restore(manifest: readonly ManifestEntry[]): Promise<boolean> {
  const name = cacheNames.precache;
  const stored = new Set((await (await caches.open(name)).keys()).map((request) => request.url));
  const entries = manifest.map((entry) => {
    const url = new URL(typeof entry === 'string' ? entry : entry.url, self.location.href).href;
    return { url, key: getCacheKeyForURL(url) ?? url };
  });
  if (entries.every(({ key }) => stored.has(key))) return false;
  // Everything is fetched before anything is dropped: offline, or on a failed file, the cache
  // stays as it was and the next navigation tries again. Revisioned files (index.html) must not
  // come from the HTTP cache, which may hold another version.
  const responses: Response[] = [];
  for (const { url } of entries) {
    const response = await fetch(url, { cache: 'no-cache', credentials: 'same-origin' }).catch(() => undefined);
    if (!response?.ok || response.redirected) return false;
    responses.push(response);
  }
  await caches.delete(name);
  const cache = await caches.open(name);
  await Promise.all(entries.map(({ key }, index) => cache.put(key, responses[index])));
  return true;
}
