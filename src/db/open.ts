/**
 * Opening the notes database. A failure to open it is put into words by storage-errors.ts (loaded
 * when there is one to describe: the words are not part of the first paint).
 */
import Dexie from 'dexie';
import { NotesDatabase } from './database.js';
import { HybridClock } from './hlc.js';

/** Opens an account's notes; `deviceId` names this device in the merge stamps of its edits. */
export async function openNotesDatabase(name: string, deviceId: string): Promise<NotesDatabase> {
  if (typeof indexedDB === 'undefined') throw new Dexie.MissingAPIError('IndexedDB is not available');
  const db = new NotesDatabase(name, new HybridClock(deviceId));
  await db.open();
  return db;
}

/** Says in words why storage failed, loading the words first (storage-errors.ts); never rejects. */
export async function explainStorageError(error: unknown): Promise<string> {
  try {
    return (await import('./storage-errors.js')).describeStorageError(error);
  } catch {
    // The words could not be loaded (offline before the worker stored them): the short version.
    return 'Saving notes on this device failed. Nothing was lost that was already saved.';
  }
}
