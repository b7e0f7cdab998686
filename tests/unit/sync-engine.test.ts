/**
 * The sync engine against the in-memory server (tests/support/fake-server.ts), one behaviour of
 * the sync protocol per test, with fake time and a seeded PRNG. Devices are driven step by step:
 * pushOnce/pushAll, catchUp and listener deliveries, as the engine's run() loop would.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Lane, MetaKey } from '../../src/db/database.js';
import { createNote, deleteNoteForever, trashNote, updateNote } from '../../src/db/notes.js';
import type { RemoteNote } from '../../src/db/remote-note.js';
import type { RemotePageStore } from '../../src/db/page-merger.js';
import { applyRemotePage, readCheckpoint, readSyncStatus } from '../../src/db/sync-state.js';
import { SYNC, UnconfirmedRefusal } from '../../src/sync/engine.js';
import { SYNC_TEXTS } from '../../src/sync/texts.js';
import type { RemoteWrite } from '../../src/sync/remote.js';
import { errorCode } from '../../src/shared/errors.js';
import { EDITABLE_FIELDS, MAX_NOTE_TEXT_LENGTH } from '../../src/shared/note.js';
import { bothVersions } from '../../src/db/text-merge.js';
import { recordSyncStatus, type Device } from '../support/device.js';
import type { FakeClient } from '../support/fake-server.js';
import { World } from '../support/world.js';

type SimDevice = Device & { remote: FakeClient };

let world: World;

afterEach(async () => {
  await world?.destroy();
});

async function pushAllTolerant(device: SimDevice): Promise<void> {
  try {
    await device.engine.pushAll();
  } catch (error) {
    if (errorCode(error) !== 'unavailable') throw error;
  }
}

/**
 * Pushes until nothing sendable is left, through the rounds a refused change goes before it is set
 * aside (SYNC.REFUSAL_ROUNDS; the run loop waits between them). Resolves with the rounds taken.
 */
async function pushThroughRefusals(device: SimDevice): Promise<number> {
  for (let round = 1; ; round++) {
    try {
      await device.engine.pushAll();
      return round;
    } catch (error) {
      if (!(error instanceof UnconfirmedRefusal) || round >= SYNC.REFUSAL_ROUNDS) throw error;
    }
  }
}

/**
 * How long (real time) a condition may take to hold. Bounded by time, not by a number of turns:
 * with the whole suite running on two cores, 500 turns of setTimeout(1) passed before a push's
 * few IndexedDB transactions had run.
 */
const UNTIL_MS = 5_000;

/** Lets pending IndexedDB work run until the condition holds. */
async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + UNTIL_MS;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 1));
  expect(condition()).toBe(true);
}

/** Like until(), for a condition that reads the database. */
async function untilStored(condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + UNTIL_MS;
  let holds = false;
  while (!(holds = await condition()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 1));
  expect(holds).toBe(true);
}

/** Everyone pushes and applies deliveries until nothing moves. */
async function settle(...devices: SimDevice[]): Promise<void> {
  for (let round = 0; round < 50; round++) {
    let moved = 0;
    for (const device of devices) {
      const before = await device.db.outbox.filter((entry) => !entry.rejected).count();
      await pushAllTolerant(device);
      moved += before - (await device.db.outbox.filter((entry) => !entry.rejected).count());
      device.remote.flush();
      moved += await device.applyInbox();
    }
    if (moved === 0) return;
  }
  throw new Error('sync did not settle in 50 rounds');
}

/** The synced content of a note, without local-only fields (updatedAt, lane). */
function content(note: { text: string; color: string; pinned: boolean; done: boolean; trashed: boolean; deleted: boolean; createdAt: number; clocks: object }) {
  const { text, color, pinned, done, trashed, deleted, createdAt, clocks } = note;
  return { text, color, pinned, done, trashed, deleted, createdAt, clocks };
}

async function twoDevices(seed = 1) {
  world = new World(seed);
  const a = await world.device('device-a');
  const b = await world.device('device-b');
  a.remote.autoDeliver = false;
  b.remote.autoDeliver = false;
  await a.start();
  await b.start();
  return { a, b };
}

function write(id: string, text: string, stamp: string, createdAt = 1): RemoteWrite {
  const values = { text, color: 'yellow' as const, pinned: false, done: false, trashed: false, deleted: false, archived: false };
  return { id, created: true, values, clocks: Object.fromEntries(EDITABLE_FIELDS.filter((f) => f in values).map((f) => [f, stamp])), createdAt };
}

describe('running', () => {
  /**
   * stop() must end a backoff wait at once: a run() that returned only after its wait would take
   * the shortest retry delay, so the deadline is well inside it.
   */
  const STOP_DEADLINE_MS = Math.min(...SYNC.RETRY_DELAYS_MS) / 2;
  const outcome = (running: Promise<void>) =>
    Promise.race([running.then(() => 'returned'), new Promise((resolve) => setTimeout(() => resolve('still running'), STOP_DEADLINE_MS))]);

  it('a failing watch of the outbox becomes a sync status, and the watch starts again after a backoff', async () => {
    world = new World(8);
    const a = await world.device('device-a', { retryDelayMs: () => 0 });
    const errors = recordSyncStatus(a.db, 'error');
    // The watch's first query fails, as a live query does when IndexedDB throws under it.
    const count = a.db.outbox.count.bind(a.db.outbox);
    let failures = 1;
    a.db.outbox.count = (() => (failures-- > 0 ? Promise.reject(new Error('the live query failed')) : count())) as typeof a.db.outbox.count;
    const running = a.engine.run();
    await until(() => errors.includes(SYNC_TEXTS.failure.localWatch));
    await until(() => failures < 0);
    // Watching again: a note made now is noticed and sent without any nudge.
    const note = await createNote(a.db, { text: 'after the watch came back' }, world.now);
    await until(() => world.server.docs.has(note.id));
    a.engine.stop();
    expect(await outcome(running)).toBe('returned');
  });

  it('run() returns once stopped while listening, so the tab lets go of the sync lock', async () => {
    world = new World(1);
    const a = await world.device('device-a');
    await createNote(a.db, { text: 'Sent before listening' });
    const running = a.engine.run();
    await until(() => a.remote.listening === 1);
    a.engine.stop();
    expect(await outcome(running)).toBe('returned');
    expect(a.remote.listening).toBe(0);
  });

  it('stopping and closing the notes database in the middle of a sync leaves no unhandled rejection', async () => {
    world = new World(2);
    const a = await world.device('device-a');
    for (let i = 0; i < 5; i++) await createNote(a.db, { text: `Note ${i}` });
    // Sign-out: stop, then close the database at once while the engine is between steps.
    const running = a.engine.run().catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 0));
    a.engine.stop();
    a.db.close();
    expect(await outcome(running.then(() => undefined))).toBe('returned');
    // An unhandled rejection from a step still in flight would fail this run; give it time to surface.
    await new Promise((resolve) => setTimeout(resolve, 50));
  });
});

