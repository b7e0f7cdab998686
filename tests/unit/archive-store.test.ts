/**
 * The archive in the store: a field of its own with its own stamp and outbox entry, a lane of its
 * own (off the board, out of the badge count), search and undo over it, the trash winning over
 * it, notes stored before it existed (no field) reading as not archived, and backups carrying it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Lane, NotesDatabase, type NoteRecord } from '../../src/db/database.js';
import { exportNotes, importNotes, parseBackup } from '../../src/db/backup.js';
import { mergeRemote } from '../../src/db/merge.js';
import { archiveNote, createNote, restoreNote, trashNote, updateNote } from '../../src/db/notes.js';
import { archivedNotes, boardNotes, countOpenNotes, notTombstones, searchableNotes } from '../../src/db/queries.js';
import type { RemoteNote } from '../../src/db/remote-note.js';
import { changeNotes, undoChange } from '../../src/db/undo.js';
import { buildWrite } from '../../src/sync/outgoing.js';

let db: NotesDatabase;
let time = 1_000;
const clock = () => ++time;

beforeEach(async () => {
  time = 1_000;
  db = new NotesDatabase(`archive-${crypto.randomUUID()}`);
  await db.open();
});

afterEach(async () => {
  await db.delete();
});

/** A note as an app version before the archive stored it: no archived field, no clock for it. */
async function storeOldNote(text: string): Promise<NoteRecord> {
  const created = await createNote(db, { text }, clock);
  const old = { ...created, clocks: { ...created.clocks } } as Partial<NoteRecord>;
  delete old.archived;
  delete old.clocks!.archived;
  await db.notes.put(old as NoteRecord);
  return (await db.notes.get(created.id))!;
}

describe('archive in the store', () => {
  it('a new note is not archived, with a stamp for the field like every other', async () => {
    const note = await createNote(db, { text: 'new' }, clock);
    expect(note.archived).toBe(false);
    expect(note.clocks.archived).toBe(note.clocks.text);
    expect((await db.outbox.toArray())[0]?.fields).toContain('archived');
  });

  it('archiving moves the note off the board and out of the open count, into the archive, with one outbox entry', async () => {
    const note = await createNote(db, { text: 'file me', pinned: true }, clock);
    const other = await createNote(db, { text: 'stay' }, clock);
    await db.outbox.clear();
    expect(await countOpenNotes(db)).toBe(2);

    const archived = (await archiveNote(db, note.id, true, clock))!;
    expect(archived).toMatchObject({ archived: true, lane: Lane.archive, open: 0, pinned: true });
    expect(archived.clocks.archived! > note.clocks.archived!).toBe(true);
    expect((await db.outbox.toArray()).map((entry) => entry.fields)).toEqual([['archived']]);
    expect((await boardNotes(db)).map((n) => n.id)).toEqual([other.id]);
    expect((await archivedNotes(db)).map((n) => n.id)).toEqual([note.id]);
    expect(await countOpenNotes(db)).toBe(1);

    // Unarchived, it goes back to its own section (pinned) at its own place.
    const back = (await archiveNote(db, note.id, false, clock))!;
    expect(back).toMatchObject({ archived: false, lane: Lane.pinned, open: 1, order: note.order });
  });

  it('search looks at the board, then the archive; backups and guest moves see archived notes', async () => {
    const onBoard = await createNote(db, { text: 'milk on the board' }, clock);
    const inArchive = await createNote(db, { text: 'milk archived' }, clock);
    await archiveNote(db, inArchive.id, true, clock);
    expect((await searchableNotes(db)).map((n) => n.id)).toEqual([onBoard.id, inArchive.id]);
    expect((await notTombstones(db).toArray()).map((n) => n.id).sort()).toEqual([onBoard.id, inArchive.id].sort());
  });

  it('the trash wins over the archive, and a restore returns the note to the archive', async () => {
    const note = await createNote(db, { text: 'archived, then trashed' }, clock);
    await archiveNote(db, note.id, true, clock);
    expect((await trashNote(db, note.id, clock))!.lane).toBe(Lane.trash);
    expect(await archivedNotes(db)).toEqual([]);
    const restored = (await restoreNote(db, note.id, clock))!;
    expect(restored).toMatchObject({ lane: Lane.archive, archived: true, trashed: false });
  });

  it('undo of an archive (and of an unarchive) writes the state back with a new stamp', async () => {
    const note = await createNote(db, { text: 'undo me' }, clock);
    const snapshot = await changeNotes(db, [note.id], { archived: true }, clock);
    expect(snapshot.notes).toEqual([{ id: note.id, before: { archived: false } }]);
    const stampAfterArchive = (await db.notes.get(note.id))!.clocks.archived!;
    await undoChange(db, snapshot, clock);
    const undone = (await db.notes.get(note.id))!;
    expect(undone).toMatchObject({ archived: false, lane: Lane.board });
    expect(undone.clocks.archived! > stampAfterArchive).toBe(true);
  });

  it('a note stored before the archive reads as not archived, and archiving and undo work on it', async () => {
    const old = await storeOldNote('from the previous version');
    expect(old.archived).toBeUndefined();
    await db.outbox.clear();
    // "Unarchive" of a note that never had the field changes nothing and queues nothing.
    expect(await updateNote(db, old.id, { archived: false }, clock)).toEqual(old);
    expect(await db.outbox.count()).toBe(0);
    const snapshot = await changeNotes(db, [old.id], { archived: true }, clock);
    // The undo writes a real false back (not the missing field, which would write nothing).
    expect(snapshot.notes).toEqual([{ id: old.id, before: { archived: false } }]);
    await undoChange(db, snapshot, clock);
    expect(await db.notes.get(old.id)).toMatchObject({ archived: false, lane: Lane.board });
  });

  it('a create of a note stored before the archive (a guest note moved into an account) sends no archived value', async () => {
    const old = await storeOldNote('guest note from the previous version');
    const write = buildWrite(old, [{ created: true, fields: [] }] as never);
    expect('archived' in write.values).toBe(false);
    expect('archived' in write.clocks).toBe(false);
    expect(write.values.text).toBe('guest note from the previous version');
  });

  it('merging a document without the field (written by the previous version) keeps the local archive state', async () => {
    const note = await createNote(db, { text: 'archived here' }, clock);
    const archived = (await archiveNote(db, note.id, true, clock))!;
    const withoutField: Partial<NoteRecord> = { ...archived };
    delete withoutField.archived;
    const oldWrite: RemoteNote = {
      ...(withoutField as NoteRecord),
      text: 'edited by the previous version',
      clocks: { ...archived.clocks, text: `${'9'.repeat(15)}:00000:old-phone` },
      updatedAt: { seconds: 5, nanoseconds: 0 },
      updatedBy: 'old-phone',
    };
    const { note: merged } = mergeRemote(archived, oldWrite);
    expect(merged).toMatchObject({ text: 'edited by the previous version', archived: true, lane: Lane.archive });
    // A new device receiving such a document (no field, no clock) holds it as not archived.
    const fresh = mergeRemote(undefined, { ...oldWrite, clocks: { text: oldWrite.clocks.text } }).note;
    expect(fresh).toMatchObject({ archived: false, lane: Lane.board });
  });
});

