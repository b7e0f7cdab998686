/**
 * The app shell: header with search and views, the quick-add field, the board or the trash,
 * messages, settings and the update prompt. It renders; whose notes are open and their sync
 * belong to AccountLifecycle, what the board shows to BoardController. It is the only element
 * that calls the store; the others ask through NoteActions.
 */
import { LitElement, html, nothing } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { AccountLifecycle, type StorageState } from '../account/lifecycle.js';
import type { AccountChange } from '../account/session.js';
import { APP } from '../constants.js';
import { exportNotes, importNotes, parseBackup } from '../db/backup.js';
import type { SignInMethod } from '../firebase/config.js';
import type { NotesDatabase } from '../db/database.js';
import { countUnsyncedChanges, createNote } from '../db/notes.js';
import { requestPersistenceOnce } from '../platform/storage.js';
import { discardRejectedChanges, readSyncStatus, summarizeOutbox, type SyncStatus } from '../db/sync-state.js';
import { BoardController } from './board-controller.js';
import type { ConfirmDialog } from './confirm-dialog.js';
import { readLaunchIntent, sharedText, type LaunchIntent } from './launch-intent.js';
import { LiveQueryController } from './live-query-controller.js';
import { OpenedNoteController } from './opened-note-controller.js';
import { SelectionController } from './selection-controller.js';
import { StoreActions } from './store-actions.js';
import type { BoardMode } from './note-actions.js';
import type { NoteBoard, VisibleRange } from './note-board.js';
import type { NoteComposer, NoteSubmitDetail } from './note-composer.js';
import type { AccountDialog } from './account-dialog.js';
import type { AppSnackbar } from './app-snackbar.js';
import type { BackupActions, SettingsPanel } from './settings-panel.js';
import { settingsIcon } from './icons.js';
import type { QuestionName } from './questions.js';
import { notesAppStyles } from './notes-app-styles.js';
import { sharedStyles } from './shared-styles.js';
import './account-button.js';
import './app-snackbar.js';
import './note-board.js';
import './note-composer.js';
import './sync-status.js';
import type { OutboxSummary } from './sync-status.js';
import './update-prompt.js';
import type { DevicesPanel } from './devices-panel.js';
import { PushHooks } from '../push/app-hooks.js';

const plural = (count: number, one: string, many: string) => (count === 1 ? one : many);

@customElement('notes-app')
export class NotesApp extends LitElement {
  static override styles = [sharedStyles, notesAppStyles];

  @state() private _view: BoardMode = 'board';

  @query('note-composer') private _composer!: NoteComposer;
  @query('app-snackbar') private _snackbar!: AppSnackbar;
  @query('settings-panel') private _settingsElement!: SettingsPanel;
  @query('input[type=search]') private _searchInput!: HTMLInputElement;
  @query('note-board') private _board?: NoteBoard;
  @query('confirm-dialog') private _confirm!: ConfirmDialog;
  @query('account-dialog') private _accountElement!: AccountDialog;
  @query('devices-panel') private _devicesElement!: DevicesPanel;

  /*
   * The dialogs are not needed for the first paint: each module loads the first time its dialog
   * opens (their tags are in the template already; Lit keeps properties set before the upgrade).
   */
  private async _upgraded<T extends LitElement>(load: Promise<unknown>, element: () => T): Promise<T> {
    await load;
    await element().updateComplete;
    return element();
  }

  private _accountDialog = () => this._upgraded(import('./account-dialog.js'), () => this._accountElement);
  private _settings = () => this._upgraded(import('./settings-panel.js'), () => this._settingsElement);
  private _devices = () => this._upgraded(import('./devices-panel.js'), () => this._devicesElement);

  /**
   * The questions and their dialog load after first paint (off its budget) but before anyone can
   * ask, so a question asked offline on a first visit (sign-out with unsynced changes) still works.
   */
  private _questions: Promise<typeof import('./questions.js')> | undefined;

  private _loadQuestions(): Promise<typeof import('./questions.js')> {
    this._questions ??= Promise.all([import('./questions.js'), import('./confirm-dialog.js')]).then(([questions]) => questions);
    this._questions.catch(() => (this._questions = undefined)); // tried again at the next question
    return this._questions;
  }

  /** Asks one of the shell's questions about `count` things; resolves whether the person agreed. */
  private async _ask(question: QuestionName, count: number): Promise<boolean> {
    const { QUESTIONS } = await this._loadQuestions();
    return (await this._upgraded(Promise.resolve(), () => this._confirm)).ask(QUESTIONS[question](count));
  }

