/**
 * Select several notes: which are selected (Shift/Ctrl/Cmd-click or a long press on a card, see
 * note-board.ts), the selection bar while any are, and its actions. Each action is one store
 * transaction over all selected notes (one outbox entry per note) and one Undo; the selection is
 * cleared after it, by Esc, by the bar's close button, and when the view or the database changes.
 * The shell loads this module (with the bar) on the first selection, off the first paint's bytes.
 */
import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { NoteRecord } from '../db/database.js';
import type { NoteColor } from '../shared/note.js';
import type { NoteSelectDetail } from './board-selection.js';
import './selection-bar.js';
import type { SelectionActions } from './selection-bar.js';
import type { StoreActions } from './store-actions.js';

const plural = (count: number, one: string, many: string) => (count === 1 ? one : many);
const notesWord = (count: number) => `${count} ${plural(count, 'note', 'notes')}`;

export class SelectionController implements ReactiveController, SelectionActions {
  private _ids: ReadonlySet<string> = new Set();

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly store: StoreActions,
    /** The notes the view holds now (for whether all selected are pinned, done or archived). */
    private readonly shownNotes: () => readonly NoteRecord[] | undefined,
  ) {
    host.addController(this);
  }

  get ids(): ReadonlySet<string> {
    return this._ids;
  }

  hostConnected(): void {
    window.addEventListener('keydown', this._onKeydown);
  }

  hostDisconnected(): void {
    window.removeEventListener('keydown', this._onKeydown);
  }

  readonly onSelect = (event: CustomEvent<NoteSelectDetail>): void => {
    const next = new Set(this._ids);
    const { ids, mode } = event.detail;
    for (const id of ids) {
      if (mode === 'toggle' && next.has(id)) next.delete(id);
      else next.add(id);
    }
    this._set(next);
  };

  clear(): void {
    if (this._ids.size > 0) this._set(new Set());
  }

  private _set(ids: ReadonlySet<string>): void {
    this._ids = ids;
    this.host.requestUpdate();
  }

  private _onKeydown = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && !event.defaultPrevented && this._ids.size > 0) this.clear();
  };

  /** Runs one bulk change over the selection, then clears it (the snackbar offers Undo). */
  private _change(patch: Parameters<StoreActions['changeUndoably']>[1], describe: (count: number) => string): void {
    const ids = [...this._ids];
    this.clear();
    void this.store.changeUndoably(ids, patch, describe);
  }

  color(color: NoteColor): void {
    this._change({ color }, (n) => `Color changed on ${notesWord(n)}`);
  }

  pin(pinned: boolean): void {
    this._change({ pinned }, (n) => `${notesWord(n)} ${pinned ? 'pinned' : 'unpinned'}`);
  }

  done(done: boolean): void {
    this._change({ done }, (n) => `${notesWord(n)} marked ${done ? 'done' : 'not done'}`);
  }

  archive(archived: boolean): void {
    this._change({ archived }, (n) => `${notesWord(n)} ${archived ? 'archived' : 'unarchived'}`);
  }

  trash(): void {
    this._change({ trashed: true }, (n) => `${notesWord(n)} moved to trash`);
  }

  copy(): void {
    const ids = [...this._ids];
    this.clear();
    void this.store.copyUndoably(ids);
  }

  render() {
    const count = this._ids.size;
    if (count === 0) return nothing;
    const selected = (this.shownNotes() ?? []).filter((note) => this._ids.has(note.id));
    const all = (field: 'pinned' | 'done' | 'archived') => selected.length === count && selected.every((note) => note[field] === true);
    return html`<selection-bar
      .count=${count}
      ?allPinned=${all('pinned')}
      ?allDone=${all('done')}
      ?allArchived=${all('archived')}
      .actions=${this}
    ></selection-bar>`;
  }
}
