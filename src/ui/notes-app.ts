/**
 * The app shell: header with search and views, the quick-add field, the board or the trash,
 * messages, settings and the update prompt. It owns the open notes database and is the only
 * element that calls the store; the others ask through NoteActions.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { AccountSession, notesDatabaseName, syncConfigured, type AccountChange, type AccountState } from '../account/session.js';
import { APP } from '../constants.js';
import { countMovableNotes, deleteNotesDatabase, moveNotes } from '../db/accounts.js';
import { exportNotes, importNotes, parseBackup } from '../db/backup.js';
import type { SignInMethod } from '../firebase/config.js';
import type { NoteRecord, NotesDatabase } from '../db/database.js';
import {
  countUnsyncedChanges,
  createNote,
  deleteNoteForever,
  emptyTrash,
  restoreNote,
  touchNote,
  trashNote,
  updateNote,
} from '../db/notes.js';
import { describeStorageError, openNotesDatabase } from '../db/open.js';
import { boardIndexOf, boardNotes, boardWindow, countOpenNotes, matchesSearch, noteById, trashedNotes, type BoardWindow } from '../db/queries.js';
import { deviceId } from '../platform/settings.js';
import { requestPersistenceOnce } from '../platform/storage.js';
import { NoteTooLongError, type NotePatch } from '../shared/note.js';
import { startSync, type SyncHandle } from '../sync/controller.js';
import { discardRejectedChanges, readSyncStatus, summarizeOutbox, type SyncStatus } from '../sync/engine.js';
import { readLaunchIntent, sharedText, type LaunchIntent } from './launch-intent.js';
import { LiveQueryController } from './live-query-controller.js';
import type { BoardMode, NoteActions } from './note-actions.js';
import type { NoteBoard, VisibleRange } from './note-board.js';
import type { NoteComposer, NoteSubmitDetail } from './note-composer.js';
import type { NoteClosedDetail } from './note-editor.js';
import type { AccountDialog } from './account-dialog.js';
import type { AppSnackbar } from './app-snackbar.js';
import type { BackupActions, SettingsPanel } from './settings-panel.js';
import { accountIcon, settingsIcon } from './icons.js';
import { sharedStyles } from './shared-styles.js';
import './app-snackbar.js';
import './note-board.js';
import './note-composer.js';
import './sync-status.js';
import type { OutboxSummary } from './sync-status.js';
import './update-prompt.js';
import type { DevicesPanel } from './devices-panel.js';
import { PushHooks } from '../push/app-hooks.js';

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
      .sync-status {
        font-size: 0.8rem;
        color: var(--rn-muted);
        white-space: nowrap;
      }
      .avatar {
        width: 36px;
        height: 36px;
        border-radius: 50%;
        border: none;
        background: var(--rn-accent);
        color: var(--rn-on-accent);
        font-weight: 700;
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
  /**
   * The opened note (note-editor.ts), as it was when opened (until its live query answers), the
   * view it was opened from, and whether anything was typed (it moves to the top once closed).
   */
  @state() private _opened: { id: string; note: NoteRecord; mode: BoardMode; edited: boolean } | undefined;
  /** The part of the board read from the database: what is in view, and a page either side. */
  private _window = { offset: 0, limit: APP.BOARD_WINDOW_PAGE_NOTES * 3 };
  @state() private _account: AccountState = { kind: 'guest' };
  /** Guest notes found on this device right after a first sign-in, offered to move in. */
  @state() private _guestNotesToMove = 0;
  @state() private _unsyncedAtSignOut = 0;

  @query('note-composer') private _composer!: NoteComposer;
  @query('app-snackbar') private _snackbar!: AppSnackbar;
  @query('settings-panel') private _settingsElement!: SettingsPanel;
  @query('input[type=search]') private _searchInput!: HTMLInputElement;
  @query('note-board') private _board?: NoteBoard;
  @query('#confirm-empty') private _confirmEmpty!: HTMLDialogElement;
  @query('#move-guest-notes') private _moveGuestDialog!: HTMLDialogElement;
  @query('#confirm-sign-out') private _confirmSignOut!: HTMLDialogElement;
  @query('account-dialog') private _accountElement!: AccountDialog;
  @query('devices-panel') private _devicesElement!: DevicesPanel;

  /*
   * The dialogs are not needed for the first paint: each module loads the first time its dialog
   * opens (their tags are in the template already; Lit keeps properties set before the upgrade).
   */
  private async _accountDialog(): Promise<AccountDialog> {
    await import('./account-dialog.js');
    await this._accountElement.updateComplete;
    return this._accountElement;
  }

  private async _settings(): Promise<SettingsPanel> {
    await import('./settings-panel.js');
    await this._settingsElement.updateComplete;
    return this._settingsElement;
  }

  private async _devices(): Promise<DevicesPanel> {
    await import('./devices-panel.js');
    await this._devicesElement.updateComplete;
    return this._devicesElement;
  }
  /** Push: the app badge from the board, this device's channel, notes opened from a notification. */
  private readonly _push = new PushHooks(
    this,
    () => this._boardWindowQuery.value?.notes,
    () => this._openCountQuery.value,
  );

  private readonly _session = new AccountSession();
  /** The account switch in progress, so sign-out can wait for the database to change hands. */
  private _switching: Promise<void> = Promise.resolve();

  private readonly _report = (error: unknown) => {
    const text = error instanceof NoteTooLongError ? error.message : describeStorageError(error);
    this._snackbar?.show({ text, durationMs: APP.UNDO_SNACKBAR_MS });
  };
  private readonly _boardWindowQuery = new LiveQueryController<BoardWindow>(this, this._report);
  /** Every board note, read only while a search is typed (it looks at all of them). */
  private readonly _searchQuery = new LiveQueryController<NoteRecord[]>(this, this._report);
  private readonly _openCountQuery = new LiveQueryController<number>(this, this._report);
  private readonly _trashQuery = new LiveQueryController<NoteRecord[]>(this, this._report);
  private readonly _outboxQuery = new LiveQueryController<OutboxSummary>(this, this._report);
  private readonly _syncStatusQuery = new LiveQueryController<SyncStatus | undefined>(this, this._report);
  private readonly _openedQuery = new LiveQueryController<NoteRecord | undefined>(this, this._report);
  /** Sync of the signed-in account, while its notes are open in this tab. */
  private _sync: SyncHandle | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('keydown', this._onShortcut);
    void this._start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('keydown', this._onShortcut);
    this._unsubscribeSession?.();
    this._stopSync();
  }

  private _unsubscribeSession: (() => void) | undefined;

  /**
   * Opens the notes of the account used last (no network, no Firebase), paints them, and only
   * then loads sign-in, which confirms the account or switches it.
   */
  private async _start(): Promise<void> {
    this._account = await this._session.restore();
    await this._useDatabase(notesDatabaseName(this._account));
    await this.updateComplete;
    const intent = await this._handleLaunchIntent();
    // The opened note is not needed for the first paint; fetched now, it opens at once on a first click.
    setTimeout(() => void import('./note-editor.js'), 0);
    if (!syncConfigured) return;
    await new Promise((resolve) => setTimeout(resolve, 0));
    this._unsubscribeSession = this._session.subscribe((change) => {
      this._switching = this._onAccountChange(change);
    });
    try {
      await this._session.watchAuth();
      this._startSync();
      if (intent.kind === 'email-sign-in') await (await this._accountDialog()).finishEmailLink(intent.url);
    } catch (error) {
      // Sign-in could not load (offline on a first visit, say): the app stays fully usable locally.
      console.warn('Sign-in is unavailable for now', error);
    }
  }

  /** Points the app at one notes database, closing the previous one. */
  private async _useDatabase(name: string): Promise<void> {
    const current = this._storage.status === 'ready' ? this._storage.db : undefined;
    if (current?.name === name) return;
    this._stopSync();
    this._opened = undefined;
    for (const query of this._queries) query.setQuery(undefined);
    current?.close();
    try {
      const db = await openNotesDatabase(name, await deviceId());
      this._storage = { status: 'ready', db };
      this._window = { offset: 0, limit: APP.BOARD_WINDOW_PAGE_NOTES * 3 };
      this._boardWindowQuery.setQuery(() => boardWindow(db, this._window.offset, this._window.limit));
      this._openCountQuery.setQuery(() => countOpenNotes(db));
      if (this._search.trim() !== '') this._searchQuery.setQuery(() => boardNotes(db));
      this._trashQuery.setQuery(() => trashedNotes(db));
      this._outboxQuery.setQuery(() => summarizeOutbox(db));
      this._syncStatusQuery.setQuery(() => readSyncStatus(db));
    } catch (error) {
      this._storage = { status: 'failed', message: describeStorageError(error) };
    }
  }

  private get _queries() {
    return [this._boardWindowQuery, this._searchQuery, this._openCountQuery, this._trashQuery, this._outboxQuery, this._syncStatusQuery, this._openedQuery];
  }

  /** Syncs the open account's notes (one tab per account does the work; see src/sync/controller.ts). */
  private _startSync(): void {
    this._stopSync();
    if (this._account.kind !== 'account' || this._storage.status !== 'ready') return;
    this._sync = startSync(this._storage.db, this._account.account.uid);
  }

  private _stopSync(): void {
    this._sync?.stop();
    this._sync = undefined;
  }

  private _discardRejected = async () => {
    if (await this._run((db) => discardRejectedChanges(db))) {
      this._startSync();
      this._snackbar.show({ text: 'Refused changes discarded; the server’s version is coming back.' });
    }
  };

  private async _onAccountChange({ state, reason }: AccountChange): Promise<void> {
    const wasGuest = this._account.kind === 'guest';
    this._account = state;
    await this._useDatabase(notesDatabaseName(state));
    if (!this._sync) this._startSync();
    if (state.kind === 'account') this._push.refreshThisDevice(state.account);
    if (reason === 'signed-in' && wasGuest) await this._offerGuestNotes();
  }

  private async _offerGuestNotes(): Promise<void> {
    let guest: NotesDatabase | undefined;
    try {
      guest = await openNotesDatabase(APP.GUEST_DB_NAME, await deviceId());
      this._guestNotesToMove = await countMovableNotes(guest);
    } catch {
      this._guestNotesToMove = 0;
    } finally {
      guest?.close();
    }
    if (this._guestNotesToMove > 0) {
      await this.updateComplete;
      this._moveGuestDialog.showModal();
    }
  }

  private _moveGuestNotes = async () => {
    this._moveGuestDialog.close();
    let moved = 0;
    const done = await this._run(async (db) => {
      const guest = await openNotesDatabase(APP.GUEST_DB_NAME, await deviceId());
      try {
        moved = await moveNotes(guest, db);
      } finally {
        guest.close();
      }
    });
    if (done) this._snackbar.show({ text: `Moved ${moved} ${moved === 1 ? 'note' : 'notes'} into your account` });
  };

  private _onSignOutRequested = async () => {
    this._unsyncedAtSignOut = this._storage.status === 'ready' ? await countUnsyncedChanges(this._storage.db) : 0;
    (await this._accountDialog()).close();
    if (this._unsyncedAtSignOut > 0) this._confirmSignOut.showModal();
    else await this._signOut();
  };

  /** Signs out and removes this account's notes from the device; the guest notes come back. */
  private _signOut = async () => {
    this._confirmSignOut.close();
    // While still signed in (the channel delete needs the owner); never blocks signing out.
    await this._push.removeThisDevice();
    const name = notesDatabaseName(this._account);
    // Stop syncing first: the outbox is kept until the database goes, so nothing is lost mid-sync.
    this._stopSync();
    try {
      const { signOutOfFirebase } = await import('../firebase/auth.js');
      await signOutOfFirebase();
      await this._session.apply({ kind: 'guest' }, 'signed-out');
      await this._switching;
      await deleteNotesDatabase(name);
      this._snackbar.show({ text: 'Signed out. Your notes were removed from this device.' });
    } catch (error) {
      this._snackbar.show({ text: `Signing out failed: ${error instanceof Error ? error.message : String(error)}` });
    }
  };

  private _onAccountUpdated = (event: CustomEvent<SignInMethod[]>) => {
    if (this._account.kind !== 'account') return;
    void this._session.apply({ kind: 'account', account: { ...this._account.account, methods: event.detail } }, 'updated');
  };

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
    update: (id: string, patch: NotePatch) => {
      // Saves while typing keep the note in place; it moves to the top once the note is closed.
      const typing = this._opened?.id === id && patch.text !== undefined;
      if (typing && !this._opened!.edited) this._opened = { ...this._opened!, edited: true };
      return this._run((db) => updateNote(db, id, patch, Date.now, { keepPlace: typing }));
    },
    trash: async (id: string) => {
      const done = await this._run((db) => trashNote(db, id));
      if (done) {
        this._snackbar.show({
          text: 'Note moved to trash',
          action: { label: 'Undo', run: () => void this._actions.restore(id) },
          durationMs: APP.UNDO_SNACKBAR_MS,
        });
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
    open: (note: NoteRecord) => void this._open(note),
  };

  /** Opens a note in note-editor.ts (its module loads on first use) and follows it live. */
  private async _open(note: NoteRecord): Promise<void> {
    if (this._opened || this._storage.status !== 'ready') return;
    const db = this._storage.db;
    this._opened = { id: note.id, note, mode: this._view, edited: false };
    this._openedQuery.setQuery(() => noteById(db, note.id));
    await import('./note-editor.js');
  }

  private _onNoteClosed = (event: CustomEvent<NoteClosedDetail>) => {
    const opened = this._opened;
    if (!opened || opened.id !== event.detail.id) return;
    this._opened = undefined;
    this._openedQuery.setQuery(undefined);
    void (async () => {
      if (opened.edited) await this._run((db) => touchNote(db, opened.id));
      await this._focusNote(opened.id);
    })();
  };

  private _renderOpenedNote() {
    const opened = this._opened;
    if (!opened) return nothing;
    const note = this._openedQuery.value ?? opened.note;
    return html`<note-editor .note=${note} .mode=${opened.mode} .actions=${this._actions} @note-closed=${this._onNoteClosed}></note-editor>`;
  }

  private async _focusNote(id: string): Promise<void> {
    await this.updateComplete;
    const content = this._boardContent();
    let index = content.notes.findIndex((note) => note.id === id);
    if (index >= 0) index += content.offset;
    else if (this._view === 'board' && this._search.trim() === '' && this._storage.status === 'ready') {
      index = await boardIndexOf(this._storage.db, id);
    }
    await this._board?.focusCard(index);
  }

  /** The board asks for the notes it shows; read them in pages, with a page of margin either side. */
  private _onVisibleRange = (event: CustomEvent<VisibleRange>) => {
    const page = APP.BOARD_WINDOW_PAGE_NOTES;
    const offset = Math.max(0, Math.floor(event.detail.first / page) * page - page);
    const limit = Math.ceil((event.detail.last + 1) / page) * page + page - offset;
    if (offset === this._window.offset && limit === this._window.limit) return;
    this._window = { offset, limit };
    if (this._storage.status !== 'ready') return;
    const db = this._storage.db;
    this._boardWindowQuery.setQuery(() => boardWindow(db, offset, limit), { keepValue: true });
  };

  private _onSearchInput = (event: InputEvent) => this._setSearch((event.target as HTMLInputElement).value);

  private _setSearch(value: string): void {
    const wasSearching = this._search.trim() !== '';
    this._search = value;
    const searching = value.trim() !== '';
    if (searching === wasSearching || this._storage.status !== 'ready') return;
    const db = this._storage.db;
    this._searchQuery.setQuery(searching ? () => boardNotes(db) : undefined);
  }

  /** Opened from a notification (/?note=<id>): the note opens, over the board. */
  private async _openNote(id: string): Promise<void> {
    if (this._view !== 'board') this._showView('board');
    const note = (await this._push.waitForNote(id, APP.OPEN_NOTE_WAIT_MS)) ? this._boardWindowQuery.value?.notes.find((n) => n.id === id) : undefined;
    if (note) await this._open(note);
    else this._snackbar.show({ text: 'That note is not on this device yet, or it was deleted.' });
  }

  private async _addNote(text: string): Promise<boolean> {
    const added = await this._run((db) => createNote(db, { text }));
    if (added) void requestPersistenceOnce();
    return added;
  }

  private _onSubmit = async (event: CustomEvent<NoteSubmitDetail>) => {
    if (await this._addNote(event.detail.text)) event.detail.accepted();
  };

  /**
   * Share target, the "New note" shortcut and email sign-in links arrive as URLs; each is handled
   * once and the address cleared, so a reload does not repeat it.
   */
  private async _handleLaunchIntent(): Promise<LaunchIntent> {
    const intent = readLaunchIntent(location);
    if (intent.kind === 'none') return intent;
    history.replaceState(null, '', '/');
    if (intent.kind === 'new-note') this._composer?.focus();
    if (intent.kind === 'open-note') void this._openNote(intent.noteId);
    if (intent.kind !== 'share') return intent;
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
    return intent;
  }

  private _lastFiltered: { source: NoteRecord[] | undefined; search: string; result: BoardWindow } | undefined;

  /**
   * What the board shows: a window of the board, or (searching, or in the trash) every matching
   * note, filtered in memory as the person types and memoized per input.
   */
  private _boardContent(): BoardWindow {
    const searching = this._search.trim() !== '';
    if (this._view === 'board' && !searching) return this._boardWindowQuery.value ?? { total: 0, offset: 0, notes: [] };
    const source = this._view === 'board' ? this._searchQuery.value : this._trashQuery.value;
    const last = this._lastFiltered;
    if (last && last.source === source && last.search === this._search) return last.result;
    const notes = searching ? (source ?? []).filter((note) => matchesSearch(note, this._search)) : (source ?? []);
    const result = { total: notes.length, offset: 0, notes };
    this._lastFiltered = { source, search: this._search, result };
    return result;
  }

  override render() {
    const storage = this._storage;
    const content = this._boardContent();
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
            @input=${this._onSearchInput}
            @keydown=${this._onSearchKeydown}
          />
        </div>
        <nav aria-label="Views">
          ${this._viewButton('board', 'Notes')} ${this._viewButton('trash', `Trash${trashCount ? ` (${trashCount})` : ''}`)}
          <button class="icon-button" aria-label="Settings" title="Settings" @click=${async () => (await this._settings()).open()}>${settingsIcon}</button>
          ${this._renderAccountButton()}
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
          ${this._account.kind === 'account'
            ? html`<sync-status
                .status=${this._syncStatusQuery.value}
                .outbox=${this._outboxQuery.value ?? { pending: 0, rejected: [] }}
                @discard-rejected=${this._discardRejected}
              ></sync-status>`
            : nothing}
          ${this._view === 'trash' && trashCount > 0
            ? html`<button class="text-button" @click=${() => this._confirmEmpty.showModal()}>Empty trash</button>`
            : nothing}
        </div>
        ${content.total === 0 ? html`<p class="empty">${this._emptyText(storage)}</p>` : nothing}
        <note-board
          .total=${content.total}
          .windowOffset=${content.offset}
          .notes=${content.notes}
          @visible-range=${this._onVisibleRange}
          .actions=${this._actions}
          .mode=${this._view}
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
      <dialog id="move-guest-notes" aria-labelledby="move-guest-title">
        <p id="move-guest-title">
          This device has ${this._guestNotesToMove} ${this._guestNotesToMove === 1 ? 'note' : 'notes'} from before you
          signed in. Move ${this._guestNotesToMove === 1 ? 'it' : 'them'} into your account, so ${this._guestNotesToMove === 1 ? 'it roams' : 'they roam'}
          with you?
        </p>
        <div class="actions">
          <button class="text-button" @click=${() => this._moveGuestDialog.close()}>Not now</button>
          <button class="text-button primary" @click=${this._moveGuestNotes}>Move into my account</button>
        </div>
      </dialog>
      <dialog id="confirm-sign-out" aria-labelledby="confirm-sign-out-title">
        <p id="confirm-sign-out-title">
          ${this._unsyncedAtSignOut} ${this._unsyncedAtSignOut === 1 ? 'change' : 'changes'} on this device
          ${this._unsyncedAtSignOut === 1 ? 'has' : 'have'} not synced yet. Signing out removes this account's notes
          from this device, and those changes with them.
        </p>
        <div class="actions">
          <button class="text-button" @click=${() => this._confirmSignOut.close()}>Stay signed in</button>
          <button class="text-button primary" @click=${this._signOut}>Sign out anyway</button>
        </div>
      </dialog>
      <account-dialog
        .state=${this._account}
        @sign-out-requested=${this._onSignOutRequested}
        @account-updated=${this._onAccountUpdated}
        @devices-requested=${async () => (await this._devices()).open()}
      ></account-dialog>
      <devices-panel .account=${this._account.kind === 'account' ? this._account.account : undefined}></devices-panel>
      ${this._renderOpenedNote()}
      <app-snackbar></app-snackbar>
      <settings-panel .backup=${storage.status === 'ready' ? this._backupActions(storage.db) : undefined}></settings-panel>
      <update-prompt></update-prompt>
    `;
  }

  private _backupActions(db: NotesDatabase): BackupActions {
    return {
      exportNotes: () => exportNotes(db),
      importFile: (text: string) => importNotes(db, parseBackup(text).notes),
    };
  }

  private _renderAccountButton() {
    if (!syncConfigured) {
      return html`<span class="sync-status" role="status" title="This copy of the app has no Firebase configuration; notes stay on this device."
        >Sync is not set up</span
      >`;
    }
    const account = this._account;
    if (account.kind === 'guest') {
      return html`<button class="text-button" @click=${async () => (await this._accountDialog()).open()}>Sign in</button>`;
    }
    const name = account.account.displayName ?? account.account.email ?? '';
    const initial = name.trim().charAt(0).toUpperCase();
    return html`<button class="avatar" aria-label=${`Account: ${name || 'signed in'}`} title=${name} @click=${async () => (await this._accountDialog()).open()}>
      ${initial || accountIcon}
    </button>`;
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
    this._opened = undefined;
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
      this._setSearch('');
      this._searchInput.blur();
    }
  };

  /** n: new note, /: search. Ignored while typing in a field, and while a note is open. */
  private _onShortcut = (event: KeyboardEvent) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || this._opened) return;
    const target = event.composedPath()[0];
    const typing =
      target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
    if (typing) {
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
