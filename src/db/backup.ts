/**
 * Backup: every note (not tombstones) to a JSON file, and a file back into the notes. Import
 * validates each record on its own, reports what it refused and why, and merges by note id, so
 * importing the same backup twice adds nothing. Imported changes go through the outbox like any edit.
 */
import { cleanLabelName, isLabelColor, labelNameProblem, type LabelColor } from '../shared/label.js';
import {
  EDITABLE_FIELDS,
  MAX_NOTE_ID_LENGTH,
  MAX_NOTE_TEXT_LENGTH,
  checklistFrom,
  newNoteClocks,
  checklistProblem,
  fieldValue,
  isChecklistItem,
  isNoteColor,
  isOrderKey,
  labelIdsFrom,
  labelsProblem,
  sameValue,
  type NoteContent,
} from '../shared/note.js';
import { reminderFrom } from '../shared/reminder.js';
import { withIndexFields, type LabelRecord, type NoteRecord, type NotesDatabase, type OutboxEntry } from './database.js';
import { newLabelRecord } from './labels.js';
import { defaultOrderKey } from './order-key.js';
import { notTombstones } from './queries.js';

export const BACKUP_FORMAT = 'roaming-notes-backup';
export const BACKUP_VERSION = 1;

/**
 * Backups made before board order have no `order`; such notes take the default from createdAt.
 * Backups made before the archive have no `archived`: such notes are not archived.
 * Backups made before checklists have no `items`: such notes have none.
 * Backups made before labels have no `labels`, on the backup or its notes: none.
 * Backups made before reminders have no `reminder`: such notes keep what they have here.
 */
export interface BackupNote extends Omit<NoteContent, 'deleted'> {
  id: string;
  createdAt: number;
  updatedAt: number;
}

export interface Backup {
  format: typeof BACKUP_FORMAT;
  version: typeof BACKUP_VERSION;
  exportedAt: string;
  notes: BackupNote[];
  /** The person's labels (the live ones); the notes name them by id. */
  labels?: BackupLabel[];
}

export interface BackupLabel {
  id: string;
  name: string;
  color: LabelColor;
}

export interface ImportReport {
  /** Labels added (a label with the same id or name already here is kept as it is). */
  labelsAdded: number;
  added: number;
  updated: number;
  unchanged: number;
  rejected: { index: number; reason: string }[];
}

export async function exportNotes(db: NotesDatabase, now: () => number = Date.now): Promise<Backup> {
  const [notes, labels] = await Promise.all([notTombstones(db).toArray(), db.labels.toArray()]);
  const live = labels.filter((label) => !label.deleted);
  const liveIds = new Set(live.map((label) => label.id));
  return {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    exportedAt: new Date(now()).toISOString(),
    labels: live.map(({ id, name, color }) => ({ id, name, color })),
    notes: notes.map(({ id, text, color, pinned, done, trashed, order, archived, items, labels: noteLabels, reminder, createdAt, updatedAt }) => ({
      id,
      text,
      color,
      pinned,
      done,
      trashed,
      order,
      archived: archived === true,
      ...(items?.length ? { items: items.map(({ id: itemId, text: itemText, done: itemDone }) => ({ id: itemId, text: itemText, done: itemDone })) } : {}),
      ...(noteLabels?.some((label) => liveIds.has(label)) ? { labels: noteLabels.filter((label) => liveIds.has(label)) } : {}),
      ...(reminder ? { reminder } : {}),
      createdAt,
      updatedAt,
    })),
  };
}

const ID_PATTERN = new RegExp(`^[A-Za-z0-9_-]{1,${MAX_NOTE_ID_LENGTH}}$`);

/** Checks one record of a backup; returns the note or why it cannot be imported. */
export function validateBackupNote(value: unknown): BackupNote | string {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 'not a note object';
  const note = value as Record<string, unknown>;
  if (typeof note.id !== 'string' || !ID_PATTERN.test(note.id)) return 'missing or invalid id';
  if (typeof note.text !== 'string') return 'text is not a string';
  if (note.text.length > MAX_NOTE_TEXT_LENGTH) return `text is longer than ${MAX_NOTE_TEXT_LENGTH.toLocaleString('en-US')} characters`;
  if (!isNoteColor(note.color)) return `unknown color ${JSON.stringify(note.color)}`;
  for (const flag of ['pinned', 'done', 'trashed'] as const) {
    if (typeof note[flag] !== 'boolean') return `${flag} is not true or false`;
  }
  for (const time of ['createdAt', 'updatedAt'] as const) {
    if (typeof note[time] !== 'number' || !Number.isFinite(note[time]) || (note[time] as number) < 0) return `${time} is not a time`;
  }
  if (note.order !== undefined && !isOrderKey(note.order)) return 'order is not an order key';
  if (note.archived !== undefined && typeof note.archived !== 'boolean') return 'archived is not true or false';
  if (note.items !== undefined) {
    if (!Array.isArray(note.items)) return 'items is not a list';
    const bad = note.items.findIndex((item) => !isChecklistItem(item));
    if (bad >= 0) return `item ${bad + 1} is not a checklist item (an id, a text and true or false)`;
    if (checklistFrom(note.items).length !== note.items.length) return 'two items have the same id';
    const problem = checklistProblem(note.items as never);
    if (problem) return problem;
  }
  if (note.labels !== undefined) {
    if (!Array.isArray(note.labels)) return 'labels is not a list';
    const problem = labelsProblem(note.labels as string[]);
    if (problem) return problem;
    if (labelIdsFrom(note.labels).length !== note.labels.length) return 'labels holds an invalid or repeated label id';
  }
  if (note.reminder !== undefined && note.reminder !== null && !reminderFrom(note.reminder)) return 'reminder is not a reminder (a date and time, a time zone, and a repeat it knows)';
  return {
    ...(note.items === undefined ? {} : { items: checklistFrom(note.items) }),
    ...(note.reminder === undefined ? {} : { reminder: reminderFrom(note.reminder) }),
    ...(note.labels === undefined ? {} : { labels: labelIdsFrom(note.labels) }),
    archived: note.archived === true,
    ...(note.order === undefined ? {} : { order: note.order }),
    id: note.id,
    text: note.text,
    color: note.color,
    pinned: note.pinned as boolean,
    done: note.done as boolean,
    trashed: note.trashed as boolean,
    createdAt: note.createdAt as number,
    updatedAt: note.updatedAt as number,
  };
}

