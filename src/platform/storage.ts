/** Durability of this device's storage: asking the browser to keep notes, and how much is used. */
import { markPersistenceAsked, wasPersistenceAsked } from './settings.js';

export interface StorageReport {
  usedBytes: number | undefined;
  quotaBytes: number | undefined;
  persistent: boolean | undefined;
}

/**
 * Asks once, when the first note is saved, that the browser never evict this site's data under
 * storage pressure. Asking earlier would be a request without a reason the person can see.
 */
export async function requestPersistenceOnce(): Promise<void> {
  if (!navigator.storage?.persist) return;
  try {
    if (await wasPersistenceAsked()) return;
    await markPersistenceAsked();
    await navigator.storage.persist();
  } catch {
    // A refused or failed request leaves storage as it was ("best effort"); the settings panel shows it.
  }
}

export async function storageReport(): Promise<StorageReport> {
  const storage = navigator.storage;
  const [estimate, persistent] = await Promise.all([
    storage?.estimate ? storage.estimate().catch(() => undefined) : undefined,
    storage?.persisted ? storage.persisted().catch(() => undefined) : undefined,
  ]);
  return { usedBytes: estimate?.usage, quotaBytes: estimate?.quota, persistent };
}

export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} bytes` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