describe('live snapshots under the run loop', () => {
  /**
   * Watches the device's transactions over the notes table (in these tests only the engine
   * storing a snapshot or page opens one) and lets the test act when one starts, or make it fail.
   */
  function watchStores(device: SimDevice, onStart: (started: number) => 'fail' | void = () => undefined) {
    const counts = { started: 0, inFlight: 0 };
    const db = device.db as unknown as { transaction: (...args: unknown[]) => Promise<unknown> };
    const transaction = db.transaction.bind(db);
    db.transaction = (...args: unknown[]) => {
      if (!args.includes(device.db.notes)) return transaction(...args);
      counts.started += 1;
      if (onStart(counts.started) === 'fail') return Promise.reject(new Error('the disk is full'));
      counts.inFlight += 1;
      return transaction(...args).finally(() => (counts.inFlight -= 1));
    };
    return counts;
  }

  /** B sends `count` notes, each in a write of its own: A's listener gets one snapshot per note. */
  async function sendEach(b: SimDevice, count: number): Promise<string[]> {
    const ids = Array.from({ length: count }, (_, i) => `burst-${String(i).padStart(3, '0')}`);
    for (const id of ids) await b.remote.write([write(id, id, `00000000000${ids.indexOf(id)}:00000:device-b`)]);
    return ids;
  }

  const head = () => world.server.after(undefined).at(-1);

  it('snapshots arriving while one is stored are stored together, not one transaction each', async () => {
    world = new World(21);
    const a = await world.device('device-a', { retryDelayMs: () => 0 });
    const b = await world.device('device-b');
    a.remote.autoDeliver = false;
    const running = a.engine.run();
    await until(() => a.remote.listening === 1);
    const stores = watchStores(a);
    await sendEach(b, 30);
    a.remote.flush();
    const newest = head()!;
    await untilStored(async () => (await a.db.notes.count()) === 30);
    await until(() => stores.inFlight === 0);
    expect(await readCheckpoint(a.db)).toEqual({ time: newest.updatedAt, id: newest.id });
    // The first snapshot alone, then the 29 that came while it was stored, in one transaction.
    expect(stores.started).toBe(2);
    a.engine.stop();
    await running;
  });

  it('run() returns only once the snapshot being stored is stored; the rest are fetched again on the next start', async () => {
    world = new World(22);
    const a = await world.device('device-a', { retryDelayMs: () => 0 });
    const b = await world.device('device-b');
    a.remote.autoDeliver = false;
    const running = a.engine.run();
    await until(() => a.remote.listening === 1);
    // Sign-out (or a crash) in the middle of storing the first of a burst of snapshots.
    const stores = watchStores(a, (started) => void (started === 1 && a.engine.stop()));
    const ids = await sendEach(b, 20);
    a.remote.flush();
    await running;
    // Nothing of this engine writes any more: the tab may let go of the sync lock, the database may close.
    expect(stores.inFlight).toBe(0);
    expect(stores.started).toBe(1);
    const first = world.server.docs.get(ids[0]!)!;
    expect(await readCheckpoint(a.db)).toEqual({ time: first.updatedAt, id: first.id });
    expect((await a.notes()).map((note) => note.id)).toEqual([ids[0]]);
    // The snapshots left unstored are behind the checkpoint: the next start brings them all.
    await a.crash();
    const restarted = a.engine.run();
    await untilStored(async () => (await a.db.notes.count()) === ids.length);
    expect((await a.notes()).map((note) => note.id)).toEqual(ids);
    a.engine.stop();
    await restarted;
  });

  it('a snapshot that fails to be stored is not skipped by the next one: the pull catches up from the checkpoint', async () => {
    world = new World(23);
    const a = await world.device('device-a', { retryDelayMs: () => 0 });
    const b = await world.device('device-b');
    a.remote.autoDeliver = false;
    const statuses = recordSyncStatus(a.db, 'error');
    const running = a.engine.run();
    await until(() => a.remote.listening === 1);
    // Storing the first snapshot fails (IndexedDB full, a transaction aborted); the next one stores fine.
    watchStores(a, (started) => (started === 1 ? 'fail' : undefined));
    const ids = await sendEach(b, 2);
    a.remote.flush();
    await untilStored(async () => (await a.db.notes.count()) === 2);
    expect((await a.notes()).map((note) => note.id)).toEqual(ids);
    expect(statuses.some((error) => error !== undefined)).toBe(true);
    const newest = head()!;
    expect(await readCheckpoint(a.db)).toEqual({ time: newest.updatedAt, id: newest.id });
    a.engine.stop();
    await running;
  });
});

