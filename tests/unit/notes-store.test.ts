import Dexie from 'dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Lane, NotesDatabase } from '../../src/db/database.js';
import {
  countUnsyncedChanges,
  createNote,
  deleteNoteForever,
  emptyTrash,
  restoreNote,
  trashNote,
  updateNote,
} from '../../src/db/notes.js';
import { describeStorageError, isQuotaError } from '../../src/db/storage-errors.js';
import { boardNotes, boardWindow, countOpenNotes, matchesSearch, trashedNotes } from '../../src/db/queries.js';
import { MAX_NOTE_TEXT_LENGTH, NoteTooLongError } from '../../src/shared/note.js';

let db: NotesDatabase;
let time = 1_000;
const clock = () => time;

beforeEach(async () => {
  time = 1_000;
  db = new NotesDatabase(`test-${crypto.randomUUID()}`);
  await db.open();
});

afterEach(async () => {
  await db.delete();
});

describe('createNote', () => {
  it('stores the note with defaults and queues one outbox entry in the same transaction', async () => {
    const note = await createNote(db, { text: 'Pick up milk' }, clock);
    expect(note).toMatchObject({ text: 'Pick up milk', color: 'yellow', pinned: false, done: false, trashed: false, deleted: false, createdAt: 1_000, updatedAt: 1_000, lane: Lane.board });
    expect(note.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await db.notes.get(note.id)).toEqual(note);
    const outbox = await db.outbox.toArray();
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ noteId: note.id, created: true });
  });

  it('makes a distinct id for every note', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 50; i++) ids.add((await createNote(db, { text: `n${i}` }, clock)).id);
    expect(ids.size).toBe(50);
  });

  it('accepts text of exactly the limit and refuses one character more, writing nothing', async () => {
    await expect(createNote(db, { text: 'x'.repeat(MAX_NOTE_TEXT_LENGTH) }, clock)).resolves.toBeDefined();
    await expect(createNote(db, { text: 'x'.repeat(MAX_NOTE_TEXT_LENGTH + 1) }, clock)).rejects.toBeInstanceOf(NoteTooLongError);
    expect(await db.notes.count()).toBe(1);
    expect(await db.outbox.count()).toBe(1);
  });

  it('refuses an unknown color', async () => {
    await expect(createNote(db, { text: 'a', color: 'orange' as never }, clock)).rejects.toThrow(/Unknown note color/);
  });
});

describe('updateNote', () => {
  it('records only the fields that changed and bumps updatedAt', async () => {
    const note = await createNote(db, { text: 'a' }, clock);
    time = 2_000;
    const saved = await updateNote(db, note.id, { text: 'a', color: 'blue', done: true }, clock);
    expect(saved).toMatchObject({ text: 'a', color: 'blue', done: true, updatedAt: 2_000 });
    const entries = await db.outbox.orderBy('seq').toArray();
    expect(entries.map((e) => e.fields)).toEqual([expect.any(Array), ['color', 'done']]);
  });

  it('writes nothing for a patch that changes nothing', async () => {
    const note = await createNote(db, { text: 'a' }, clock);
    time = 5_000;
    await updateNote(db, note.id, { text: 'a', pinned: false }, clock);
    expect((await db.notes.get(note.id))?.updatedAt).toBe(1_000);
    expect(await countUnsyncedChanges(db)).toBe(1);
  });

  it('keeps updatedAt increasing even when the device clock goes back', async () => {
    const note = await createNote(db, { text: 'a' }, clock);
    time = 500;
    const saved = await updateNote(db, note.id, { text: 'b' }, clock);
    expect(saved!.updatedAt).toBe(1_001);
  });

  it('refuses over-long text and leaves the saved note as it was', async () => {
    const note = await createNote(db, { text: 'keep me' }, clock);
    await expect(updateNote(db, note.id, { text: 'y'.repeat(MAX_NOTE_TEXT_LENGTH + 1) }, clock)).rejects.toBeInstanceOf(NoteTooLongError);
    expect((await db.notes.get(note.id))?.text).toBe('keep me');
    expect(await countUnsyncedChanges(db)).toBe(1);
  });

  it('returns undefined for a note that does not exist', async () => {
    expect(await updateNote(db, 'missing', { text: 'x' }, clock)).toBeUndefined();
    expect(await countUnsyncedChanges(db)).toBe(0);
  });
});