describe('backup with the archive', () => {
  it('round-trips archived notes into another database, and reads backups made before the archive', async () => {
    const archived = await createNote(db, { text: 'archived', color: 'green' }, clock);
    await archiveNote(db, archived.id, true, clock);
    const plain = await createNote(db, { text: 'on the board' }, clock);
    const backup = await exportNotes(db);
    expect(backup.notes.find((n) => n.id === archived.id)?.archived).toBe(true);
    expect(backup.notes.find((n) => n.id === plain.id)?.archived).toBe(false);

    const target = new NotesDatabase(`archive-target-${crypto.randomUUID()}`);
    try {
      const report = await importNotes(target, parseBackup(JSON.stringify(backup)).notes, clock);
      expect(report).toEqual({ labelsAdded: 0, added: 2, updated: 0, unchanged: 0, rejected: [] });
      expect(await target.notes.get(archived.id)).toMatchObject({ archived: true, lane: Lane.archive, color: 'green' });
      expect(await target.notes.get(plain.id)).toMatchObject({ archived: false, lane: Lane.board });
      expect((await target.outbox.toArray()).every((entry) => entry.fields.includes('archived'))).toBe(true);

      // A backup from before the archive: no field, imported as not archived.
      const old = { id: 'old-1', text: 'from an old backup', color: 'yellow', pinned: false, done: false, trashed: false, createdAt: 1, updatedAt: 2 };
      expect(await importNotes(target, [old], clock)).toMatchObject({ added: 1 });
      expect(await target.notes.get('old-1')).toMatchObject({ archived: false, lane: Lane.board });

      // A later backup that unarchives updates only that field.
      await target.outbox.clear();
      const later = { ...backup.notes.find((n) => n.id === archived.id)!, archived: false, updatedAt: time + 10_000 };
      expect(await importNotes(target, [later], clock)).toMatchObject({ updated: 1 });
      expect(await target.notes.get(archived.id)).toMatchObject({ archived: false, lane: Lane.board });
      expect((await target.outbox.toArray()).map((entry) => entry.fields)).toEqual([['archived']]);

      // An archived flag that is not a boolean is refused with the reason; the rest is imported.
      const report2 = await importNotes(target, [{ ...old, id: 'bad-1', archived: 'yes' }, { ...old, id: 'good-2' }], clock);
      expect(report2).toMatchObject({ added: 1, rejected: [{ index: 0, reason: 'archived is not true or false' }] });
    } finally {
      await target.delete();
    }
  });
});
