/**
 * The start's reads (src/platform/start-reads.ts): the board's first notes and the labels read
 * with plain IndexedDB must be exactly what the app's own queries (Dexie, boardWindow) answer, of the
 * database opened last; a database that does not exist is not created; a window is used once and
 * only for its own database; the settings come from the small settings store; and a connection
 * of these reads never blocks the app upgrading its database.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { APP } from '../../src/constants.js';
import { NotesDatabase } from '../../src/db/database.js';
import { FIRST_SCREEN_NOTES } from '../../src/db/first-window.js';
import { createLabel, setNoteLabel } from '../../src/db/labels.js';
import { createNote, trashNote, updateNote } from '../../src/db/notes.js';
import { boardWindow } from '../../src/db/queries.js';
import { set } from '../../src/platform/keyval.js';

type StartReads = typeof import('../../src/platform/start-reads.js');

/** A fresh copy of the module (its reads are once per page), with localStorage as a page has it. */
async function freshStartReads(lastOpened?: string): Promise<StartReads> {
  const stored = new Map<string, string>(lastOpened ? [[APP.LAST_NOTES_DB_KEY, lastOpened]] : []);
  vi.stubGlobal('localStorage', {
    getItem: (key: string) => stored.get(key) ?? null,
    setItem: (key: string, value: string) => void stored.set(key, value),
  });
  vi.resetModules();
  return import('../../src/platform/start-reads.js');
}

const databaseExists = async (name: string) => (await indexedDB.databases()).some((info) => info.name === name);

let time = 1_000;
const clock = () => ++time;
let opened: NotesDatabase[] = [];

async function notesDatabase(name: string): Promise<NotesDatabase> {
  const db = new NotesDatabase(name);
  await db.open();
  opened.push(db);
  return db;
}

beforeEach(() => {
  time = 1_000;
  opened = [];
});

afterEach(async () => {
  vi.unstubAllGlobals();
  for (const db of opened) await db.delete();
});

describe('the first window read at the start', () => {
  it('is what the board query answers: pinned notes first, each section in board order, the totals', async () => {
    const name = `${APP.ACCOUNT_DB_PREFIX}${crypto.randomUUID()}`;
    const db = await notesDatabase(name);
    const notes = [];
    for (let i = 0; i < 150; i++) notes.push(await createNote(db, { text: `note ${i}` }, clock));
    for (const i of [3, 70, 149]) await updateNote(db, notes[i]!.id, { pinned: true }, clock);
    await trashNote(db, notes[10]!.id, clock);
    const home = await createLabel(db, 'Home', 'none', clock);
    await createLabel(db, 'Work', 'none', clock);
    await setNoteLabel(db, notes[149]!.id, home.id, true, clock);
    db.close();

    const reads = await freshStartReads(name);
    reads.beginStartReads();
    const read = await reads.takeFirstWindow(name);

    await db.open();
    const expected = await boardWindow(db, 0, FIRST_SCREEN_NOTES);
    expect(read).toEqual({ name, total: expected.total, pinned: expected.pinned, notes: expected.notes, labels: await db.labels.toArray() });
    expect(read!.labels).toHaveLength(2);
    expect(read!.total).toBe(149);
    expect(read!.notes).toHaveLength(FIRST_SCREEN_NOTES);
    expect(read!.notes.slice(0, 3).map((note) => (note as { pinned: boolean }).pinned)).toEqual([true, true, true]);
  });

  it('reads the guest database when none was opened before', async () => {
    const db = await notesDatabase(APP.GUEST_DB_NAME);
    await createNote(db, { text: 'guest note' }, clock);
    db.close();
    const reads = await freshStartReads();
    reads.beginStartReads();
    const read = await reads.takeFirstWindow(APP.GUEST_DB_NAME);
    expect(read?.notes.map((note) => (note as { text: string }).text)).toEqual(['guest note']);
    expect(read?.total).toBe(1);
  });

  it('is used once, and only for the database it was read from', async () => {
    const name = `${APP.ACCOUNT_DB_PREFIX}${crypto.randomUUID()}`;
    const db = await notesDatabase(name);
    await createNote(db, { text: 'a note' }, clock);
    db.close();

    const reads = await freshStartReads(name);
    reads.beginStartReads();
    expect(await reads.takeFirstWindow(APP.GUEST_DB_NAME)).toBeUndefined();
    // Another database was opened first: the read may be stale by the time this one opens again.
    expect(await reads.takeFirstWindow(name)).toBeUndefined();

    const again = await freshStartReads(name);
    again.beginStartReads();
    expect((await again.takeFirstWindow(name))?.total).toBe(1);
    expect(await again.takeFirstWindow(name)).toBeUndefined();
  });

  it('is empty for a database that does not exist (a first visit), which it never creates', async () => {
    const name = `${APP.ACCOUNT_DB_PREFIX}${crypto.randomUUID()}`;
    const reads = await freshStartReads(name);
    reads.beginStartReads();
    expect(await reads.takeFirstWindow(name)).toEqual({ name, total: 0, pinned: 0, notes: [], labels: [] });
    expect(await databaseExists(name)).toBe(false);
    // The app then creates it with its schema, as on any first visit.
    const db = await notesDatabase(name);
    expect(db.verno).toBeGreaterThan(1);
    expect(db.tables.map((table) => table.name)).toContain('notes');
  });

  it('is nothing before any start read was begun (tests, the service worker)', async () => {
    const reads = await freshStartReads();
    expect(await reads.takeFirstWindow(APP.GUEST_DB_NAME)).toBeUndefined();
    expect(await reads.takeStartSetting('deviceId')).toBeUndefined();
  });
});

describe('the settings read at the start', () => {
  it('are the device id and the last account, each taken once', async () => {
    await set(APP.DEVICE_ID_KEY, 'device-1');
    await set(APP.LAST_ACCOUNT_KEY, { uid: 'person-1', email: null, displayName: null, methods: [] });
    const reads = await freshStartReads();
    reads.beginStartReads();
    expect(await reads.takeStartSetting('deviceId')).toEqual({ value: 'device-1' });
    expect(await reads.takeStartSetting('lastAccount')).toEqual({ value: { uid: 'person-1', email: null, displayName: null, methods: [] } });
    // A second start of the shell in the same page reads them anew (they may have changed).
    expect(await reads.takeStartSetting('deviceId')).toBeUndefined();
  });
});

describe('the connections of the start reads', () => {
  it('never block the app upgrading its database', async () => {
    const name = `${APP.ACCOUNT_DB_PREFIX}${crypto.randomUUID()}`;
    const db = await notesDatabase(name);
    db.close();
    const reads = await freshStartReads(name);
    reads.beginStartReads();
    // A newer version of the app opens the same database with a higher version at once.
    const upgraded = await new Promise<number>((resolve, reject) => {
      const request = indexedDB.open(name, db.verno * 10 + 10);
      request.onupgradeneeded = () => request.result.createObjectStore('newer');
      request.onsuccess = () => (resolve(request.result.version), request.result.close());
      request.onerror = () => reject(request.error);
      request.onblocked = () => reject(new Error('the upgrade was blocked by a start read'));
    });
    expect(upgraded).toBe(db.verno * 10 + 10);
    await reads.takeFirstWindow(name);
  });
});