/** Checks one label of a backup; returns it or why it cannot be imported. */
export function validateBackupLabel(value: unknown): BackupLabel | string {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 'not a label object';
  const label = value as Record<string, unknown>;
  if (typeof label.id !== 'string' || !ID_PATTERN.test(label.id)) return 'missing or invalid id';
  if (typeof label.name !== 'string') return 'name is not a string';
  const problem = labelNameProblem(label.name, []);
  if (problem) return problem;
  if (!isLabelColor(label.color)) return `unknown color ${JSON.stringify(label.color)}`;
  return { id: label.id, name: cleanLabelName(label.name), color: label.color };
}

/** Parses a backup file's text; throws an Error with a readable message when it is not one. */
export function parseBackup(text: string): { notes: unknown[]; labels: unknown[] } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new Error('This file is not a Roaming Notes backup (it is not JSON).');
  }
  const backup = data as Partial<Backup> | null;
  if (!backup || backup.format !== BACKUP_FORMAT || !Array.isArray(backup.notes)) {
    throw new Error('This file is not a Roaming Notes backup.');
  }
  if (backup.version !== BACKUP_VERSION) throw new Error(`This backup has version ${String(backup.version)}; this app reads version ${BACKUP_VERSION}.`);
  return { notes: backup.notes, labels: Array.isArray(backup.labels) ? backup.labels : [] };
}

/**
 * Imports records: a new id is added; an existing note takes the imported content only when the
 * backup's copy changed later than the local one (a restored old backup never undoes newer work).
 * Tombstones are never revived. All accepted records are written in one transaction.
 */
export async function importNotes(db: NotesDatabase, records: unknown[], now: () => number = Date.now, labelRecords: unknown[] = []): Promise<ImportReport> {
  const report: ImportReport = { labelsAdded: 0, added: 0, updated: 0, unchanged: 0, rejected: [] };
  const labels: BackupLabel[] = [];
  labelRecords.forEach((record, index) => {
    const result = validateBackupLabel(record);
    if (typeof result === 'string') report.rejected.push({ index, reason: `label ${index + 1}: ${result}` });
    else labels.push(result);
  });
  const valid: BackupNote[] = [];
  records.forEach((record, index) => {
    const result = validateBackupNote(record);
    if (typeof result === 'string') report.rejected.push({ index, reason: result });
    else valid.push(result);
  });
  await db.transaction('rw', db.notes, db.outbox, db.labels, async () => {
    report.labelsAdded = await importLabels(db, labels, now());
    const existing = await db.notes.bulkGet(valid.map((note) => note.id));
    const writes: NoteRecord[] = [];
    const queuedAt = now();
    const outbox: OutboxEntry[] = [];
    valid.forEach((imported, index) => {
      const local = existing[index];
      const content = {
        text: imported.text,
        color: imported.color,
        pinned: imported.pinned,
        done: imported.done,
        trashed: imported.trashed,
        deleted: false,
        order: imported.order ?? local?.order ?? defaultOrderKey(imported.createdAt),
        archived: imported.archived === true,
        items: imported.items ?? local?.items ?? [],
        labels: imported.labels ?? local?.labels ?? [],
        reminder: imported.reminder !== undefined ? imported.reminder : (local?.reminder ?? null),
      };
      if (!local) {
        const stamp = db.clock.next();
        writes.push(withIndexFields({ ...imported, ...content, clocks: newNoteClocks(content, stamp) }));
        outbox.push({ noteId: imported.id, fields: [...EDITABLE_FIELDS], created: true, queuedAt });
        report.added += 1;
        return;
      }
      const changed = EDITABLE_FIELDS.filter((field) => !sameValue(field, content[field], fieldValue(local, field)));
      if (local.deleted || changed.length === 0 || imported.updatedAt <= local.updatedAt) {
        report.unchanged += 1;
        return;
      }
      for (const stamp of Object.values(local.clocks)) db.clock.observe(stamp);
      const stamp = db.clock.next();
      const next: NoteRecord = { ...local, ...content, updatedAt: Math.max(imported.updatedAt, local.updatedAt + 1), clocks: { ...local.clocks } };
      for (const field of changed) next.clocks[field] = stamp;
      withIndexFields(next);
      writes.push(next);
      outbox.push({ noteId: local.id, fields: changed, created: false, queuedAt });
      report.updated += 1;
    });
    await db.notes.bulkPut(writes);
    await db.outbox.bulkAdd(outbox);
  });
  return report;
}

/**
 * Adds the backup's labels this device lacks, in the transaction of the import: a label whose id
 * is here (deleted or not) or whose name a live label here has is left as it is.
 */
async function importLabels(db: NotesDatabase, labels: BackupLabel[], at: number): Promise<number> {
  const here = await db.labels.toArray();
  const added: LabelRecord[] = [];
  for (const label of labels) {
    if (here.some((other) => other.id === label.id) || labelNameProblem(label.name, [...here, ...added])) continue;
    added.push(newLabelRecord(db, label, at));
  }
  await db.labels.bulkAdd(added);
  return added.length;
}
