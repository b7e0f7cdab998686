/**
 * The app shell: header with search and views, the quick-add field, the board (or one label's notes), the archive or the trash,
 * messages, settings and the update prompt. It renders; whose notes are open and their sync
 * belong to AccountLifecycle, what the board shows to BoardController. It is the only element
 * that calls the store; the others ask through NoteActions.
 */
import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { AccountLifecycle, type StorageState } from '../account/lifecycle.js';
import { accountUid, type AccountChange } from '../account/session.js';
import type { ReminderRinger } from './reminder-ringer.js';
import { APP } from '../constants.js';
import { takeFirstWindow } from '../platform/start-reads.js';
import { FIRST_SCREEN, forgetFirstScreen, removePaintedFirstScreen } from '../platform/first-screen-script.js';
import type { SignInMethod } from '../firebase/config.js';
import type { NotesDatabase } from '../db/database.js';
import type { SyncStatus } from '../db/database.js';
import { BoardController, EMPTY } from './board-controller.js';
import { AccountFlowsLoader } from './account-flows-loader.js';
import type { GuestNotesPanel } from './guest-notes-panel.js';
import type { ConfirmDialog } from './confirm-dialog.js';
import type { LaunchIntent } from './launch-intent.js';
import { LiveQueryController } from './live-query-controller.js';
import { LabelsController } from './labels-controller.js';
import type { LabelsUi } from './labels-ui.js';
import { afterNextPaint, whenIdle } from './after-paint.js';
import { OpenedNoteController } from './opened-note-controller.js';
import type { SelectionController } from './selection-controller.js';
import type { NoteSelectDetail } from './board-selection.js';
import { StoreActionsLoader } from './store-actions-loader.js';
import type { BoardMode } from './note-actions.js';
import type { NoteBoard, VisibleRange } from './note-board.js';
import type { NoteComposer, NoteSubmitDetail } from './note-composer.js';
import type { AccountDialog } from './account-dialog.js';
import type { AppSnackbar, SnackbarMessage } from './app-snackbar.js';
import type { BackupActions, SettingsPanel } from './settings-panel.js';
import type { QuestionName } from './questions.js';
import { notesAppStyles } from './notes-app-styles.js';
import { sharedStyles } from './shared-styles.js';
import './app-header.js';
import type { AppHeader } from './app-header.js';
import './note-board.js';
import './note-composer.js';
import type { OutboxSummary } from './sync-status.js';
import type { DevicesPanel } from './devices-panel.js';
import type { ShortcutSheet } from './shortcut-sheet.js';
import { KeyboardShortcuts } from './keyboard-shortcuts.js';
import type { PushHooks } from '../push/app-hooks.js';

const VIEW_TITLES: Record<BoardMode, string> = { board: 'Notes', reminders: 'Reminders', archive: 'Archive', trash: 'Trash' };
const BOARD_LABELS: Record<BoardMode, string> = { board: 'Notes', reminders: 'Notes with reminders, soonest first', archive: 'Archived notes', trash: 'Notes in the trash' };
const NONE_SELECTED: ReadonlySet<string> = new Set();

/** The snackbar: loaded right after the first paint (_afterFirstPaint), or by the first message said before. */
const loadSnackbar = () => import('./app-snackbar.js');
const loadSyncSummary = () => import('../db/sync-summary.js');

/**
 * The other parts the first paint does without, each named once: loaded on first use, and fetched
 * ahead one per idle moment after the first paint, in this order (_afterFirstPaint). Each loader
 * stays a literal import() so Vite makes its part a chunk of its own.
 */
const LAZY_PARTS = {
  accountFlows: () => import('./account-flows.js'),
  accountDialog: () => import('./account-dialog.js'),
  settingsPanel: () => import('./settings-panel.js'),
  devicesPanel: () => import('./devices-panel.js'),
  guestNotesPanel: () => import('./guest-notes-panel.js'),
  shortcutSheet: () => import('./shortcut-sheet.js'),
  selection: () => import('./selection-controller.js'),
  actionMenu: () => import('./action-menu.js'),
  syncStatus: () => import('./sync-status.js'),
  backup: () => import('../db/backup.js'),
};

