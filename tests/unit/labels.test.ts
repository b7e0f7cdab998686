/**
 * Labels on one device and between devices without a server of Firestore's: the store's label
 * edits (src/db/labels.ts), their merges (a label field by field, a note's labels label by label),
 * label sync against an in-memory server with its faults, the backup and the guest move with
 * labels, and the schema upgrade that brought the labels table (with an older tab open).
 */
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { moveNotes } from '../../src/db/accounts.js';
import { exportNotes, importNotes, parseBackup } from '../../src/db/backup.js';
import { NotesDatabase } from '../../src/db/database.js';
import { HybridClock } from '../../src/db/hlc.js';
import { mergeLabelSets } from '../../src/db/label-merge.js';
import { createLabel, deleteLabel, editLabel, LabelError, notesWithLabel, setNoteLabel } from '../../src/db/labels.js';
import { createNote, trashNote, updateNote } from '../../src/db/notes.js';
import { mergeLabels, sortedLabels, type Label } from '../../src/shared/label.js';
import { MAX_NOTE_LABELS, TooManyLabelsError } from '../../src/shared/note.js';
import { LabelSync } from '../../src/sync/label-sync.js';
import { FakeLabelServer, type FakeLabelClient } from '../support/fake-labels.js';

const opened: NotesDatabase[] = [];
let time = 1_750_000_000_000;
const now = () => time;

async function database(device = 'device-a'): Promise<NotesDatabase> {
  const db = new NotesDatabase(`labels-${crypto.randomUUID()}`, new HybridClock(device, now));
  await db.open();
  opened.push(db);
  return db;
}

afterEach(async () => {
  for (const db of opened.splice(0)) await db.delete();
});

describe('merging', () => {
  const label = (overrides: Partial<Label>): Label => ({ id: 'l1', name: 'Work', color: 'none', deleted: false, clocks: { name: '1', color: '1', deleted: '1' }, createdAt: 5, ...overrides });

  it('takes each field from its later stamp, whichever copy comes first', () => {
    const renamed = label({ name: 'Office', clocks: { name: '3', color: '1', deleted: '1' } });
    const recolored = label({ color: 'blue', clocks: { name: '1', color: '2', deleted: '1' } });
    const expected = { name: 'Office', color: 'blue', deleted: false, clocks: { name: '3', color: '2', deleted: '1' } };
    expect(mergeLabels(renamed, recolored)).toMatchObject(expected);
    expect(mergeLabels(recolored, renamed)).toMatchObject(expected);
  });

  it('keeps a delete whatever was renamed after it, its name emptied', () => {
    const deleted = label({ name: '', deleted: true, clocks: { name: '2', color: '1', deleted: '2' } });
    const renamedLater = label({ name: 'Later', clocks: { name: '9', color: '1', deleted: '1' } });
    for (const merged of [mergeLabels(deleted, renamedLater), mergeLabels(renamedLater, deleted)]) {
      expect(merged).toMatchObject({ deleted: true, name: '', clocks: { deleted: '2' } });
    }
  });

  it('merges a note\'s labels label by label: added on either side kept, removed on either side gone', () => {
    expect(mergeLabelSets(['a', 'b'], ['a', 'b', 'c'], ['b', 'd'])).toEqual(['b', 'c', 'd']);
    expect(mergeLabelSets([], ['x'], ['x'])).toEqual(['x']);
    const many = (prefix: string) => Array.from({ length: 15 }, (_, i) => `${prefix}${i}`);
    expect(mergeLabelSets([], many('a'), many('b'))).toHaveLength(MAX_NOTE_LABELS);
  });

  it('lists live labels by name, case aside', () => {
    const labels = [label({ id: 'b', name: 'beta' }), label({ id: 'a', name: 'Alpha' }), label({ id: 'c', name: '', deleted: true })];
    expect(sortedLabels(labels).map((l) => l.name)).toEqual(['Alpha', 'beta']);
  });
});

