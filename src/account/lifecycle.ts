/**
 * The lifecycle of whose notes are open, as one reactive controller of the app shell: on connect
 * it opens the notes of the account used last (no network, no Firebase) and lets the first paint
 * happen; then, where sync is set up, it loads the rest (following.ts), which loads sign-in and
 * follows it, switching the open database and its sync when the account changes; on disconnect
 * it stops all of it. It also owns whether sync can run: when its code or Firebase cannot be
 * loaded (offline on a first visit, a failed download) that is a state the shell shows, retried
 * on request and when the device comes back online.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { NoteRecord, NotesDatabase } from '../db/database.js';
import { notesDatabaseName } from '../db/database-name.js';
import type { SignInMethod } from '../firebase/config.js';
import type { DeviceEnd } from './devices.js';
import type { AccountFollowing } from './following.js';
import { defaultStartDependencies, type LifecycleDependencies, type StartDependencies } from './lifecycle-dependencies.js';
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
  /**
   * The notes database named `name` is about to be opened: the shell may show what it read of it
   * already, and the database opens once what it returns has settled.
   */
  databaseOpening?(name: string): Promise<void> | void;
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
export function describeSyncFailure(error: unknown, online: boolean): string {
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
  private readonly deps: StartDependencies & Partial<LifecycleDependencies>;
  /** Aborted at stop: a start still under way must not go on opening or syncing after it. */
  private run: AbortController | undefined;
  private readonly cleanups: (() => void)[] = [];
  /** Sign-in, sync and the rest, once loaded and started after first paint (one per start). */
  private following: AccountFollowing | undefined;
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
    this.deps = { ...defaultStartDependencies(), ...dependencies };
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

  /** Opens the notes of the account used last, paints them, then loads what follows the account. */
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
    await this.deps.afterFirstPaint();
    if (run.signal.aborted) return;
    this.cleanups.push(this.deps.onOnline(() => this.retry()));
    await this.follow(run);
  }

  /** Loads and starts following the account (following.ts); a failed download is why sync is unavailable. */
  private async follow(run: AbortController): Promise<void> {
    this.setSync({ status: 'loading' });
    let following: AccountFollowing;
    try {
      const { AccountFollowing } = await import('./following.js');
      following = new AccountFollowing({
        lifecycle: this,
        host: this.host,
        hooks: this.hooks,
        deps: this.deps,
        useDatabase: (account) => this.useDatabase(account),
        setSync: (sync) => this.setSync(sync),
        signInRequested: () => this.signInRequested,
      });
    } catch (error) {
      if (run === this.run) this.setSync({ status: 'unavailable', reason: describeSyncFailure(error, this.deps.online()) });
      return;
    }
    if (run !== this.run) return;
    this.following = following;
    await following.start();
  }

  /**
   * Loads sign-in if it is waiting to be asked for: the person opened sign-in, a sign-in link was
   * opened, or another tab signed in (Auth then finds that session). Loading or loaded: nothing.
   */
  requestSignIn(): void {
    this.signInRequested = true;
    if (this.sync.status === 'on-request' && this.following) this.started = this.following.loadSignIn();
  }

  /** Stops following the account, stops sync and closes the notes. */
  private stop(): void {
    this.run?.abort();
    this.run = undefined;
    this.signInRequested = false;
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.following?.stop();
    this.following = undefined;
    if (this.storage.status === 'ready') this.storage.db.close();
    this.storage = { status: 'opening' };
    this.hooks.databaseChanged(undefined);
  }

  /** Tries again to load sign-in and start sync, when they could not run (the Retry button, back online). */
  retry(): void {
    if (this.sync.status !== 'unavailable' || !this.run) return;
    this.started = this.following ? this.following.loadSignIn() : this.follow(this.run);
  }

  /** Starts sync afresh (after refused changes were discarded, say). */
  restartSync(): void {
    this.following?.startSync();
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
    this.following?.stopSync();
    this.hooks.databaseChanged(undefined);
    current?.close();
    this.storage = { status: 'opening' };
    const run = this.run;
    try {
      await this.hooks.databaseOpening?.(name);
      if (run !== this.run) return;
      const db = await this.deps.openDatabase(name);
      if (run !== this.run) {
        // Stopped while it opened: nobody will use or close it.
        db.close();
        return;
      }
      this.storage = { status: 'ready', db };
      this.hooks.databaseChanged(db);
    } catch (error) {
      const message = await this.deps.describeStorageError(error);
      if (run === this.run) {
        this.storage = { status: 'failed', message };
        // Nothing of it is shown while it cannot be used (not even what the start read of it).
        this.hooks.databaseChanged(undefined);
      }
    }
    this.host.requestUpdate();
  }

  /** What only runs once the account is followed (an account open, its sign-in loaded). */
  private get followed(): AccountFollowing {
    if (!this.following) throw new Error('Sign-in has not loaded yet.');
    return this.following;
  }

  /** The guest notes kept on this device (board and trash), for the "On this device" list. */
  async readGuestNotes(): Promise<NoteRecord[]> {
    return this.followed.readGuestNotes();
  }

  /** Guest notes on this device that could move into the account (0 when they cannot be read). */
  async countGuestNotes(): Promise<number> {
    return this.followed.countGuestNotes();
  }

  /** Moves the guest's notes into `account` (the open database); resolves how many moved (following.ts). */
  async moveGuestNotesInto(account: NotesDatabase): Promise<number> {
    return this.followed.moveGuestNotesInto(account);
  }

  /** Records sign-in methods linked from the account dialog. */
  updateMethods(methods: SignInMethod[]): void {
    const account = this.account;
    if (account.kind !== 'account') return;
    void this.deps.session.apply({ kind: 'account', account: { ...account.account, methods } }, 'updated');
  }

  /** Signs out and removes this account's notes from the device; the guest's notes open again (following.ts). */
  async signOut(): Promise<void> {
    return this.followed.signOut();
  }

  /** Erases this device's copy of the account when the person did not ask for it here (following.ts). */
  async eraseThisDevice(end: DeviceEnd, uid: string | undefined = accountUid(this.account)): Promise<void> {
    return this.followed.eraseThisDevice(end, uid);
  }
}
