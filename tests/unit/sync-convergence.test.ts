/**
 * Seeded randomized convergence of the sync engine: three devices with skewed clocks make
 * hundreds of edits each through src/db/notes.ts, exactly as the UI does, while their connections
 * go offline, acknowledgements are lost, listener deliveries are duplicated, reordered and
 * replayed stale, the server shares timestamps between batches, and devices crash and restart.
 * Then everything heals (all online, no faults) and sync runs until nothing moves.
 *
 * Each device syncs through the engine's own run loop (SyncEngine.run, woken by its outbox watch
 * and by nudge(), backing off on the world's fake clock), never a loop of the test's: so remote
 * pages are applied while local writes arrive, a write waits for its acknowledgement while the
 * pull goes on, and an edit landing during a push must still wake the next one. The test only
 * makes edits and shapes the network. Each seed replays the same choices; how far the engines get
 * between two of them follows the event loop, which is as deterministic as the real loop allows.
 *
 * What must hold, for every seed:
 * - Every device has the same notes with the same synced fields: id, text, color, pinned, done,
 *   trashed, deleted, order, archived, reminder (set, snoozed, dismissed, cleared), items (checklists, edited item by item), labels (assigned
 *   and unassigned, merged label by label), createdAt and the per-field clocks (and lane, derived from them), so
 *   every board shows the same notes in the same order. Only updatedAt may differ: it is local
 *   (the edit time on the device that made it, the server time on the others) and only orders
 *   the trash.
 * - Each device equals the server as a new device would receive it (mergeRemote of the server's
 *   document). The server's raw `pinned` may differ on a tombstone: a pin made concurrently with a
 *   delete is stored as sent, while every device normalizes a tombstone to unpinned; the clocks
 *   are still identical, so nothing is left to resend.
 * - No acknowledged edit is lost: for each note and field, the edit with the highest stamp the
 *   server ever accepted is what every device ends with, or a later one.
 * - Every outbox is empty: nothing rejected, nothing stuck.
 * - Labels (created, renamed, recolored, deleted while others assign them, through label sync with
 *   its own faults: offline, crashes) are the same on every device and the server; a note carries
 *   only labels the server knows, each once, at most 20.
 * - No typed word lost: text edits add unique words, delete words or replace the text; every word
 *   added to a note that still exists is in its final text unless a device deleted it on purpose.
 *
 * A failure names its seed; replay one with SYNC_SEED=<seed> npx vitest run --project unit tests/unit/sync-convergence.test.ts
 * (SYNC_SEEDS=<n> runs more seeds).
 */
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { archiveNote, createNote, deleteNoteForever, emptyTrash, restoreNote, trashNote, updateNote } from '../../src/db/notes.js';
import { createLabel, deleteLabel, editLabel, LabelError, setNoteLabel } from '../../src/db/labels.js';
import { TooManyLabelsError } from '../../src/shared/note.js';
import { LABEL_COLORS } from '../../src/shared/label.js';
import { FakeLabelServer, type FakeLabelClient } from '../support/fake-labels.js';
import { moveNote } from '../../src/db/board-order.js';
import { boardNotes } from '../../src/db/queries.js';
import { Lane, type NoteRecord } from '../../src/db/database.js';
import { mergeRemote } from '../../src/db/merge.js';
import { compareCheckpoints, type Checkpoint } from '../../src/db/remote-note.js';
import { readCheckpoint } from '../../src/db/sync-state.js';
import { EDITABLE_FIELDS, NOTE_COLORS } from '../../src/shared/note.js';
import type { Reminder } from '../../src/shared/reminder.js';
import type { Repeat } from '../../src/shared/reminder-time.js';
import { Device } from '../support/device.js';
import type { FakeClient } from '../support/fake-server.js';
import { World } from '../support/world.js';