describe('push and pull between two devices', () => {
  it('a note created on A reaches B with the same content and stamps', async () => {
    const { a, b } = await twoDevices();
    const note = await createNote(a.db, { text: 'Pick up milk', color: 'green' }, world.now);
    await settle(a, b);
    const onB = await b.db.notes.get(note.id);
    expect(onB && content(onB)).toEqual(content(note));
    expect(onB?.lane).toBe(Lane.board);
    expect(await a.db.outbox.count()).toBe(0);
    expect(await b.db.outbox.count()).toBe(0);
    expect(world.server.docs.get(note.id)?.updatedBy).toBe('device-a');
  });

  it('edits to different fields of one note on two devices both survive, on both', async () => {
    const { a, b } = await twoDevices();
    const note = await createNote(a.db, { text: 'Call the plumber' }, world.now);
    await settle(a, b);
    world.tick(10);
    await updateNote(a.db, note.id, { text: 'Call the plumber at 9' }, world.now);
    world.tick(10);
    await updateNote(b.db, note.id, { color: 'pink', done: true }, world.now);
    await settle(a, b);
    for (const device of [a, b]) {
      expect(await device.db.notes.get(note.id), device.id).toMatchObject({ text: 'Call the plumber at 9', color: 'pink', done: true });
    }
    expect(world.server.docs.get(note.id)).toMatchObject({ text: 'Call the plumber at 9', color: 'pink', done: true });
  });

  // A field that is not text resolves to the later stamp; text edits merge (below).
  it.each([
    ['the later edit is pushed last', false],
    ['the later edit is pushed first', true],
  ])('the same field resolves to the later stamp on both devices (%s)', async (_name, laterFirst) => {
    const { a, b } = await twoDevices();
    const note = await createNote(a.db, { text: 'v0' }, world.now);
    await settle(a, b);
    world.tick(5);
    await updateNote(a.db, note.id, { color: 'green' }, world.now);
    world.tick(5);
    await updateNote(b.db, note.id, { color: 'pink' }, world.now);
    const [first, second] = laterFirst ? [b, a] : [a, b];
    await first.engine.pushAll();
    await second.engine.pushAll();
    await settle(a, b);
    const [onA, onB] = [await a.db.notes.get(note.id), await b.db.notes.get(note.id)];
    expect(onA?.color).toBe('pink');
    expect(onA && content(onA)).toEqual(onB && content(onB));
    expect(world.server.docs.get(note.id)?.color).toBe('pink');
    expect(world.server.docs.get(note.id)?.clocks.color).toBe(onA?.clocks.color);
  });

  it('a pending local edit is not overwritten by an older remote change', async () => {
    const { a, b } = await twoDevices();
    const note = await createNote(a.db, { text: 'v0' }, world.now);
    await settle(a, b);
    world.tick(5);
    await updateNote(a.db, note.id, { color: 'green' }, world.now);
    world.tick(5);
    await updateNote(b.db, note.id, { color: 'pink' }, world.now);
    await a.engine.pushAll();
    b.remote.flush();
    await b.applyInbox();
    // B has not sent its edit yet: A's change arrived meanwhile and must not replace it.
    const onB = await b.db.notes.get(note.id);
    expect(onB?.color).toBe('pink');
    expect((onB?.clocks.color ?? '') > (world.server.docs.get(note.id)?.clocks.color ?? '')).toBe(true);
    expect((await b.db.outbox.toArray()).every((entry) => entry.noteId === note.id && entry.fields.includes('color'))).toBe(true);
    await settle(a, b);
    expect((await a.db.notes.get(note.id))?.color).toBe('pink');
    expect((await b.db.notes.get(note.id))?.color).toBe('pink');
  });

  it('an edit that lost its race to a later one on the server is done, neither rewritten nor set aside', async () => {
    const { a, b } = await twoDevices();
    const note = await createNote(a.db, { text: 'v0' }, world.now);
    await settle(a, b);
    world.tick(5);
    await updateNote(a.db, note.id, { color: 'green' }, world.now);
    world.tick(5);
    await updateNote(b.db, note.id, { color: 'pink' }, world.now);
    await b.engine.pushAll();
    const writesBefore = a.remote.writes;
    // A sends its older edit: the stamp rule refuses it; A takes the server's copy and stops there.
    await a.engine.pushAll();
    expect(await a.db.outbox.toArray()).toEqual([]);
    // Its batch, then the note alone (both refused); after the merge, no third write.
    expect(a.remote.writes - writesBefore).toBe(2);
    expect((await a.db.notes.get(note.id))?.color).toBe('pink');
    expect(world.server.docs.get(note.id)?.color).toBe('pink');
  });

  it('a later remote edit that arrives while our earlier write awaits its acknowledgement still wins here', async () => {
    const { a, b } = await twoDevices();
    const note = await createNote(a.db, { text: 'v0' }, world.now);
    await settle(a, b);
    world.tick(5);
    await updateNote(b.db, note.id, { text: 'earlier, from B' }, world.now);
    // B's write reaches the server, its acknowledgement is slow. A sees it, edits the note after
    // it, and A's write lands; B's listener delivers A's change before B hears back. A's edit was
    // made from B's text, so B takes it as it is: nothing to merge, no conflict shown.
    b.remote.holdNextAck = true;
    const pushing = b.engine.pushOnce();
    await until(() => b.remote.release !== undefined);
    expect(world.server.docs.get(note.id)?.text).toBe('earlier, from B');
    a.remote.flush();
    await a.applyInbox();
    expect((await a.db.notes.get(note.id))?.text).toBe('earlier, from B');
    world.tick(5);
    await updateNote(a.db, note.id, { text: 'later, from A' }, world.now);
    await a.engine.pushAll();
    expect(world.server.docs.get(note.id)?.text).toBe('later, from A');
    b.remote.flush();
    await b.applyInbox();
    b.remote.release?.();
    await pushing;
    await settle(a, b);
    expect((await b.db.notes.get(note.id))?.text).toBe('later, from A');
    expect((await a.db.notes.get(note.id))?.text).toBe('later, from A');
    expect(world.server.docs.get(note.id)?.text).toBe('later, from A');
  });
});

