/**
 * The shell's NoteActions over the store: every note change a person makes goes through here,
 * each failure is said in one place (a snackbar), and which note is being typed into is kept
 * here too, since saving while typing and ending the edit depend on it.
 */
import type { ReactiveControllerHost } from 'lit';
import { APP } from '../constants.js';
import type { NoteRecord, NotesDatabase } from '../db/database.js';
import { deleteNoteForever, restoreNote, touchNote, trashNote, updateNote } from '../db/notes.js';
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
  /** The note being typed into, and whether anything was saved (it moves to the top when done). */
  editing: { id: string; edited: boolean } | undefined;

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
    // Saves while typing keep the note in place; it moves to the top once editing ends.
    const typing = this.editing?.id === id && patch.text !== undefined;
    if (typing) this.setEditing({ id, edited: true });
    return this.run((db) => updateNote(db, id, patch, Date.now, { keepPlace: typing }));
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
    this.setEditing({ id: note.id, edited: false });
  }

  stopEditing(): void {
    const editing = this.editing;
    this.setEditing(undefined);
    if (!editing) return;
    void (async () => {
      if (editing.edited) await this.run((db) => touchNote(db, editing.id));
      await this.shell.focusNote(editing.id);
    })();
  }
}