  private readonly _actions = new StoreActions({
    database: () => (this._lifecycle.storage.status === 'ready' ? this._lifecycle.storage.db : undefined),
    say: (message) => this._snackbar?.show(message),
    inTrash: () => this._view === 'trash',
    open: (note) => {
      const storage = this._lifecycle.storage;
      if (storage.status === 'ready') void this._openedNote.open(storage.db, note, this._view);
    },
    indexOf: (id: string): Promise<number> => this._boardController.indexOf(this._view, id),
    focusAfterRemoval: (id, index) => void this._board?.focusAfterRemoval(id, index),
  });
  private readonly _report = this._actions.report;
  private readonly _selection = new SelectionController(this, this._actions, () => this._boardController.windowNotes);
  private readonly _openedNote = new OpenedNoteController(this, this._report, (id) => this._focusNote(id));
  private readonly _run = (operation: (db: NotesDatabase) => Promise<unknown>) => this._actions.run(operation);

  private readonly _boardController = new BoardController(this, this._report);
  private readonly _outboxQuery = new LiveQueryController<OutboxSummary>(this, this._report);
  private readonly _syncStatusQuery = new LiveQueryController<SyncStatus | undefined>(this, this._report);
  /** Push: the app badge from the board, this device's channel, notes opened from a notification. */
  private readonly _push = new PushHooks(
    this,
    () => this._boardController.windowNotes,
    () => this._boardController.openCount,
  );
  /** What the app was opened to do, read once the first notes are open. */
  private _launchIntent: LaunchIntent = { kind: 'none' };