describe('text edited on two devices from the same text', () => {
  /** A note on both devices with `text`, then each device's edit of it, neither sent yet. */
  async function editedOnBoth(text: string, onA: string, onB: string) {
    const devices = await twoDevices();
    const note = await createNote(devices.a.db, { text }, world.now);
    await settle(devices.a, devices.b);
    world.tick(5);
    await updateNote(devices.a.db, note.id, { text: onA }, world.now);
    world.tick(5);
    await updateNote(devices.b.db, note.id, { text: onB }, world.now);
    return { ...devices, id: note.id };
  }

  async function expectEverywhere(devices: SimDevice[], id: string, text: string): Promise<void> {
    const notes = await Promise.all(devices.map((device) => device.db.notes.get(id)));
    for (const [index, note] of notes.entries()) expect(note?.text, devices[index]!.id).toBe(text);
    const onServer = world.server.docs.get(id)!;
    expect(onServer.text).toBe(text);
    for (const note of notes) expect(note?.clocks.text).toBe(onServer.clocks.text);
    for (const device of devices) expect(await device.db.outbox.count(), device.id).toBe(0);
    // Nothing pending: no base kept.
    for (const note of notes) expect(note?.bases).toBeUndefined();
  }

  it.each([
    ['A sends first', false],
    ['B sends first', true],
  ])('keeps both devices\' words on both, whichever sends first (%s)', async (_name, bFirst) => {
    const { a, b, id } = await editedOnBoth('Shopping: bread', 'Shopping: bread, milk', 'Shopping: rye bread');
    const [first, second] = bFirst ? [b, a] : [a, b];
    await first.engine.pushAll();
    // The second device's write names the text it was made from, which is no longer there:
    // refused, merged with the server's text, and sent again, never set aside.
    await second.engine.pushAll();
    expect(await second.db.outbox.filter((entry) => entry.rejected !== undefined).count()).toBe(0);
    await settle(a, b);
    await expectEverywhere([a, b], id, 'Shopping: rye bread, milk');
  });

  it('merges on receipt when the other device\'s edit arrives before this one is sent', async () => {
    const { a, b, id } = await editedOnBoth('Call Ann about the trip', 'Call Ann about the trip on Friday', 'Call Anna about the trip');
    await a.engine.pushAll();
    b.remote.flush();
    await b.applyInbox();
    const onB = (await b.db.notes.get(id))!;
    expect(onB.text).toBe('Call Anna about the trip on Friday');
    // The merged text is a new edit on B, later than A's, made from A's text.
    expect(onB.clocks.text! > world.server.docs.get(id)!.clocks.text!).toBe(true);
    expect(onB.bases?.text).toEqual({ value: 'Call Ann about the trip on Friday', stamp: world.server.docs.get(id)!.clocks.text });
    const writesBefore = b.remote.writes;
    await b.engine.pushAll();
    expect(b.remote.writes - writesBefore).toBe(1);
    await settle(a, b);
    await expectEverywhere([a, b], id, 'Call Anna about the trip on Friday');
  });

  it('shows both versions of the same words changed differently on each device', async () => {
    const { a, b, id } = await editedOnBoth('Meet at noon', 'Meet at one', 'Meet at two');
    await a.engine.pushAll();
    await b.engine.pushAll();
    await settle(a, b);
    // B merged: its own words first.
    await expectEverywhere([a, b], id, `Meet at ${bothVersions('two', 'one')}`);
  });

  it('a text merged past the longest note keeps this device\'s text as a note of its own beside it', async () => {
    const half = 'x'.repeat(MAX_NOTE_TEXT_LENGTH / 2);
    const { a, b, id } = await editedOnBoth('start', `start ${half}1`, `start ${half}2`);
    await a.engine.pushAll();
    await b.engine.pushAll();
    await settle(a, b);
    await expectEverywhere([a, b], id, `start ${half}1`);
    for (const device of [a, b]) {
      const copies = await device.db.notes.filter((note) => note.id !== id).toArray();
      expect(copies.map((note) => note.text), device.id).toEqual([`start ${half}2`]);
    }
  });

  it('a device\'s later edits while its first is unacknowledged are sent from the text the server holds', async () => {
    const { a, b } = await twoDevices();
    const note = await createNote(a.db, { text: 'one' }, world.now);
    await settle(a, b);
    world.tick(5);
    await updateNote(a.db, note.id, { text: 'one two' }, world.now);
    a.remote.holdNextAck = true;
    const pushing = a.engine.pushOnce();
    await until(() => a.remote.release !== undefined);
    world.tick(5);
    await updateNote(a.db, note.id, { text: 'one two three' }, world.now);
    a.remote.release?.();
    await pushing;
    // The base is now the text the server acknowledged, so the next write lands on it.
    expect((await a.db.notes.get(note.id))?.bases?.text?.value).toBe('one two');
    const writesBefore = a.remote.writes;
    await a.engine.pushAll();
    expect(a.remote.writes - writesBefore).toBe(1);
    await settle(a, b);
    await expectEverywhere([a, b], note.id, 'one two three');
  });

  it('a checklist merges item by item: a tick offline here, an item added and one renamed there, all kept', async () => {
    const { a, b } = await twoDevices();
    const list = [
      { id: 'milk', text: 'milk', done: false },
      { id: 'bread', text: 'bread', done: false },
    ];
    const note = await createNote(a.db, { text: 'Groceries' }, world.now);
    await updateNote(a.db, note.id, { items: list }, world.now);
    await settle(a, b);
    world.tick(5);
    a.remote.setOnline(false);
    await updateNote(a.db, note.id, { items: [{ ...list[0]!, done: true }, list[1]!] }, world.now);
    world.tick(5);
    await updateNote(b.db, note.id, { items: [list[0]!, { ...list[1]!, text: 'rye bread' }, { id: 'eggs', text: 'eggs', done: false }] }, world.now);
    await b.engine.pushAll();
    a.remote.setOnline(true);
    await settle(a, b);
    const expected = [
      { id: 'milk', text: 'milk', done: true },
      { id: 'bread', text: 'rye bread', done: false },
      { id: 'eggs', text: 'eggs', done: false },
    ];
    for (const device of [a, b]) expect((await device.db.notes.get(note.id))?.items, device.id).toEqual(expected);
    expect(world.server.docs.get(note.id)?.items).toEqual(expected);
    expect((await a.db.notes.get(note.id))?.clocks.items).toBe(world.server.docs.get(note.id)?.clocks.items);
  });

  it('a note whose create landed unacknowledged, then edited elsewhere: this device merges its edit, not overwrites', async () => {
    const { a, b } = await twoDevices();
    const note = await createNote(a.db, { text: 'Pack: tent and stove' }, world.now);
    // The create lands but its acknowledgement is lost: the create stays in A's outbox.
    a.remote.dropNextAck = true;
    await pushAllTolerant(a);
    expect(await a.db.outbox.where('noteId').equals(note.id).count()).toBe(1);
    b.remote.flush();
    await b.applyInbox();
    world.tick(5);
    await updateNote(b.db, note.id, { text: 'Pack: tent and gas stove' }, world.now);
    await b.engine.pushAll();
    world.tick(5);
    await updateNote(a.db, note.id, { text: 'Pack: big tent and stove' }, world.now);
    // The created value is A's base: its write names it, is refused, merged and sent again.
    expect((await a.db.notes.get(note.id))?.bases?.text?.value).toBe('Pack: tent and stove');
    await settle(a, b);
    await expectEverywhere([a, b], note.id, 'Pack: big tent and gas stove');
  });
});

