/**
 * The shell's handle on its store actions (store-actions.ts): reading and painting the board
 * needs none of their code (nor the store's writes under it), so their module is fetched right
 * after first paint (notes-app.ts). An action that comes before it has arrived waits for it; none is
 * dropped, and once it is here each runs at once. Failures are said from here, so the board's
 * queries can report one before any action has loaded.
 */
import { APP } from '../constants.js';
import type { MoveTarget } from '../db/board-order.js';
import type { NoteRecord, NotesDatabase } from '../db/database.js';
import { explainStorageError } from '../db/explain-storage-error.js';
import { NoteTooLongError } from '../shared/note-basics.js';
import type { NotePatch } from '../shared/note.js';
import type { NoteActions } from './note-actions.js';
import type { ActionsShell, StoreActions } from './store-actions.js';

export class StoreActionsLoader implements NoteActions {
  private loaded: StoreActions | undefined;
  private loading: Promise<StoreActions> | undefined;

  constructor(private readonly shell: ActionsShell) {}

  /** Says why a store operation failed. */
  readonly report = (error: unknown): void => {
    const say = (text: string) => this.shell.say({ text, durationMs: APP.UNDO_SNACKBAR_MS });
    if (error instanceof NoteTooLongError) say(error.message);
    else void explainStorageError(error).then(say);
  };

  /** The actions, once their module is here (a failed download is tried again by the next call). */
  load(): Promise<StoreActions> {
    this.loading ??= import('./store-actions.js').then(
      ({ StoreActions }) => (this.loaded = new StoreActions(this.shell, this.report)),
      (error: unknown) => {
        this.loading = undefined;
        throw error;
      },
    );
    return this.loading;
  }

  /** Runs `action` at once if the actions are here, else when they arrive; a failed download is said like a failed save. */
  private with(action: (actions: StoreActions) => Promise<boolean>): Promise<boolean> {
    if (this.loaded) return action(this.loaded);
    return this.load().then(action, (error: unknown) => {
      this.report(error);
      return false;
    });
  }

  /** Runs one store operation; on failure says why and resolves false (nothing is half-saved). */
  run(operation: (db: NotesDatabase) => Promise<unknown>): Promise<boolean> {
    return this.with((actions) => actions.run(operation));
  }

  add(text: string): Promise<boolean> {
    return this.with((actions) => actions.add(text));
  }

  update(id: string, patch: NotePatch): Promise<boolean> {
    return this.with((actions) => actions.update(id, patch));
  }

  move(id: string, target: MoveTarget): Promise<boolean> {
    return this.with((actions) => actions.move(id, target));
  }

  trash(id: string): Promise<boolean> {
    return this.with((actions) => actions.trash(id));
  }

  restore(id: string): Promise<boolean> {
    return this.with((actions) => actions.restore(id));
  }

  archive(id: string, archived: boolean): Promise<boolean> {
    return this.with((actions) => actions.archive(id, archived));
  }

  deleteForever(id: string): Promise<boolean> {
    return this.with((actions) => actions.deleteForever(id));
  }

  copy(id: string): Promise<boolean> {
    return this.with((actions) => actions.copy(id));
  }

  emptyTrash(): Promise<boolean> {
    return this.with((actions) => actions.emptyTrash());
  }

  /** Opening a note writes nothing: it needs no store code, and opens at once. */
  open(note: NoteRecord): void {
    this.shell.open(note);
  }
}
