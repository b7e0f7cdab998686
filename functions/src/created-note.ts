/**
 * Pure validation of a newly created note document, kept apart from the trigger so tests can
 * import it without the Functions runtime. The rules already enforce this shape for client
 * writes; the function checks again because Admin SDK or console writes bypass the rules.
 */
import { isRecord } from './shared/errors.js';
import { EDITABLE_FIELDS, MAX_NOTE_ID_LENGTH, MAX_NOTE_TEXT_LENGTH, isNoteColor, isOrderKey, type NoteColor } from './shared/note.js';

/** What the trigger needs from a created note; the text itself is never logged. */
export interface CreatedNote {
  uid: string;
  noteId: string;
  color: NoteColor;
  textLength: number;
  done: boolean;
  trashed: boolean;
  deleted: boolean;
  /** Absent on notes from app versions before the archive: not archived. */
  archived: boolean;
  updatedBy: string;
}

export type ParseResult = { ok: true; note: CreatedNote } | { ok: false; reason: string };

/** Checks the path params and document data of `users/{uid}/notes/{noteId}`. */
export function parseCreatedNote(params: Record<string, unknown>, data: unknown): ParseResult {
  const { uid, noteId } = params;
  if (typeof uid !== 'string' || uid.length === 0) return { ok: false, reason: 'missing uid' };
  if (typeof noteId !== 'string' || noteId.length === 0 || noteId.length > MAX_NOTE_ID_LENGTH) {
    return { ok: false, reason: 'bad noteId' };
  }
  if (!isRecord(data)) return { ok: false, reason: 'no document data' };
  const { text, color, updatedBy } = data;
  if (typeof text !== 'string' || text.length > MAX_NOTE_TEXT_LENGTH) return { ok: false, reason: 'bad text' };
  if (!isNoteColor(color)) return { ok: false, reason: 'bad color' };
  // order is optional: app versions before board order write none.
  if (data.order !== undefined && !isOrderKey(data.order)) return { ok: false, reason: 'bad order' };
  // archived too: app versions before the archive write none.
  if (data.archived !== undefined && typeof data.archived !== 'boolean') return { ok: false, reason: 'bad archived' };
  // items (a checklist) too: notes without one, and app versions before checklists, write none.
  if (data.items !== undefined && !Array.isArray(data.items)) return { ok: false, reason: 'bad items' };
  // labels (label ids) too: notes without labels, and app versions before labels, write none.
  if (data.labels !== undefined && !Array.isArray(data.labels)) return { ok: false, reason: 'bad labels' };
  // reminder too: notes without one, and app versions before reminders, write none (null: cleared).
  if (data.reminder !== undefined && data.reminder !== null && typeof data.reminder !== 'object') return { ok: false, reason: 'bad reminder' };
  const notFlags: readonly string[] = ['text', 'color', 'order', 'archived', 'items', 'labels', 'reminder'];
  for (const field of EDITABLE_FIELDS) {
    if (!notFlags.includes(field) && typeof data[field] !== 'boolean') {
      return { ok: false, reason: `bad ${field}` };
    }
  }
  if (typeof updatedBy !== 'string' || updatedBy.length === 0) return { ok: false, reason: 'bad updatedBy' };
  return {
    ok: true,
    note: {
      uid,
      noteId,
      color,
      textLength: text.length,
      done: data.done === true,
      trashed: data.trashed === true,
      deleted: data.deleted === true,
      archived: data.archived === true,
      updatedBy,
    },
  };
}
