/**
 * The shell's lifecycle controller (src/account/lifecycle.ts) with real databases in
 * fake-indexeddb, a session whose Firebase Auth is replaced, and sync replaced by a recorder:
 * which database is open for whom, that sync starts and stops with it, and that Firebase failing
 * to load (or sync stopping) is a state with a reason, retried on request and when back online.
 */
import Dexie from 'dexie';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DeviceEnd } from '../../src/account/devices.js';
import { AccountLifecycle, type LifecycleHooks } from '../../src/account/lifecycle.js';
import { AccountSession, type AccountChange, type AccountState, type AccountSummary } from '../../src/account/session.js';
import { APP } from '../../src/constants.js';
import type { NotesDatabase } from '../../src/db/database.js';
import { notesDatabaseName } from '../../src/db/database-name.js';
import { createNote } from '../../src/db/notes.js';
import { openNotesDatabase } from '../../src/db/open.js';

const ADA: AccountSummary = { uid: 'ada', email: 'ada@example.com', displayName: 'Ada', methods: ['google'] };
const BOB: AccountSummary = { uid: 'bob', email: 'bob@example.com', displayName: 'Bob', methods: ['github'] };
const DOWNLOAD_FAILED = new TypeError('Failed to fetch dynamically imported module: https://notes.example/assets/auth-1234.js');

/** A session whose Auth is replaced: `restored` is who this device used last; `authFailures` fail watchAuth in turn. */
class TestSession extends AccountSession {
  restored: AccountState = { kind: 'guest' };
  authFailures: unknown[] = [];
  watchCalls = 0;

  override async restore(): Promise<AccountState> {
    await this.apply(this.restored, 'restored');
    return this.state;
  }

  override async watchAuth(): Promise<void> {
    this.watchCalls += 1;
    const failure = this.authFailures.shift();
    if (failure) throw failure;
  }
}

class TestHost implements ReactiveControllerHost {
  private readonly controllers: ReactiveController[] = [];
  updates = 0;
  addController(controller: ReactiveController): void {
    this.controllers.push(controller);
  }
  removeController(): void {}
  requestUpdate(): void {
    this.updates += 1;
  }
  get updateComplete(): Promise<boolean> {
    return Promise.resolve(true);
  }
  connect(): void {
    for (const controller of this.controllers) controller.hostConnected?.();
  }
  disconnect(): void {
    for (const controller of this.controllers) controller.hostDisconnected?.();
  }
}

interface SyncRun {
  uid: string;
  db: NotesDatabase;
  stopped: boolean;
  fail(error: unknown): void;
}

/** A device follow: `switching` is its switch to the session bound to the device, while under way. */
interface DeviceFollow {
  uid: string;
  end: (end: DeviceEnd) => void;
  stopped: boolean;
  switching: Promise<unknown>;
}

const lifecycles: AccountLifecycle[] = [];
let moveQueue: Promise<unknown> = Promise.resolve();
const hosts: TestHost[] = [];

afterEach(async () => {
  for (const host of hosts.splice(0)) host.disconnect();
  lifecycles.splice(0);
  for (const name of await Dexie.getDatabaseNames()) await Dexie.delete(name);
});

