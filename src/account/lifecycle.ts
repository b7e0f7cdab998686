/**
 * The lifecycle of whose notes are open, as one reactive controller of the app shell: on connect
 * it opens the notes of the account used last (no network, no Firebase), lets the first paint
 * happen, then loads sign-in and follows it, switching the open database and its sync when the
 * account changes; on disconnect it stops all of it. Sign-in loads at start only when this device
 * has an account to restore: for a guest, Firebase (the largest code of the app, whose evaluation
 * would block the main thread after first paint) waits until the person opens sign-in, a sign-in
 * link is opened, or another tab signs in (requestSignIn). It also owns whether sync can run: when
 * Firebase cannot be loaded (offline on a first visit, a failed download) that is a state the
 * shell shows, retried on request and when the device comes back online. While an account
 * syncs it also follows this device in the account's device registry (src/account/devices.ts):
 * when another device revokes this one, or the account is deleted, it erases this device's copy.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { countMovableNotes, moveNotes } from '../db/accounts.js';
import type { NoteRecord, NotesDatabase } from '../db/database.js';
import { notTombstones } from '../db/queries.js';
import { notesDatabaseName } from '../db/database-name.js';
import type { SignInMethod } from '../firebase/config.js';
import type { SyncHandle } from '../sync/controller.js';
import type { DeviceEnd } from './devices.js';
import { announceGuestNotesMoved, onGuestNotesMoved } from './guest-move.js';
import { defaultDependencies, type LifecycleDependencies } from './lifecycle-dependencies.js';
import { accountUid, type AccountChange, type AccountState } from './session.js';

export type { LifecycleDependencies } from './lifecycle-dependencies.js';

export type StorageState = { status: 'opening' } | { status: 'ready'; db: NotesDatabase } | { status: 'failed'; message: string };

/** Whether this copy of the app can sync now: the shell says so when it cannot, and why. */
export type SyncAvailability =
  | { status: 'not-configured' }
  /** A guest: sign-in is not loaded until asked for (requestSignIn). */
  | { status: 'on-request' }
  | { status: 'loading' }
  | { status: 'ready' }
  | { status: 'unavailable'; reason: string };

/** What the shell does at the lifecycle's moments. */
export interface LifecycleHooks {
  /** The open database changed; undefined while none is open. */
  databaseChanged(db: NotesDatabase | undefined): void;
  /** Once per start, after the first database is open and painted, before sign-in loads. */
  opened(): Promise<void>;
  /** Each time sign-in has loaded (Firebase Auth answers from now on). */
  signInLoaded(): void;
  /** After the database of a new account state is open. */
  accountChanged(change: AccountChange): Promise<void>;
  /** Another tab moved this device's guest notes into the open account. */
  guestNotesMovedElsewhere?(moved: number): void;
  /** This device's copy of an account was erased without the person here asking (see eraseThisDevice). */
  deviceErased?(end: DeviceEnd): void;
}

/** True for the browsers' ways of saying a lazily loaded module could not be fetched. */
function isModuleLoadFailure(error: unknown): boolean {
  const message = error instanceof Error ? error.message : '';
  return /dynamically imported module|Importing a module script failed|error loading dynamically imported module/i.test(message);
}

/** Why sync cannot run, in words for the person (shown after "Sync is unavailable: "). */
function describeSyncFailure(error: unknown, online: boolean): string {
  if (!online) return 'this device is offline. It tries again when you are back online.';
  if (isModuleLoadFailure(error)) return 'part of the app could not be downloaded.';
  const message = error instanceof Error ? error.message : String(error);
  return message.trim() === '' ? 'something went wrong while loading it.' : message;
}

export class AccountLifecycle implements ReactiveController {
  private _storage: StorageState = { status: 'opening' };
  /** Who waits for the notes database to open (see openDatabase()). */
  private readonly storageWaiters: ((db: NotesDatabase | undefined) => void)[] = [];

  get storage(): StorageState {
    return this._storage;
  }

