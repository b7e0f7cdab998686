import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NotesDatabase } from '../../src/db/database.js';
import { BACKUP_FORMAT, exportNotes, importNotes, parseBackup } from '../../src/db/backup.js';
import { createNote, deleteNoteForever, trashNote, updateNote } from '../../src/db/notes.js';
import { MAX_NOTE_TEXT_LENGTH } from '../../src/shared/note.js';

let source: NotesDatabase;
let target: NotesDatabase;

beforeEach(async () => {
  source = new NotesDatabase(`backup-source-${crypto.randomUUID()}`);
  target = new NotesDatabase(`backup-target-${crypto.randomUUID()}`);
  await Promise.all([source.open(), target.open()]);
});
afterEach(async () => {
  await Promise.all([source.delete(), target.delete()]);
});

describe('backup', () => {
  it('exports every note but tombstones, and imports them into another database with outbox entries', async () => {
    const kept = await createNote(source, { text: 'Keep <b>me</b>', color: 'blue', pinned: true });
    const trashed = await createNote(source, { text: 'In the trash' });
    await trashNote(source, trashed.id);
    const gone = await createNote(source, { text: 'Gone' });
    await deleteNoteForever(source, gone.id);

    const backup = await exportNotes(source);
    expect(backup.format).toBe(BACKUP_FORMAT);
    expect(backup.notes.map((n) => n.text).sort()).toEqual(['In the trash', 'Keep <b>me</b>']);

    const report = await importNotes(target, parseBackup(JSON.stringify(backup)).notes);
    expect(report).toEqual({ labelsAdded: 0, added: 2, updated: 0, unchanged: 0, rejected: [] });
    expect(await target.notes.get(kept.id)).toMatchObject({ text: 'Keep <b>me</b>', color: 'blue', pinned: true, trashed: false });
    expect(await target.notes.get(trashed.id)).toMatchObject({ trashed: true });
    expect(await target.outbox.count()).toBe(2);
  });

  it('imports the same backup twice without duplicating, and never lets an older copy undo newer work', async () => {
    const note = await createNote(source, { text: 'v1' }, () => 1_000);
    const backup = await exportNotes(source);
    expect((await importNotes(source, backup.notes)).unchanged).toBe(1);
    await updateNote(source, note.id, { text: 'v2, newer' }, () => 2_000);
    const report = await importNotes(source, backup.notes);
    expect(report).toMatchObject({ added: 0, updated: 0, unchanged: 1 });
    expect((await source.notes.get(note.id))?.text).toBe('v2, newer');
    expect(await source.notes.count()).toBe(1);

    const newer = { ...backup.notes[0]!, text: 'from a later backup', updatedAt: 3_000 };
    expect(await importNotes(source, [newer])).toMatchObject({ updated: 1 });
    expect((await source.notes.get(note.id))?.text).toBe('from a later backup');
  });

  it('validates every record and reports what it refused and why, importing the rest', async () => {
    const good = { id: 'note-1', text: 'fine', color: 'green', pinned: false, done: true, trashed: false, createdAt: 1, updatedAt: 2 };
    const report = await importNotes(target, [
      good,
      { ...good, id: 'bad id with spaces' },
      { ...good, id: 'n2', color: 'orange' },
      { ...good, id: 'n3', text: 'x'.repeat(MAX_NOTE_TEXT_LENGTH + 1) },
      { ...good, id: 'n4', done: 'yes' },
      { ...good, id: 'n5', createdAt: 'yesterday' },
      'not even an object',
    ]);
    expect(report.added).toBe(1);
    expect(report.rejected).toEqual([
      { index: 1, reason: 'missing or invalid id' },
      { index: 2, reason: 'unknown color "orange"' },
      { index: 3, reason: 'text is longer than 20,000 characters' },
      { index: 4, reason: 'done is not true or false' },
      { index: 5, reason: 'createdAt is not a time' },
      { index: 6, reason: 'not a note object' },
    ]);
    expect(await target.notes.count()).toBe(1);
  });

  it('carries a reminder both ways, and refuses one it cannot read', async () => {
    const reminder = { at: '2027-03-28T08:00', zone: 'Europe/Berlin', repeat: { every: 'weekdays', days: [1, 3, 5] }, snoozedUntil: 1_806_217_200_000 } as const;
    const note = await createNote(source, { text: 'Water the plants' });
    await updateNote(source, note.id, { reminder: { ...reminder, repeat: { every: 'weekdays', days: [1, 3, 5] } } });
    const backup = JSON.parse(JSON.stringify(await exportNotes(source))) as { notes: Record<string, unknown>[] };
    expect(backup.notes[0]!.reminder).toEqual(reminder);

    const report = await importNotes(target, [...backup.notes, { ...backup.notes[0], id: 'n2', reminder: { ...reminder, at: '2027-02-30T08:00' } }]);
    expect(report.rejected).toEqual([{ index: 1, reason: 'reminder is not a reminder (a date and time, a time zone, and a repeat it knows)' }]);
    expect((await target.notes.get(note.id))!.reminder).toEqual(reminder);
    expect((await target.notes.get(note.id))!.clocks.reminder).toBeDefined();
  });

  it('refuses files that are not backups with a clear message', () => {
    expect(() => parseBackup('{nope')).toThrow('not a Roaming Notes backup (it is not JSON)');
    expect(() => parseBackup('{"notes": []}')).toThrow('not a Roaming Notes backup');
    expect(() => parseBackup(JSON.stringify({ format: BACKUP_FORMAT, version: 9, notes: [] }))).toThrow('version 9');
  });
});
