/**
 * The shell's NoteActions over the store: every note change a person makes goes through here,
 * and each failure is said in one place (a snackbar).
 */
import { APP } from '../constants.js';
import type { NoteRecord, NotesDatabase } from '../db/database.js';
import { moveNote, type MoveTarget } from '../db/board-order.js';
import { deleteNoteForever, restoreNote, trashNote, updateNote } from '../db/notes.js';
import { describeStorageError } from '../db/open.js';
import { NoteTooLongError, type NotePatch } from '../shared/note.js';
import type { SnackbarMessage } from './app-snackbar.js';
import type { NoteActions } from './note-actions.js';

/** What the actions need of the shell. */
export interface ActionsShell {
  /** The open notes, or undefined while none are open. */
  database(): NotesDatabase | undefined;
  say(message: SnackbarMessage): void;
  inTrash(): boolean;
  /** Opens a note in the opened-note view. */
  open(note: NoteRecord): void;
}

export class StoreActions implements NoteActions {
  constructor(private readonly shell: ActionsShell) {}

  /** Says why a store operation failed. */
  readonly report = (error: unknown): void => {
    const text = error instanceof NoteTooLongError ? error.message : describeStorageError(error);
    this.shell.say({ text, durationMs: APP.UNDO_SNACKBAR_MS });
  };

  /** Runs one store operation; on failure says why and resolves false (nothing is half-saved). */
  async run(operation: (db: NotesDatabase) => Promise<unknown>): Promise<boolean> {
    const db = this.shell.database();
    if (!db) return false;
    try {
      await operation(db);
      return true;
    } catch (error) {
      this.report(error);
      return false;
    }
  }

  update(id: string, patch: NotePatch): Promise<boolean> {
    return this.run((db) => updateNote(db, id, patch));
  }

  /** Board order: a note keeps its place on every other change; this is the only way it moves. */
  move(id: string, target: MoveTarget): Promise<boolean> {
    return this.run((db) => moveNote(db, id, target));
  }

  async trash(id: string): Promise<boolean> {
    const done = await this.run((db) => trashNote(db, id));
    if (done) {
      this.shell.say({
        text: 'Note moved to trash',
        action: { label: 'Undo', run: () => void this.restore(id) },
        durationMs: APP.UNDO_SNACKBAR_MS,
      });
    }
    return done;
  }

  async restore(id: string): Promise<boolean> {
    const done = await this.run((db) => restoreNote(db, id));
    if (done && this.shell.inTrash()) this.shell.say({ text: 'Note restored' });
    return done;
  }

  async deleteForever(id: string): Promise<boolean> {
    const done = await this.run((db) => deleteNoteForever(db, id));
    if (done) this.shell.say({ text: 'Note deleted forever' });
    return done;
  }

  open(note: NoteRecord): void {
    this.shell.open(note);
  }
}