  private readonly _lifecycle = new AccountLifecycle(this, {
    databaseChanged: (db) => {
      this._openedNote.forget();
      this._selection.clear();
      this._boardController.setDatabase(db);
      this._outboxQuery.setQuery(db && (() => summarizeOutbox(db)));
      this._syncStatusQuery.setQuery(db && (() => readSyncStatus(db)));
    },
    opened: async () => {
      this._launchIntent = await this._handleLaunchIntent();
      this._loadQuestions().catch(() => undefined);
      this._openedNote.prefetch();
    },
    signInLoaded: () => {
      const intent = this._launchIntent;
      if (intent.kind !== 'email-sign-in') return;
      this._launchIntent = { kind: 'none' };
      this._accountDialog()
        .then((dialog) => dialog.finishEmailLink(intent.url))
        .catch((error: unknown) => console.warn('The email sign-in link could not be finished', error));
    },
    accountChanged: (change) => this._onAccountChange(change),
  });

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('keydown', this._onShortcut);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('keydown', this._onShortcut);
  }

  private _discardRejected = async () => {
    if (await this._run((db) => discardRejectedChanges(db))) {
      this._lifecycle.restartSync();
      this._snackbar.show({ text: 'Refused changes discarded; the server’s version is coming back.' });
    }
  };

  private async _onAccountChange({ state, previous, reason }: AccountChange): Promise<void> {
    if (state.kind === 'account') this._push.refreshThisDevice(state.account);
    if (reason === 'signed-in' && previous.kind === 'guest') await this._offerGuestNotes();
  }

  private async _offerGuestNotes(): Promise<void> {
    const count = await this._lifecycle.countGuestNotes();
    if (count === 0 || !(await this._ask('moveGuestNotes', count))) return;
    let moved = 0;
    if (await this._run(async (db) => (moved = await this._lifecycle.moveGuestNotesInto(db)))) {
      this._snackbar.show({ text: `Moved ${moved} ${plural(moved, 'note', 'notes')} into your account` });
    }
  }

  private _onSignOutRequested = async () => {
    const storage = this._lifecycle.storage;
    const unsynced = storage.status === 'ready' ? await countUnsyncedChanges(storage.db) : 0;
    (await this._accountDialog()).close();
    if (unsynced === 0 || (await this._ask('signOut', unsynced))) await this._signOut();
  };

  /** Signs out and removes this account's notes from the device; the guest notes come back. */
  private async _signOut(): Promise<void> {
    // While still signed in (the channel delete needs the owner); never blocks signing out.
    await this._push.removeThisDevice();
    try {
      await this._lifecycle.signOut();
      this._snackbar.show({ text: 'Signed out. Your notes were removed from this device.' });
    } catch (error) {
      this._snackbar.show({ text: `Signing out failed: ${error instanceof Error ? error.message : String(error)}` });
    }
  }

  private async _focusNote(id: string): Promise<void> {
    await this.updateComplete;
    await this._board?.focusCard(await this._boardController.indexOf(this._view, id));
  }

  private _onSearchInput = (event: InputEvent) => this._setSearch((event.target as HTMLInputElement).value);

  private _setSearch(value: string): void {
    this._boardController.setSearch(value);
    this.requestUpdate();
  }

  /** Opened from a notification (/?note=<id>): the note opens, over the board. */
  private async _openNote(id: string): Promise<void> {
    if (this._view !== 'board') this._showView('board');
    const arrived = await this._push.waitForNote(id, APP.OPEN_NOTE_WAIT_MS);
    const note = arrived ? this._boardController.windowNotes?.find((n) => n.id === id) : undefined;
    if (note) this._actions.open(note);
    else this._snackbar.show({ text: 'That note is not on this device yet, or it was deleted.' });
  }

  private _onSubmit = async (event: CustomEvent<NoteSubmitDetail>) => {
    if (await this._run((db) => createNote(db, { text: event.detail.text }))) void requestPersistenceOnce();
    else event.detail.failed();
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
    const storage = this._lifecycle.storage;
    if (text === '') {
      this._snackbar.show({ text: 'Nothing to add: the shared item had no text.' });
    } else if (storage.status !== 'ready') {
      this._composer?.setText(text);
    } else {
      try {
        await createNote(storage.db, { text });
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

  override render() {
    const storage = this._lifecycle.storage;
    const account = this._lifecycle.account;
    const board = this._boardController;
    const content = board.content(this._view);
    const trashCount = board.trashCount;
    const syncUnavailable = this._lifecycle.sync.status === 'unavailable';
    return html`
      <header>
        <h1>Roaming Notes</h1>
        <div class="search" role="search">
          <label class="visually-hidden" for="search">Search notes</label>
          <input
            id="search"
            type="search"
            placeholder="Search notes ( / )"
            .value=${board.search}
            @input=${this._onSearchInput}
            @keydown=${this._onSearchKeydown}
          />
        </div>
        <nav aria-label="Views">
          ${this._viewButton('board', 'Notes')} ${this._viewButton('trash', `Trash${trashCount ? ` (${trashCount})` : ''}`)}
          <button class="icon-button" aria-label="Settings" title="Settings" @click=${async () => (await this._settings()).open()}>${settingsIcon}</button>
          <account-button
            .account=${account}
            .sync=${this._lifecycle.sync}
            @account-open=${async () => (await this._accountDialog()).open()}
            @sync-retry=${() => this._lifecycle.retry()}
          ></account-button>
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
          ${account.kind === 'account' && !syncUnavailable
            ? html`<sync-status
                .status=${this._syncStatusQuery.value}
                .outbox=${this._outboxQuery.value ?? { pending: 0, rejected: [] }}
                @discard-rejected=${this._discardRejected}
              ></sync-status>`
            : nothing}
          ${this._view === 'trash' && trashCount > 0
            ? html`<button class="text-button" @click=${this._emptyTrash}>Empty trash</button>`
            : nothing}
        </div>
        ${content.total === 0 ? html`<p class="empty">${this._emptyText(storage)}</p>` : nothing}
        <note-board
          .total=${content.total}
          .windowOffset=${content.offset}
          .pinnedCount=${content.pinned}
          .notes=${content.notes}
          .selected=${this._selection.ids}
          @note-select=${this._selection.onSelect}
          @visible-range=${(event: CustomEvent<VisibleRange>) => this._boardController.showRange(event.detail.first, event.detail.last)}
          .actions=${this._actions}
          .mode=${this._view}
          .label=${this._view === 'board' ? 'Notes' : 'Notes in the trash'}
        ></note-board>
      </main>
      <confirm-dialog></confirm-dialog>
      <account-dialog
        .state=${account}
        @sign-out-requested=${this._onSignOutRequested}
        @account-updated=${(event: CustomEvent<SignInMethod[]>) => this._lifecycle.updateMethods(event.detail)}
        @devices-requested=${async () => (await this._devices()).open()}
      ></account-dialog>
      <devices-panel .account=${account.kind === 'account' ? account.account : undefined}></devices-panel>
      ${this._selection.render()} ${this._openedNote.render(this._actions)}
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

  private _viewButton(view: BoardMode, label: string) {
    return html`<button
      class="text-button"
      aria-current=${this._view === view ? 'page' : 'false'}
      @click=${() => this._showView(view)}
    >${label}</button>`;
  }

  private _showView(view: BoardMode): void {
    this._view = view;
    this._openedNote.forget();
    this._selection.clear();
    window.scrollTo({ top: 0 });
  }

  private _emptyText(storage: StorageState): string {
    if (storage.status === 'opening') return '';
    const search = this._boardController.search.trim();
    if (search !== '') return `No notes match “${search}”.`;
    if (this._view === 'trash') return 'The trash is empty.';
    return storage.status === 'failed' ? '' : 'No notes yet. Type one above, or press n.';
  }

  private _emptyTrash = async () => {
    if (await this._ask('emptyTrash', this._boardController.trashCount)) await this._actions.emptyTrash();
  };

  private _onSearchKeydown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      this._setSearch('');
      this._searchInput.blur();
    }
  };

  /** n: new note, /: search. Ignored while typing in a field, and while a note is open. */
  private _onShortcut = (event: KeyboardEvent) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || this._openedNote.isOpen) return;
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
