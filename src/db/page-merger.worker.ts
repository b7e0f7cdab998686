/**
 * The page-merging worker (page-merger.ts): merges pages of the server's notes into one account's
 * notes database off the main thread, where IndexedDB's per-record work on a page of 1,000 notes
 * would otherwise hold the board for a frame or several. It has no clock of this device, so it
 * leaves the notes that may need a stamp to the page (applyRemotePageUnstamped).
 */
import { NotesDatabase } from './database.js';
import { applyRemotePageUnstamped } from './sync-state.js';
import type { PageReply, PageRequest, PrepareRequest } from './page-merger.js';

const databases = new Map<string, NotesDatabase>();

function database(name: string): NotesDatabase {
  let db = databases.get(name);
  if (!db) {
    db = new NotesDatabase(name);
    databases.set(name, db);
  }
  return db;
}

self.onmessage = async ({ data }: MessageEvent<PageRequest | PrepareRequest>) => {
  if ('prepare' in data) {
    // Opened now, while the first read is in flight. One that fails is forgotten: the first page
    // opens it anew, and says what failed.
    await database(data.prepare)
      .open()
      .catch(() => databases.delete(data.prepare));
    return;
  }
  const { id, database: name, notes, advanceCheckpoint, at } = data;
  let reply: PageReply;
  try {
    const leftOut = await applyRemotePageUnstamped(database(name), notes, { advanceCheckpoint, now: () => at });
    reply = { id, leftOut };
  } catch (error) {
    reply = { id, failure: describeCause(error) };
  }
  self.postMessage(reply);
};

/**
 * What failed, as its innermost cause's name and the message: an error's own class does not cross
 * to the page, and the page says what failed by the cause's name (Dexie wraps a full disk's
 * QuotaExceededError in an AbortError).
 */
function describeCause(error: unknown): { name: string; message: string } {
  let cause = error;
  while (cause && typeof cause === 'object' && 'inner' in cause && cause.inner) cause = cause.inner;
  const name = cause instanceof Error || cause instanceof DOMException ? cause.name : 'Error';
  return { name, message: error instanceof Error ? error.message : String(error) };
}
