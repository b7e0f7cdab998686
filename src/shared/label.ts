/**
 * The person's labels: their fields, limits and merge, shared by the app and the rules tests.
 * A label is a document of its own (users/{uid}/labels/{labelId}); notes carry label ids
 * (NoteContent.labels), so a rename touches one document and no note.
 */
import { MAX_NOTE_ID_LENGTH, NOTE_COLORS, type NoteColor } from './note.js';

/** Longest label name, in UTF-16 code units. */
export const MAX_LABEL_NAME_LENGTH = 50;

/** Most labels a person keeps (deleted ones not counted). */
export const MAX_LABELS = 500;

/** A label's color: one of the note palette's, or none. */
export const LABEL_COLORS = ['none', ...NOTE_COLORS] as const;
export type LabelColor = NoteColor | 'none';

/** Fields a person edits; each carries its own stamp and merges on its own (the later wins). */
export const LABEL_FIELDS = ['name', 'color', 'deleted'] as const;
export type LabelField = (typeof LABEL_FIELDS)[number];
export type LabelClocks = Partial<Record<LabelField, string>>;

export interface LabelContent {
  name: string;
  color: LabelColor;
  /**
   * Tombstone: deleted for good, its name emptied, kept so the delete roams. Nothing undeletes
   * a label, so a delete stays whatever else is edited after it (mergeLabels).
   */
  deleted: boolean;
}

export interface Label extends LabelContent {
  id: string;
  clocks: LabelClocks;
  /** Milliseconds since the epoch, on the creating device's clock: the label list's tie-break. */
  createdAt: number;
}

export function isLabelColor(value: unknown): value is LabelColor {
  return typeof value === 'string' && (LABEL_COLORS as readonly string[]).includes(value);
}

/** A name as saved: trimmed, inner runs of white space made one space. */
export function cleanLabelName(name: string): string {
  return name.trim().replace(/\s+/g, ' ');
}

/** Says why a label cannot take this name, in words, or null when it can. */
export function labelNameProblem(name: string, others: readonly Pick<Label, 'id' | 'name' | 'deleted'>[], id?: string): string | null {
  const clean = cleanLabelName(name);
  if (clean === '') return 'A label needs a name.';
  if (clean.length > MAX_LABEL_NAME_LENGTH) return `A label name has at most ${MAX_LABEL_NAME_LENGTH} characters; this one has ${clean.length}.`;
  const same = others.find((label) => !label.deleted && label.id !== id && label.name.toLocaleLowerCase() === clean.toLocaleLowerCase());
  return same ? `There is already a label called “${same.name}”.` : null;
}

/**
 * Two copies of one label merged field by field: the later stamp wins each field, and a delete
 * wins everything (its name emptied), so every device ends with the same label whatever the
 * order it heard of the edits in.
 */
export function mergeLabels(a: Label, b: Label): Label {
  const merged: Label = { ...a, clocks: { ...a.clocks } };
  for (const field of LABEL_FIELDS) {
    const [here, there] = [a.clocks[field] ?? '', b.clocks[field] ?? ''];
    if (there > here) {
      (merged as unknown as Record<LabelField, unknown>)[field] = b[field];
      merged.clocks[field] = there;
    }
  }
  merged.createdAt = Math.min(a.createdAt, b.createdAt);
  if (a.deleted || b.deleted) {
    merged.deleted = true;
    merged.name = '';
    merged.clocks.deleted = [a.clocks.deleted ?? '', b.clocks.deleted ?? ''].reduce((x, y) => (x > y ? x : y));
  }
  return merged;
}

/** A label document as read, or undefined when it is not one (the rules keep that from happening). */
export function labelFrom(id: string, data: Record<string, unknown>, createdAt: number): Label | undefined {
  if (id.length < 1 || id.length > MAX_NOTE_ID_LENGTH || typeof data.name !== 'string' || typeof data.deleted !== 'boolean') return undefined;
  const clocks: LabelClocks = {};
  const raw = (data.clocks ?? {}) as Record<string, unknown>;
  for (const field of LABEL_FIELDS) if (typeof raw[field] === 'string') clocks[field] = raw[field];
  return { id, name: data.name, color: isLabelColor(data.color) ? data.color : 'none', deleted: data.deleted, clocks, createdAt };
}

/** Labels for a list: the live ones, by name (then id, so every device lists them alike). */
export function sortedLabels<T extends Pick<Label, 'id' | 'name' | 'deleted'>>(labels: readonly T[]): T[] {
  return labels.filter((label) => !label.deleted).sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