@customElement('notes-app')
export class NotesApp extends LitElement {
  static override styles = [sharedStyles, notesAppStyles];

  @state() private _view: BoardMode = 'board';

  @query('note-composer') private _composer!: NoteComposer;
  @query('app-snackbar') private _snackbar!: AppSnackbar;
  @query('settings-panel') private _settingsElement!: SettingsPanel;
  @query('app-header') private _header!: AppHeader;
  @query('note-board') private _board?: NoteBoard;
  @query('confirm-dialog') private _confirm!: ConfirmDialog;
  @query('account-dialog') private _accountElement!: AccountDialog;
  @query('devices-panel') private _devicesElement!: DevicesPanel;
  @query('shortcut-sheet') private _shortcutsElement!: ShortcutSheet;
  @query('guest-notes-panel') private _guestNotesElement!: GuestNotesPanel;

  /*
   * The dialogs are not needed for the first paint: each module loads the first time its dialog
   * opens (their tags are in the template already; Lit keeps properties set before the upgrade).
   */
  private async _upgraded<T extends LitElement>(load: Promise<unknown>, element: () => T): Promise<T> {
    await load;
    await element().updateComplete;
    return element();
  }

  private _accountDialog = () => this._upgraded(LAZY_PARTS.accountDialog(), () => this._accountElement);
  private _settings = () => this._upgraded(LAZY_PARTS.settingsPanel(), () => this._settingsElement);
  private _devices = () => this._upgraded(LAZY_PARTS.devicesPanel(), () => this._devicesElement);
  private _showShortcuts = async () => (await this._upgraded(LAZY_PARTS.shortcutSheet(), () => this._shortcutsElement)).open();
  private _guestNotesPanel = () => this._upgraded(LAZY_PARTS.guestNotesPanel(), () => this._guestNotesElement);
  /** The labels' drawer, manager and changes (labels-ui.ts): loaded after first paint, or by their first use. */
  private _labelsUi: LabelsUi | undefined;
  private _labelsUiLoad: Promise<LabelsUi> | undefined;

  private _loadLabelsUi(): Promise<LabelsUi> {
    this._labelsUiLoad ??= import('./labels-ui.js').then(({ LabelsUi }) => {
      this._labelsUi = new LabelsUi({
        labels: this._labels,
        host: this,
        database: () => this._lifecycle.openDatabase(),
        current: () => ({ view: this._view, label: this._filtered ? this._labels.filter : undefined }),
        choose: ({ view, label }) => {
          this._showView(view);
          this._labels.show(label);
        },
      });
      this.requestUpdate();
      return this._labelsUi;
    });
    this._labelsUiLoad.catch(() => (this._labelsUiLoad = undefined)); // tried again at the next use
    return this._labelsUiLoad;
  }

  /**
   * Messages: the snackbar loads right after first paint (_afterFirstPaint), so its live region is
   * in the page before the first message; one said earlier waits for it.
   */
  private _say(message: SnackbarMessage): void {
    this._upgraded(loadSnackbar(), () => this._snackbar).then(
      (snackbar) => snackbar.show(message),
      (error: unknown) => console.warn(`Could not show the message “${message.text}”`, error),
    );
  }

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

  private readonly _actions = new StoreActionsLoader({
    database: () => this._lifecycle.openDatabase(),
    say: (message) => this._say(message),
    inTrash: () => this._view === 'trash',
    open: (note) => {
      const storage = this._lifecycle.storage;
      if (storage.status === 'ready') void this._openedNote.open(storage.db, note, this._view);
      // A cold start paints the board before its database has opened: a note tapped in that
      // moment opens once it has (nothing if it cannot open; the shell says why).
      else if (storage.status === 'opening') {
        void this._lifecycle.openDatabase().then((db) => db && void this._openedNote.open(db, note, this._view));
      }
    },
    indexOf: (id: string): Promise<number> => this._indexOf(id),
    focusAfterRemoval: (id, index) => void this._board?.focusAfterRemoval(id, index),
  });
  private readonly _report = this._actions.report;
  /**
   * Select several notes: the controller (with its bar) loads on the first selection, which only
   * the board's gestures make, themselves loaded once the first cards show. Selections made while
   * it loads are applied in turn once it is here.
   */
  private _selection: SelectionController | undefined;
  private _selectionLoad: Promise<SelectionController> | undefined;

