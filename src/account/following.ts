/**
 * Following the account: the part of AccountLifecycle (lifecycle.ts) that runs after first paint
 * where sync is set up, and is loaded then. Sign-in loads at once only when this device has an
 * account to restore: for a guest, Firebase (the largest code of the app, whose evaluation would
 * block the main thread after first paint) waits until the person opens sign-in, a sign-in link
 * is opened, or another tab signs in (requestSignIn). From then on it follows sign-in, switching
 * the open database and its sync when the account changes. While an account syncs it also follows
 * this device in the account's device registry (src/account/devices.ts): when another device
 * revokes this one, or the account is deleted, it erases this device's copy. It counts and moves
 * the guest's notes kept on this device, and signs out.
 */
import type { ReactiveControllerHost } from 'lit';
import { countMovableNotes, moveNotes } from '../db/accounts.js';
import type { NoteRecord, NotesDatabase } from '../db/database.js';
import { notesDatabaseName } from '../db/database-name.js';
import { notTombstones } from '../db/queries.js';
import type { SyncHandle } from '../sync/controller.js';
import type { DeviceEnd } from './devices.js';
import { defaultFollowDependencies } from './following-dependencies.js';
import { announceGuestNotesMoved, onGuestNotesMoved } from './guest-move.js';
import { describeSyncFailure, type AccountLifecycle, type LifecycleHooks, type SyncAvailability } from './lifecycle.js';
import type { LifecycleDependencies, StartDependencies } from './lifecycle-dependencies.js';
import { accountUid, type AccountChange, type AccountState } from './session.js';

/** What the lifecycle hands the following it started: itself, and the parts of it the following drives. */
export interface FollowedLifecycle {
  lifecycle: AccountLifecycle;
  host: ReactiveControllerHost;
  hooks: LifecycleHooks;
  /** The lifecycle's dependencies: the start's, and any of the following's given in their place. */
  deps: StartDependencies & Partial<LifecycleDependencies>;
  /** Points the app at the notes of `account`, closing the previous database. */
  useDatabase(account: AccountState): Promise<void>;
  setSync(sync: SyncAvailability): void;
  /** Sign-in was asked for before the following started (a sign-in link, say). */
  signInRequested(): boolean;
}

export class AccountFollowing {
  private readonly lifecycle: AccountLifecycle;
  private readonly host: ReactiveControllerHost;
  private readonly hooks: LifecycleHooks;
  private readonly deps: LifecycleDependencies;
  private syncHandle: SyncHandle | undefined;
  private stopFollowingDevice: (() => Promise<void>) | undefined;
  /** Settles once the device follower stopped last is done switching sessions (see signOut). */
  private deviceFollowStopped: Promise<void> = Promise.resolve();
  private readonly cleanups: (() => void)[] = [];
  /** The account switch in progress, so sign-out can wait for the database to change hands. */
  private switching: Promise<void> = Promise.resolve();
  /** Sign-in has loaded: a later failure can only be the sync of one account. */
  private signInReady = false;
  /** Stopped with the lifecycle: a sign-in still loading must not go on to sync after it. */
  private stopped = false;

  constructor(private readonly followed: FollowedLifecycle) {
    this.lifecycle = followed.lifecycle;
    this.host = followed.host;
    this.hooks = followed.hooks;
    this.deps = { ...defaultFollowDependencies(), ...followed.deps };
  }

  /** Follows the account from now on; an account used last restores (or ends) its session now. */
  async start(): Promise<void> {
    void this.refreshGuestNotes();
    this.cleanups.push(
      this.deps.session.subscribe((change) => {
        this.switching = this.onAccountChange(change);
      }),
      onGuestNotesMoved((message) => {
        if (message.uid !== accountUid(this.lifecycle.account)) return;
        void this.refreshGuestNotes().then(() => this.hooks.guestNotesMovedElsewhere?.(message.moved));
      }),
      this.deps.onSignInElsewhere(() => this.lifecycle.requestSignIn()),
    );
    // A guest's page loads no Firebase until sign-in is asked for.
    if (this.lifecycle.account.kind === 'account' || this.followed.signInRequested()) await this.loadSignIn();
    else this.followed.setSync({ status: 'on-request' });
  }

