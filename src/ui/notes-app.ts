/**
 * The app shell: header with search and views, the quick-add field, the board or the trash,
 * messages, settings and the update prompt. It owns the open notes database and is the only
 * element that calls the store; the others ask through NoteActions.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { APP } from '../constants.js';
import type { NoteRecord, NotesDatabase } from '../db/database.js';
import {
  createNote,
  deleteNoteForever,
  emptyTrash,
  restoreNote,
  trashNote,
  updateNote,
} from '../db/notes.js';
import { describeStorageError, openNotesDatabase } from '../db/open.js';
import { boardNotes, matchesSearch, sortForBoard, trashedNotes } from '../db/queries.js';
import { requestPersistenceOnce } from '../platform/storage.js';
import { NoteTooLongError, type NotePatch } from '../shared/note.js';
import { readLaunchIntent, sharedText } from './launch-intent.js';
import { LiveQueryController } from './live-query-controller.js';
import type { BoardMode, NoteActions } from './note-actions.js';
import type { NoteBoard } from './note-board.js';
import type { NoteComposer, NoteSubmitDetail } from './note-composer.js';
import type { AppSnackbar } from './app-snackbar.js';
import type { SettingsPanel } from './settings-panel.js';
import { settingsIcon } from './icons.js';
import { sharedStyles } from './shared-styles.js';
import './app-snackbar.js';
import './note-board.js';
import './note-composer.js';
import './settings-panel.js';
import './update-prompt.js';

type StorageState = { status: 'opening' } | { status: 'ready'; db: NotesDatabase } | { status: 'failed'; message: string };

@customElement('notes-app')
export class NotesApp extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
        min-height: 100vh;
      }
      header {
        position: sticky;
        top: 0;
        z-index: 5;
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 8px 12px;
        padding: calc(8px + env(safe-area-inset-top)) 16px 8px;
        background: var(--rn-bar);
        border-bottom: 1px solid var(--rn-border);
      }
      h1 {
        margin: 0;
        font-size: 1.15rem;
        white-space: nowrap;
      }
      .search {
        flex: 1 1 240px;
        order: 3;
      }
      @media (min-width: 700px) {
        .search {
          order: 0;
          max-width: 560px;
          margin: 0 auto;
        }
      }
      input[type='search'] {
        width: 100%;
        min-height: 40px;
        padding: 0 14px;
        border: 1px solid var(--rn-border);
        border-radius: 999px;
        font: inherit;
        color: inherit;
        background: var(--rn-surface);
      }
      nav {
        display: flex;
        gap: 4px;
        margin-left: auto;
      }
      nav button[aria-current='page'] {
        background: var(--rn-pressed);
        border-color: transparent;
      }
      main {
        max-width: 1400px;
        margin: 0 auto;
        padding: 16px;
      }
      note-composer {
        max-width: 640px;
        margin: 0 auto 20px;
      }
      .banner {
        margin: 0 0 16px;
        padding: 12px 16px;
        border-radius: 12px;
        background: var(--rn-error-container);
        color: var(--rn-on-error-container);
      }
      .toolbar {
        display: flex;
        align-items: center;
        justify-content: space-between;
        gap: 12px;
        margin-bottom: 12px;
      }
      h2 {
        margin: 0;
        font-size: 1rem;
        font-weight: 600;
        color: var(--rn-muted);
      }
      .empty {
        margin: 48px auto;
        text-align: center;
        color: var(--rn-muted);
      }
      dialog {
        border: none;
        border-radius: 16px;
        padding: 20px;
        background: var(--rn-surface);
        color: var(--rn-on-surface);
      }
      dialog::backdrop {
        background: rgb(0 0 0 / 0.35);
      }
      dialog .actions {
        display: flex;
        justify-content: flex-end;
        gap: 8px;
        margin-top: 16px;
      }
    `,
  ];

  @state() private _storage: StorageState = { status: 'opening' };
  @state() private _view: BoardMode = 'board';
  @state() private _search = '';
  @state() private _editing: { id: string; updatedAt: number } | undefined;

  @query('note-composer') private _composer!: NoteComposer;
  @query('app-snackbar') private _snackbar!: AppSnackbar;
  @query('settings-panel') private _settings!: SettingsPanel;
  @query('input[type=search]') private _searchInput!: HTMLInputElement;
  @query('note-board') private _board?: NoteBoard;
  @query('#confirm-empty') private _confirmEmpty!: HTMLDialogElement;

  private readonly _report = (error: unknown) => {
    const text = error instanceof NoteTooLongError ? error.message : describeStorageError(error);
    this._snackbar?.show({ text, durationMs: APP.UNDO_SNACKBAR_MS });
  };
  private readonly _boardQuery = new LiveQueryController<NoteRecord[]>(this, this._report);
  private readonly _trashQuery = new LiveQueryController<NoteRecord[]>(this, this._report);

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('keydown', this._onShortcut);
    void this._open();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('keydown', this._onShortcut);
  }

  private async _open(): Promise<void> {
    try {
      const db = await openNotesDatabase(APP.GUEST_DB_NAME);
      this._storage = { status: 'ready', db };
      this._boardQuery.setQuery(() => boardNotes(db));
      this._trashQuery.setQuery(() => trashedNotes(db));
    } catch (error) {
      this._storage = { status: 'failed', message: describeStorageError(error) };
    }
    await this.updateComplete;
    await this._handleLaunchIntent();
  }

  /** Runs one store operation; on failure says why and resolves false (nothing is half-saved). */
  private async _run(operation: (db: NotesDatabase) => Promise<unknown>): Promise<boolean> {
    if (this._storage.status !== 'ready') return false;
    try {
      await operation(this._storage.db);
      return true;
    } catch (error) {
      this._report(error);
      return false;
    }
  }

  private readonly _actions: NoteActions = {
    update: (id: string, patch: NotePatch) => this._run((db) => updateNote(db, id, patch)),
    trash: async (id: string) => {
      const done = await this._run((db) => trashNote(db, id));
      if (done) {
        this._snackbar.show({
          text: 'Note moved to trash',
          action: { label: 'Undo', run: () => void this._actions.restore(id) },
          durationMs: APP.UNDO_SNACKBAR_MS,
        });
        if (this._editing?.id === id) this._editing = undefined;
      }
      return done;
    },
    restore: async (id: string) => {
      const done = await this._run((db) => restoreNote(db, id));
      if (done && this._view === 'trash') this._snackbar.show({ text: 'Note restored' });
      return done;
    },
    deleteForever: async (id: string) => {
      const done = await this._run((db) => deleteNoteForever(db, id));
      if (done) this._snackbar.show({ text: 'Note deleted forever' });
      return done;
    },
    startEditing: (note: NoteRecord) => {
      this._editing = { id: note.id, updatedAt: note.updatedAt };
    },
    stopEditing: () => {
      const id = this._editing?.id;
      this._editing = undefined;
      if (id) void this._focusNote(id);
    },
  };

  private async _focusNote(id: string): Promise<void> {
    await this.updateComplete;
    const index = this._visibleNotes().findIndex((note) => note.id === id);
    await this._board?.focusCard(index);
  }

  private async _addNote(text: string): Promise<boolean> {
    const added = await this._run((db) => createNote(db, { text }));
    if (added) void requestPersistenceOnce();
    return added;
  }

  private _onSubmit = async (event: CustomEvent<NoteSubmitDetail>) => {
    if (await this._addNote(event.detail.text)) event.detail.accepted();
  };

  /** Share target and the "New note" shortcut arrive as URLs; each is handled once, then cleared. */
  private async _handleLaunchIntent(): Promise<void> {
    const intent = readLaunchIntent(location);
    if (intent.kind === 'none') return;
    history.replaceState(null, '', '/');
    if (intent.kind === 'new-note') {
      this._composer?.focus();
      return;
    }
    const text = sharedText(intent);
    if (text === '') {
      this._snackbar.show({ text: 'Nothing to add: the shared item had no text.' });
    } else if (this._storage.status !== 'ready') {
      this._composer?.setText(text);
    } else {
      try {
        await createNote(this._storage.db, { text });
        void requestPersistenceOnce();
        this._snackbar.show({ text: 'Shared text added as a note' });
      } catch (error) {
        // Keep what was shared: it waits in the quick-add field with the reason it was not saved.
        this._composer?.setText(text);
        this._report(error);
      }
    }
  }

  private _lastVisible: { source: NoteRecord[] | undefined; search: string; editing: unknown; result: NoteRecord[] } | undefined;

  /** The notes of the current view, filtered by the search, memoized per input. */
  private _visibleNotes(): NoteRecord[] {
    const source = this._view === 'board' ? this._boardQuery.value : this._trashQuery.value;
    const editing = this._view === 'board' ? this._editing : undefined;
    const last = this._lastVisible;
    if (last && last.source === source && last.search === this._search && last.editing === editing) return last.result;
    let result = source ?? [];
    if (editing) result = sortForBoard([...result], editing);
    if (this._search.trim() !== '') result = result.filter((note) => matchesSearch(note, this._search));
    this._lastVisible = { source, search: this._search, editing, result };
    return result;
  }

  override render() {
    const storage = this._storage;
    const notes = this._visibleNotes();
    const trashCount = this._trashQuery.value?.length ?? 0;
    return html`
      <header>
        <h1>Roaming Notes</h1>
        <div class="search" role="search">
          <label class="visually-hidden" for="search">Search notes</label>
          <input
            id="search"
            type="search"
            placeholder="Search notes ( / )"
            .value=${this._search}
            @input=${(e: InputEvent) => (this._search = (e.target as HTMLInputElement).value)}
            @keydown=${this._onSearchKeydown}
          />
        </div>
        <nav aria-label="Views">
          ${this._viewButton('board', 'Notes')} ${this._viewButton('trash', `Trash${trashCount ? ` (${trashCount})` : ''}`)}
          <button class="icon-button" aria-label="Settings" title="Settings" @click=${() => this._settings.open()}>${settingsIcon}</button>
        </nav>
      </header>
      <main>
        ${storage.status === 'failed'
          ? html`<div class="banner" role="alert" data-testid="storage-banner">${storage.message}</div>`
          : nothing}
        ${this._view === 'board'
          ? html`<note-composer ?disabled=${storage.status === 'failed'} @note-submit=${this._onSubmit}></note-composer>`
          : nothing}
        <div class="toolbar">
          <h2 id="view-title">${this._view === 'board' ? 'Notes' : 'Trash'}</h2>
          ${this._view === 'trash' && trashCount > 0
            ? html`<button class="text-button" @click=${() => this._confirmEmpty.showModal()}>Empty trash</button>`
            : nothing}
        </div>
        ${notes.length === 0 ? html`<p class="empty">${this._emptyText(storage)}</p>` : nothing}
        <note-board
          .notes=${notes}
          .actions=${this._actions}
          .mode=${this._view}
          .editingId=${this._view === 'board' ? this._editing?.id : undefined}
          .label=${this._view === 'board' ? 'Notes' : 'Notes in the trash'}
        ></note-board>
      </main>
      <dialog id="confirm-empty" aria-labelledby="confirm-empty-title">
        <p id="confirm-empty-title">Delete ${trashCount === 1 ? 'the note' : `all ${trashCount} notes`} in the trash forever?</p>
        <div class="actions">
          <button class="text-button" @click=${() => this._confirmEmpty.close()}>Cancel</button>
          <button class="text-button primary" @click=${this._emptyTrash}>Delete forever</button>
        </div>
      </dialog>
      <app-snackbar></app-snackbar>
      <settings-panel></settings-panel>
      <update-prompt></update-prompt>
    `;
  }

  private _viewButton(view: BoardMode, label: string) {
    return html`<button
      class="text-button"
      aria-current=${this._view === view ? 'page' : 'false'}
      @click=${() => this._showView(view)}
    >${label}</button>`;
  }

  private _showView(view: BoardMode): void {
    this._view = view;
    this._editing = undefined;
    window.scrollTo({ top: 0 });
  }

  private _emptyText(storage: StorageState): string {
    if (storage.status === 'opening') return '';
    if (this._search.trim() !== '') return `No notes match “${this._search.trim()}”.`;
    if (this._view === 'trash') return 'The trash is empty.';
    return storage.status === 'failed' ? '' : 'No notes yet. Type one above, or press n.';
  }

  private _emptyTrash = async () => {
    this._confirmEmpty.close();
    let count = 0;
    if (await this._run(async (db) => (count = await emptyTrash(db)))) {
      this._snackbar.show({ text: `${count} ${count === 1 ? 'note' : 'notes'} deleted forever` });
    }
  };

  private _onSearchKeydown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      this._search = '';
      this._searchInput.blur();
    }
  };

  /** n: new note, /: search, Esc: stop editing. Ignored while typing in a field. */
  private _onShortcut = (event: KeyboardEvent) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.composedPath()[0];
    const typing =
      target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
    if (event.key === 'Escape' && this._editing) {
      this._actions.stopEditing();
    } else if (typing) {
      return;
    } else if (event.key === 'n') {
      event.preventDefault();
      if (this._view !== 'board') this._showView('board');
      void this.updateComplete.then(() => this._composer?.focus());
    } else if (event.key === '/') {
      event.preventDefault();
      this._searchInput.focus();
    }
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'notes-app': NotesApp;
  }
}