  private _onSelect = (event: CustomEvent<NoteSelectDetail>) => {
    this._selectionLoad ??= Promise.all([LAZY_PARTS.selection(), this._actions.load()]).then(
      ([{ SelectionController }, store]) =>
        (this._selection = new SelectionController(this, store, () => this._content().notes)),
    );
    this._selectionLoad.then(
      (selection) => selection.onSelect(event),
      (error: unknown) => {
        this._selectionLoad = undefined; // tried again at the next selection
        console.warn('Selecting notes needs a part of the app that could not be loaded', error);
      },
    );
  };
  private readonly _openedNote = new OpenedNoteController(this, this._report, (id) => this._focusNote(id));
  private readonly _run = (operation: (db: NotesDatabase) => Promise<unknown>) => this._actions.run(operation);

  private readonly _boardController = new BoardController(this, this._report);
  private readonly _labels = new LabelsController(this, this._report);
  private readonly _outboxQuery = new LiveQueryController<OutboxSummary>(this, this._report);
  private readonly _syncStatusQuery = new LiveQueryController<SyncStatus | undefined>(this, this._report);
  /**
   * Push (the app badge from the board, this device's channel, notes opened from a notification):
   * loaded right after first paint (_afterFirstPaint), and waited for by what needs it sooner.
   */
  private _push: Promise<PushHooks> | undefined;

  private _pushHooks(): Promise<PushHooks> {
    this._push ??= import('../push/app-hooks.js').then(({ PushHooks }) => {
      // It adds itself to this element's controllers; the update sets the badge at once.
      const push = new PushHooks(
        this,
        () => this._boardController.windowNotes,
        // The badge counts open notes and the reminders that have rung and wait.
        () => {
          const open = this._boardController.openCount;
          return open === undefined ? undefined : open + (this._ringer?.ringing ?? 0);
        },
      );
      this.requestUpdate();
      return push;
    });
    this._push.catch(() => (this._push = undefined)); // tried again at the next use
    return this._push;
  }
  /** What the app was opened to do, read once the first notes are open. */
  private _launchIntent: LaunchIntent = { kind: 'none' };

  /**
   * The page is hidden (the person left; it may never come back): the board on screen is kept
   * for the next start to paint at once. Anything else on screen (a label's notes, a search, the
   * trash, a selection) is not what a plain start shows: the kept screen is forgotten instead.
   */
  /** Copies the screen for the next start (src/ui/first-screen.ts); loaded after first paint. */
  private _firstScreen: typeof import('./first-screen.js') | undefined;

