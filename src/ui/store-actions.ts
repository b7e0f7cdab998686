/**
 * The shell's NoteActions over the store: every note change a person makes goes through here,
 * each failure is said in one place (a snackbar), and which note is being typed into is kept
 * here too, since saving while typing and ending the edit depend on it.
 */
import type { ReactiveControllerHost } from 'lit';
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
  focusNote(id: string): Promise<void>;
}

export class StoreActions implements NoteActions {
  /** The note being typed into. */
  editing: { id: string } | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly shell: ActionsShell,
  ) {}

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

  private setEditing(editing: StoreActions['editing']): void {
    this.editing = editing;
    this.host.requestUpdate();
  }

  /** Forgets the note being edited (another view, another database) without saving anything more. */
  forgetEditing(): void {
    this.setEditing(undefined);
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
      if (this.editing?.id === id) this.setEditing(undefined);
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

  startEditing(note: NoteRecord): void {
    this.setEditing({ id: note.id });
  }

  stopEditing(): void {
    const editing = this.editing;
    this.setEditing(undefined);
    if (!editing) return;
    void this.shell.focusNote(editing.id);
  }
}