const SEEDS = process.env.SYNC_SEED ? [Number(process.env.SYNC_SEED)] : Array.from({ length: Number(process.env.SYNC_SEEDS ?? 100) }, (_, i) => 1000 + i);
const DEVICES = 3;
const OPS_PER_DEVICE = 60;

type SimDevice = Device & { remote: FakeClient; labelRemote: FakeLabelClient };

/** Archives and unarchives made over all seeds: the run must exercise the archive, both ways. */
let archiveChanges = 0;

let world: World | undefined;

afterEach(async () => {
  await world?.destroy();
  world = undefined;
});

/**
 * Lets every engine run for a while: IndexedDB (fake-indexeddb) and the engines' loops advance on
 * the event loop, so each turn lets pending transactions, pushes and pulls take their next steps.
 */
async function turns(count: number): Promise<void> {
  for (let i = 0; i < count; i++) await new Promise((resolve) => setImmediate(resolve));
}

function synced(note: NoteRecord) {
  const { id, text, color, pinned, done, trashed, deleted, order, archived, items, labels, reminder, createdAt, clocks, lane } = note;
  return { id, text, color, pinned, done, trashed, deleted, order, archived, items, labels, reminder, createdAt, clocks, lane };
}

/** Label edits made over all seeds, by kind: the run must exercise every one. */
const labelEdits = { create: 0, rename: 0, recolor: 0, delete: 0, assign: 0, unassign: 0 };

/**
 * Words typed into notes' texts, each a unique token, and the ones deleted on purpose (a word
 * deleted, a text replaced): every other typed word must be in its note's final text.
 */
let typed = new Map<string, string>();
let deletedOnPurpose = new Set<string>();
let words = 0;
const TOKEN = /^w[a-z]\d+$/;

/** A text edit as a person types: a word added somewhere, a word deleted, or the text replaced. */
async function textOp(device: SimDevice, w: World, noteId: string): Promise<void> {
  const note = await device.db.notes.get(noteId);
  if (!note || note.deleted) return;
  const parts = note.text === '' ? [] : note.text.split(' ');
  const roll = w.random.next();
  let text: string;
  if (roll < 0.6 || parts.length === 0) {
    const token = `w${device.id.slice(-1)}${++words}`;
    parts.splice(w.random.int(0, parts.length), 0, token);
    text = parts.join(' ');
    if ((await updateNote(device.db, noteId, { text }, device.now))?.text === text) typed.set(token, noteId);
    return;
  }
  const gone = roll < 0.85 ? parts.splice(w.random.int(0, parts.length - 1), 1) : parts.splice(0);
  text = roll < 0.85 ? parts.join(' ') : `${device.id} edit ${w.random.int(0, 9999)}`;
  if ((await updateNote(device.db, noteId, { text }, device.now))?.text === text) for (const word of gone) deletedOnPurpose.add(word);
}

/** A label edit as the drawer, the label manager and the opened note make them. */
async function labelOp(device: SimDevice, w: World, live: string[]): Promise<void> {
  const { random } = w;
  const labels = (await device.db.labels.toArray()).filter((label) => !label.deleted);
  const roll = random.next();
  try {
    if (labels.length < 3 || roll < 0.12) {
      await createLabel(device.db, `${device.id} label ${random.int(0, 999)}`, random.pick(LABEL_COLORS), device.now);
      labelEdits.create++;
    } else if (roll < 0.6 && live.length) {
      // Half the time a note that carries labels, so labels come off as often as they go on.
      const labelled = await device.db.notes.where('labels').anyOf(labels.map((label) => label.id)).primaryKeys();
      const noteId = random.chance(0.5) && labelled.length ? random.pick(labelled) : random.pick(live);
      const labelId = random.pick(labels).id;
      const on = !(await device.db.notes.get(noteId))?.labels?.includes(labelId);
      await setNoteLabel(device.db, noteId, labelId, on, device.now);
      labelEdits[on ? 'assign' : 'unassign']++;
    } else if (roll < 0.8) {
      await editLabel(device.db, random.pick(labels).id, { name: `${device.id} renamed ${random.int(0, 999)}` });
      labelEdits.rename++;
    } else if (roll < 0.9) {
      await editLabel(device.db, random.pick(labels).id, { color: random.pick(LABEL_COLORS) });
      labelEdits.recolor++;
    } else {
      await deleteLabel(device.db, random.pick(labels).id, device.now);
      labelEdits.delete++;
    }
  } catch (error) {
    // What the app would say in words (a name taken, a note full): nothing to sync.
    if (!(error instanceof LabelError || error instanceof TooManyLabelsError)) throw error;
  }
}

