/**
 * What note elements may ask of the app. The app shell implements it over the store, so elements
 * never write to the database themselves and every failure is reported in one place.
 */
import type { MoveTarget } from '../db/board-order.js';
import type { NoteRecord } from '../db/database.js';
import type { NotePatch } from '../shared/note.js';

export interface NoteActions {
  /** Resolves false when the change could not be saved; the app has already said why. */
  update(id: string, patch: NotePatch): Promise<boolean>;
  trash(id: string): Promise<boolean>;
  restore(id: string): Promise<boolean>;
  /** Archives the note (off the board, into the Archive view) or brings it back; undoable. */
  archive(id: string, archived: boolean): Promise<boolean>;
  deleteForever(id: string): Promise<boolean>;
  /** Makes a copy of the note on top of the board. */
  copy(id: string): Promise<boolean>;
  /** Moves a note within its board section (drag or Alt+arrow); false when it could not be saved. */
  move(id: string, target: MoveTarget): Promise<boolean>;
  /** Opens the note to read and write it whole (note-editor.ts). */
  open(note: NoteRecord): void;
}

/** The views: the board (and search, which also finds archived notes), the reminders (soonest first), the archive, the trash. */
export type BoardMode = 'board' | 'reminders' | 'archive' | 'trash';
