import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Lane, NotesDatabase } from '../../src/db/database.js';
import { mergeRemote } from '../../src/db/merge.js';
import { createNote, trashNote } from '../../src/db/notes.js';
import { DELETE_FOREVER_PATCH } from '../../src/db/notes.js';
import { changeNotes, copyNotes, emptyTrashUndoably, undoChange } from '../../src/db/undo.js';
import { sectionOf } from '../../src/db/queries.js';
import type { RemoteNote } from '../../src/db/remote-note.js';

let db: NotesDatabase;
let time = 1_000;
const clock = () => ++time;

beforeEach(async () => {
  time = 1_000;
  db = new NotesDatabase(`test-${crypto.randomUUID()}`);
  await db.open();
});

afterEach(async () => {
  await db.delete();
});

describe('changeNotes', () => {
  it('changes every note in one transaction, one outbox entry per changed note, and snapshots only what changed', async () => {
    const a = await createNote(db, { text: 'a', color: 'blue' }, clock);
    const b = await createNote(db, { text: 'b' }, clock);
    await db.outbox.clear();
    const snapshot = await changeNotes(db, [a.id, b.id, 'missing'], { color: 'blue' }, clock);
    expect(snapshot.notes).toEqual([{ id: b.id, before: { color: 'yellow' } }]);
    expect((await db.outbox.toArray()).map((entry) => [entry.noteId, entry.fields])).toEqual([[b.id, ['color']]]);
  });

  it('writes nothing at all when one note fails (one transaction)', async () => {
    const a = await createNote(db, { text: 'a' }, clock);
    await db.outbox.clear();
    await expect(changeNotes(db, [a.id], { color: 'nope' as never }, clock)).rejects.toThrow();
    expect(await db.outbox.count()).toBe(0);
  });
});

describe('copyNotes', () => {
  it('copies text, color, pin and tick into new notes on top, in the originals\' order, in one transaction with one outbox entry per copy', async () => {
    const first = await createNote(db, { text: 'Shopping\nmilk', color: 'green' }, clock);
    const second = await createNote(db, { text: 'Trip', color: 'blue', pinned: true }, clock);
    const third = await createNote(db, { text: 'Call Ana' }, clock);
    await db.notes.update(third.id, { done: true });
    await db.outbox.clear();
    const snapshot = await copyNotes(db, [first.id, third.id, second.id, 'missing'], clock);
    expect(snapshot.notes).toHaveLength(3);
    const board = (await sectionOf(db, Lane.board).toArray()).map((note) => [note.text, note.color, note.done]);
    // The board before: Call Ana, Shopping (newest on top); the copies come on top in that order.
    expect(board).toEqual([
      ['Call Ana', 'yellow', true],
      ['Shopping\nmilk', 'green', false],
      ['Call Ana', 'yellow', true],
      ['Shopping\nmilk', 'green', false],
    ]);
    expect((await sectionOf(db, Lane.pinned).toArray()).map((note) => note.text)).toEqual(['Trip', 'Trip']);
    const outbox = await db.outbox.toArray();
    expect(outbox.map((entry) => entry.created)).toEqual([true, true, true]);
    expect(new Set(outbox.map((entry) => entry.noteId))).toEqual(new Set(snapshot.notes.map((note) => note.id)));
  });

  it('undoes as one step by deleting the copies for good, leaving the originals', async () => {
    const note = await createNote(db, { text: 'Recipe' }, clock);
    const snapshot = await copyNotes(db, [note.id], clock);
    expect(await undoChange(db, snapshot, clock)).toBe(1);
    expect((await sectionOf(db, Lane.board).toArray()).map((n) => n.id)).toEqual([note.id]);
    expect(await db.notes.get(snapshot.notes[0]!.id)).toMatchObject({ deleted: true, text: '' });
  });
});

describe('undoChange', () => {
  it('undoes a bulk recolor and pin as one step, stamped later than the change', async () => {
    const a = await createNote(db, { text: 'a', color: 'green' }, clock);
    const b = await createNote(db, { text: 'b', color: 'pink' }, clock);
    const snapshot = await changeNotes(db, [a.id, b.id], { color: 'blue', pinned: true }, clock);
    const changed = await db.notes.get(a.id);
    await db.outbox.clear();
    expect(await undoChange(db, snapshot, clock)).toBe(2);
    const [afterA, afterB] = await db.notes.bulkGet([a.id, b.id]);
    expect(afterA).toMatchObject({ color: 'green', pinned: false, lane: Lane.board });
    expect(afterB).toMatchObject({ color: 'pink', pinned: false });
    expect(afterA!.clocks.color! > changed!.clocks.color!).toBe(true);
    expect(await db.outbox.count()).toBe(2);
  });

  it('brings a note deleted forever back to the trash with its text, and the merge keeps it', async () => {
    const note = await createNote(db, { text: 'Keep me', color: 'blue' }, clock);
    await trashNote(db, note.id, clock);
    const snapshot = await changeNotes(db, [note.id], DELETE_FOREVER_PATCH, clock);
    const tombstone = (await db.notes.get(note.id))!;
    expect(tombstone).toMatchObject({ deleted: true, text: '', lane: Lane.deleted });
    await undoChange(db, snapshot, clock);
    const back = (await db.notes.get(note.id))!;
    expect(back).toMatchObject({ deleted: false, trashed: true, text: 'Keep me', lane: Lane.trash });
    expect((await db.outbox.toArray()).at(-1)!.fields.sort()).toEqual(['deleted', 'text']);

    // Another device that saw the tombstone takes the undo: later stamps for deleted and text.
    const remote: RemoteNote = {
      id: back.id,
      text: back.text,
      color: back.color,
      pinned: back.pinned,
      done: back.done,
      trashed: back.trashed,
      deleted: back.deleted,
      order: back.order,
      createdAt: back.createdAt,
      updatedAt: { seconds: 9, nanoseconds: 0 },
      updatedBy: 'other',
      clocks: back.clocks,
    };
    const merged = mergeRemote(tombstone, remote).note;
    expect(merged).toMatchObject({ deleted: false, text: 'Keep me', lane: Lane.trash });
  });

  it('undoes emptying the trash: every note back in the trash with its text', async () => {
    const a = await createNote(db, { text: 'one' }, clock);
    const b = await createNote(db, { text: 'two' }, clock);
    const kept = await createNote(db, { text: 'on the board' }, clock);
    await trashNote(db, a.id, clock);
    await trashNote(db, b.id, clock);
    const snapshot = await emptyTrashUndoably(db, clock);
    expect(snapshot.notes.map((n) => n.id).sort()).toEqual([a.id, b.id].sort());
    expect(await db.notes.where('lane').equals(Lane.trash).count()).toBe(0);
    await undoChange(db, snapshot, clock);
    const back = await db.notes.bulkGet([a.id, b.id, kept.id]);
    expect(back.map((n) => [n!.text, n!.lane])).toEqual([
      ['one', Lane.trash],
      ['two', Lane.trash],
      ['on the board', Lane.board],
    ]);
  });
});