  private _keepFirstScreen = (event: Event) => {
    if (event.type === 'visibilitychange' && document.visibilityState !== 'hidden') return;
    const storage = this._lifecycle.storage;
    // Left before the board was painted: the kept screen, perhaps still on display, stays as it was.
    if (storage.status === 'opening' || document.getElementById(FIRST_SCREEN.ELEMENT_ID)) return;
    const plainBoard = this._view === 'board' && !this._filtered && !this._boardController.searching && !this._selection?.ids.size;
    if (storage.status !== 'ready' || !plainBoard) forgetFirstScreen();
    // The copier loads just after the board has painted; left before that, the kept screen stays.
    else this._firstScreen?.saveFirstScreen(this, storage.db.name);
  };

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('visibilitychange', this._keepFirstScreen);
    window.addEventListener('pagehide', this._keepFirstScreen);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('visibilitychange', this._keepFirstScreen);
    window.removeEventListener('pagehide', this._keepFirstScreen);
  }

  private readonly _lifecycle = new AccountLifecycle(this, {
    databaseChanged: (db) => {
      this._openedNote.forget();
      this._selection?.clear();
      this._boardController.setDatabase(db);
      this._labels.setDatabase(db);
      this._ringer?.setDatabase(db, accountUid(this._lifecycle.account));
      this._followSyncState(db);
    },
    databaseOpening: async (name) => {
      this._boardController.opening(name);
      this._labels.opening(name);
      // A cold start: what was read before the shell ran (start-reads.ts) is painted first, and
      // the database opens after that frame: the parts its opening fetches would hold it back.
      const read = await takeFirstWindow(name);
      if (!read) return;
      this._labels.showStartRead(read);
      this._boardController.showStartRead(read);
      await this.updateComplete;
      await new Promise<void>((resolve) => afterNextPaint(resolve));
      // The board's own cards are on display: the screen kept from last time is not needed.
      removePaintedFirstScreen();
    },
    opened: async () => {
      this._launchIntent = await this._handleLaunchIntent();
      // Finishing a sign-in link needs Auth, even on a device that has never had an account.
      if (this._launchIntent.kind === 'email-sign-in') this._lifecycle.requestSignIn();
      // The parts loaded after first paint wait for the first notes to be painted, not just the
      // shell: fetched and evaluated while the notes were being read, they held those notes back.
      if (this._lifecycle.storage.status === 'ready') await this._boardController.firstWindowRead;
      await this.updateComplete;
      await new Promise<void>((resolve) => afterNextPaint(resolve));
      removePaintedFirstScreen();
      this._afterFirstPaint();
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
    guestNotesMovedElsewhere: (moved) => void this._flows.run((flows) => flows.movedElsewhere(moved)),
    deviceErased: (end) => void this._flows.run((flows) => flows.erased(end)),
  });

  /** The account flows, loaded on the first account change or request. */
  private readonly _flows = new AccountFlowsLoader(
    this,
    this._lifecycle,
    () => ({
      askToMove: (count) => this._ask('moveGuestNotes', count),
      askToSignOut: (unsynced) => this._ask('signOut', unsynced),
      closeAccountDialog: async () => (await this._accountDialog()).close(),
      // A failure here never blocks signing out.
      removeThisDevice: () =>
        this._pushHooks().then(
          (push) => push.removeThisDevice(),
          (error: unknown) => console.warn('push: could not remove this device at sign-out', error),
        ),
      withdrawQuestion: () => void this._loadQuestions().then(() => this._confirm.withdraw()),
      say: (message) => this._say(message),
      run: (operation) => this._run(operation),
      askToDeleteAccount: async (what) => {
        const { deleteAccountQuestion } = await this._loadQuestions();
        return (await this._upgraded(Promise.resolve(), () => this._confirm)).choose(deleteAccountQuestion(what));
      },
    }),
    (message) => this._say(message),
  );

  /** Sign-in (or the account): for a guest, Firebase Auth starts loading now, beside the dialog. */
  private _openAccount = async () => {
    this._lifecycle.requestSignIn();
    (await this._accountDialog()).open();
  };

  private _showGuestNotes = async () => (await this._guestNotesPanel()).open(await this._lifecycle.readGuestNotes());

  constructor() {
    super();
    // It adds itself to this element's controllers, which keep it.
    new KeyboardShortcuts(this, {
      paused: () => this._openedNote.isOpen,
      newNote: () => {
        if (this._view !== 'board') this._showView('board');
        void this.updateComplete.then(() => this._composer?.focus());
      },
      search: () => void this._header.focusSearch(),
      showShortcuts: () => void this._showShortcuts(),
    });
  }

  /**
   * What the first paint does without, loaded (or fetched ahead of first use) right after it: the
   * store actions (a tick, a new note), push (the badge), the update prompt (which registers the
   * service worker), the snackbar, the questions, the opened note, and the order keys and undoable
   * changes a new note, a move or a trash needs. A failed download is tried again on first use.
   */
  private _afterFirstPaint(): void {
    const prefetch = (load: Promise<unknown>) => void load.catch(() => undefined);
    prefetch(import('./first-screen.js').then((copier) => (this._firstScreen = copier)));
    prefetch(this._actions.load());
    prefetch(this._pushHooks());
    prefetch(import('./update-prompt.js'));
    prefetch(loadSnackbar());
    prefetch(this._loadQuestions());
    this._openedNote.prefetch();
    prefetch(import('../db/board-order.js'));
    prefetch(import('../db/undo.js'));
    prefetch(this._loadLabelsUi());
    prefetch(this._startRinging());
    // Then, when the page is idle, every other part a person may reach without a connection
    // (LAZY_PARTS): on a first visit the service worker may not have stored them yet when the
    // network goes away. Firebase is not among them: signing in needs the network anyway, and
    // evaluating it costs a guest's main thread (Lighthouse's Total Blocking Time) for nothing
    // they asked for.
    // One part per idle moment, each after the last has arrived: evaluating a part defines its
    // element, which renders the (closed) element already in the page; all at once they made
    // long tasks right after the first paint.
    const idleParts = Object.values(LAZY_PARTS);
    const loadNextWhenIdle = () => {
      const load = idleParts.shift();
      if (load) whenIdle(() => void load().catch(() => undefined).finally(loadNextWhenIdle));
    };
    loadNextWhenIdle();
  }

  /** Reminders that have rung and wait (counted on the app badge beside open notes), while the app is open. */
  private _ringer: ReminderRinger | undefined;

  /** The reminders' chips (on the cards, whose tags are in the first paint) and their ringing, after first paint. */
  private async _startRinging(): Promise<void> {
    const { ReminderRinger } = await import('./reminder-ringer.js');
    this._ringer ??= new ReminderRinger(this, { say: (message) => this._say(message), run: this._run });
    const storage = this._lifecycle.storage;
    this._ringer.setDatabase(storage.status === 'ready' ? storage.db : undefined, accountUid(this._lifecycle.account));
  }

  protected override willUpdate(): void {
    // The sync line is only for an account: its element (and words) load when one is open.
    if (this._lifecycle.account.kind === 'account') void LAZY_PARTS.syncStatus().catch(() => undefined);
  }

  /**
   * The outbox and the sync status, for the sync line: their queries load just after the database
   * opens, not with the first paint (the line is for an account, and says nothing before sync runs).
   */
  private _followSyncState(db: NotesDatabase | undefined): void {
    if (!db) {
      this._outboxQuery.setQuery(undefined);
      this._syncStatusQuery.setQuery(undefined);
      return;
    }
    void loadSyncSummary().then(({ summarizeOutbox, readSyncStatus }) => {
      const storage = this._lifecycle.storage;
      if (storage.status !== 'ready' || storage.db !== db) return;
      this._outboxQuery.setQuery(() => summarizeOutbox(db));
      this._syncStatusQuery.setQuery(() => readSyncStatus(db));
    }, this._report);
  }

  private _discardRejected = async () => {
    if (await this._run(async (db) => (await loadSyncSummary()).discardRejectedChanges(db))) {
      this._lifecycle.restartSync();
      this._say({ text: 'Refused changes discarded; the server’s version is coming back.' });
    }
  };

  private async _onAccountChange({ state, previous, reason }: AccountChange): Promise<void> {
    if (state.kind === 'account') {
      this._pushHooks().then(
        (push) => push.refreshThisDevice(state.account),
        (error: unknown) => console.warn('push: refresh failed', error),
      );
    }
    if (reason === 'signed-in' && previous.kind === 'guest') await this._flows.run((flows) => flows.offer());
  }

  private async _focusNote(id: string): Promise<void> {
    await this.updateComplete;
    await this._board?.focusCard(await this._indexOf(id));
  }

  /** Where a note is among what the view shows (-1 when it is not). */
  private _indexOf(id: string): Promise<number> {
    if (!this._filtered) return this._boardController.indexOf(this._view, id);
    return Promise.resolve(this._content().notes.findIndex((note) => note.id === id));
  }

  /** The board is filtered by a label. */
  private get _filtered(): boolean {
    return this._view === 'board' && this._labels.filter !== undefined;
  }

  /** What the view shows: the board (a window of it), one label's notes, the archive or the trash. */
  private _content() {
    // The reminders come from their ringer, which watches them anyway (loaded after first paint).
    if (this._view === 'reminders') return this._ringer?.view(this._boardController.search) ?? EMPTY;
    if (!this._filtered) return this._boardController.content(this._view);
    return this._labels.content(this._boardController.search) ?? EMPTY;
  }

  private _setSearch(value: string): void {
    this._boardController.setSearch(value);
    this.requestUpdate();
  }

  /** Opened from a notification (/?note=<id>): the note opens, over the board. */
  private async _openNote(id: string): Promise<void> {
    if (this._view !== 'board') this._showView('board');
    const arrived = await this._pushHooks().then(
      (push) => push.waitForNote(id, APP.OPEN_NOTE_WAIT_MS),
      () => false,
    );
    const note = arrived ? this._boardController.windowNotes?.find((n) => n.id === id) : undefined;
    if (note) this._actions.open(note);
    else this._say({ text: 'That note is not on this device yet, or it was deleted.' });
  }

  /** Notes typed one after another are saved one after another, so the board shows them in that order. */
  private _adding: Promise<unknown> = Promise.resolve();

  private _onSubmit = async (event: CustomEvent<NoteSubmitDetail>) => {
    // A note added while a label is shown carries that label, as in Keep.
    const label = this._filtered ? this._labels.filter : undefined;
    const added = this._adding.then(async () =>
      label ? (await this._loadLabelsUi()).addNote(event.detail.text, label) : this._actions.add(event.detail.text),
    );
    this._adding = added;
    if (!(await added)) event.detail.failed();
  };

  /**
   * Share target, the "New note" shortcut, email sign-in links and notification clicks arrive as
   * URLs (launch-intent.ts). The bare address carries none: only another one loads that code.
   */
  private async _handleLaunchIntent(): Promise<LaunchIntent> {
    if (location.pathname === '/' && location.search === '') return { kind: 'none' };
    try {
      const { handleLaunchIntent } = await import('./launch-intent.js');
      return await handleLaunchIntent({
        composer: () => this._composer ?? undefined,
        openNote: (id) => void this._openNote(id),
        add: (text) => this._actions.add(text),
        say: (message) => this._say(message),
      });
    } catch (error) {
      console.warn('What the app was opened to do could not be read', error);
      return { kind: 'none' };
    }
  }

  override render() {
    const storage = this._lifecycle.storage;
    const account = this._lifecycle.account;
    const board = this._boardController;
    const content = this._content();
    const shownLabel = this._filtered ? this._labels.shown : undefined;
    const trashCount = board.trashCount;
    const syncUnavailable = this._lifecycle.sync.status === 'unavailable';
    return html`
      <app-header
        .view=${this._view}
        .search=${board.search}
        .trashCount=${trashCount}
        .filtered=${this._filtered}
        .account=${account}
        .sync=${this._lifecycle.sync}
        @search-change=${(event: CustomEvent<string>) => this._setSearch(event.detail)}
        @view-change=${(event: CustomEvent<BoardMode>) => this._showView(event.detail)}
        @labels-open=${async () => (await this._loadLabelsUi()).openDrawer()}
        @shortcuts-open=${this._showShortcuts}
        @settings-open=${async () => (await this._settings()).open()}
        @account-open=${this._openAccount}
        @sync-retry=${() => this._lifecycle.retry()}
      ></app-header>
      <main>
        ${storage.status === 'failed'
          ? html`<div class="banner" role="alert" data-testid="storage-banner">${storage.message}</div>`
          : nothing}
        ${this._view === 'board'
          ? html`<note-composer ?disabled=${storage.status === 'failed'} @note-submit=${this._onSubmit}></note-composer>`
          : nothing}
        <div class="toolbar">
          <h2 id="view-title">${shownLabel ? shownLabel.name : VIEW_TITLES[this._view]}</h2>
          ${this._filtered ? html`<button class="text-button" @click=${() => this._showView('board')}>All notes</button>` : nothing}
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
          ${this._lifecycle.guestNotes > 0
            ? html`<button class="text-button" @click=${this._showGuestNotes}>On this device (${this._lifecycle.guestNotes})</button>`
            : nothing}
        </div>
        ${content.total === 0 ? html`<p class="empty">${this._emptyText(storage)}</p>` : nothing}
        <note-board
          .total=${content.total}
          .windowOffset=${content.offset}
          .pinnedCount=${content.pinned}
          .notes=${content.notes}
          .selected=${this._selection?.ids ?? NONE_SELECTED}
          @note-select=${this._onSelect}
          @visible-range=${(event: CustomEvent<VisibleRange>) => this._boardController.showRange(event.detail.first, event.detail.last)}
          .actions=${this._actions}
          .mode=${this._view}
          .label=${shownLabel ? `Notes with the label ${shownLabel.name}` : BOARD_LABELS[this._view]}
          .labels=${this._labels.byId}
          ?fixedOrder=${this._filtered}
        ></note-board>
      </main>
      ${this._labelsUi?.render() ?? nothing}
      <confirm-dialog></confirm-dialog>
      <account-dialog
        .state=${account}
        .guestNotes=${this._lifecycle.guestNotes}
        @move-guest-notes=${() => this._flows.run((flows) => flows.move(), 'Moving notes')}
        @sign-out-requested=${() => this._flows.run((flows) => flows.signOut(), 'Signing out')}
        @delete-account-requested=${() => this._flows.run((flows) => flows.deleteAccount(), 'Deleting the account')}
        @account-updated=${(event: CustomEvent<SignInMethod[]>) => this._lifecycle.updateMethods(event.detail)}
        @devices-requested=${async () => (await this._devices()).open()}
      ></account-dialog>
      <guest-notes-panel @move-guest-notes=${() => this._flows.run((flows) => flows.move(), 'Moving notes')}></guest-notes-panel>
      <devices-panel .account=${account.kind === 'account' ? account.account : undefined}></devices-panel>
      ${this._selection?.render() ?? nothing} ${this._openedNote.render(this._actions, this._labels.all, this._labelsUi?.actions, accountUid(this._lifecycle.account) !== undefined)}
      <app-snackbar></app-snackbar>
      <settings-panel .backup=${storage.status === 'ready' ? this._backupActions(storage.db) : undefined}></settings-panel>
      <update-prompt></update-prompt>
      <shortcut-sheet></shortcut-sheet>
    `;
  }

  private _backupActions(db: NotesDatabase): BackupActions {
    return {
      // Backup is for the settings panel only: loaded on first use, off the first paint's bytes.
      exportNotes: async () => (await LAZY_PARTS.backup()).exportNotes(db),
      importFile: async (text: string) => {
        const { importNotes, parseBackup } = await LAZY_PARTS.backup();
        const backup = parseBackup(text);
        return importNotes(db, backup.notes, Date.now, backup.labels);
      },
    };
  }

  private _showView(view: BoardMode): void {
    this._view = view;
    this._labels.show(undefined);
    this._boardController.setView(view);
    this._openedNote.forget();
    this._selection?.clear();
    window.scrollTo({ top: 0 });
  }

  private _emptyText(storage: StorageState): string | TemplateResult {
    // Not "No notes yet" while an account's notes open, or guest notes are offered or moving in.
    // A guest's board that the start read found empty is empty while it opens (a first visit: it says so at once).
    const knownEmpty = this._view === 'board' && this._lifecycle.account.kind === 'guest' && this._boardController.showsStartRead;
    if ((storage.status === 'opening' && !knownEmpty) || this._lifecycle.changingAccount || this._flows.busy) return '';
    const search = this._boardController.search.trim();
    if (search !== '') return `No notes match “${search}”.`;
    if (this._view === 'trash') return 'The trash is empty.';
    // Not before the label's notes are read: a filter remembered over a reload would flash it.
    if (this._filtered) return this._labels.content('') ? 'No notes with this label yet.' : '';
    if (this._view === 'reminders') return 'No reminders. Open a note and choose the bell to be reminded of it.';
    if (this._view === 'archive') return 'No archived notes. Archive a note from its menu to keep it off the board; search still finds it.';
    return storage.status === 'failed' ? '' : html`No notes yet. Type one above<span class="key-hint-text">, or press n</span>.`;
  }

  private _emptyTrash = async () => {
    if (await this._ask('emptyTrash', this._boardController.trashCount)) await this._actions.emptyTrash();
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'notes-app': NotesApp;
  }
}
