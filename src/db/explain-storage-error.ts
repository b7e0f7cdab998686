/**
 * The app's way to put a storage failure into words: the words (storage-errors.ts) load when there
 * is a failure to describe, not with the first paint. The service worker never imports this: a
 * classic worker script cannot load a module later (import() and import.meta are refused there).
 */

/** Says in words why storage failed, loading the words first; never rejects. */
export async function explainStorageError(error: unknown): Promise<string> {
  try {
    return (await import('./storage-errors.js')).describeStorageError(error);
  } catch {
    // The words could not be loaded (offline before the worker stored them): the short version.
    return 'Saving notes on this device failed. Nothing was lost that was already saved.';
  }
}
