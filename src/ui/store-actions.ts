/**
 * The shell's NoteActions over the store: every note change a person makes goes through here,
 * and each failure is said in one place (a snackbar). Destructive and bulk changes (trash, delete
 * forever, empty trash, recolor, archive and unarchive, the selection's actions) are undoable: the store returns what it
 * changed, and the snackbar offers Undo (also Ctrl/Cmd+Z, app-snackbar.ts) for as long as it shows.
 * Loaded right after first paint with the store's write code (store-actions-loader.ts).
 */
import { APP } from '../constants.js';
import type { NoteRecord, NotesDatabase } from '../db/database.js';
import type { MoveTarget } from '../db/board-order.js';
import { DELETE_FOREVER_PATCH, createNote, restoreNote, updateNote } from '../db/notes.js';
import type { UndoSnapshot } from '../db/undo.js';
import { requestPersistenceOnce } from '../platform/storage.js';
import type { NotePatch } from '../shared/note.js';
import type { SnackbarMessage } from './app-snackbar.js';
import type { NoteActions } from './note-actions.js';

/** What the actions need of the shell. */
export interface ActionsShell {
  /** The open notes (waiting while they open), or undefined when they could not be opened. */
  database(): Promise<NotesDatabase | undefined>;
  say(message: SnackbarMessage): void;
  inTrash(): boolean;
  /** Opens a note in the opened-note view. */
  open(note: NoteRecord): void;
  /** Where a note is in the view shown (-1 when it is not). */
  indexOf(id: string): Promise<number>;
  /** Once the note at `index` has left the view, focuses the card that took its place (or the board). */
  focusAfterRemoval(id: string, index: number): void;
}

const plural = (count: number, one: string, many: string) => (count === 1 ? one : many);

/** The undoable changes load with the first of them (fetched ahead after first paint, see notes-app). */
const undo = () => import('../db/undo.js');

export class StoreActions implements NoteActions {
  constructor(
    private readonly shell: ActionsShell,
    /** Says why a store operation failed. */
    private readonly report: (error: unknown) => void,
  ) {}

  /** Runs one store operation; on failure says why and resolves false (nothing is half-saved). */
  async run(operation: (db: NotesDatabase) => Promise<unknown>): Promise<boolean> {
    const db = await this.shell.database();
    if (!db) return false;
    try {
      await operation(db);
      return true;
    } catch (error) {
      this.report(error);
      return false;
    }
  }

  /** A new note on top of the board; the first one saved asks the browser to keep this site's data. */
  async add(text: string): Promise<boolean> {
    const added = await this.run((db) => createNote(db, { text }));
    if (added) void requestPersistenceOnce();
    return added;
  }

  update(id: string, patch: NotePatch): Promise<boolean> {
    // A new color replaces the old one with nothing else keeping it: offered back like a delete.
    if (patch.color !== undefined) return this.changeUndoably([id], patch, () => 'Color changed');
    return this.run((db) => updateNote(db, id, patch));
  }

  /**
   * Board order: a note keeps its place on every other change; this is the only way it moves.
   * The reordering code (and the fractional-indexing package) loads on the first move, after
   * first paint: prefetch() has usually brought it by then.
   */
  move(id: string, target: MoveTarget): Promise<boolean> {
    return this.run(async (db) => (await import('../db/board-order.js')).moveNote(db, id, target));
  }

  trash(id: string): Promise<boolean> {
    return this.removeUndoably(id, { trashed: true }, 'Note moved to trash');
  }

  async restore(id: string): Promise<boolean> {
    let restored: NoteRecord | undefined;
    const done = await this.run(async (db) => (restored = await restoreNote(db, id)));
    // An archived note goes back where it was trashed from: the archive, and the message says so.
    if (done && this.shell.inTrash()) this.shell.say({ text: restored?.archived ? 'Note restored to the archive' : 'Note restored' });
    return done;
  }

  archive(id: string, archived: boolean): Promise<boolean> {
    return this.removeUndoably(id, { archived }, archived ? 'Note archived' : 'Note unarchived');
  }

  deleteForever(id: string): Promise<boolean> {
    return this.removeUndoably(id, DELETE_FOREVER_PATCH, 'Note deleted forever');
  }

  /** Deletes everything in the trash for good (after the shell has asked), undoable as one step. */
  async emptyTrash(): Promise<boolean> {
    let snapshot: UndoSnapshot | undefined;
    const done = await this.run(async (db) => (snapshot = await (await undo()).emptyTrashUndoably(db)));
    if (done && snapshot) this.offerUndo(snapshot, `${snapshot.notes.length} ${plural(snapshot.notes.length, 'note', 'notes')} deleted forever`);
    return done;
  }

  /**
   * One change to many notes in one transaction (one outbox entry per note), undoable as one step;
   * `describe` words what happened for how many notes changed.
   */
  async changeUndoably(ids: readonly string[], patch: NotePatch, describe: (count: number) => string): Promise<boolean> {
    let snapshot: UndoSnapshot | undefined;
    const done = await this.run(async (db) => (snapshot = await (await undo()).changeNotes(db, ids, patch)));
    if (done && snapshot && snapshot.notes.length > 0) this.offerUndo(snapshot, describe(snapshot.notes.length));
    return done;
  }

  /** Copies the notes into new ones on top of the board (Undo deletes the copies). */
  async copyUndoably(ids: readonly string[]): Promise<boolean> {
    let snapshot: UndoSnapshot | undefined;
    const done = await this.run(async (db) => (snapshot = await (await undo()).copyNotes(db, ids)));
    const count = snapshot?.notes.length ?? 0;
    if (done && snapshot && count > 0) this.offerUndo(snapshot, count === 1 ? 'Note copied' : `${count} notes copied`);
    return done;
  }

  copy(id: string): Promise<boolean> {
    return this.copyUndoably([id]);
  }

  /** A change that takes the note out of the view: focus goes to the card that takes its place. */
  private async removeUndoably(id: string, patch: NotePatch, text: string): Promise<boolean> {
    const index = await this.shell.indexOf(id);
    const done = await this.changeUndoably([id], patch, () => text);
    if (done && index >= 0) this.shell.focusAfterRemoval(id, index);
    return done;
  }

  private offerUndo(snapshot: UndoSnapshot, text: string): void {
    this.shell.say({
      text,
      action: { label: 'Undo', undo: true, run: () => void this.run(async (db) => (await undo()).undoChange(db, snapshot)) },
      durationMs: APP.UNDO_SNACKBAR_MS,
    });
  }

  open(note: NoteRecord): void {
    this.shell.open(note);
  }
}