describe('the store', () => {
  it('creates, renames and recolors a label, each edit stamped and marked unsent', async () => {
    const db = await database();
    const work = await createLabel(db, '  Work   trips ');
    expect(work).toMatchObject({ name: 'Work trips', color: 'none', deleted: false, unsent: 1 });
    await db.labels.update(work.id, { unsent: 0 });
    const renamed = await editLabel(db, work.id, { name: 'Travel', color: 'green' });
    expect(renamed).toMatchObject({ name: 'Travel', color: 'green', unsent: 1 });
    expect(renamed!.clocks.name! > work.clocks.name!).toBe(true);
    expect(renamed!.clocks.deleted).toBe(work.clocks.deleted);
  });

  it('refuses an empty, a long or a taken name in words, and saves nothing', async () => {
    const db = await database();
    const work = await createLabel(db, 'Work');
    await expect(createLabel(db, '   ')).rejects.toThrow(new LabelError('A label needs a name.'));
    await expect(createLabel(db, 'x'.repeat(51))).rejects.toThrow(/at most 50 characters; this one has 51/);
    await expect(createLabel(db, 'WORK')).rejects.toThrow(/already a label called “Work”/);
    const home = await createLabel(db, 'Home');
    await expect(editLabel(db, home.id, { name: 'work' })).rejects.toThrow(LabelError);
    expect((await db.labels.toArray()).map((l) => l.name).sort()).toEqual(['Home', 'Work']);
    // Renaming a label to its own name in other letters is fine.
    expect((await editLabel(db, work.id, { name: 'WORK' }))?.name).toBe('WORK');
  });

  it('puts labels on notes and takes them off; a note carries at most 20', async () => {
    const db = await database();
    const note = await createNote(db, { text: 'Tax return' });
    const labels = [];
    for (let i = 0; i < MAX_NOTE_LABELS + 1; i++) labels.push(await createLabel(db, `Label ${i}`));
    for (const label of labels.slice(0, MAX_NOTE_LABELS)) await setNoteLabel(db, note.id, label.id, true);
    await expect(setNoteLabel(db, note.id, labels[MAX_NOTE_LABELS]!.id, true)).rejects.toThrow(/at most 20 labels/);
    await expect(updateNote(db, note.id, { labels: labels.map((l) => l.id) })).rejects.toThrow(TooManyLabelsError);
    expect((await db.notes.get(note.id))?.labels).toHaveLength(MAX_NOTE_LABELS);
    await setNoteLabel(db, note.id, labels[0]!.id, false);
    expect((await db.notes.get(note.id))?.labels).toEqual(labels.slice(1, MAX_NOTE_LABELS).map((l) => l.id));
    expect(await db.outbox.where('noteId').equals(note.id).count()).toBe(MAX_NOTE_LABELS + 2);
  });

  it('shows a label\'s notes on the board, pinned first, in board order; not the trash', async () => {
    const db = await database();
    const work = await createLabel(db, 'Work');
    const older = await createNote(db, { text: 'older' });
    const newer = await createNote(db, { text: 'newer' });
    const pinned = await createNote(db, { text: 'pinned', pinned: true });
    const trashed = await createNote(db, { text: 'trashed' });
    await createNote(db, { text: 'unlabelled' });
    for (const note of [older, newer, pinned, trashed]) await setNoteLabel(db, note.id, work.id, true);
    await trashNote(db, trashed.id);
    expect((await notesWithLabel(db, work.id)).map((n) => n.text)).toEqual(['pinned', 'newer', 'older']);
  });

  it('deletes a label: a tombstone, taken off its notes and nothing else of them changed', async () => {
    const db = await database();
    const [work, home] = [await createLabel(db, 'Work'), await createLabel(db, 'Home')];
    const note = await createNote(db, { text: 'Both', color: 'pink' });
    await setNoteLabel(db, note.id, work.id, true);
    await setNoteLabel(db, note.id, home.id, true);
    const before = (await db.notes.get(note.id))!;
    expect(await deleteLabel(db, work.id)).toBe(1);
    const after = (await db.notes.get(note.id))!;
    expect(after.labels).toEqual([home.id]);
    expect({ ...after, labels: before.labels, clocks: before.clocks, updatedAt: before.updatedAt, bases: before.bases }).toEqual(before);
    expect(Object.keys(after.clocks).filter((field) => after.clocks[field as keyof typeof after.clocks] !== before.clocks[field as keyof typeof before.clocks])).toEqual(['labels']);
    expect(await db.labels.get(work.id)).toMatchObject({ deleted: true, name: '', unsent: 1 });
    await expect(setNoteLabel(db, note.id, work.id, true)).rejects.toThrow('This label was deleted.');
  });

  it('drops a deleted label still on a note when its labels are next edited, and keeps one not heard of yet', async () => {
    const db = await database();
    const [gone, kept] = [await createLabel(db, 'Gone'), await createLabel(db, 'Kept')];
    const note = await createNote(db, { text: 'n' });
    // Assigned offline elsewhere before the delete was heard of there, and a label still on its way.
    await updateNote(db, note.id, { labels: [gone.id, 'arriving-label'] });
    await deleteLabel(db, gone.id);
    await updateNote(db, note.id, { labels: [gone.id, 'arriving-label'] });
    await setNoteLabel(db, note.id, kept.id, true);
    expect((await db.notes.get(note.id))?.labels).toEqual(['arriving-label', kept.id]);
  });
});