describe('faults', () => {
  it('dropped acknowledgements and duplicated, reordered and stale deliveries lose nothing and duplicate nothing', async () => {
    const { a, b } = await twoDevices(7);
    for (const device of [a, b]) device.remote.faults = { dropAck: 0.5, duplicate: 0.5, reorder: 0.5, stale: 0.3 };
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      world.tick(3);
      const device = i % 2 ? a : b;
      ids.push((await createNote(device.db, { text: `note ${i}` }, world.now)).id);
      if (i % 3 === 0) await pushAllTolerant(device);
      if (i % 4 === 0) {
        device.remote.flush();
        await device.applyInbox();
      }
      if (i % 5 === 0 && i >= 2) await updateNote(device.db, ids[i - 2]!, { text: `edited ${i - 2}`, pinned: true }, world.now);
    }
    for (const device of [a, b]) device.remote.faults.dropAck = 0;
    await settle(a, b);
    expect(world.server.docs.size).toBe(20);
    for (const device of [a, b]) {
      const notes = await device.notes();
      expect(notes.map((n) => n.id).sort()).toEqual([...ids].sort());
      expect(await device.db.outbox.count()).toBe(0);
      for (const note of notes) expect(content(note), `${device.id} ${note.id}`).toEqual(content({ ...world.server.docs.get(note.id)! }));
    }
    expect((await a.db.notes.get(ids[3]!))?.text).toBe('edited 3');
    expect((await b.db.notes.get(ids[8]!))?.text).toBe('edited 8');
  });

  it('a crash between the server commit and the acknowledgement resends the change after restart, harmlessly', async () => {
    const { a, b } = await twoDevices();
    const note = await createNote(a.db, { text: 'before the crash' }, world.now);
    a.remote.hangNextAck = true;
    void a.engine.pushOnce();
    await until(() => world.server.docs.has(note.id));
    expect(world.server.docs.get(note.id)?.text).toBe('before the crash');
    const batches = world.server.batches;
    await a.crash();
    expect(await a.db.outbox.count()).toBe(1);
    await a.start();
    await a.engine.pushAll();
    expect(world.server.batches).toBe(batches + 1);
    expect(await a.db.outbox.count()).toBe(0);
    await settle(a, b);
    expect(world.server.docs.size).toBe(1);
    const [onA, onB] = [await a.db.notes.get(note.id), await b.db.notes.get(note.id)];
    expect(onA && content(onA)).toEqual(content(note));
    expect(onB && content(onB)).toEqual(content(note));
  });

  it('a change the server refuses is set aside as rejected and does not hold back the rest', async () => {
    const { a, b } = await twoDevices();
    const good1 = await createNote(a.db, { text: 'good 1' }, world.now);
    const bad = await createNote(a.db, { text: 'refused' }, world.now);
    const good2 = await createNote(a.db, { text: 'good 2' }, world.now);
    world.server.refusedIds.add(bad.id);
    // A first round of refusals is not a verdict yet: the change waits for the next, the others go.
    await expect(a.engine.pushAll()).rejects.toBeInstanceOf(UnconfirmedRefusal);
    expect((await a.db.outbox.toArray()).map((entry) => [entry.noteId, entry.rejected])).toEqual([[bad.id, undefined]]);
    expect([...world.server.docs.keys()].sort()).toEqual([good1.id, good2.id].sort());
    expect(await pushThroughRefusals(a)).toBe(SYNC.REFUSAL_ROUNDS - 1);
    const left = await a.db.outbox.toArray();
    expect(left).toHaveLength(1);
    expect(left[0]).toMatchObject({ noteId: bad.id, rejected: { code: 'permission-denied' } });
    expect([...world.server.docs.keys()].sort()).toEqual([good1.id, good2.id].sort());
    // Later changes still go out; the rejected entry is not retried.
    await updateNote(a.db, good1.id, { done: true }, world.now);
    const writes = a.remote.writes;
    await a.engine.pushAll();
    expect(a.remote.writes).toBe(writes + 1);
    await settle(a, b);
    expect((await b.db.notes.get(good1.id))?.done).toBe(true);
    expect(await b.db.notes.get(bad.id)).toBeUndefined();
    expect((await a.db.outbox.toArray()).map((e) => e.noteId)).toEqual([bad.id]);
  });

  it('a refused edit of a note the server holds is set aside once: its re-merges queue no resends of their own', async () => {
    const { a, b } = await twoDevices();
    const note = await createNote(a.db, { text: 'on both' }, world.now);
    await settle(a, b);
    world.tick(5);
    await updateNote(a.db, note.id, { text: 'an edit the rules refuse' }, world.now);
    world.server.refusedIds.add(note.id);
    const writes = a.remote.writes;
    await pushThroughRefusals(a);
    // In each round the batch, then the note alone at each of its attempts; then nothing is left to send.
    const sent = SYNC.REFUSAL_ROUNDS * (1 + SYNC.REFUSAL_ATTEMPTS);
    expect(a.remote.writes).toBe(writes + sent);
    expect((await a.db.outbox.toArray()).map((entry) => [entry.noteId, entry.rejected?.code])).toEqual([[note.id, 'permission-denied']]);
    // The server's copy arriving again (here, a full pull) does not send the refused text once more.
    await a.db.meta.delete(MetaKey.checkpoint);
    await a.engine.catchUp();
    await a.engine.pushAll();
    expect(a.remote.writes).toBe(writes + sent);
    expect(await a.db.outbox.count()).toBe(1);
  });

  it('a refusal answered after stop() sets nothing aside: the session is ending, the changes wait for the next one', async () => {
    const { a } = await twoDevices();
    const note = await createNote(a.db, { text: 'in flight at sign-out' }, world.now);
    // Sign-out stops sync, then marks this device signed out: the rules refuse what was in flight.
    world.server.refusedIds.add(note.id);
    a.engine.stop();
    await expect(a.engine.pushOnce()).rejects.toMatchObject({ code: 'permission-denied' });
    expect((await a.db.outbox.toArray()).map((entry) => [entry.noteId, entry.rejected])).toEqual([[note.id, undefined]]);
  });

  it('delete on A and a concurrent text edit on B converge to a tombstone with empty text', async () => {
    for (const editLater of [false, true]) {
      const { a, b } = await twoDevices();
      const note = await createNote(a.db, { text: 'shopping list', pinned: true }, world.now);
      await settle(a, b);
      world.tick(5);
      const [deleter, editor] = editLater ? [a, b] : [b, a];
      if (editLater) await deleteNoteForever(a.db, note.id, world.now);
      else await updateNote(a.db, note.id, { text: 'shopping list: eggs' }, world.now);
      world.tick(5);
      if (editLater) await updateNote(b.db, note.id, { text: 'shopping list: eggs' }, world.now);
      else await deleteNoteForever(b.db, note.id, world.now);
      await deleter.engine.pushAll();
      // The editor's write would put text on a tombstone: refused, merged, sent again.
      await editor.engine.pushAll();
      await settle(a, b);
      const server = world.server.docs.get(note.id)!;
      expect(server).toMatchObject({ deleted: true, text: '' });
      for (const device of [a, b]) {
        const local = await device.db.notes.get(note.id);
        expect(local, device.id).toMatchObject({ deleted: true, text: '', pinned: false, lane: Lane.deleted });
        expect(local?.clocks).toEqual(server.clocks);
        expect(await device.db.outbox.count()).toBe(0);
      }
      await world.destroy();
    }
  });
});