describe('board and trash', () => {
  it('orders the board pinned first, then the others, each newest on top; an edit moves nothing', async () => {
    const a = await createNote(db, { text: 'a' }, () => 1);
    const b = await createNote(db, { text: 'b' }, () => 2);
    const c = await createNote(db, { text: 'c' }, () => 3);
    await updateNote(db, a.id, { pinned: true }, () => 4);
    await updateNote(db, b.id, { text: 'b2' }, () => 5);
    expect((await boardNotes(db)).map((n) => n.text)).toEqual(['a', 'c', 'b2']);
    expect(c.lane).toBe(Lane.board);
  });

  it('moves notes to the trash, restores them, and deletes them forever as tombstones', async () => {
    const a = await createNote(db, { text: 'secret' }, clock);
    const b = await createNote(db, { text: 'b' }, clock);
    await trashNote(db, a.id, clock);
    expect((await boardNotes(db)).map((n) => n.id)).toEqual([b.id]);
    expect((await trashedNotes(db)).map((n) => n.id)).toEqual([a.id]);
    await restoreNote(db, a.id, clock);
    expect(await trashedNotes(db)).toEqual([]);
    await trashNote(db, a.id, clock);
    await deleteNoteForever(db, a.id, clock);
    const tombstone = await db.notes.get(a.id);
    expect(tombstone).toMatchObject({ deleted: true, text: '', lane: Lane.deleted });
    expect(await trashedNotes(db)).toEqual([]);
    expect(await updateNote(db, a.id, { text: 'back from the dead' }, clock)).toMatchObject({ text: '' });
  });

  it('empties the trash in one go and reports how many notes it deleted', async () => {
    for (let i = 0; i < 3; i++) await trashNote(db, (await createNote(db, { text: `t${i}` }, clock)).id, clock);
    const kept = await createNote(db, { text: 'kept' }, clock);
    expect(await emptyTrash(db, clock)).toBe(3);
    expect(await trashedNotes(db)).toEqual([]);
    expect((await boardNotes(db)).map((n) => n.id)).toEqual([kept.id]);
    expect(await db.notes.where('[lane+updatedAt]').between([Lane.deleted, Dexie.minKey], [Lane.deleted, Dexie.maxKey]).count()).toBe(3);
  });

  it('reads the board a window at a time, pinned first, across the pinned/unpinned boundary', async () => {
    for (let i = 1; i <= 10; i++) await createNote(db, { text: `n${i}`, pinned: i <= 3 }, () => i);
    const first = await boardWindow(db, 0, 4);
    expect(first.total).toBe(10);
    expect(first.notes.map((n) => n.text)).toEqual(['n3', 'n2', 'n1', 'n10']);
    const middle = await boardWindow(db, 2, 3);
    expect(middle.notes.map((n) => n.text)).toEqual(['n1', 'n10', 'n9']);
    const tail = await boardWindow(db, 8, 10);
    expect(tail.notes.map((n) => n.text)).toEqual(['n5', 'n4']);
    expect((await boardWindow(db, 10, 5)).notes).toEqual([]);
  });

  it('counts open notes from the index: not done, not trashed, not deleted', async () => {
    const notes = [];
    for (let i = 0; i < 5; i++) notes.push(await createNote(db, { text: `n${i}` }, clock));
    await updateNote(db, notes[0]!.id, { done: true }, clock);
    await trashNote(db, notes[1]!.id, clock);
    await deleteNoteForever(db, notes[2]!.id, clock);
    expect(await countOpenNotes(db)).toBe(2);
    await updateNote(db, notes[0]!.id, { done: false }, clock);
    expect(await countOpenNotes(db)).toBe(3);
  });

  it('searches case-insensitively in the text', async () => {
    const note = await createNote(db, { text: 'Pick up MILK' }, clock);
    expect(matchesSearch(note, 'milk')).toBe(true);
    expect(matchesSearch(note, '  ')).toBe(true);
    expect(matchesSearch(note, 'bread')).toBe(false);
  });
});

describe('storage errors', () => {
  it('recognizes a quota error wrapped in a Dexie AbortError and says what to do', () => {
    const quota = new DOMException('full', 'QuotaExceededError');
    const abort = new Dexie.AbortError('Transaction aborted', quota);
    expect(isQuotaError(abort)).toBe(true);
    expect(describeStorageError(abort)).toMatch(/out of storage space/);
    expect(isQuotaError(new Error('other'))).toBe(false);
  });

  it('explains a missing IndexedDB', () => {
    expect(describeStorageError(new Dexie.MissingAPIError('no idb'))).toMatch(/does not let the app store notes/);
  });
});

describe('storage errors wrapped by Dexie', () => {
  it('names the cause inside an OpenFailedError', () => {
    const blocked = new Dexie.OpenFailedError('open failed', new DOMException('denied', 'SecurityError'));
    expect(describeStorageError(blocked)).toMatch(/does not let the app store notes/);
  });
});