/** Checklist edits made over all seeds: the run must exercise the item-by-item merge. */
let checklistEdits = 0;

/** A checklist edit as the opened note makes them: add, rename, tick or untick, move or delete one item. */
async function checklistOp(device: SimDevice, w: World, live: string[]): Promise<void> {
  const { random } = w;
  const note = await device.db.notes.get(random.pick(live));
  if (!note || note.deleted) return;
  const items = (note.items ?? []).map((item) => ({ ...item }));
  const roll = random.next();
  if (items.length === 0 || roll < 0.3) {
    items.splice(random.int(0, items.length), 0, { id: `${device.id}-item-${random.int(0, 1e9)}`, text: `${device.id} item ${random.int(0, 99)}`, done: false });
  } else {
    const at = random.int(0, items.length - 1);
    const item = items[at]!;
    if (roll < 0.5) item.text = `${item.text} ${device.id}${random.int(0, 9)}`;
    else if (roll < 0.7) item.done = !item.done;
    else if (roll < 0.85) items.splice(random.int(0, items.length - 1), 0, ...items.splice(at, 1));
    else items.splice(at, 1);
  }
  if (await updateNote(device.db, note.id, { items }, device.now)) checklistEdits++;
}

let reminderEdits = 0;

/** A reminder edit as the reminder dialog and a notification make them: set or change, snooze, dismiss, clear. */
async function reminderOp(device: SimDevice, w: World, live: string[]): Promise<void> {
  const { random } = w;
  const note = await device.db.notes.get(random.pick(live));
  if (!note || note.deleted) return;
  const roll = random.next();
  const current = note.reminder;
  let reminder: Reminder | null;
  if (!current || roll < 0.4) {
    const repeat: Repeat | undefined = random.pick([undefined, { every: 'day' }, { every: 'weekdays', days: [1, 3, 5] }, { every: 'month', day: 31 }]);
    reminder = { at: `2027-0${random.int(1, 9)}-1${random.int(0, 9)}T0${random.int(0, 9)}:30`, zone: random.pick(['Europe/Berlin', 'Asia/Kolkata']), ...(repeat ? { repeat } : {}) };
  } else if (roll < 0.6) {
    reminder = { ...current, snoozedUntil: random.int(1, 1e12) };
  } else if (roll < 0.8) {
    reminder = { ...current, settled: random.int(1, 1e12) };
  } else {
    reminder = null;
  }
  if (await updateNote(device.db, note.id, { reminder }, device.now)) reminderEdits++;
}

/** A move as the board makes them: one place up or down, to a section edge, or between two neighbours. */
async function moveOp(device: SimDevice, w: World, live: string[]): Promise<void> {
  const { random } = w;
  const note = (await device.db.notes.get(random.pick(live)))!;
  const roll = random.next();
  if (roll < 0.4) {
    await moveNote(device.db, note.id, { kind: 'step', by: random.chance(0.5) ? -1 : 1 }, device.now);
    return;
  }
  const section = (await device.db.notes.where('[lane+order]').between([note.lane, Dexie.minKey], [note.lane, Dexie.maxKey]).primaryKeys()).filter((id) => id !== note.id);
  // A gap of the section without the note: 0 is the top, section.length the bottom.
  const gap = roll < 0.55 ? 0 : roll < 0.65 ? section.length : random.int(0, section.length);
  await moveNote(device.db, note.id, { kind: 'between', above: section[gap - 1] ?? null, below: section[gap] ?? null }, device.now);
}