describe('a push that failed, and the wait before the next', () => {
  /** A device whose run loop waits on the fake clock, recording each wait it asks for. */
  async function deviceRecordingWaits(seed: number) {
    world = new World(seed);
    const waits: [number, string | undefined][] = [];
    const a = await world.device('device-a', {
      sleep: world.sleep,
      retryDelayMs: (attempt, after) => {
        waits.push([attempt, after]);
        return after === 'unconfirmed-refusal' ? 100 : 60_000;
      },
    });
    return { a, waits, errors: recordSyncStatus(a.db, 'error') };
  }

  it('a change refused while the server will not show its copy either is kept and sent again soon, the status saying so until it goes', async () => {
    const { a, waits, errors } = await deviceRecordingWaits(41);
    const note = await createNote(a.db, { text: 'written while the server cannot check it' }, world.now);
    // The emulator under load: the rules' lookups fail, refusing the write and the read of the note.
    world.server.refusedIds.add(note.id);
    world.server.unreadableIds.add(note.id);
    a.run();
    await until(() => waits.length === 1);
    expect(waits).toEqual([[0, 'unconfirmed-refusal']]);
    expect(errors).toContain(SYNC_TEXTS.failure.unconfirmed);
    // Not a verdict on the change: nothing set aside.
    expect((await a.db.outbox.toArray()).map((entry) => entry.rejected)).toEqual([undefined]);
    world.tick(100);
    await until(() => waits.length === 2);
    expect(waits[1]).toEqual([1, 'unconfirmed-refusal']);

    // Another device's note arrives meanwhile: storing it does not clear what the push said.
    const b = await world.device('device-b');
    await createNote(b.db, { text: 'from the other device' }, world.now);
    await b.engine.pushOnce();
    await untilStored(async () => (await a.db.notes.count()) === 2);
    expect((await readSyncStatus(a.db))?.error).toBe(SYNC_TEXTS.failure.unconfirmed);

    world.server.refusedIds.clear();
    world.server.unreadableIds.clear();
    world.tick(100);
    await until(() => world.server.docs.has(note.id));
    await untilStored(async () => (await a.db.outbox.count()) === 0 && (await readSyncStatus(a.db))?.error === undefined);
    expect(world.server.docs.get(note.id)?.text).toBe('written while the server cannot check it');
    await a.stop();
  });

  it('a change refused in one round and taken in the next (a burst of refusals under load) is sent, never set aside', async () => {
    const { a } = await twoDevices(43);
    const note = await createNote(a.db, { text: 'refused once, by a busy server' }, world.now);
    world.server.refusedIds.add(note.id);
    await expect(a.engine.pushAll()).rejects.toBeInstanceOf(UnconfirmedRefusal);
    world.server.refusedIds.clear();
    await a.engine.pushAll();
    expect(world.server.docs.get(note.id)?.text).toBe('refused once, by a busy server');
    expect(await a.db.outbox.count()).toBe(0);
    // Its rounds start over: a later refusal of the same note gets every round again.
    await updateNote(a.db, note.id, { text: 'refused again later' }, world.now);
    world.server.refusedIds.add(note.id);
    expect(await pushThroughRefusals(a)).toBe(SYNC.REFUSAL_ROUNDS);
    expect((await a.db.outbox.toArray()).map((entry) => entry.rejected?.code)).toEqual(['permission-denied']);
  });

  it('a new change ends the wait after a failed push: it is sent at once, not after the delay', async () => {
    const { a, waits, errors } = await deviceRecordingWaits(42);
    a.remote.online = false;
    const first = await createNote(a.db, { text: 'made offline' }, world.now);
    a.run();
    await until(() => waits.some(([, after]) => after === 'failure') && errors.includes(SYNC_TEXTS.failure.unavailable));
    a.remote.online = true;
    // The clock stays put: only the new change can end the push loop's 60 s wait.
    const second = await createNote(a.db, { text: 'made once back online' }, world.now);
    await until(() => world.server.docs.has(first.id) && world.server.docs.has(second.id));
    await untilStored(async () => (await a.db.outbox.count()) === 0);
    await a.stop();
  });
});

