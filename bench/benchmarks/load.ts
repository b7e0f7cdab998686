/**
 * 8. Load: 50 simulated devices of 10 people (5 each) write against the emulator suite for 60
 * seconds, then stop. Each device is the app's own sync (src/sync: SyncEngine with its push and
 * pull loops and live listener, FirestoreRemote through the Firebase web SDK signed in to the
 * Auth emulator) over its own notes database (src/db on fake-indexeddb in this process), so the
 * load passes through the real rules. Every device makes a change (new note, edit, tick) about
 * once a second. Loopback only; the loop is bounded by the clock.
 *
 * Figures: changes per second made and all delivered, and the time from the last change to every
 * device of every person holding exactly the server's notes. It fails (throws) when anything is
 * lost, when a device holds another person's note, or when the devices do not converge.
 *
 * Baseline, in the same run: the same 50 clients writing new notes straight through the Firestore
 * transport (FirestoreRemote.write, one commit each: no local database, no outbox, no merge), for
 * a third of the time.
 */
import Dexie from 'dexie';
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { deleteApp, initializeApp, type FirebaseApp } from 'firebase/app';
import { GoogleAuthProvider, connectAuthEmulator, getAuth, signInWithCredential } from 'firebase/auth';
import * as firestoreSdk from 'firebase/firestore';
import { NotesDatabase } from '../../src/db/database.js';
import { createNote, updateNote } from '../../src/db/notes.js';
import { readSyncStatus } from '../../src/db/sync-state.js';
import { SyncEngine } from '../../src/sync/engine.js';
import { FirestoreRemote } from '../../src/sync/firestore-remote.js';
import { HybridClock } from '../../src/db/hlc.js';
import type { RemoteWrite } from '../../src/sync/remote.js';
import { errorCode } from '../../src/shared/errors.js';
import { EDITABLE_FIELDS } from '../../src/shared/note.js';
import { defaultOrderKey } from '../../src/db/order-key.js';
import { EMULATORS, EMULATOR_PROJECT_ID, emulatorUrl } from '../../testing/emulator-suite.mjs';
import { Random } from '../../testing/random.js';
import type { BenchContext } from '../lib/context.js';
import { runningEmulators, withTriggersDisabled } from '../lib/emulator.js';
import { round, spread, type BenchResult } from '../lib/results.js';

const FIRESTORE = EMULATORS.firestore;
const TARGET_CONVERGE_MS = 5_000;
/** How long the devices get to converge after the writers stop before the run counts as failed. */
const CONVERGE_DEADLINE_MS = 120_000;
/** People at full scale (5 devices each): 10, or BENCH_LOAD_PEOPLE (say 40 for 200 devices). */
function loadPeople(): number {
  const asked = Number(process.env.BENCH_LOAD_PEOPLE ?? 10);
  if (!Number.isInteger(asked) || asked < 1) throw new Error(`BENCH_LOAD_PEOPLE must be a whole number of people, not ${process.env.BENCH_LOAD_PEOPLE}`);
  return asked;
}
const CHANGE_INTERVAL_MS = 1_000;
const SEED = 7;

interface Scale {
  people: number;
  devicesPerPerson: number;
  durationMs: number;
  baselineDurationMs: number;
}

interface Connection {
  app: FirebaseApp;
  firestore: firestoreSdk.Firestore;
  uid: string;
  signedInUid: () => string | undefined;
}

interface SimulatedDevice {
  person: number;
  db: NotesDatabase;
  engine: SyncEngine;
  running: Promise<void>;
  /** When the write in flight was sent (Date.now()), if one is: a device that does not converge says whether it waits on one. */
  writeSentAt: number | undefined;
}

/** Writes the devices' engines sent that failed, by error code (the emulator refuses some under load). */
const writeFailures: Record<string, number> = {};

/** Tracks the device's write in flight (SimulatedDevice.writeSentAt) and failed writes (writeFailures) through its remote. */
function trackWrites(remote: FirestoreRemote, device: Pick<SimulatedDevice, 'writeSentAt'>): FirestoreRemote {
  const write = remote.write.bind(remote);
  remote.write = async (changes) => {
    const sentAt = Date.now();
    device.writeSentAt = sentAt;
    try {
      await write(changes);
    } catch (error) {
      const code = errorCode(error) || 'unknown';
      writeFailures[code] = (writeFailures[code] ?? 0) + 1;
      throw error;
    } finally {
      if (device.writeSentAt === sentAt) device.writeSentAt = undefined;
    }
  };
  return remote;
}