function setUp(
  options: { restored?: AccountState; syncConfigured?: boolean; online?: boolean; databaseOpening?: LifecycleHooks['databaseOpening'] } = {},
) {
  const host = new TestHost();
  hosts.push(host);
  const session = new TestSession();
  session.restored = options.restored ?? { kind: 'guest' };
  const syncRuns: SyncRun[] = [];
  const onlineListeners = new Set<() => void>();
  const signInElsewhereListeners = new Set<() => void>();
  const changes: AccountChange[] = [];
  const opened: (NotesDatabase | undefined)[] = [];
  /** The names of the databases opened, in the order the opens began. */
  const openCalls: string[] = [];
  const world = { online: options.online ?? true, signedOutOfFirebase: 0, signInLoaded: 0, pushChannelsForgotten: 0 };
  /** The device follows running now, by uid, each with the way to tell it how the device ended. */
  const deviceFollows: DeviceFollow[] = [];
  const erased: DeviceEnd[] = [];
  const retired: string[] = [];
  const hooks: LifecycleHooks = {
    databaseChanged: (db) => opened.push(db),
    databaseOpening: options.databaseOpening,
    opened: async () => undefined,
    signInLoaded: () => {
      world.signInLoaded += 1;
    },
    accountChanged: async (change) => {
      changes.push(change);
    },
    deviceErased: (end) => erased.push(end),
  };
  const lifecycle = new AccountLifecycle(host, hooks, {
    session,
    syncConfigured: options.syncConfigured ?? true,
    openDatabase: (name) => {
      openCalls.push(name);
      return openNotesDatabase(name, 'this-device');
    },
    startSync(db, uid, onStopped) {
      const run: SyncRun = { uid, db, stopped: false, fail: onStopped };
      syncRuns.push(run);
      return {
        stop() {
          run.stopped = true;
        },
      };
    },
    async signOutOfFirebase() {
      world.signedOutOfFirebase += 1;
    },
    afterFirstPaint: () => Promise.resolve(),
    online: () => world.online,
    onOnline(listener) {
      onlineListeners.add(listener);
      return () => onlineListeners.delete(listener);
    },
    onSignInElsewhere(listener) {
      signInElsewhereListeners.add(listener);
      return () => signInElsewhereListeners.delete(listener);
    },
    // Node has no Web Locks: one queue stands in for the browser's lock, as tabs would share it.
    underGuestMoveLock<T>(move: () => Promise<T>): Promise<T> {
      const turn = moveQueue.then(move);
      moveQueue = turn.catch(() => undefined);
      return turn;
    },
    followDevice(uid, end) {
      const follow: DeviceFollow = { uid, end, stopped: false, switching: Promise.resolve() };
      deviceFollows.push(follow);
      return async () => {
        follow.stopped = true;
        await follow.switching;
      };
    },
    async forgetPushChannel() {
      world.pushChannelsForgotten += 1;
    },
    async retireDevice(uid) {
      retired.push(uid);
    },
  });
  lifecycles.push(lifecycle);
  const backOnline = () => {
    world.online = true;
    for (const listener of onlineListeners) listener();
  };
  const signInElsewhere = () => {
    for (const listener of signInElsewhereListeners) listener();
  };
  const runningSyncs = () => syncRuns.filter((run) => !run.stopped);
  const followingDevices = () => deviceFollows.filter((follow) => !follow.stopped);
  return {
    host,
    session,
    lifecycle,
    syncRuns,
    runningSyncs,
    changes,
    opened,
    openCalls,
    world,
    backOnline,
    onlineListeners,
    signInElsewhere,
    signInElsewhereListeners,
    followingDevices,
    erased,
    retired,
  };
}

function openDb(lifecycle: AccountLifecycle): NotesDatabase {
  const storage = lifecycle.storage;
  if (storage.status !== 'ready') throw new Error(`storage is ${storage.status}`);
  return storage.db;
}

/** Lets the session's listeners and the lifecycle's account switch run. */
async function settle(lifecycle: AccountLifecycle): Promise<void> {
  await lifecycle.started;
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}

