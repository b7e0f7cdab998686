/**
 * Opening the notes database (the app and its service worker). A failure is put into words by
 * storage-errors.ts.
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