  private set storage(storage: StorageState) {
    this._storage = storage;
    if (storage.status === 'opening') return;
    const db = storage.status === 'ready' ? storage.db : undefined;
    for (const resolve of this.storageWaiters.splice(0)) resolve(db);
  }

  /**
   * The open notes database, waiting while one opens: a note typed and entered during a cold
   * start (or an account switch) is saved once the database is there, not refused. Undefined when
   * it could not be opened.
   */
  openDatabase(): Promise<NotesDatabase | undefined> {
    const storage = this._storage;
    if (storage.status === 'ready') return Promise.resolve(storage.db);
    if (storage.status === 'failed') return Promise.resolve(undefined);
    return new Promise((resolve) => this.storageWaiters.push(resolve));
  }
  sync: SyncAvailability;
  private readonly deps: LifecycleDependencies;
  private syncHandle: SyncHandle | undefined;
  private stopFollowingDevice: (() => Promise<void>) | undefined;
  /** Settles once the device follower stopped last is done switching sessions (see signOut). */
  private deviceFollowStopped: Promise<void> = Promise.resolve();
  /** Aborted at stop: a start still under way must not go on opening or syncing after it. */
  private run: AbortController | undefined;
  private readonly cleanups: (() => void)[] = [];
  /** The account switch in progress, so sign-out can wait for the database to change hands. */
  private switching: Promise<void> = Promise.resolve();
  /** Sign-in has loaded in this run: a later failure can only be the sync of one account. */
  private signInReady = false;
  /** Sign-in was asked for before the start decided whether to load it (a sign-in link, say). */
  private signInRequested = false;
  /**
   * Guest notes kept on this device while an account is open (0 for the guest): they stay
   * reachable after "Not now", and the shell offers to move them again while there are any.
   */
  guestNotes = 0;
  /** An account change is under way (the database switching hands, the move question open). */
  changingAccount = false;
  /** Settles when the current start has done its work (tests and the shell may wait for it). */
  started: Promise<void> = Promise.resolve();

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly hooks: LifecycleHooks,
    dependencies: Partial<LifecycleDependencies> = {},
  ) {
    this.deps = { ...defaultDependencies(), ...dependencies };
    this.sync = this.deps.syncConfigured ? { status: 'loading' } : { status: 'not-configured' };
    host.addController(this);
  }

  /** The one source of who is using the app: the session's state. */
  get account(): AccountState {
    return this.deps.session.state;
  }

  hostConnected(): void {
    this.started = this.start();
  }

  hostDisconnected(): void {
    this.stop();
  }

  /** Opens the notes of the account used last, paints them, then loads sign-in and follows it. */
  private async start(): Promise<void> {
    const run = new AbortController();
    this.run = run;
    const account = await this.deps.session.restore();
    if (run.signal.aborted) return;
    await this.useDatabase(account);
    if (run.signal.aborted) return;
    await this.host.updateComplete;
    await this.hooks.opened();
    if (!this.deps.syncConfigured || run.signal.aborted) return;
    void this.refreshGuestNotes();
    await this.deps.afterFirstPaint();
    if (run.signal.aborted) return;
    this.cleanups.push(
      this.deps.session.subscribe((change) => {
        this.switching = this.onAccountChange(change);
      }),
      this.deps.onOnline(() => this.retry()),
      onGuestNotesMoved((message) => {
        if (message.uid !== accountUid(this.account)) return;
        void this.refreshGuestNotes().then(() => this.hooks.guestNotesMovedElsewhere?.(message.moved));
      }),
      this.deps.onSignInElsewhere(() => this.requestSignIn()),
    );
    // An account used last may still have its session: Auth restores (or ends) it now. A guest's
    // page loads no Firebase until sign-in is asked for.
    if (this.account.kind === 'account' || this.signInRequested) await this.loadSignIn();
    else this.setSync({ status: 'on-request' });
  }

  /**
   * Loads sign-in if it is waiting to be asked for: the person opened sign-in, a sign-in link was
   * opened, or another tab signed in (Auth then finds that session). Loading or loaded: nothing.
   */
  requestSignIn(): void {
    this.signInRequested = true;
    if (this.sync.status === 'on-request' && this.run) this.started = this.loadSignIn();
  }

  /** Stops following the account, stops sync and closes the notes. */
  private stop(): void {
    this.run?.abort();
    this.run = undefined;
    this.signInReady = false;
    this.signInRequested = false;
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.stopSync();
    if (this.storage.status === 'ready') this.storage.db.close();
    this.storage = { status: 'opening' };
    this.hooks.databaseChanged(undefined);
  }

  private async loadSignIn(): Promise<void> {
    const run = this.run;
    this.setSync({ status: 'loading' });
    try {
      await this.deps.session.watchAuth();
    } catch (error) {
      if (run === this.run) this.setSync({ status: 'unavailable', reason: describeSyncFailure(error, this.deps.online()) });
      return;
    }
    if (run !== this.run || !run) return;
    this.signInReady = true;
    this.setSync({ status: 'ready' });
    this.startSync();
    this.hooks.signInLoaded();
  }

  /** Tries again to load sign-in and start sync, when they could not run (the Retry button, back online). */
  retry(): void {
    if (this.sync.status !== 'unavailable' || !this.run) return;
    this.started = this.loadSignIn();
  }

  /** Starts sync afresh (after refused changes were discarded, say). */
  restartSync(): void {
    this.startSync();
  }

  private setSync(sync: SyncAvailability): void {
    this.sync = sync;
    this.host.requestUpdate();
  }

  /** Points the app at the notes of `account`, closing the previous database. */
  private async useDatabase(account: AccountState): Promise<void> {
    const name = notesDatabaseName(accountUid(account));
    const current = this.storage.status === 'ready' ? this.storage.db : undefined;
    if (current?.name === name) return;
    this.stopSync();
    this.hooks.databaseChanged(undefined);
    current?.close();
    this.storage = { status: 'opening' };
    const run = this.run;
    try {
      const db = await this.deps.openDatabase(name);
      if (run !== this.run) {
        // Stopped while it opened: nobody will use or close it.
        db.close();
        return;
      }
      this.storage = { status: 'ready', db };
      this.hooks.databaseChanged(db);
    } catch (error) {
      if (run === this.run) this.storage = { status: 'failed', message: this.deps.describeStorageError(error) };
    }
    this.host.requestUpdate();
  }

  /** Syncs the open account's notes (one tab per account does the work; see src/sync/controller.ts). */
  private startSync(): void {
    this.stopSync();
    const account = this.account;
    if (account.kind !== 'account' || this.storage.status !== 'ready' || this.sync.status !== 'ready') return;
    const handle = this.deps.startSync(this.storage.db, account.account.uid, (error) => {
      if (this.syncHandle !== handle) return;
      // The run has ended; stopping the handle also lets go of what it listens to.
      this.stopSync();
      this.setSync({ status: 'unavailable', reason: describeSyncFailure(error, this.deps.online()) });
    });
    this.syncHandle = handle;
    const uid = account.account.uid;
    this.stopFollowingDevice = this.deps.followDevice(uid, (end) => {
      if (accountUid(this.account) === uid) void this.eraseThisDevice(end);
    });
  }

  private stopSync(): void {
    this.syncHandle?.stop();
    this.syncHandle = undefined;
    if (this.stopFollowingDevice) this.deviceFollowStopped = this.stopFollowingDevice();
    this.stopFollowingDevice = undefined;
  }

  private async onAccountChange(change: AccountChange): Promise<void> {
    // Sign-in works, so what stopped was the previous account's sync: the new account starts afresh.
    if (this.sync.status === 'unavailable' && this.signInReady) this.setSync({ status: 'ready' });
    this.changingAccount = true;
    try {
      await this.useDatabase(change.state);
      if (!this.syncHandle) this.startSync();
      await this.refreshGuestNotes();
      await this.hooks.accountChanged(change);
    } finally {
      this.changingAccount = false;
      this.host.requestUpdate();
    }
  }

  /** Recounts the guest notes kept on this device while an account is open. */
  async refreshGuestNotes(): Promise<number> {
    const count = this.account.kind === 'account' ? await this.countGuestNotes() : 0;
    this.guestNotes = count;
    this.host.requestUpdate();
    return count;
  }

  /** The guest notes kept on this device (board and trash), for the "On this device" list. */
  async readGuestNotes(): Promise<NoteRecord[]> {
    const guest = await this.deps.openDatabase(notesDatabaseName(undefined));
    try {
      return await notTombstones(guest).toArray();
    } finally {
      guest.close();
    }
  }

  /** Guest notes on this device that could move into the account (0 when they cannot be read). */
  async countGuestNotes(): Promise<number> {
    let guest: NotesDatabase | undefined;
    try {
      guest = await this.deps.openDatabase(notesDatabaseName(undefined));
      return await countMovableNotes(guest);
    } catch {
      return 0;
    } finally {
      guest?.close();
    }
  }

  /**
   * Moves the guest's notes into `account` (the open database); resolves how many moved. One tab
   * at a time: a tab that waited for another's move finds nothing left and resolves 0.
   */
  async moveGuestNotesInto(account: NotesDatabase): Promise<number> {
    const uid = accountUid(this.account);
    const moved = await this.deps.underGuestMoveLock(async () => {
      const guest = await this.deps.openDatabase(notesDatabaseName(undefined));
      try {
        return await moveNotes(guest, account);
      } finally {
        guest.close();
      }
    });
    if (uid !== undefined && moved > 0) announceGuestNotesMoved({ uid, moved });
    await this.refreshGuestNotes();
    return moved;
  }

  /** Records sign-in methods linked from the account dialog. */
  updateMethods(methods: SignInMethod[]): void {
    const account = this.account;
    if (account.kind !== 'account') return;
    void this.deps.session.apply({ kind: 'account', account: { ...account.account, methods } }, 'updated');
  }

  /**
   * Signs out and removes this account's notes from the device; the guest's notes open again.
   * Sync stops first: the outbox is kept until the database goes, so nothing is lost mid-sync.
   */
  async signOut(): Promise<void> {
    const uid = accountUid(this.account);
    const name = notesDatabaseName(uid);
    this.stopSync();
    // After stopSync: the device's own watcher must not take its retirement for a revocation.
    if (uid !== undefined) await this.deps.retireDevice(uid).catch(() => undefined);
    // A switch to the device's bound session still under way would sign it back in after this.
    await this.deviceFollowStopped;
    await this.deps.signOutOfFirebase();
    await this.deps.session.apply({ kind: 'guest' }, 'signed-out');
    await this.switching;
    await this.deps.deleteDatabase(name);
  }

  /**
   * Ends this device's copy of the account when the person did not ask for it here: another
   * device signed this one out ('revoked'), or the account was deleted. Sync stops, the push
   * channel and the session go, and the account's database (outbox included) is deleted with no
   * question about unsynced changes: the server refuses them now anyway. The guest's notes open.
   */
  async eraseThisDevice(end: DeviceEnd, uid: string | undefined = accountUid(this.account)): Promise<void> {
    if (uid === undefined) return;
    if (accountUid(this.account) === uid) this.stopSync();
    await this.deps.forgetPushChannel().catch(() => undefined);
    await this.deviceFollowStopped;
    await this.deps.signOutOfFirebase().catch(() => undefined);
    // Deleting the Auth user here has already signed this device out.
    if (accountUid(this.account) === uid) await this.deps.session.apply({ kind: 'guest' }, 'signed-out');
    await this.switching;
    await this.deps.deleteDatabase(notesDatabaseName(uid));
    this.hooks.deviceErased?.(end);
  }
}
