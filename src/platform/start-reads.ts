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

/** The settings a start reads, as stored (undefined when absent). */
export interface StartSettings {
  deviceId: string | undefined;
  lastAccount: unknown;
}

/** The first notes of a notes database's board: as many as a screen shows. */
export interface FirstWindow {
  /** Which notes database it was read from. */
  name: string;
  total: number;
  pinned: number;
  notes: unknown[];
  /** Every label record (the cards' chips name them). */
  labels: unknown[];
}

/** Lanes of the board's two sections (Lane.pinned, Lane.board in src/db/database.ts). */
const PINNED_LANE = 0;
const BOARD_LANE = 1;
/**
 * Notes read: a page of the board, more than a screen shows (the first frame renders only the
 * rows on screen). Each is deserialized on the main thread, so no more than that; the board's own
 * query reads its first window (three pages) right after.
 */
export const FIRST_SCREEN_NOTES = APP.BOARD_WINDOW_PAGE_NOTES;

let begun: { settings: Promise<StartSettings | undefined>; firstWindow: Promise<FirstWindow | undefined> | undefined } | undefined;

/** Opens a database that exists, without creating or upgrading it; undefined when it does not exist or cannot be opened. */
function openExisting(name: string): Promise<IDBDatabase | undefined> {
  return new Promise((resolve) => {
    const request = indexedDB.open(name);
    // No database of that name yet: the app creates it with its schema, not this read.
    request.onupgradeneeded = () => request.transaction?.abort();
    request.onsuccess = () => {
      const db = request.result;
      // Never stand in the way of the app upgrading its database.
      db.onversionchange = () => db.close();
      resolve(db);
    };
    request.onerror = (event) => {
      event.preventDefault();
      resolve(undefined);
    };
  });
}

function done<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function readSettings(): Promise<StartSettings | undefined> {
  const db = await openExisting(APP.KEYVAL_DB_NAME);
  if (!db) return undefined;
  try {
    if (!db.objectStoreNames.contains(APP.KEYVAL_STORE_NAME)) return undefined;
    const store = db.transaction(APP.KEYVAL_STORE_NAME, 'readonly').objectStore(APP.KEYVAL_STORE_NAME);
    const [deviceId, lastAccount] = await Promise.all([done(store.get(APP.DEVICE_ID_KEY)), done(store.get(APP.LAST_ACCOUNT_KEY))]);
    return { deviceId: typeof deviceId === 'string' ? deviceId : undefined, lastAccount };
  } finally {
    db.close();
  }
}

/** One board section's key range in the [lane+order] index (as Dexie's between(minKey, maxKey)). */
const section = (lane: number) => IDBKeyRange.bound([lane, -Infinity], [lane, [[]]]);

async function readFirstWindow(name: string): Promise<FirstWindow | undefined> {
  const db = await openExisting(name);
  if (!db) return undefined;
  try {
    if (!db.objectStoreNames.contains('notes') || !db.objectStoreNames.contains('labels')) return undefined;
    const transaction = db.transaction(['notes', 'labels'], 'readonly');
    const store = transaction.objectStore('notes');
    if (!store.indexNames.contains('[lane+order]')) return undefined;
    const index = store.index('[lane+order]');
    const [pinned, others, pinnedNotes, otherNotes, labels] = await Promise.all([
      done(index.count(section(PINNED_LANE))),
      done(index.count(section(BOARD_LANE))),
      done(index.getAll(section(PINNED_LANE), FIRST_SCREEN_NOTES)),
      done(index.getAll(section(BOARD_LANE), FIRST_SCREEN_NOTES)),
      done(transaction.objectStore('labels').getAll()),
    ]);
    const notes = [...pinnedNotes, ...otherNotes].slice(0, FIRST_SCREEN_NOTES);
    return { name, total: pinned + others, pinned, notes, labels };
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
  begun = {
    settings: readSettings().catch(failed),
    firstWindow: readFirstWindow(lastOpenedDatabase()).catch(failed),
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