async function userOp(device: SimDevice, w: World): Promise<void> {
  const { random } = w;
  const { db, now } = device;
  // Ids by lane through the board's own index, cheaper than reading every note for each edit.
  const lane = (from: number, to: number) => db.notes.where('[lane+updatedAt]').between([from, Dexie.minKey], [to, Dexie.maxKey]).primaryKeys();
  const live = await lane(Lane.pinned, Lane.board);
  const roll = random.next();
  if (random.chance(0.12)) {
    // Archive a board note, or bring an archived one back (also edit one while archived).
    const archived = await lane(Lane.archive, Lane.archive);
    const pick = random.next();
    if (archived.length && pick < 0.4) {
      if ((await archiveNote(db, random.pick(archived), false, now))?.archived === false) archiveChanges++;
    } else if (archived.length && pick < 0.55) {
      await textOp(device, w, random.pick(archived));
    } else if (archived.length && pick < 0.65) {
      await trashNote(db, random.pick(archived), now);
    } else if (live.length) {
      if ((await archiveNote(db, random.pick(live), true, now))?.archived === true) archiveChanges++;
    }
    return;
  }
  if (live.length && random.chance(0.15)) {
    await checklistOp(device, w, live);
    return;
  }
  if (live.length && random.chance(0.06)) {
    await reminderOp(device, w, live);
    return;
  }
  if (random.chance(0.12)) {
    await labelOp(device, w, live);
    return;
  }
  if (roll < 0.18 || live.length === 0) {
    await createNote(db, { text: `${device.id} ${random.int(0, 999)}`, color: random.pick(NOTE_COLORS), pinned: random.chance(0.2) }, now);
  } else if (roll < 0.34) {
    await textOp(device, w, random.pick(live));
  } else if (roll < 0.45) {
    await moveOp(device, w, live);
  } else if (roll < 0.55) {
    await updateNote(db, random.pick(live), { color: random.pick(NOTE_COLORS) }, now);
  } else if (roll < 0.73) {
    const note = await db.notes.get(random.pick(live));
    // The engine may have merged a remote delete of it since the ids were read: nothing to edit.
    if (note) await updateNote(db, note.id, roll < 0.63 ? { pinned: !note.pinned } : { done: !note.done }, now);
  } else if (roll < 0.83) {
    await trashNote(db, random.pick(live), now);
  } else if (roll < 0.96) {
    const trashed = await lane(Lane.trash, Lane.trash);
    if (roll < 0.9 && trashed.length) await restoreNote(db, random.pick(trashed), now);
    else await deleteNoteForever(db, random.pick(random.chance(0.5) && trashed.length ? trashed : live), now);
  } else {
    await emptyTrash(db, now);
  }
}

/**
 * One step of the network or the device, while every engine runs its own loop: the test never
 * pushes or pulls itself, it only shapes what the engines meet.
 */
