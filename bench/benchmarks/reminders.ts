/**
 * 11. Reminders rung by the server (functions emulator, warm): 1,000 reminders due in the same
 * minute for 100 people with 5 devices each, from their due time to the push sender called for
 * each device (emulatorPushLog.calledAtMs, the sender's own clock; one machine, one clock). The
 * reminders are filed under their minute as the trigger files them (seeded directly, triggers
 * off), due at real minutes a little ahead. The tasks emulator runs a task as soon as it is
 * enqueued and ignores its schedule time, so each minute's tasks (one per shard) are delivered to
 * the real task queue at the time Cloud Tasks would run them, their start, REMINDERS.LEAD_MS
 * before the minute (tests/emulator/reminder-clock.ts); the task prepares and waits for the
 * minute by the machine's clock. Zero duplicates: each (occurrence, device) is sent once.
 * Baseline: the same fan-out for note creation, 1,000 notes created at once for the same people,
 * from the commit to the sender called (their other devices: the writer is none of the five).
 */
import { createHash, randomUUID } from 'node:crypto';
import { enqueueMinute } from '../../tests/emulator/reminder-clock.js';
import { REMINDERS, dueEntryPath, taskStartOf } from '../../functions/src/reminder-ring.js';
import { EMULATOR_PROJECT_ID, emulatorUrl } from '../../testing/emulator-suite.mjs';
import type { BenchContext } from '../lib/context.js';
import { commit, noteFields, runningEmulators, str, time, withTriggersDisabled, type DocWrite, type FirestoreValue } from '../lib/emulator.js';
import { percentile, round, type BenchResult } from '../lib/results.js';

const TARGET_P95_MS = 1_000;
const DEVICES = 5;
const PUSH_LOG = 'emulatorPushLog';
const WAIT_MS = 180_000;
const DOCUMENTS = `projects/${EMULATOR_PROJECT_ID}/databases/(default)/documents`;
const OWNER = { Authorization: 'Bearer owner', 'Content-Type': 'application/json' };

interface Person {
  uid: string;
  noteIds: string[];
}

async function seed(prefix: string, people: number, perPerson: number, occurrence: number, now: number): Promise<Person[]> {
  const dueLocal = new Date(occurrence).toISOString().slice(0, 16);
  const seeded = Array.from({ length: people }, (_, p) => ({ uid: `${prefix}-${String(p).padStart(3, '0')}`, noteIds: Array.from({ length: perPerson }, (_, n) => `reminder-${n}`) }));
  const writes: DocWrite[] = [];
  for (const person of seeded) {
    for (let d = 0; d < DEVICES; d++) {
      const token = `${person.uid}-device-${d}`;
      writes.push({
        path: `channels/${createHash('sha256').update(token, 'utf8').digest('hex')}`,
        fields: { uid: str(person.uid), token: str(token), deviceId: str(`device-${d}`), deviceName: str(`Device ${d}`), platform: str('bench'), createdAt: time(now), lastSeen: time(now) },
      });
    }
    person.noteIds.forEach((noteId, n) => {
      const reminder: FirestoreValue = { mapValue: { fields: { at: str(dueLocal), zone: str('UTC') } } };
      writes.push({ path: `users/${person.uid}/notes/${noteId}`, fields: { ...noteFields(n, now), done: { booleanValue: false }, reminder }, serverTime: ['updatedAt'] });
      // Filed under its minute, as the trigger files a reminder when it is set.
      writes.push({ path: dueEntryPath({ uid: person.uid, noteId, occurrence }), fields: { uid: str(person.uid), noteId: str(noteId), occurrence: { integerValue: String(occurrence) } } });
    });
  }
  // Triggers off: the bench delivers the tasks itself, and seeding is not what is measured.
  await withTriggersDisabled(async () => {
    for (let i = 0; i < writes.length; i += 500) await commit(writes.slice(i, i + 500));
  });
  return seeded;
}