let appCount = 0;

/** One client: its own firebase app, signed in as `person` through the Auth emulator. */
async function connect(person: string): Promise<Connection> {
  const app = initializeApp({ projectId: EMULATOR_PROJECT_ID, apiKey: 'demo-api-key', appId: 'demo-app' }, `load-${appCount++}`);
  const auth = getAuth(app);
  connectAuthEmulator(auth, emulatorUrl('auth'), { disableWarnings: true });
  const credential = GoogleAuthProvider.credential(JSON.stringify({ sub: person, email: `${person}@example.com`, email_verified: true }));
  const { user } = await signInWithCredential(auth, credential);
  const firestore = firestoreSdk.initializeFirestore(app, { localCache: firestoreSdk.memoryLocalCache() });
  firestoreSdk.connectFirestoreEmulator(firestore, FIRESTORE.host, FIRESTORE.port);
  return { app, firestore, uid: user.uid, signedInUid: () => auth.currentUser?.uid };
}

/** Runs `act` for every client about every CHANGE_INTERVAL_MS (each on its own jittered beat) until the deadline. */
async function writeFor<T>(clients: T[], durationMs: number, random: Random, act: (client: T, index: number) => Promise<void>): Promise<number> {
  const deadline = Date.now() + durationMs;
  let made = 0;
  await Promise.all(
    clients.map(async (client, index) => {
      await new Promise((resolve) => setTimeout(resolve, random.int(0, CHANGE_INTERVAL_MS)));
      while (Date.now() < deadline) {
        const started = Date.now();
        await act(client, index);
        made += 1;
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, CHANGE_INTERVAL_MS - (Date.now() - started))));
      }
    }),
  );
  return made;
}

/** One change as a person makes it: mostly new notes, some edits and ticks of the person's notes. */
async function change(device: SimulatedDevice, label: string, random: Random, created: Set<string>): Promise<void> {
  const notes = await device.db.notes.toCollection().primaryKeys();
  const roll = random.next();
  if (notes.length === 0 || roll < 0.5) created.add((await createNote(device.db, { text: label })).id);
  else if (roll < 0.8) await updateNote(device.db, random.pick(notes), { text: label });
  else await updateNote(device.db, random.pick(notes), { done: random.chance(0.5) });
}

type Synced = { id: string; text: string; done: boolean; deleted: boolean };

function snapshotOf(notes: Synced[]): string {
  return JSON.stringify(notes.map(({ id, text, done, deleted }) => ({ id, text, done, deleted })).sort((a, b) => (a.id < b.id ? -1 : 1)));
}

/** How the devices ended: converged after `ms`, or not within the deadline, and why not. */
interface Convergence {
  ms: number;
  converged: boolean;
  /** Why not, in words (the last look before the deadline). */
  reason?: string;
  /** Devices that differed from the server at the last look, and by how many notes. */
  differing: { device: number; missing: number; stale: number; extra: number }[];
  /**
   * Every OUTBOX_SAMPLE_S after the last change: [seconds, changes in outboxes, devices with a
   * write in flight, devices whose status line shows a sync failure].
   */
  waiting: [number, number, number, number][];
}

const OUTBOX_SAMPLE_S = 5;

/** How `device` differs from the server's notes of its person (notes it lacks, holds in another state, holds beyond). */
function differenceFrom(server: Synced[], local: Synced[]): { missing: number; stale: number; extra: number } {
  const held = new Map(local.map((note) => [note.id, snapshotOf([note])]));
  const onServer = new Set(server.map((note) => note.id));
  const missing = server.filter((note) => !held.has(note.id)).length;
  const stale = server.filter((note) => held.has(note.id) && held.get(note.id) !== snapshotOf([note])).length;
  return { missing, stale, extra: local.filter((note) => !onServer.has(note.id)).length };
}

/**
 * Waits until every person's devices equal the server. Past the deadline the run is reported as
 * not converged, with what differs (a measured outcome, like a stalled read, not a crash).
 */