async function syncOp(device: SimDevice, w: World): Promise<void> {
  const { random } = w;
  const roll = random.next();
  if (roll < 0.35) {
    if (device.remote.release) {
      // The slow acknowledgement arrives; meanwhile the engine's pull loop went on beside its push.
      device.remote.release();
    } else if (device.remote.online && random.chance(0.3)) {
      // The engine's next write reaches the server and waits for its acknowledgement.
      device.remote.holdNextAck = true;
    }
    await turns(random.int(1, 20));
  } else if (roll < 0.65) {
    device.remote.flush();
    await turns(random.int(0, 10));
  } else if (roll < 0.75) {
    // What the app does on the browser's "online" event.
    device.engine.nudge();
  } else if (roll < 0.87) {
    device.remote.setOnline(!device.remote.online);
    device.labelRemote.setOnline(device.remote.online);
    if (device.remote.online) {
      device.engine.nudge();
      device.labelSync?.nudge();
    }
  } else if (roll < 0.94) {
    // A crash while a write is in flight: the server applies it, the device never hears back.
    if (device.remote.online && (await device.db.outbox.count()) > 0 && random.chance(0.5)) {
      device.remote.hangNextAck = true;
      device.engine.nudge();
      for (let i = 0; i < 40 && device.remote.hangNextAck; i++) await turns(1);
      // A write left hanging holds the push loop for good: only a crash ends it.
      if (!device.remote.hangNextAck) return device.crash();
      device.remote.hangNextAck = false;
    }
    if (random.chance(0.3)) await device.crash();
  } else {
    // Time passes: retries waiting out their backoff go again.
    w.tick(random.chance(0.2) ? random.int(RETRY_MS, 120_000) : random.int(0, 5));
    await turns(random.int(1, 10));
  }
}

/** Backoff of the engines here, on the fake clock: short, so retries happen during the run. */
const RETRY_MS = 20;
const retryDelayMs = (attempt: number) => RETRY_MS * 2 ** Math.min(attempt, 4);
/**
 * Rounds without any write or delivery, every outbox empty and every device's checkpoint at the
 * server's newest change, before the run counts as settled. The checkpoint matters: a device may
 * still be storing snapshots it received, and stop() drops those it has not begun (they are
 * fetched again on its next start), so a device is only done once it has pulled everything.
 */
const QUIET_ROUNDS = 3;

const sameCheckpoint = (a: Checkpoint | undefined, b: Checkpoint | undefined) => (a && b ? compareCheckpoints(a, b) === 0 : a === b);

/** Everything heals (all online, no faults, acknowledgements answered); the engines run until nothing moves. */
async function heal(w: World, devices: SimDevice[]): Promise<number> {
  for (const device of devices) {
    device.remote.faults = { dropAck: 0, duplicate: 0, reorder: 0, stale: 0 };
    device.remote.holdNextAck = false;
    device.remote.release?.();
    device.remote.setOnline(true);
    device.labelRemote.setOnline(true);
    device.engine.nudge();
    device.labelSync?.nudge();
  }
  let quiet = 0;
  for (let round = 1; round <= 200; round++) {
    const writes = devices.map((d) => d.remote.writes).reduce((a, b) => a + b, 0);
    // Longer than the longest backoff, so a loop waiting to retry goes again.
    w.tick(retryDelayMs(Number.MAX_SAFE_INTEGER));
    let moved = 0;
    for (const device of devices) moved += device.remote.flush();
    await turns(50);
    moved += devices.map((d) => d.remote.writes).reduce((a, b) => a + b, 0) - writes;
    const waiting = (await Promise.all(devices.map(async (d) => (await d.db.outbox.count()) + (await d.db.labels.filter((label) => label.unsent === 1).count())))).reduce((a, b) => a + b, 0);
    const labelsBehind = async (d: SimDevice) => JSON.stringify(await syncedLabels(d)) !== JSON.stringify(serverLabels(w));
    const behind = (await Promise.all(devices.map(async (d) => !sameCheckpoint(await readCheckpoint(d.db), w.server.head()) || (await labelsBehind(d))))).filter(Boolean).length;
    quiet = moved === 0 && waiting === 0 && behind === 0 ? quiet + 1 : 0;
    if (process.env.DEBUG_HEAL && round > 190) for (const d of devices) console.log(round, d.id, moved, JSON.stringify(await d.db.outbox.toArray()), JSON.stringify((await d.db.notes.bulkGet((await d.db.outbox.toArray()).map((e) => e.noteId))).map((n) => ({ id: n?.id, items: n?.items, clocks: n?.clocks.items, bases: n?.bases, text: n?.text, tc: n?.clocks.text }))), JSON.stringify((await d.db.outbox.toArray()).map((e) => w.server.docs.get(e.noteId))));
    if (quiet === QUIET_ROUNDS) {
      for (const device of devices) await device.stop();
      return round;
    }
  }
  throw new Error('sync did not become quiescent in 200 rounds');
}

