/**
 * The note: its fields, limits and palette. Shared by the app, the service worker, the Cloud
 * Function and the security rules tests, so every part agrees on what a valid note is.
 */

import type { Reminder } from './reminder.js';
import { NOTE_COLORS, type NoteColor } from './note-basics.js';

export * from './note-basics.js';

/**
 * Longest title line, in UTF-16 code units. The title is the text's first line (splitTitle), so
 * notes written before this limit keep a longer first line readable; only a title being edited
 * is held to it (the opened note says so), and the rules do not check it.
 */
export const MAX_TITLE_LENGTH = 1_000;

/** Longest note id: ids are made on the device (newNoteId), and the rules cap them at this length. */
export const MAX_NOTE_ID_LENGTH = 64;

/**
 * Longest board-order key (a fractional index, src/db/order.ts); the rules cap it at this length.
 * Keys grow by about a character for every six moves into the very same gap, so this is far away.
 */
export const MAX_ORDER_KEY_LENGTH = 128;

/** Most items a checklist holds. */
export const MAX_CHECKLIST_ITEMS = 500;

/** Longest text of one checklist item, in UTF-16 code units. */
export const MAX_ITEM_TEXT_LENGTH = 1_000;

/** Most labels one note carries. */
export const MAX_NOTE_LABELS = 20;

/** Fields a person edits; each merges on its own when two devices change one note. */
export const EDITABLE_FIELDS = ['text', 'color', 'pinned', 'done', 'trashed', 'deleted', 'order', 'archived', 'items', 'labels', 'reminder'] as const;
export type EditableField = (typeof EDITABLE_FIELDS)[number];

/**
 * Fields two devices' concurrent edits are merged in (the text word by word, a checklist item by
 * item, labels label by label: src/db/merge.ts) rather than resolved to the later edit, so
 * nothing typed or assigned is lost.
 */
export const MERGED_FIELDS = ['text', 'items', 'labels'] as const;
export type MergedField = (typeof MERGED_FIELDS)[number];

/** One item of a checklist. Its id is made on the device, so two devices' edits merge item by item. */
export interface ChecklistItem {
  id: string;
  text: string;
  /** Ticked. */
  done: boolean;
}

export interface NoteContent {
  text: string;
  color: NoteColor;
  pinned: boolean;
  /** A to-do that is ticked off. */
  done: boolean;
  /** In the trash: hidden from the board, restorable. */
  trashed: boolean;
  /** Tombstone: permanently deleted, text emptied, kept so the delete roams. */
  deleted: boolean;
  /**
   * Place in its board section: a fractional-index key, ascending (ties broken by note id).
   * Optional in the contract: notes written by app versions before board order have none, and
   * every device then derives the same default from createdAt (src/db/order.ts).
   */
  order?: string;
  /**
   * Archived: off the board, in the Archive view, still found by search. Optional in the contract:
   * notes written by app versions before the archive have none and read as not archived (fieldValue).
   */
  archived?: boolean;
  /**
   * The checklist, in its order: a note with items is a list (beside its title and body). Optional
   * in the contract: notes written before checklists have none, read as no items (fieldValue).
   */
  items?: ChecklistItem[];
  /**
   * The ids of the person's labels the note carries (src/shared/label.ts), at most
   * MAX_NOTE_LABELS. Ids, not names: a label renamed on one device while another assigns it
   * offline stays one label. An id whose label was deleted is not shown (a device that assigned it
   * offline before hearing of the delete may still send it). Optional in the contract: notes
   * written before labels have none, read as no labels (fieldValue).
   */
  labels?: string[];
  /**
   * When the note rings (src/shared/reminder.ts); null once cleared. Optional in the contract:
   * notes written before reminders have none, read as none (fieldValue).
   */
  reminder?: Reminder | null;
}

export type NotePatch = Partial<NoteContent>;

/**
 * Sent with an edit of a merged field (the `edits` map of the document, one entry per field):
 * the stamp of the value it was edited from and its own stamp. The rules take such a write only
 * onto that very value, so an edit made meanwhile on another device is merged in (src/db/merge.ts)
 * before it lands, never overwritten. A write without it (app versions before) is taken as before.
 */
export interface FieldEdit {
  from: string;
  stamp: string;
}

export type FieldEdits = Partial<Record<MergedField, FieldEdit>>;

/**
 * A field's value with the contract's default for one a note may lack (archived: false), so a
 * note from before the archive and one unarchived compare equal and undo writes a real value.
 * (order has no such default here: every device derives it from createdAt, src/db/order-key.ts.)
 */
export function fieldValue<F extends EditableField>(note: NoteContent, field: F): NoteContent[F] {
  if (field === 'archived') return (note.archived === true) as NoteContent[F];
  if (field === 'items') return (note.items ?? []) as NoteContent[F];
  if (field === 'labels') return (note.labels ?? []) as NoteContent[F];
  if (field === 'reminder') return (note.reminder ?? null) as NoteContent[F];
  return note[field];
}

