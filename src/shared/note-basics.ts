/**
 * What the board's first paint needs to know of a note: its palette, its text limit, and how its
 * text reads as a title line and a body. Apart from note.ts (the whole contract: every field, how
 * fields compare and merge, what a checklist or a label may hold), so the first paint carries none
 * of the rest; note.ts re-exports it all.
 */

/** The palette a note can be painted with; the first is the default for a new note. */
export const NOTE_COLORS = ['yellow', 'green', 'pink', 'purple', 'blue', 'gray'] as const;
export type NoteColor = (typeof NOTE_COLORS)[number];
export const DEFAULT_NOTE_COLOR: NoteColor = 'yellow';

/** Longest note text, in UTF-16 code units (what String.length and Firestore rules' size() count). */
export const MAX_NOTE_TEXT_LENGTH = 20_000;

export type TextProblem = { kind: 'too-long'; length: number } | null;

/** Says why a text cannot be saved as a note, or null when it can. */
export function checkNoteText(text: string): TextProblem {
  return text.length > MAX_NOTE_TEXT_LENGTH ? { kind: 'too-long', length: text.length } : null;
}

/** The one wording of "too long", shown under the editor and when a save is refused. */
export function tooLongMessage(length: number): string {
  return (
    `Too long to save: ${length.toLocaleString('en-US')} of ${MAX_NOTE_TEXT_LENGTH.toLocaleString('en-US')} ` +
    `characters. Shorten it by ${(length - MAX_NOTE_TEXT_LENGTH).toLocaleString('en-US')} to save.`
  );
}

export class NoteTooLongError extends Error {
  constructor(readonly length: number) {
    super(tooLongMessage(length));
    this.name = 'NoteTooLongError';
  }
}

/** A short, single-line name for the note, for screen readers and dialogs. */
export function noteTitle(text: string): string {
  const firstLine = text.trim().split('\n', 1)[0] ?? '';
  if (firstLine === '') return 'Empty note';
  return firstLine.length > 60 ? `${firstLine.slice(0, 60)}…` : firstLine;
}

/**
 * The note's title line and body. The data model has one text field: its first line is the title
 * and the rest the body, joined by a newline (splitTitle and joinTitle round-trip every text, so
 * a note with an empty first line keeps working). A later issue adds a separate title field.
 */
export function splitTitle(text: string): { title: string; body: string } {
  const end = text.indexOf('\n');
  return end < 0 ? { title: text, body: '' } : { title: text.slice(0, end), body: text.slice(end + 1) };
}

export function joinTitle(title: string, body: string): string {
  return body === '' ? title : `${title}\n${body}`;
}