/** A device's labels as they sync (the unsent mark is this device's own). */
async function syncedLabels(device: SimDevice) {
  return (await device.db.labels.toArray()).sort((a, b) => (a.id < b.id ? -1 : 1)).map(({ unsent: _unsent, ...label }) => label);
}

const labelServers = new WeakMap<World, FakeLabelServer>();

function serverLabels(w: World) {
  return [...labelServers.get(w)!.labels.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
}

async function runSeed(seed: number): Promise<void> {
  world = new World(seed, { repeatTimestamps: true });
  const w = world;
  const labelServer = new FakeLabelServer();
  labelServers.set(w, labelServer);
  typed = new Map();
  deletedOnPurpose = new Set();
  const devices: SimDevice[] = [];
  for (let i = 0; i < DEVICES; i++) {
    const skew = w.random.int(-3_000, 3_000);
    const id = `device-${String.fromCharCode(97 + i)}`;
    const options = { pageNotes: w.random.int(3, 12), sleep: w.sleep, retryDelayMs };
    // Every other device stores its pages as the app's worker store does: both ways stay proven.
    const inTwoParts = i % 2 === 1;
    const device = new Device(id, `convergence-${seed}-${id}`, w.server.client(id), () => w.time + skew, options, labelServer.client(), inTwoParts) as SimDevice;
    await device.open();
    w.devices.push(device);
    device.remote.autoDeliver = false;
    device.remote.faults = { dropAck: 0.15, duplicate: 0.2, reorder: 0.3, stale: 0.15 };
    device.run();
    devices.push(device);
  }
  const ops = new Map(devices.map((d) => [d, 0]));
  while ([...ops.values()].some((n) => n < OPS_PER_DEVICE)) {
    const device = w.random.pick(devices);
    if (w.random.chance(0.7) && ops.get(device)! < OPS_PER_DEVICE) {
      await userOp(device, w);
      ops.set(device, ops.get(device)! + 1);
      w.tick(w.random.int(0, 3));
    } else {
      await syncOp(device, w);
    }
  }

  const rounds = await heal(w, devices);
  const context = `seed ${seed} (replay: SYNC_SEED=${seed}), healed in ${rounds} rounds`;

  for (const device of devices) {
    expect(await device.db.outbox.toArray(), `${context}: outbox of ${device.id}`).toEqual([]);
  }
  const [first, ...others] = await Promise.all(devices.map(async (d) => (await d.notes()).map(synced)));
  for (const [index, notes] of others.entries()) expect(notes, `${context}: ${devices[index + 1]!.id} differs from ${devices[0]!.id}`).toEqual(first);
  const boards = await Promise.all(devices.map(async (d) => (await boardNotes(d.db)).map((note) => note.id)));
  for (const [index, board] of boards.entries()) expect(board, `${context}: board order of ${devices[index]!.id}`).toEqual(boards[0]);

  const server = [...w.server.docs.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  const fresh = server.map((doc) => synced(mergeRemote(undefined, doc).note));
  expect(first, `${context}: devices differ from the server as a new device receives it`).toEqual(fresh);
  for (const doc of server) {
    const local = first!.find((n) => n.id === doc.id)!;
    expect(doc.clocks, `${context}: server clocks of ${doc.id}`).toEqual(local.clocks);
    const fields = (n: { text: string; color: string; done: boolean; trashed: boolean; deleted: boolean; order?: string; archived?: boolean; items?: unknown; labels?: unknown; reminder?: unknown }) => ({
      text: n.text,
      color: n.color,
      done: n.done,
      trashed: n.trashed,
      deleted: n.deleted,
      order: n.order,
      archived: n.archived,
      // A tombstone's checklist is emptied on every device (the server keeps what was sent).
      items: n.deleted ? undefined : n.items,
      labels: n.deleted ? undefined : n.labels,
      reminder: n.deleted ? undefined : n.reminder,
    });
    expect(fields(doc), `${context}: server document ${doc.id}`).toEqual(fields(local));
    if (!doc.deleted) expect(doc.pinned, `${context}: server pinned of ${doc.id}`).toBe(local.pinned);
  }

  const best = new Map<string, { stamp: string; value: unknown }>();
  for (const edit of w.server.accepted) {
    const key = `${edit.id}/${edit.field}`;
    if (!best.has(key) || edit.stamp > best.get(key)!.stamp) best.set(key, { stamp: edit.stamp, value: edit.value });
  }
  const byId = new Map(first!.map((n) => [n.id, n]));
  for (const [key, edit] of best) {
    const [id, field] = key.split('/') as [string, (typeof EDITABLE_FIELDS)[number]];
    const note = byId.get(id);
    expect(note, `${context}: note ${id} vanished`).toBeDefined();
    const stamp = note!.clocks[field] ?? '';
    expect(stamp >= edit.stamp, `${context}: acknowledged ${key} at ${edit.stamp} lost (now ${stamp})`).toBe(true);
    // The same stamp must carry the same value, except what a tombstone normalizes away.
    if (stamp === edit.stamp && !(note!.deleted && (field === 'text' || field === 'pinned' || field === 'items' || field === 'labels' || field === 'reminder'))) {
      expect(note![field], `${context}: acknowledged ${key} value`).toEqual(edit.value);
    }
  }

  // Labels: every device holds the server's labels; a note carries only labels the server has
  // (live, or deleted after an offline device assigned it: then not shown), each once, at most 20.
  const labels = serverLabels(w);
  for (const device of devices) expect(await syncedLabels(device), `${context}: labels of ${device.id}`).toEqual(labels);
  const known = new Set(labels.map((label) => label.id));
  for (const note of first!) {
    const ids = note.labels ?? [];
    expect(ids.every((id) => known.has(id)) && new Set(ids).size === ids.length && ids.length <= 20, `${context}: labels of note ${note.id}: ${JSON.stringify(ids)}`).toBe(true);
  }

  // No typed word lost: every word typed into a note that still exists is in its text, unless
  // someone deleted it on purpose.
  for (const [token, noteId] of typed) {
    const note = byId.get(noteId);
    if (!note || note.deleted || deletedOnPurpose.has(token)) continue;
    expect(note.text.split(/[\s[\]]+/).filter((word) => TOKEN.test(word)), `${context}: word ${token} typed into ${noteId} is lost: ${JSON.stringify(note.text)}`).toContain(token);
  }

  const totals = devices.map((d) => d.crashes).reduce((a, b) => a + b, 0);
  expect(totals + best.size, `${context}: the run did something`).toBeGreaterThan(0);
}


describe('sync convergence under faults', () => {
  it.each(SEEDS)('seed %i: three devices converge with each other and the server', async (seed) => {
    await runSeed(seed);
  }, 60_000);

  it('archived and unarchived notes along the way', () => {
    expect(archiveChanges).toBeGreaterThan(SEEDS.length);
  });

  it('set, snoozed, dismissed and cleared reminders along the way', () => {
    expect(reminderEdits).toBeGreaterThan(SEEDS.length);
  });

  it('edited checklists along the way', () => {
    expect(checklistEdits).toBeGreaterThan(SEEDS.length * 3);
  });

  it('made, renamed, recolored, deleted, assigned and unassigned labels along the way', () => {
    for (const [kind, count] of Object.entries(labelEdits)) expect(count, kind).toBeGreaterThan(SEEDS.length / 4);
  });
});
