/**
 * Durability of this device's storage: asking the browser to keep notes, and how much is used
 * (the one guarded place for the Storage API's persist, persisted and estimate). Where a part is
 * missing the settings panel says the browser does not report it; nothing else depends on it.
 * Engines answer differently: Chromium decides at once from how the site is used, Firefox asks
 * the person (the request waits for their answer), WebKit decides by itself.
 */
import { markPersistenceAsked, wasPersistenceAsked } from './settings.js';

/** The parts of StorageManager the app uses, each possibly missing. */
type StorageApi = Partial<Pick<StorageManager, 'persist' | 'persisted' | 'estimate'>>;

const browserStorage = (): StorageApi | undefined => (globalThis.navigator as Navigator | undefined)?.storage;

export interface StorageReport {
  usedBytes: number | undefined;
  quotaBytes: number | undefined;
  persistent: boolean | undefined;
  /** The app has asked the browser to keep its data (on the first saved note). */
  asked: boolean;
}

/**
 * Asks once, when the first note is saved, that the browser never evict this site's data under
 * storage pressure. Asking earlier would be a request without a reason the person can see.
 */
export async function requestPersistenceOnce(storage: StorageApi | undefined = browserStorage()): Promise<void> {
  if (typeof storage?.persist !== 'function') return;
  try {
    if (await wasPersistenceAsked()) return;
    await markPersistenceAsked();
    await storage.persist();
  } catch {
    // A refused or failed request leaves storage as it was ("best effort"); the settings panel shows it.
  }
}

/** How much this site stores, whether the browser keeps it for good, and whether the app asked. */
export async function storageReport(storage: StorageApi | undefined = browserStorage()): Promise<StorageReport> {
  const [estimate, persistent, asked] = await Promise.all([
    typeof storage?.estimate === 'function' ? storage.estimate().catch(() => undefined) : undefined,
    typeof storage?.persisted === 'function' ? storage.persisted().catch(() => undefined) : undefined,
    typeof storage?.persist === 'function' ? wasPersistenceAsked().catch(() => false) : false,
  ]);
  return { usedBytes: estimate?.usage, quotaBytes: estimate?.quota, persistent, asked };
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