describe('pull', () => {
  it('notes sharing one server timestamp across a page boundary are all pulled', async () => {
    world = new World(3);
    // 1,500 notes in three batches of 500 that all share one timestamp, more than a page of 1,000.
    const time = world.time;
    const writes = Array.from({ length: 1_500 }, (_, i) => write(crypto.randomUUID(), `n${i}`, `000000000000001:00000:seed-${i}`));
    world.server.holdTime = true;
    world.server.seed('other', writes);
    world.server.holdTime = false;
    expect(new Set([...world.server.docs.values()].map((d) => `${d.updatedAt.seconds}.${d.updatedAt.nanoseconds}`)).size).toBe(1);
    expect(time).toBe(world.time);
    const b = await world.device('device-b');
    await b.engine.catchUp();
    expect(await b.db.notes.count()).toBe(1_500);
    const checkpoint = await readCheckpoint(b.db);
    const last = [...world.server.docs.keys()].sort().at(-1);
    expect(checkpoint?.id).toBe(last);
  });

  it('a page boundary inside a batch sharing one timestamp skips nothing (small pages)', async () => {
    world = new World(4, { repeatTimestamps: true });
    const a = await world.device('device-a');
    const b = await world.device('device-b', { pageNotes: 7 });
    for (let i = 0; i < 60; i++) await createNote(a.db, { text: `n${i}` }, world.now);
    // Batches of 25 notes: each batch shares one timestamp, pages of 7 end inside a batch.
    for (const chunk of [0, 1, 2]) {
      const entries = await a.db.outbox.orderBy('seq').limit(25).toArray();
      const notes = await a.db.notes.bulkGet(entries.map((e) => e.noteId));
      await a.remote.write(notes.map((n) => write(n!.id, n!.text, n!.clocks.text!, n!.createdAt)));
      await a.db.outbox.bulkDelete(entries.map((e) => e.seq!));
      expect(chunk).toBeLessThan(3);
    }
    const times = new Set([...world.server.docs.values()].map((d) => `${d.updatedAt.seconds}.${d.updatedAt.nanoseconds}`));
    expect(times.size).toBeLessThan(60);
    await b.engine.catchUp();
    expect((await b.notes()).map((n) => n.id)).toEqual([...world.server.docs.keys()].sort());
  });

  it('the checkpoint survives a restart: only later changes are fetched', async () => {
    const { a, b } = await twoDevices();
    for (let i = 0; i < 5; i++) await createNote(a.db, { text: `n${i}` }, world.now);
    await a.engine.pushAll();
    await b.engine.catchUp();
    const checkpoint = await readCheckpoint(b.db);
    expect(checkpoint).toBeDefined();
    await b.crash();
    expect(await readCheckpoint(b.db)).toEqual(checkpoint);
    const fetched: RemoteNote[][] = [];
    const fetchPage = b.remote.fetchPage.bind(b.remote);
    b.remote.fetchPage = async (after, limit) => {
      const page = await fetchPage(after, limit);
      fetched.push(page);
      return page;
    };
    world.tick(100);
    const later = await createNote(a.db, { text: 'after the restart' }, world.now);
    await a.engine.pushAll();
    await b.engine.catchUp();
    expect(fetched.flat().map((n) => n.id)).toEqual([later.id]);
    expect(await b.db.notes.count()).toBe(6);
  });

  it('a checkpoint older than the tombstone retention resyncs fully and drops a purged note', async () => {
    const { a, b } = await twoDevices();
    const kept = await createNote(a.db, { text: 'kept' }, world.now);
    const purged = await createNote(a.db, { text: 'deleted while B was away' }, world.now);
    await settle(a, b);
    b.remote.setOnline(false);
    const localOnly = await createNote(b.db, { text: 'written on B while away' }, world.now);
    world.tick(1_000);
    await deleteNoteForever(a.db, purged.id, world.now);
    await a.engine.pushAll();
    world.tick(SYNC.TOMBSTONE_RETENTION_MS + 60_000);
    expect(world.server.purgeTombstones(world.time - SYNC.TOMBSTONE_RETENTION_MS)).toEqual([purged.id]);
    b.remote.disconnect();
    b.remote.setOnline(true);
    expect((await b.db.notes.get(purged.id))?.deleted).toBe(false);
    await b.engine.catchUp();
    expect(await b.db.notes.get(purged.id)).toBeUndefined();
    expect(await b.db.notes.get(kept.id)).toBeDefined();
    // An unsent local note is not something the server forgot: it stays and is sent.
    expect(await b.db.notes.get(localOnly.id)).toBeDefined();
    await b.engine.pushAll();
    expect(world.server.docs.has(localOnly.id)).toBe(true);
  });

  it('a full resync interrupted by a crash still drops the purged note after restart', async () => {
    world = new World(5);
    const a = await world.device('device-a');
    const b = await world.device('device-b', { pageNotes: 3 });
    const purged = await createNote(a.db, { text: 'will be purged' }, world.now);
    for (let i = 0; i < 4; i++) await createNote(a.db, { text: `n${i}` }, world.now);
    await a.engine.pushAll();
    await b.engine.catchUp();
    // While B was away: the note deleted, its tombstone purged a retention period later, then
    // ten new notes, so the resync's later pages move past a recent checkpoint.
    world.tick(60_000);
    await deleteNoteForever(a.db, purged.id, world.now);
    await a.engine.pushAll();
    world.tick(SYNC.TOMBSTONE_RETENTION_MS + 60_000);
    expect(world.server.purgeTombstones(world.time - SYNC.TOMBSTONE_RETENTION_MS)).toEqual([purged.id]);
    for (let i = 0; i < 10; i++) await createNote(a.db, { text: `later ${i}` }, world.now);
    await a.engine.pushAll();
    // B starts its full resync and dies after two pages.
    let pages = 0;
    const fetchPage = b.remote.fetchPage.bind(b.remote);
    b.remote.fetchPage = (after, limit) => (++pages > 2 ? new Promise(() => {}) : fetchPage(after, limit));
    void b.engine.catchUp();
    await until(() => pages === 3);
    b.remote.fetchPage = fetchPage;
    await b.crash();
    await b.engine.catchUp();
    expect(await b.db.notes.get(purged.id)).toBeUndefined();
    expect(await b.db.notes.count()).toBe(world.server.docs.size);
  });

  it('the first sync of a large account reports its progress in the status record', async () => {
    world = new World(6);
    const page = SYNC.PAGE_NOTES;
    const total = page * 2 + page / 2;
    const writes = Array.from({ length: total }, (_, i) => write(crypto.randomUUID(), `n${i}`, `000000000000001:00000:seed-${i}`));
    world.server.seed('other', writes);
    const b = await world.device('device-b');
    const progress = recordSyncStatus(b.db, 'progress');
    await b.engine.catchUp();
    expect(progress).toEqual([{ done: page, total }, { done: 2 * page, total }, { done: total, total }, undefined]);
    const final = await readSyncStatus(b.db);
    expect(final?.progress).toBeUndefined();
    expect(final?.lastSyncedAt).toBe(world.time);
    expect(await b.db.notes.count()).toBe(total);
  });
});