describe('the notes that are open', () => {
  it('opens the guest notes, and with no Firebase configuration never loads sign-in or sync', async () => {
    const { host, session, lifecycle, syncRuns, onlineListeners } = setUp({ syncConfigured: false });
    host.connect();
    await lifecycle.started;
    expect(openDb(lifecycle).name).toBe(APP.GUEST_DB_NAME);
    expect(lifecycle.sync).toEqual({ status: 'not-configured' });
    expect(session.watchCalls).toBe(0);
    expect(syncRuns).toEqual([]);
    expect(onlineListeners.size).toBe(0);
  });

  it('opens the database once the shell has shown what the start read of it, and not at all if stopped meanwhile', async () => {
    const shown: (() => void)[] = [];
    const databaseOpening = () => new Promise<void>((resolve) => shown.push(resolve));
    const { host, lifecycle, openCalls } = setUp({ syncConfigured: false, databaseOpening });
    host.connect();
    await vi.waitFor(() => expect(shown).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(openCalls).toEqual([]);
    expect(lifecycle.storage.status).toBe('opening');
    shown[0]!();
    await lifecycle.started;
    expect(openCalls).toEqual([APP.GUEST_DB_NAME]);
    expect(openDb(lifecycle).name).toBe(APP.GUEST_DB_NAME);

    const stopped = setUp({ syncConfigured: false, databaseOpening });
    stopped.host.connect();
    await vi.waitFor(() => expect(shown).toHaveLength(2));
    stopped.host.disconnect();
    shown[1]!();
    await stopped.lifecycle.started;
    expect(stopped.openCalls).toEqual([]);
    expect(stopped.lifecycle.storage.status).toBe('opening');
  });

  it('opens the account used last before sign-in loads, then syncs it as that account', async () => {
    const { host, lifecycle, runningSyncs, world } = setUp({ restored: { kind: 'account', account: ADA } });
    host.connect();
    await lifecycle.started;
    expect(openDb(lifecycle).name).toBe(notesDatabaseName('ada'));
    expect(lifecycle.account).toEqual({ kind: 'account', account: ADA });
    expect(lifecycle.sync).toEqual({ status: 'ready' });
    expect(runningSyncs().map((run) => [run.uid, run.db.name])).toEqual([['ada', 'roaming-notes-user-ada']]);
    expect(world.signInLoaded).toBe(1);
  });

  it('switches database and sync when another account signs in, telling the shell who it was before', async () => {
    const { host, session, lifecycle, runningSyncs, changes } = setUp({ restored: { kind: 'account', account: ADA } });
    host.connect();
    await lifecycle.started;
    const adaDb = openDb(lifecycle);
    await session.apply({ kind: 'account', account: BOB }, 'signed-in');
    await settle(lifecycle);
    expect(openDb(lifecycle).name).toBe(notesDatabaseName('bob'));
    expect(adaDb.isOpen()).toBe(false);
    expect(runningSyncs().map((run) => run.uid)).toEqual(['bob']);
    expect(changes).toEqual([{ state: { kind: 'account', account: BOB }, previous: { kind: 'account', account: ADA }, reason: 'signed-in' }]);
  });

  it('signs out: sync stops first, the guest notes open again and the account copy is deleted', async () => {
    const { host, lifecycle, runningSyncs, world, retired, followingDevices, erased } = setUp({ restored: { kind: 'account', account: ADA } });
    host.connect();
    await lifecycle.started;
    await createNote(openDb(lifecycle), { text: 'Ada’s note' });
    await lifecycle.signOut();
    expect(world.signedOutOfFirebase).toBe(1);
    // The device is marked signed out in the registry after it stopped watching its own record.
    expect(retired).toEqual(['ada']);
    expect(followingDevices()).toEqual([]);
    expect(erased).toEqual([]);
    expect(runningSyncs()).toEqual([]);
    expect(lifecycle.account).toEqual({ kind: 'guest' });
    expect(openDb(lifecycle).name).toBe(APP.GUEST_DB_NAME);
    expect(await Dexie.exists(notesDatabaseName('ada'))).toBe(false);
  });

  it('signs out of Firebase only once a switch to the device-bound session under way has finished', async () => {
    const { host, lifecycle, world, followingDevices } = setUp({ restored: { kind: 'account', account: ADA } });
    host.connect();
    await lifecycle.started;
    let finishSwitch!: () => void;
    followingDevices()[0].switching = new Promise<void>((resolve) => (finishSwitch = resolve));
    const signingOut = lifecycle.signOut();
    await settle(lifecycle);
    // Signing out now would be undone by the custom-token sign-in finishing after it.
    expect(world.signedOutOfFirebase).toBe(0);
    expect(lifecycle.account).toEqual({ kind: 'account', account: ADA });
    finishSwitch();
    await signingOut;
    expect(world.signedOutOfFirebase).toBe(1);
    expect(lifecycle.account).toEqual({ kind: 'guest' });
  });

  it.each(['revoked', 'account-deleted'] as const)(
    'erases this device when its registry says %s: sync stops, no question, the database with its outbox goes, the guest notes open',
    async (end) => {
      const { host, lifecycle, runningSyncs, world, followingDevices, erased } = setUp({ restored: { kind: 'account', account: ADA } });
      host.connect();
      await lifecycle.started;
      expect(followingDevices().map((follow) => follow.uid)).toEqual(['ada']);
      await createNote(openDb(lifecycle), { text: 'Not synced yet' });
      expect(await openDb(lifecycle).outbox.count()).toBe(1);

      followingDevices()[0].end(end);
      await settle(lifecycle);

      expect(erased).toEqual([end]);
      expect(runningSyncs()).toEqual([]);
      expect(followingDevices()).toEqual([]);
      expect(world).toMatchObject({ signedOutOfFirebase: 1, pushChannelsForgotten: 1 });
      expect(lifecycle.account).toEqual({ kind: 'guest' });
      expect(openDb(lifecycle).name).toBe(APP.GUEST_DB_NAME);
      expect(await Dexie.exists(notesDatabaseName('ada'))).toBe(false);
    },
  );

  it('ignores the end of a device follow for an account no longer open', async () => {
    const { host, session, lifecycle, followingDevices, erased } = setUp({ restored: { kind: 'account', account: ADA } });
    host.connect();
    await lifecycle.started;
    const adaFollow = followingDevices()[0];
    await session.apply({ kind: 'account', account: BOB }, 'signed-in');
    await settle(lifecycle);
    expect(adaFollow.stopped).toBe(true);
    adaFollow.end('revoked');
    await settle(lifecycle);
    expect(erased).toEqual([]);
    expect(openDb(lifecycle).name).toBe(notesDatabaseName('bob'));
  });

  it('moves guest notes into the account that signed in', async () => {
    const { host, session, lifecycle } = setUp();
    host.connect();
    await lifecycle.started;
    await createNote(openDb(lifecycle), { text: 'Before signing in' });
    await session.apply({ kind: 'account', account: ADA }, 'signed-in');
    await settle(lifecycle);
    expect(await lifecycle.countGuestNotes()).toBe(1);
    expect(await lifecycle.moveGuestNotesInto(openDb(lifecycle))).toBe(1);
    expect(await lifecycle.countGuestNotes()).toBe(0);
    expect((await openDb(lifecycle).notes.toArray()).map((note) => note.text)).toEqual(['Before signing in']);
  });

  it('keeps counting the guest notes while signed in, so they stay reachable until moved; a second move finds none', async () => {
    const { host, session, lifecycle, changes } = setUp();
    host.connect();
    await lifecycle.started;
    await createNote(openDb(lifecycle), { text: 'Kept here' });
    await createNote(openDb(lifecycle), { text: 'Kept here too' });
    expect(lifecycle.guestNotes).toBe(0);
    let countWhenAsked = -1;
    let changingWhenAsked = false;
    lifecycle['hooks'].accountChanged = async (change) => {
      changes.push(change);
      countWhenAsked = lifecycle.guestNotes;
      changingWhenAsked = lifecycle.changingAccount;
    };
    await session.apply({ kind: 'account', account: ADA }, 'signed-in');
    await settle(lifecycle);
    // Counted before the shell is told, and the switch counts as under way while the shell decides.
    expect(countWhenAsked).toBe(2);
    expect(changingWhenAsked).toBe(true);
    expect(lifecycle.changingAccount).toBe(false);
    expect((await lifecycle.readGuestNotes()).map((note) => note.text).sort()).toEqual(['Kept here', 'Kept here too']);

    const [first, second] = await Promise.all([lifecycle.moveGuestNotesInto(openDb(lifecycle)), lifecycle.moveGuestNotesInto(openDb(lifecycle))]);
    expect(first + second).toBe(2);
    expect(lifecycle.guestNotes).toBe(0);
    expect(await openDb(lifecycle).notes.count()).toBe(2);
    expect(await lifecycle.moveGuestNotesInto(openDb(lifecycle))).toBe(0);
  });

  it('loads no sign-in for a guest until it is asked for, then follows it', async () => {
    const { host, session, lifecycle, world, changes, runningSyncs } = setUp();
    host.connect();
    await lifecycle.started;
    expect(openDb(lifecycle).name).toBe(APP.GUEST_DB_NAME);
    expect(lifecycle.sync).toEqual({ status: 'on-request' });
    expect(session.watchCalls).toBe(0);
    expect(world.signInLoaded).toBe(0);

    lifecycle.requestSignIn();
    await lifecycle.started;
    expect(session.watchCalls).toBe(1);
    expect(lifecycle.sync).toEqual({ status: 'ready' });
    expect(world.signInLoaded).toBe(1);
    // Asked again (the dialog opened twice): it is loaded once.
    lifecycle.requestSignIn();
    await lifecycle.started;
    expect(session.watchCalls).toBe(1);

    await session.apply({ kind: 'account', account: ADA }, 'signed-in');
    await settle(lifecycle);
    expect(openDb(lifecycle).name).toBe(notesDatabaseName('ada'));
    expect(runningSyncs().map((run) => run.uid)).toEqual(['ada']);
    expect(changes.map((change) => change.reason)).toEqual(['signed-in']);
  });

  it('loads sign-in at start for a guest who asked before the first paint (a sign-in link)', async () => {
    const { host, session, lifecycle, world } = setUp();
    host.connect();
    lifecycle.requestSignIn();
    await lifecycle.started;
    expect(session.watchCalls).toBe(1);
    expect(lifecycle.sync).toEqual({ status: 'ready' });
    expect(world.signInLoaded).toBe(1);
  });

  it('loads sign-in in a guest tab when another tab signs in, and stops listening at disconnect', async () => {
    const { host, session, lifecycle, signInElsewhere, signInElsewhereListeners } = setUp();
    host.connect();
    await lifecycle.started;
    expect(session.watchCalls).toBe(0);
    signInElsewhere();
    await lifecycle.started;
    expect(session.watchCalls).toBe(1);
    expect(lifecycle.sync).toEqual({ status: 'ready' });
    host.disconnect();
    expect(signInElsewhereListeners.size).toBe(0);
  });

  it('stops everything when the host disconnects: sync, the database, and listening for the network', async () => {
    const { host, lifecycle, runningSyncs, onlineListeners, opened } = setUp({ restored: { kind: 'account', account: ADA } });
    host.connect();
    await lifecycle.started;
    const db = openDb(lifecycle);
    host.disconnect();
    expect(runningSyncs()).toEqual([]);
    expect(db.isOpen()).toBe(false);
    expect(lifecycle.storage).toEqual({ status: 'opening' });
    expect(onlineListeners.size).toBe(0);
    expect(opened.at(-1)).toBeUndefined();
  });
});

describe('sync that cannot run', () => {
  it('says why when Firebase cannot be downloaded, and starts once it loads on Retry', async () => {
    const { host, session, lifecycle, runningSyncs, world } = setUp({ restored: { kind: 'account', account: ADA } });
    session.authFailures.push(DOWNLOAD_FAILED);
    host.connect();
    await lifecycle.started;
    expect(lifecycle.sync).toEqual({ status: 'unavailable', reason: 'part of the app could not be downloaded.' });
    expect(runningSyncs()).toEqual([]);
    expect(world.signInLoaded).toBe(0);
    // The notes stay open and usable all along.
    expect(openDb(lifecycle).name).toBe(notesDatabaseName('ada'));
    const updatesBefore = host.updates;

    lifecycle.retry();
    await lifecycle.started;
    expect(session.watchCalls).toBe(2);
    expect(lifecycle.sync).toEqual({ status: 'ready' });
    expect(runningSyncs().map((run) => run.uid)).toEqual(['ada']);
    expect(world.signInLoaded).toBe(1);
    expect(host.updates).toBeGreaterThan(updatesBefore);
  });

  it('says the device is offline, and tries again by itself when it comes back online', async () => {
    const { host, session, lifecycle, world, backOnline } = setUp({ online: false });
    session.authFailures.push(DOWNLOAD_FAILED);
    host.connect();
    await lifecycle.started;
    lifecycle.requestSignIn();
    await lifecycle.started;
    expect(lifecycle.sync).toEqual({ status: 'unavailable', reason: 'this device is offline. It tries again when you are back online.' });
    backOnline();
    await lifecycle.started;
    expect(lifecycle.sync).toEqual({ status: 'ready' });
    expect(world.signInLoaded).toBe(1);
  });

  it('keeps saying so when a retry fails again, with the new reason', async () => {
    const { host, session, lifecycle } = setUp();
    session.authFailures.push(DOWNLOAD_FAILED, new Error('auth/network-request-failed'));
    host.connect();
    await lifecycle.started;
    lifecycle.requestSignIn();
    await lifecycle.started;
    lifecycle.retry();
    await lifecycle.started;
    expect(lifecycle.sync).toEqual({ status: 'unavailable', reason: 'auth/network-request-failed' });
  });

  it('turns sync stopping with an error into the same state, and Retry restarts sync', async () => {
    const { host, lifecycle, syncRuns, runningSyncs } = setUp({ restored: { kind: 'account', account: ADA } });
    host.connect();
    await lifecycle.started;
    syncRuns[0]!.fail(DOWNLOAD_FAILED);
    // The failed run is let go of (the real one stops listening for the network then).
    expect(runningSyncs()).toEqual([]);
    expect(lifecycle.sync).toEqual({ status: 'unavailable', reason: 'part of the app could not be downloaded.' });
    lifecycle.retry();
    await lifecycle.started;
    expect(lifecycle.sync).toEqual({ status: 'ready' });
    expect(runningSyncs().map((run) => run.uid)).toEqual(['ada']);
    expect(syncRuns).toHaveLength(2);
  });

  it('forgets a stopped sync when the account changes: the guest can sign in, the next account syncs', async () => {
    const { host, session, lifecycle, syncRuns, runningSyncs } = setUp({ restored: { kind: 'account', account: ADA } });
    host.connect();
    await lifecycle.started;
    syncRuns[0]!.fail(new Error('unavailable'));
    await lifecycle.signOut();
    expect(lifecycle.sync).toEqual({ status: 'ready' });
    await session.apply({ kind: 'account', account: BOB }, 'signed-in');
    await settle(lifecycle);
    expect(runningSyncs().map((run) => run.uid)).toEqual(['bob']);
  });

  it('ignores a failure reported by a sync it has already replaced', async () => {
    const { host, lifecycle, syncRuns } = setUp({ restored: { kind: 'account', account: ADA } });
    host.connect();
    await lifecycle.started;
    lifecycle.restartSync();
    syncRuns[0]!.fail(new Error('from the stopped run'));
    expect(lifecycle.sync).toEqual({ status: 'ready' });
  });

  it('does not retry while sync is fine, nor after the host disconnected', async () => {
    const { host, session, lifecycle, backOnline } = setUp({ restored: { kind: 'account', account: ADA } });
    host.connect();
    await lifecycle.started;
    lifecycle.retry();
    backOnline();
    expect(session.watchCalls).toBe(1);
    session.authFailures.push(DOWNLOAD_FAILED);
    host.disconnect();
    lifecycle.retry();
    expect(session.watchCalls).toBe(1);
  });
});