/**
 * The clocks of a new note: one stamp for every field it has. A field it lacks (a note made
 * without a checklist has no items) has no stamp either, as the write leaves both out.
 */
export function newNoteClocks(note: NoteContent, stamp: string): Partial<Record<EditableField, string>> {
  return Object.fromEntries(EDITABLE_FIELDS.filter((field) => note[field] !== undefined).map((field) => [field, stamp]));
}

/** Whether two values of a field are the same (a checklist compares item by item, labels id by id). */
export function sameValue<F extends EditableField>(field: F, a: NoteContent[F], b: NoteContent[F]): boolean {
  if (field === 'labels') {
    const [x, y] = [(a ?? []) as string[], (b ?? []) as string[]];
    return x.length === y.length && x.every((id, i) => id === y[i]);
  }
  // Reminders are built in one key order (src/shared/reminder.ts); one in another order only costs a needless write.
  if (field === 'reminder') return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  if (field !== 'items') return a === b;
  const [x, y] = [(a ?? []) as ChecklistItem[], (b ?? []) as ChecklistItem[]];
  return x.length === y.length && x.every((item, i) => item.id === y[i]!.id && item.text === y[i]!.text && item.done === y[i]!.done);
}

export function isChecklistItem(value: unknown): value is ChecklistItem {
  const item = value as Partial<ChecklistItem> | null;
  return typeof item === 'object' && item !== null && typeof item.id === 'string' && item.id.length >= 1 && item.id.length <= MAX_NOTE_ID_LENGTH && typeof item.text === 'string' && typeof item.done === 'boolean';
}

/** A checklist as stored: only well-formed items, each id once (the first), each item a copy. */
export function checklistFrom(value: unknown): ChecklistItem[] {
  if (!Array.isArray(value)) return [];
  const seen = new Set<string>();
  return value.filter((item): item is ChecklistItem => isChecklistItem(item) && !seen.has(item.id) && Boolean(seen.add(item.id))).map(({ id, text, done }) => ({ id, text, done }));
}

/** A note's labels as stored: well-formed ids, each once, at most MAX_NOTE_LABELS (the first). */
export function labelIdsFrom(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const ids = value.filter((id): id is string => typeof id === 'string' && id.length >= 1 && id.length <= MAX_NOTE_ID_LENGTH);
  return [...new Set(ids)].slice(0, MAX_NOTE_LABELS);
}

/** Says why a note's labels cannot be saved, in words, or null when they can. */
export function labelsProblem(labels: readonly string[]): string | null {
  return labels.length > MAX_NOTE_LABELS ? `A note can carry ${MAX_NOTE_LABELS} labels; this one would have ${labels.length}. Remove ${labels.length - MAX_NOTE_LABELS} to add it.` : null;
}

export function isNoteColor(value: unknown): value is NoteColor {
  return typeof value === 'string' && (NOTE_COLORS as readonly string[]).includes(value);
}

function isFieldEdit(value: unknown): value is FieldEdit {
  const edit = value as Partial<FieldEdit> | null;
  return typeof edit === 'object' && edit !== null && typeof edit.from === 'string' && typeof edit.stamp === 'string';
}

/** The well-formed entries of a document's `edits` map. */
export function fieldEditsFrom(value: unknown): FieldEdits {
  const edits: FieldEdits = {};
  if (typeof value !== 'object' || value === null) return edits;
  for (const field of MERGED_FIELDS) {
    const edit = (value as Record<string, unknown>)[field];
    if (isFieldEdit(edit)) edits[field] = { from: edit.from, stamp: edit.stamp };
  }
  return edits;
}

export function isOrderKey(value: unknown): value is string {
  return typeof value === 'string' && value.length >= 1 && value.length <= MAX_ORDER_KEY_LENGTH;
}

/** Says why a checklist cannot be saved, in words, or null when it can. */
export function checklistProblem(items: readonly ChecklistItem[]): string | null {
  if (items.length > MAX_CHECKLIST_ITEMS) {
    return `Too many items to save: ${items.length.toLocaleString('en-US')} of ${MAX_CHECKLIST_ITEMS}. Remove ${(items.length - MAX_CHECKLIST_ITEMS).toLocaleString('en-US')} to save.`;
  }
  const long = items.find((item) => item.text.length > MAX_ITEM_TEXT_LENGTH);
  if (long) {
    return `An item is too long to save: ${long.text.length.toLocaleString('en-US')} of ${MAX_ITEM_TEXT_LENGTH.toLocaleString('en-US')} characters. Shorten it by ${(long.text.length - MAX_ITEM_TEXT_LENGTH).toLocaleString('en-US')} to save.`;
  }
  return null;
}

export class TooManyLabelsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TooManyLabelsError';
  }
}

export class ChecklistTooLongError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChecklistTooLongError';
  }
}

/** Id made on the device, so a note can be created offline and synced later without collisions. */
export function newNoteId(): string {
  return crypto.randomUUID();
}
