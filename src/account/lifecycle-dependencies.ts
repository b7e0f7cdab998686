/**
 * What AccountLifecycle needs of the outside world (the session, the notes databases, sync,
 * Firebase sign-out, the network, the device registry, push), and the real ones of its start:
 * those of what follows sign-in are in following-dependencies.ts, loaded with it after first
 * paint. Tests replace any of them, so the lifecycle runs without a browser or Firebase.
 */
import type { NotesDatabase } from '../db/database.js';
import { explainStorageError } from '../db/explain-storage-error.js';
import { rememberOpenedDatabase } from '../platform/start-reads.js';
import type { SyncHandle } from '../sync/controller.js';
import type { DeviceEnd } from './devices.js';
import { AccountSession, syncConfigured } from './session.js';

/** What the start needs: the notes of the account used last, open and painted. */
export interface StartDependencies {
  session: AccountSession;
  syncConfigured: boolean;
  openDatabase(name: string): Promise<NotesDatabase>;
  describeStorageError(error: unknown): string | Promise<string>;
  /** Resolves once the page has painted what it has, so Firebase loads after first paint. */
  afterFirstPaint(): Promise<void>;
  online(): boolean;
  /** Calls `listener` each time the device comes back online; returns the unsubscribe. */
  onOnline(listener: () => void): () => void;
}

/** What following the account needs, after first paint (following.ts). */
export interface FollowDependencies {
  deleteDatabase(name: string): Promise<void>;
  startSync(db: NotesDatabase, uid: string, onStopped: (error: unknown) => void): SyncHandle;
  signOutOfFirebase(): Promise<void>;
  /** Calls `listener` each time another tab signs an account in; returns the unsubscribe. */
  onSignInElsewhere(listener: () => void): () => void;
  /** Runs the guest-notes move while no other tab runs it (a Web Lock). */
  underGuestMoveLock<T>(move: () => Promise<T>): Promise<T>;
  /**
   * Registers this device for `uid` and watches its record; calls `onEnd` once it is revoked or
   * the account deleted. Returns the stop, which resolves once no switch to the session bound to
   * this device is under way (so a sign-out after it stays signed out).
   */
  followDevice(uid: string, onEnd: (end: DeviceEnd) => void): () => Promise<void>;
  /** Deletes this device's push token and forgets its channel (bounded in time; never throws). */
  forgetPushChannel(): Promise<void>;
  /** Marks this device signed out in the registry at sign-out (bounded in time). */
  retireDevice(uid: string): Promise<void>;
}

/** The outside world, replaceable so the lifecycle is tested without a browser or Firebase. */
export type LifecycleDependencies = StartDependencies & FollowDependencies;

export const defaultStartDependencies = (): StartDependencies => ({
  session: new AccountSession(),
  syncConfigured,
  openDatabase: async (name) => {
    // Neither the settings store nor Dexie is part of the first paint: the board paints what the start read.
    const [{ deviceId }, { openNotesDatabase }] = await Promise.all([import('../platform/settings.js'), import('../db/open.js')]);
    const db = await openNotesDatabase(name, await deviceId());
    rememberOpenedDatabase(name);
    return db;
  },
  describeStorageError: explainStorageError,
  afterFirstPaint: () => new Promise((resolve) => setTimeout(resolve, 0)),
  online: () => navigator.onLine,
  onOnline(listener) {
    window.addEventListener('online', listener);
    return () => window.removeEventListener('online', listener);
  },
});