describe('getting ready for a first sync', () => {
  it('a first sync gets the page store ready before it reads anything; a later catch-up does not', async () => {
    world = new World(8);
    world.server.seed('other', [write(crypto.randomUUID(), 'first', '000000000000001:00000:seed-1')]);
    const calls: string[] = [];
    // The store is handed to the device it stores for, once that device exists.
    const storeFor: { device?: Device & { remote: FakeClient } } = {};
    const pages: RemotePageStore = {
      prepare: () => calls.push(`prepare after ${storeFor.device!.remote.pageReads} page reads`),
      apply: async (notes, options) => {
        calls.push(`apply ${notes.length}`);
        await applyRemotePage(storeFor.device!.db, notes, options);
      },
      close() {},
    };
    const b = await world.device('device-b', { pages });
    storeFor.device = b;
    await b.engine.catchUp();
    expect(calls[0]).toBe('prepare after 0 page reads');
    expect(calls.filter((call) => call.startsWith('prepare'))).toHaveLength(1);
    expect(await b.db.notes.count()).toBe(1);

    calls.length = 0;
    world.server.seed('other', [write(crypto.randomUUID(), 'second', '000000000000002:00000:seed-2')]);
    await b.engine.catchUp();
    expect(calls).toEqual(['apply 1']);
  });
});

describe('a stalled read', () => {
  const PAGE = 10;
  /** An account of two and a half pages on the server, and a new device whose waits follow the fake clock. */
  async function newDeviceOfLargeAccount(seed: number) {
    world = new World(seed);
    const writes = Array.from({ length: PAGE * 2 + PAGE / 2 }, (_, i) => write(crypto.randomUUID(), `n${i}`, `000000000000001:00000:seed-${i}`));
    world.server.seed('other', writes);
    const b = await world.device('device-b', { sleep: world.sleep, pageNotes: PAGE });
    const errors = recordSyncStatus(b.db, 'error');
    return { b, errors, total: writes.length };
  }

  it('a page read that never answers is abandoned at the deadline and asked again from the checkpoint; the sync finishes', async () => {
    const { b, errors, total } = await newDeviceOfLargeAccount(21);
    // The first page arrives; the second never does.
    const fetchPage = b.remote.fetchPage.bind(b.remote);
    b.remote.fetchPage = (after, limit) => {
      if (b.remote.pageReads === 1) b.remote.stallPageReads = 1;
      return fetchPage(after, limit);
    };
    const syncing = b.engine.catchUp().then(() => 'finished');
    await until(() => b.remote.pageReads === 2);
    await untilStored(async () => (await b.db.notes.count()) === PAGE);
    // Not abandoned before its deadline.
    world.tick(SYNC.READ_DEADLINE_MS - 1);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(b.remote.pageReads).toBe(2);
    expect(errors).not.toContain(SYNC_TEXTS.failure.stalled);
    world.tick(1);
    expect(await syncing).toBe('finished');
    expect(errors).toContain(SYNC_TEXTS.failure.stalled);
    // Asked again for the second page, not from the start: 1 + the stalled one + the two that remained.
    expect(b.remote.pageReads).toBe(4);
    expect(b.remote.reconnects).toBe(0);
    expect(await b.db.notes.count()).toBe(total);
    expect((await readSyncStatus(b.db))?.error).toBeUndefined();
  });

  it('a read that stalls again on the same connection makes the connection anew, and the sync finishes', async () => {
    const { b, errors, total } = await newDeviceOfLargeAccount(22);
    b.remote.stallUntilReconnect = true;
    const syncing = b.engine.catchUp().then(() => 'finished');
    for (let stall = 1; stall <= SYNC.STALLS_BEFORE_RECONNECT; stall++) {
      await until(() => b.remote.pageReads === stall);
      expect(b.remote.reconnects).toBe(0);
      world.tick(SYNC.READ_DEADLINE_MS);
    }
    expect(await syncing).toBe('finished');
    expect(b.remote.reconnects).toBe(1);
    expect(errors.filter((error) => error === SYNC_TEXTS.failure.stalled)).toHaveLength(SYNC.STALLS_BEFORE_RECONNECT);
    expect(await b.db.notes.count()).toBe(total);
    expect((await readSyncStatus(b.db))?.error).toBeUndefined();
  });

  it('stop() during a stalled read ends the run at once, with nothing stored after it', async () => {
    const { b } = await newDeviceOfLargeAccount(23);
    b.remote.stallPageReads = 1;
    const running = b.engine.run().then(() => 'returned');
    await until(() => b.remote.pageReads === 1);
    b.engine.stop();
    expect(await running).toBe('returned');
    expect(await b.db.notes.count()).toBe(0);
    expect(await readCheckpoint(b.db)).toBeUndefined();
  });
});

describe('trash', () => {
  it('trash on one device and restore on another resolve by stamp', async () => {
    const { a, b } = await twoDevices();
    const note = await createNote(a.db, { text: 'maybe' }, world.now);
    await settle(a, b);
    world.tick(5);
    await trashNote(a.db, note.id, world.now);
    await settle(a, b);
    expect((await b.db.notes.get(note.id))?.lane).toBe(Lane.trash);
    world.tick(5);
    await updateNote(b.db, note.id, { trashed: false }, world.now);
    await settle(a, b);
    expect((await a.db.notes.get(note.id))?.lane).toBe(Lane.board);
  });
});