  /** Stops following the account, and sync. */
  stop(): void {
    this.stopped = true;
    this.signInReady = false;
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.stopSync();
  }

  /** Loads sign-in (Firebase Auth) and starts sync; when it cannot load, that is why sync is unavailable. */
  async loadSignIn(): Promise<void> {
    this.followed.setSync({ status: 'loading' });
    try {
      await this.deps.session.watchAuth();
    } catch (error) {
      if (!this.stopped) this.followed.setSync({ status: 'unavailable', reason: describeSyncFailure(error, this.deps.online()) });
      return;
    }
    if (this.stopped) return;
    this.signInReady = true;
    this.followed.setSync({ status: 'ready' });
    this.startSync();
    this.hooks.signInLoaded();
  }

  /** Syncs the open account's notes (one tab per account does the work; see src/sync/controller.ts). */
  startSync(): void {
    this.stopSync();
    const account = this.lifecycle.account;
    const storage = this.lifecycle.storage;
    if (account.kind !== 'account' || storage.status !== 'ready' || this.lifecycle.sync.status !== 'ready') return;
    const handle = this.deps.startSync(storage.db, account.account.uid, (error) => {
      if (this.syncHandle !== handle) return;
      // The run has ended; stopping the handle also lets go of what it listens to.
      this.stopSync();
      this.followed.setSync({ status: 'unavailable', reason: describeSyncFailure(error, this.deps.online()) });
    });
    this.syncHandle = handle;
    const uid = account.account.uid;
    this.stopFollowingDevice = this.deps.followDevice(uid, (end) => {
      if (accountUid(this.lifecycle.account) === uid) void this.eraseThisDevice(end);
    });
  }

  stopSync(): void {
    this.syncHandle?.stop();
    this.syncHandle = undefined;
    if (this.stopFollowingDevice) this.deviceFollowStopped = this.stopFollowingDevice();
    this.stopFollowingDevice = undefined;
  }

  private async onAccountChange(change: AccountChange): Promise<void> {
    // Sign-in works, so what stopped was the previous account's sync: the new account starts afresh.
    if (this.lifecycle.sync.status === 'unavailable' && this.signInReady) this.followed.setSync({ status: 'ready' });
    this.lifecycle.changingAccount = true;
    try {
      await this.followed.useDatabase(change.state);
      if (!this.syncHandle) this.startSync();
      await this.refreshGuestNotes();
      await this.hooks.accountChanged(change);
    } finally {
      this.lifecycle.changingAccount = false;
      this.host.requestUpdate();
    }
  }

  /** Recounts the guest notes kept on this device while an account is open. */
  async refreshGuestNotes(): Promise<number> {
    const count = this.lifecycle.account.kind === 'account' ? await this.countGuestNotes() : 0;
    this.lifecycle.guestNotes = count;
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
    const uid = accountUid(this.lifecycle.account);
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

  /**
   * Signs out and removes this account's notes from the device; the guest's notes open again.
   * Sync stops first: the outbox is kept until the database goes, so nothing is lost mid-sync.
   */
  async signOut(): Promise<void> {
    const uid = accountUid(this.lifecycle.account);
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
  async eraseThisDevice(end: DeviceEnd, uid: string | undefined = accountUid(this.lifecycle.account)): Promise<void> {
    if (uid === undefined) return;
    if (accountUid(this.lifecycle.account) === uid) this.stopSync();
    await this.deps.forgetPushChannel().catch(() => undefined);
    await this.deviceFollowStopped;
    await this.deps.signOutOfFirebase().catch(() => undefined);
    // Deleting the Auth user here has already signed this device out.
    if (accountUid(this.lifecycle.account) === uid) await this.deps.session.apply({ kind: 'guest' }, 'signed-out');
    await this.switching;
    await this.deps.deleteDatabase(notesDatabaseName(uid));
    this.hooks.deviceErased?.(end);
  }
}