async function converge(devices: SimulatedDevice[], remotes: FirestoreRemote[], people: string[], deadlineMs: number): Promise<Convergence> {
  const started = Date.now();
  let last = '';
  let differing: Convergence['differing'] = [];
  const waiting: Convergence['waiting'] = [];
  while (Date.now() - started < deadlineMs) {
    const pending = (await Promise.all(devices.map((device) => device.db.outbox.count()))).reduce((a, b) => a + b, 0);
    if (pending === 0) {
      differing = [];
      for (let person = 0; person < people.length; person++) {
        const server = await remotes[person]!.fetchPage(undefined, 100_000);
        const expected = snapshotOf(server);
        for (const [index, device] of devices.entries()) {
          if (device.person !== person) continue;
          const local = await device.db.notes.toArray();
          if (snapshotOf(local) !== expected) differing.push({ device: index, ...differenceFrom(server, local) });
        }
      }
      if (differing.length === 0) return { ms: Date.now() - started, converged: true, differing, waiting };
      const first = differing[0]!;
      last = `outboxes empty; ${differing.length} devices differ from the server (device ${first.device}: ${first.missing} notes missing, ${first.stale} in an older state, ${first.extra} not on the server)`;
    } else {
      differing = [];
      const stuck = await Promise.all(
        devices.map(async (device, index) => {
          const entries = await device.db.outbox.toArray();
          if (!entries.length) return undefined;
          const status = await readSyncStatus(device.db);
          const refused = entries.filter((entry) => entry.rejected).map((entry) => entry.rejected!.message);
          const writing = device.writeSentAt === undefined ? '' : `, a write unanswered for ${round((Date.now() - device.writeSentAt) / 1000, 1)} s`;
          return `device ${index}: ${entries.length} waiting${refused.length ? `, ${refused.length} refused (${refused[0]})` : ''}${status?.error ? `, sync says "${status.error}"` : ''}${writing}`;
        }),
      );
      last = `${pending} changes still in outboxes: ${stuck.filter(Boolean).join('; ')}`;
    }
    const second = Math.floor((Date.now() - started) / 1000);
    if (second >= (waiting.at(-1)?.[0] ?? -OUTBOX_SAMPLE_S) + OUTBOX_SAMPLE_S) {
      const writing = devices.filter((device) => device.writeSentAt !== undefined).length;
      const failing = (await Promise.all(devices.map((device) => readSyncStatus(device.db)))).filter((status) => status?.error).length;
      waiting.push([second, pending, writing, failing]);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { ms: Date.now() - started, converged: false, reason: last, differing, waiting };
}

/** Every note a device holds carries its person's tag: no person's note reached another's device. */
function checkNoLeak(devices: SimulatedDevice[], people: string[], notes: Synced[][]): void {
  devices.forEach((device, index) => {
    const foreign = notes[index]!.filter((note) => !note.deleted && !note.text.startsWith(`${people[device.person]} `));
    if (foreign.length) throw new Error(`a device of ${people[device.person]} holds another person's note: ${foreign[0]!.text}`);
  });
}

/** How many notes created during the run are not on the server, alive, in their person's notes. */
async function notesNotOnServer(remotes: FirestoreRemote[], created: Set<string>[]): Promise<{ person: number; missing: number; first: string }[]> {
  const missing: { person: number; missing: number; first: string }[] = [];
  for (const [person, ids] of created.entries()) {
    const server = new Map((await remotes[person]!.fetchPage(undefined, 100_000)).map((note) => [note.id, note]));
    const absent = [...ids].filter((id) => !server.get(id) || server.get(id)!.deleted);
    if (absent.length) missing.push({ person, missing: absent.length, first: absent[0]! });
  }
  return missing;
}

export async function load(bench: BenchContext): Promise<BenchResult> {
  const scale: Scale =
    bench.scale === 'full'
      ? { people: loadPeople(), devicesPerPerson: 5, durationMs: 60_000, baselineDurationMs: 20_000 }
      : { people: 2, devicesPerPerson: 2, durationMs: 4_000, baselineDurationMs: 2_000 };
  const convergeDeadlineMs = CONVERGE_DEADLINE_MS * Math.max(1, (scale.people * scale.devicesPerPerson) / 50);
  const emulators = await runningEmulators();
  if (!emulators.includes('firestore') || !emulators.includes('auth')) throw new Error(`the load benchmark needs the Auth and Firestore emulators (running: ${emulators.join(', ')})`);
  // The devices' databases live in this process (Dexie read its globals at import: set them here).
  Dexie.dependencies.indexedDB = indexedDB;
  Dexie.dependencies.IDBKeyRange = IDBKeyRange;
  const random = new Random(SEED);
  const run = `${Date.now().toString(36)}`;
  const people = Array.from({ length: scale.people }, (_, i) => `load-${run}-person-${i}`);
  const connections: Connection[] = [];
  const checkers: Connection[] = [];
  const devices: SimulatedDevice[] = [];
  try {
    // The measured system: every device syncing through the app's engine.
    for (let person = 0; person < scale.people; person++) {
      for (let d = 0; d < scale.devicesPerPerson; d++) {
        const connection = await connect(people[person]!);
        connections.push(connection);
        const deviceId = `${people[person]}-device-${d}`;
        const db = new NotesDatabase(`load-${deviceId}`, new HybridClock(deviceId));
        await db.open();
        const writes: Pick<SimulatedDevice, 'writeSentAt'> = { writeSentAt: undefined };
        const remote = trackWrites(new FirestoreRemote(connection.firestore, firestoreSdk, connection.uid, deviceId, connection.signedInUid), writes);
        const engine = new SyncEngine(db, remote);
        devices.push(Object.assign(writes, { person, db, engine, running: engine.run() }));
      }
    }
    // The server's notes are read through connections of their own that never write: a device's
    // connection shows its own writes still in flight (no server time yet) among the server's.
    for (const person of people) checkers.push(await connect(person));
    const remotes = checkers.map((connection) => new FirestoreRemote(connection.firestore, firestoreSdk, connection.uid, 'load-checker', connection.signedInUid));

    const cpuShare = { writing: 0, converging: 0 };
    // Triggers off: this measures sync, not the push function (benchmarked on its own).
    const { made, convergeMs, convergence, notesPerPerson, notOnServer } = await withTriggersDisabled(async () => {
      const created = people.map(() => new Set<string>());
      const started = Date.now();
      let counter = 0;
      const cpuBefore = process.cpuUsage();
      const made = await writeFor(devices, scale.durationMs, random, (device) => change(device, `${people[device.person]} change ${counter++}`, random, created[device.person]!));
      const seconds = (Date.now() - started) / 1000;
      const cpuWriting = process.cpuUsage(cpuBefore);
      const convergence = await converge(devices, remotes, people, convergeDeadlineMs);
      const convergeMs = convergence.ms;
      const cpuConverging = process.cpuUsage(cpuWriting);
      // Of one core, for this process (every simulated device's SDK and database): 1.0 is a core saturated.
      cpuShare.writing = round((cpuWriting.user + cpuWriting.system) / 1e3 / (seconds * 1000), 2);
      cpuShare.converging = round((cpuConverging.user + cpuConverging.system) / 1e3 / Math.max(1, convergeMs), 2);
      const notes = await Promise.all(devices.map((device) => device.db.notes.toArray()));
      checkNoLeak(devices, people, notes);
      const notOnServer = await notesNotOnServer(remotes, created);
      // Converged, every device equals the server: a note missing there is lost. Not converged,
      // it may still be on its way (in an outbox): counted and reported with the rest.
      if (convergence.converged && notOnServer.length) {
        throw new Error(`${notOnServer[0]!.missing} notes of ${people[notOnServer[0]!.person]} never reached the server (first: ${notOnServer[0]!.first})`);
      }
      const notesPerPerson = people.map((_, person) => notes[person * scale.devicesPerPerson]!.length);
      return { made: made / seconds, convergeMs, convergence, notesPerPerson, notOnServer };
    });
    for (const device of devices) device.engine.stop();
    await Promise.all(devices.map((device) => device.running));

    // Baseline: the same clients writing straight to Firestore.
    const acknowledged: number[] = [];
    const failures: string[] = [];
    const baseline = await withTriggersDisabled(async () => {
      const started = Date.now();
      const outstanding: Promise<void>[] = [];
      let counter = 0;
      await writeFor(connections, scale.baselineDurationMs, random, async (connection, index) => {
        const deviceId = `baseline-device-${index}`;
        const remote = new FirestoreRemote(connection.firestore, firestoreSdk, connection.uid, deviceId, connection.signedInUid);
        const stamp = new HybridClock(deviceId).next();
        const createdAt = Date.now();
        const write: RemoteWrite = {
          id: crypto.randomUUID(),
          created: true,
          // Every field stamped, each with its value (the rules refuse a stamp whose field is absent).
          values: {
            text: `${people[Math.floor(index / scale.devicesPerPerson)]} baseline ${counter++}`,
            color: 'yellow',
            pinned: false,
            done: false,
            trashed: false,
            deleted: false,
            order: defaultOrderKey(createdAt),
            archived: false,
            items: [],
            labels: [],
            reminder: null,
          },
          clocks: Object.fromEntries(EDITABLE_FIELDS.map((field) => [field, stamp])),
          createdAt,
        };
        const writeStarted = Date.now();
        outstanding.push(
          remote.write([write]).then(
            () => void acknowledged.push(Date.now() - writeStarted),
            (error: unknown) => void failures.push(String(error)),
          ),
        );
      });
      const seconds = (Date.now() - started) / 1000;
      const stopped = Date.now();
      await Promise.all(outstanding);
      return { perSecond: acknowledged.length / seconds, settleMs: Date.now() - stopped };
    });
    if (failures.length) throw new Error(`${failures.length} baseline writes failed, first: ${failures[0]}`);

    const met = convergence.converged && convergeMs <= TARGET_CONVERGE_MS;
    const outcome = convergence.converged
      ? `converged ${round(convergeMs / 1000, 1)} s after the last change, ${round(Math.abs(convergeMs - TARGET_CONVERGE_MS) / 1000, 1)} s ${met ? 'under' : 'over'}`
      : `did not converge within ${round(convergeMs / 1000, 1)} s of the last change: ${convergence.reason}`;
    return {
      id: 'load',
      title: `Load: ${scale.people * scale.devicesPerPerson} devices of ${scale.people} people writing for ${scale.durationMs / 1000} s (emulators, loopback)`,
      status: 'ok',
      note: convergence.converged
        ? 'Every change reached the server and every device of its person; no device held another person\'s note.'
        : 'Not converged by the deadline: some devices did not hold every change of their person (details.differing), and notes created during the run not on the server yet are counted (createdNotOnServer); no device held another person\'s note.',
      figures: {
        changesPerSecond: round(made),
        convergeMs: round(convergeMs, 0),
        converged: convergence.converged ? 1 : 0,
        devicesDiffering: convergence.differing.length,
        createdNotOnServer: notOnServer.reduce((sum, each) => sum + each.missing, 0),
      },
      baseline: {
        what: 'the same clients writing new notes straight through the Firestore transport (one commit each; no local database, outbox or merge; rules included)',
        figures: { changesPerSecond: round(baseline.perSecond), settleMs: round(baseline.settleMs, 0), ...spread(acknowledged, 'ack') },
      },
      target: {
        text: `every device converges within ${TARGET_CONVERGE_MS / 1000} s of the last change; nothing lost, no leak`,
        met,
        margin: `${outcome}; ${convergence.converged ? 'nothing lost on the server' : `${notOnServer.reduce((sum, each) => sum + each.missing, 0)} notes created during the run not on the server at the deadline`}, no leak`,
      },
      details: {
        ...scale,
        notesPerPerson,
        changeIntervalMs: CHANGE_INTERVAL_MS,
        processCpuOfOneCore: cpuShare,
        differing: convergence.differing,
        notOnServer,
        // Where the time goes: how the outboxes drained after the last change, and the writes refused on the way.
        outboxesAfterLastChange: convergence.waiting,
        writeFailures,
      },
    };
  } finally {
    for (const device of devices) {
      device.engine.stop();
      device.db.close();
    }
    await Promise.all([...connections, ...checkers].map((connection) => deleteApp(connection.app).catch(() => undefined)));
  }
}
