/**
 * The reads a start needs, begun by the entry's first module (src/boot.ts) before the app shell's
 * modules run: this device's id and last account, and the board's first window of the notes
 * database opened last. In a cold start the shell's modules keep the main thread busy for some
 * 50 ms and then open the databases one after the other; begun before them, these reads are done
 * by the time the shell asks, and the board paints its first cards without waiting for Dexie.
 *
 * Plain IndexedDB and nothing else (no Dexie, no Lit), so it runs before those are evaluated.
 * A read never creates a database: a first visit finds nothing here and the app starts as before.
 * Everything read here is only a head start; the app's own reads (Dexie, its live queries) follow
 * and take over, and a guess that does not match what the app opens is ignored.
 */
import { APP } from '../constants.js';
import { type FirstWindow, readFirstWindow } from '../db/first-window.js';
import { done, listDatabases, openExisting } from './plain-idb.js';

/** The settings a start reads, as stored (undefined when absent). */
export interface StartSettings {
  deviceId: string | undefined;
  lastAccount: unknown;
}

let begun: { settings: Promise<StartSettings | undefined>; firstWindow: Promise<FirstWindow | undefined> | undefined } | undefined;

async function readSettings(listed: ReturnType<typeof listDatabases>): Promise<StartSettings | undefined> {
  const db = await openExisting(APP.KEYVAL_DB_NAME, listed);
  // No settings store yet (a first visit): no device id and no account, known without loading it.
  if (db === 'absent') return { deviceId: undefined, lastAccount: undefined };
  if (db === 'unopenable') return undefined;
  try {
    if (!db.objectStoreNames.contains(APP.KEYVAL_STORE_NAME)) return undefined;
    const store = db.transaction(APP.KEYVAL_STORE_NAME, 'readonly').objectStore(APP.KEYVAL_STORE_NAME);
    const [deviceId, lastAccount] = await Promise.all([done(store.get(APP.DEVICE_ID_KEY)), done(store.get(APP.LAST_ACCOUNT_KEY))]);
    return { deviceId: typeof deviceId === 'string' ? deviceId : undefined, lastAccount };
  } finally {
    db.close();
  }
}

/**
 * The page's localStorage (the service worker, which shares the settings code, has none; nor do
 * the unit tests' node).
 */
const pageStorage = () =>
  (globalThis as { localStorage?: { getItem(key: string): string | null; setItem(key: string, value: string): void } }).localStorage;

/** The notes database this device opened last (written by the app each time it opens one). */
function lastOpenedDatabase(): string {
  try {
    return pageStorage()?.getItem(APP.LAST_NOTES_DB_KEY) ?? APP.GUEST_DB_NAME;
  } catch {
    return APP.GUEST_DB_NAME;
  }
}

/** Remembers which notes database is open, for the next start's first read. */
export function rememberOpenedDatabase(name: string): void {
  try {
    pageStorage()?.setItem(APP.LAST_NOTES_DB_KEY, name);
  } catch {
    // Storage blocked or full: the next start reads its first window a little later.
  }
}

/** Begins the start's reads (once per page; src/boot.ts calls it). */
export function beginStartReads(): void {
  if (begun || typeof indexedDB === 'undefined') return;
  const failed = () => undefined;
  const listed = listDatabases();
  begun = {
    settings: readSettings(listed).catch(failed),
    firstWindow: readFirstWindow(lastOpenedDatabase(), listed).catch(failed),
  };
}

const taken = new Set<keyof StartSettings>();

/**
 * A setting as read at the start, once per key (a later start of the shell in the same page reads
 * it anew); undefined when it was not read then (read it as usual).
 */
export async function takeStartSetting<K extends keyof StartSettings>(key: K): Promise<{ value: StartSettings[K] } | undefined> {
  if (!begun || taken.has(key)) return undefined;
  taken.add(key);
  const settings = await begun.settings;
  return settings && { value: settings[key] };
}

/**
 * The board's first window of `name` as read at the start (undefined when it was not). Only the
 * first database the app opens may use it: a later one (another account, the same one again) may
 * have changed since.
 */
export async function takeFirstWindow(name: string): Promise<FirstWindow | undefined> {
  const read = begun?.firstWindow;
  if (begun) begun.firstWindow = undefined;
  const window = await read;
  return window?.name === name ? window : undefined;
}