describe('label sync', () => {
  async function syncingDevice(server: FakeLabelServer, name: string) {
    const db = await database(name);
    const remote = server.client();
    const sync = new LabelSync(db, remote, { retryDelayMs: () => 1 });
    const running = sync.run();
    return { db, remote, sync, running };
  }

  async function until(condition: () => Promise<boolean>): Promise<void> {
    for (let i = 0; i < 500; i++) {
      if (await condition()) return;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    throw new Error('timed out');
  }

  const live = async (db: NotesDatabase) => sortedLabels(await db.labels.toArray()).map((l) => `${l.name}/${l.color}`);

  /** Two devices syncing labels, a label made on A and heard of on B, and B gone offline. */
  async function labelOnBothThenBOffline() {
    const server = new FakeLabelServer();
    const a = await syncingDevice(server, 'device-a');
    const b = await syncingDevice(server, 'device-b');
    const label = await createLabel(a.db, 'Work');
    await until(async () => (await b.db.labels.get(label.id)) !== undefined);
    b.remote.setOnline(false);
    return { server, a, b, label };
  }

  it('a rename on one device and a recolor offline on another: both, on both and the server', async () => {
    const { server, a, b, label } = await labelOnBothThenBOffline();
    time += 10;
    await editLabel(b.db, label.id, { color: 'blue' });
    await editLabel(a.db, label.id, { name: 'Office' });
    await until(async () => server.labels.get(label.id)?.name === 'Office');
    b.remote.setOnline(true);
    b.sync.nudge();
    await until(async () => (await live(a.db))[0] === 'Office/blue' && (await live(b.db))[0] === 'Office/blue');
    expect(server.labels.get(label.id)).toMatchObject({ name: 'Office', color: 'blue' });
    await until(async () => (await b.db.labels.get(label.id))?.unsent === 0 && (await a.db.labels.get(label.id))?.unsent === 0);
    for (const device of [a, b]) device.sync.stop();
    await Promise.all([a.running, b.running]);
  });

  it('a delete wins over a rename made offline after it, and the rename is not resent for ever', async () => {
    const { server, a, b, label } = await labelOnBothThenBOffline();
    await deleteLabel(a.db, label.id);
    await until(async () => server.labels.get(label.id)?.deleted === true);
    time += 1_000;
    await editLabel(b.db, label.id, { name: 'Renamed offline' });
    b.remote.setOnline(true);
    b.sync.nudge();
    await until(async () => (await b.db.labels.get(label.id))?.deleted === true && (await b.db.labels.get(label.id))?.unsent === 0);
    expect(server.labels.get(label.id)).toMatchObject({ deleted: true, name: '' });
    expect(await live(b.db)).toEqual([]);
    for (const device of [a, b]) device.sync.stop();
    await Promise.all([a.running, b.running]);
  });

  it('an edit made before a crash is sent after it: the unsent mark is stored with the edit', async () => {
    const server = new FakeLabelServer();
    const db = await database('device-a');
    const label = await createLabel(db, 'Made offline');
    expect(server.labels.size).toBe(0);
    // A later start (the app reopened) finds it unsent and sends it.
    const remote: FakeLabelClient = server.client();
    const sync = new LabelSync(db, remote, { retryDelayMs: () => 1 });
    const running = sync.run();
    await until(async () => (await db.labels.get(label.id))?.unsent === 0);
    expect(server.labels.get(label.id)?.name).toBe('Made offline');
    sync.stop();
    await running;
  });
});

describe('backup and the guest move', () => {
  it('round-trips labels and the labels of notes; labels already here by id or name are kept', async () => {
    const source = await database();
    const [work, home] = [await createLabel(source, 'Work', 'blue'), await createLabel(source, 'Home')];
    const note = await createNote(source, { text: 'Labelled' });
    await setNoteLabel(source, note.id, work.id, true);
    await setNoteLabel(source, note.id, home.id, true);
    await deleteLabel(source, home.id);
    const backup = JSON.parse(JSON.stringify(await exportNotes(source)));
    expect(backup.labels).toEqual([{ id: work.id, name: 'Work', color: 'blue' }]);
    expect(backup.notes[0].labels).toEqual([work.id]);

    const target = await database('device-b');
    const parsed = parseBackup(JSON.stringify(backup));
    const report = await importNotes(target, parsed.notes, now, parsed.labels);
    expect(report).toMatchObject({ labelsAdded: 1, added: 1 });
    expect(await target.labels.get(work.id)).toMatchObject({ name: 'Work', color: 'blue', unsent: 1 });
    expect((await target.notes.get(note.id))?.labels).toEqual([work.id]);
    expect((await importNotes(target, parsed.notes, now, parsed.labels)).labelsAdded).toBe(0);

    const refused = await importNotes(target, [{ ...backup.notes[0], id: 'other', labels: Array.from({ length: 21 }, (_, i) => `l${i}`) }], now, [{ id: 'x', name: '', color: 'none' }]);
    expect(refused.rejected.map((r) => r.reason)).toEqual(['label 1: A label needs a name.', expect.stringMatching(/can carry 20 labels; this one would have 21/)]);
  });

  it('moves guest labels with guest notes; a guest label named like an account label becomes that label', async () => {
    const guest = await database('guest');
    const account = await database('device-a');
    const [guestWork, guestHome] = [await createLabel(guest, 'work'), await createLabel(guest, 'Home')];
    const accountWork = await createLabel(account, 'Work');
    const note = await createNote(guest, { text: 'Guest note' });
    await setNoteLabel(guest, note.id, guestWork.id, true);
    await setNoteLabel(guest, note.id, guestHome.id, true);
    expect(await moveNotes(guest, account)).toBe(1);
    expect((await account.notes.get(note.id))?.labels).toEqual([accountWork.id, guestHome.id]);
    expect((await account.labels.toArray()).map((l) => l.name).sort()).toEqual(['Home', 'Work']);
    expect(await guest.labels.count()).toBe(0);
  });
});

describe('schema version 4', () => {
  it('adds labels to a version 3 database with every note and the outbox kept, while an older tab stays open and keeps working', async () => {
    const name = `upgrade-${crypto.randomUUID()}`;
    // The previous version of the app, as it declared the database, open in another tab.
    const older = new Dexie(name);
    older.version(1).stores({ notes: 'id, [lane+updatedAt]', outbox: '++seq, noteId', meta: 'key' });
    older.version(2).stores({ notes: 'id, [lane+updatedAt], open' });
    older.version(3).stores({ notes: 'id, [lane+updatedAt], [lane+order], open' });
    await older.open();
    const note = { id: 'n1', text: 'Before labels', color: 'yellow', pinned: false, done: false, trashed: false, deleted: false, order: 'a0', lane: 1, open: 1, createdAt: 1, updatedAt: 1, clocks: { text: '1' } };
    await older.table('notes').add(note);
    await older.table('outbox').add({ noteId: 'n1', fields: ['text'], created: false, queuedAt: 1 });

    const upgraded = new NotesDatabase(name, new HybridClock('device-a', now));
    opened.push(upgraded);
    await upgraded.open();
    // Up to the current version: labels (4), then the reminders' index (5).
    expect(upgraded.verno).toBe(5);
    expect(await upgraded.notes.get('n1')).toMatchObject({ text: 'Before labels' });
    expect(await upgraded.outbox.count()).toBe(1);
    const label = await createLabel(upgraded, 'Work');
    await setNoteLabel(upgraded, 'n1', label.id, true);
    expect((await notesWithLabel(upgraded, label.id)).map((n) => n.id)).toEqual(['n1']);

    // The older tab's connection was closed for the upgrade; it reopens on the newer database
    // and goes on reading and writing the notes it knows.
    await older.table('notes').update('n1', { text: 'Edited in the older tab' });
    expect((await older.table('notes').get('n1')).text).toBe('Edited in the older tab');
    expect((await upgraded.notes.get('n1'))?.labels).toEqual([label.id]);
    // A reminder set after the upgrade is found through its index; the older tab's notes stay out of it.
    await updateNote(upgraded, 'n1', { reminder: { at: '2027-03-28T08:00', zone: 'Europe/Berlin' } });
    expect(await upgraded.notes.where('reminder.at').above('').primaryKeys()).toEqual(['n1']);
    await older.table('notes').update('n1', { text: 'Edited again in the older tab' });
    expect((await upgraded.notes.get('n1'))?.reminder?.at).toBe('2027-03-28T08:00');
    older.close();
  });
});