/** The logged sends of `kind` to people whose uid starts with `prefix` (a range on uid, rules bypassed). */
async function loggedSends(prefix: string, kind: string): Promise<{ uid: string; noteId: string; token: string; calledAtMs: number }[]> {
  const filter = (fieldPath: string, op: string, value: string) => ({ fieldFilter: { field: { fieldPath }, op, value: { stringValue: value } } });
  const body = {
    structuredQuery: {
      from: [{ collectionId: PUSH_LOG }],
      where: { compositeFilter: { op: 'AND', filters: [filter('uid', 'GREATER_THAN_OR_EQUAL', prefix), filter('uid', 'LESS_THAN', `${prefix}~`), filter('kind', 'EQUAL', kind)] } },
      select: { fields: [{ fieldPath: 'uid' }, { fieldPath: 'noteId' }, { fieldPath: 'token' }, { fieldPath: 'calledAtMs' }] },
    },
  };
  const response = await fetch(`${emulatorUrl('firestore')}/v1/${DOCUMENTS}:runQuery`, { method: 'POST', headers: OWNER, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`Firestore runQuery: ${response.status} ${await response.text()}`);
  const rows = (await response.json()) as { document?: { fields: Record<string, { stringValue?: string; integerValue?: string }> } }[];
  return rows.flatMap((row) =>
    row.document
      ? [
          {
            uid: row.document.fields.uid?.stringValue ?? '',
            noteId: row.document.fields.noteId?.stringValue ?? '',
            token: row.document.fields.token?.stringValue ?? '',
            calledAtMs: Number(row.document.fields.calledAtMs?.integerValue ?? Number.NaN),
          },
        ]
      : [],
  );
}

async function waitForSends(prefix: string, kind: string, expected: number): Promise<Awaited<ReturnType<typeof loggedSends>>> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const sends = await loggedSends(prefix, kind);
    if (sends.length >= expected) return sends;
    if (Date.now() > deadline) throw new Error(`${kind}: ${sends.length} of ${expected} sends logged after ${WAIT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** The next whole minute at least `aheadMs` from now. */
function minuteAhead(aheadMs: number): number {
  return Math.ceil((Date.now() + aheadMs) / 60_000) * 60_000;
}

/**
 * The minute the reminders are due, on the machine's clock: its tasks (one per shard) delivered at
 * their start, as Cloud Tasks would; returns each send's ms after the minute.
 */
async function ringTheMinute(prefix: string, people: Person[], minute: number): Promise<{ latencies: number[]; duplicates: number }> {
  const count = people.reduce((sum, person) => sum + person.noteIds.length, 0);
  const start = taskStartOf(minute);
  if (Date.now() > start) throw new Error(`the reminders' minute ${new Date(minute).toISOString()} was not prepared before its task's start`);
  await new Promise((resolve) => setTimeout(resolve, start - Date.now()));
  await Promise.all(Array.from({ length: REMINDERS.SHARDS }, (_, shard) => enqueueMinute({ minute, shard }, start, `bench-${randomUUID()}`)));
  const sends = await waitForSends(prefix, 'reminder', count * DEVICES);
  const perDevice = new Set(sends.map((send) => `${send.noteId}|${send.token}`));
  return { latencies: sends.map((send) => send.calledAtMs - minute), duplicates: sends.length - perDevice.size };
}

/** The baseline: one new note per reminder, created at once (500 per commit), to the sender called. */
async function createTheNotes(prefix: string, people: Person[]): Promise<number[]> {
  const now = Date.now();
  const writes: DocWrite[] = people.flatMap((person) =>
    person.noteIds.map((noteId, n) => ({ path: `users/${person.uid}/notes/created-${noteId}`, fields: { ...noteFields(n, now), done: { booleanValue: false }, updatedBy: str('bench-writer') }, serverTime: ['updatedAt'] })),
  );
  const createdAt = Date.now();
  await Promise.all(Array.from({ length: Math.ceil(writes.length / 500) }, (_, i) => commit(writes.slice(i * 500, i * 500 + 500))));
  const sends = await waitForSends(prefix, 'note-created', writes.length * DEVICES);
  return sends.map((send) => send.calledAtMs - createdAt);
}

export async function reminders(bench: BenchContext): Promise<BenchResult> {
  const full = bench.scale === 'full';
  const [people, perPerson] = full ? [100, 10] : [4, 2];
  const count = people * perPerson;
  const title = `Reminders rung by the server: ${count.toLocaleString('en-US')} due in one minute for ${people} people with ${DEVICES} devices each, due to sender called (functions emulator, warm)`;
  const emulators = await runningEmulators();
  if (!emulators.includes('functions') || !emulators.includes('tasks')) {
    return {
      id: 'reminders',
      title,
      status: 'not-available',
      note: `not available yet: the functions and tasks emulators are not running (running: ${emulators.join(', ')})`,
      figures: {},
      baseline: { what: 'the same fan-out for note creation', figures: {} },
      target: { text: `p95 <= ${TARGET_P95_MS} ms, no duplicates`, met: undefined },
      details: {},
    };
  }
  const now = Date.now();
  const prefix = `bench-rem-${randomUUID().slice(0, 8)}`;
  // Real minutes a little ahead, each its own: a warm-up, the floor (one reminder alone) a few
  // times, then the thousand. All seeded first, so no seeding runs beside a ringing minute. Small
  // (in npm test) it is the thousand's minute alone, so the run waits for one minute at most.
  const aloneRuns = full ? 3 : 0;
  const first = minuteAhead(REMINDERS.LEAD_MS + (full ? 75_000 : 10_000));
  const warmMinute = first;
  const aloneMinutes = Array.from({ length: aloneRuns }, (_, run) => first + (run + 1) * 60_000);
  const mainMinute = full ? first + (aloneRuns + 1) * 60_000 : first;
  const [warm] = full ? await seed(`${prefix}-warm`, 1, 1, warmMinute, now) : [];
  const single = await Promise.all(aloneMinutes.map(async (minute, run) => (await seed(`${prefix}-alone${run}`, 1, 1, minute, now))[0]!));
  const seeded = await seed(`${prefix}-run`, people, perPerson, mainMinute, now);

  if (warm) {
    // Warm: one person's reminder and notes first, not measured (the functions' first runs load them).
    await ringTheMinute(`${prefix}-warm`, [warm], warmMinute);
    await createTheNotes(`${prefix}-warm`, [warm]);
  }

  // The floor: one reminder alone (one person, 5 devices), due to sender called.
  const alone: number[] = [];
  for (const [run, minute] of aloneMinutes.entries()) alone.push(Math.min(...(await ringTheMinute(`${prefix}-alone${run}`, [single[run]!], minute)).latencies));

  const rung = await ringTheMinute(`${prefix}-run`, seeded, mainMinute);
  const created = await createTheNotes(`${prefix}-run`, seeded);

  const p95 = round(percentile(rung.latencies, 95));
  const met = p95 <= TARGET_P95_MS && rung.duplicates === 0;
  return {
    id: 'reminders',
    title,
    status: 'ok',
    figures: {
      p50Ms: round(percentile(rung.latencies, 50)),
      p95Ms: p95,
      maxMs: round(Math.max(...rung.latencies)),
      sends: rung.latencies.length,
      duplicates: rung.duplicates,
      ...(alone.length > 0 ? { oneReminderAloneMedianMs: round(percentile(alone, 50)) } : {}),
    },
    baseline: {
      what: `the same fan-out for note creation: ${count.toLocaleString('en-US')} notes created at once, commit to sender called`,
      figures: { p50Ms: round(percentile(created, 50)), p95Ms: round(percentile(created, 95)), maxMs: round(Math.max(...created)), sends: created.length },
    },
    target: { text: `p95 <= ${TARGET_P95_MS} ms, no duplicates`, met, margin: `${round(Math.abs(TARGET_P95_MS - p95))} ms ${p95 <= TARGET_P95_MS ? 'under' : 'over'}` },
    details: { people, remindersPerPerson: perPerson, devicesPerPerson: DEVICES, oneReminderAloneMs: alone, taskStartsAheadMs: REMINDERS.LEAD_MS },
  };
}
