/**
 * The server ringing reminders (functions/src/reminder-ring.ts) against the real Firestore
 * emulator: first the handlers called directly with a recording sender and scheduler (what is
 * scheduled when, who gets what, changed and cleared reminders, replays, repeats, dead tokens),
 * then the real trigger and task function in the functions emulator, driven by the tests' clock
 * (reminder-clock.ts: the tasks emulator ignores schedule times) and observed through the
 * emulator sender's log, since FCM has no emulator.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { REMINDERS, ringReminder, ringTaskId, scheduleReminderChange, taskClock, type ReminderScheduler, type RingTask } from '../../functions/src/reminder-ring';
import { EMULATOR_PUSH_LOG } from '../../functions/src/senders';
import { buildFcmMessage } from '../../functions/src/fcm-message';
import { buildReminderPush } from '../../src/shared/push';
import { zonedToUtc } from '../../src/shared/reminder-time';
import { advanceRemindersTo, enqueueRing, scheduledRings } from './reminder-clock';
import {
  PROJECT_ID,
  assertFunctionsEmulator,
  channelExists,
  noteDoc,
  pushTestFirestore,
  recordingSender,
  seedChannels,
  uniqueUid,
  waitUntil,
  type Firestore,
} from './push-helpers';

let db: Firestore;

beforeAll(async () => {
  db = pushTestFirestore();
  // Fails loudly when the Firestore emulator is down (globalSetup checks too).
  await db.collection(REMINDERS.RECEIPTS).limit(1).get();
});

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
/** A fixed "now" for the handler tests: 2031-03-10 12:00 UTC, a Monday. */
const NOW = Date.UTC(2031, 2, 10, 12);

interface RecordingScheduler extends ReminderScheduler {
  tasks: Map<string, { task: RingTask; atMs: number }>;
}

function recordingScheduler(): RecordingScheduler {
  const tasks = new Map<string, { task: RingTask; atMs: number }>();
  return {
    tasks,
    async schedule(task, atMs, id) {
      if (tasks.has(id)) return false;
      tasks.set(id, { task, atMs });
      return true;
    },
  };
}

const wire = (at: string, more: Record<string, unknown> = {}) => ({ at, zone: 'UTC', ...more });

async function seedNote(uid: string, data: Record<string, unknown>, noteId = randomUUID()): Promise<string> {
  await db.collection('users').doc(uid).collection('notes').doc(noteId).set(noteDoc(data));
  return noteId;
}

async function seedPerson(name: string, devices = ['phone', 'laptop', 'desktop']): Promise<string> {
  const uid = uniqueUid(name);
  await seedChannels(
    db,
    devices.map((device) => ({ uid, token: `${uid}-${device}`, deviceId: `device-${device}` })),
  );
  return uid;
}

describe('scheduling on a note write (recording scheduler)', () => {
  const write = (before: unknown, after: unknown) => ({ uid: 'u1', noteId: 'n1', before, after });

  it('schedules the occurrence when a reminder is set, under the name of that occurrence, once', async () => {
    const deps = { scheduler: recordingScheduler() };
    const at = Date.UTC(2031, 2, 11, 8);
    const result = await scheduleReminderChange(deps, write(noteDoc(), noteDoc({ reminder: wire('2031-03-11T08:00') })), NOW);
    expect(result).toEqual({ status: 'scheduled', occurrence: at, at });
    expect([...deps.scheduler.tasks]).toEqual([[ringTaskId({ uid: 'u1', noteId: 'n1', occurrence: at }), { task: { uid: 'u1', noteId: 'n1', occurrence: at }, atMs: at }]]);
    // The same occurrence again (cleared and set back, or a write replayed): one task.
    expect(await scheduleReminderChange(deps, write(noteDoc(), noteDoc({ reminder: wire('2031-03-11T08:00') })), NOW)).toMatchObject({ status: 'exists' });
    expect(deps.scheduler.tasks.size).toBe(1);
  });

  it('schedules nothing for writes that leave the reminder as it was (text, ticks), or clear it', async () => {
    const deps = { scheduler: recordingScheduler() };
    const reminder = wire('2031-03-11T08:00');
    expect(await scheduleReminderChange(deps, write(noteDoc({ reminder }), noteDoc({ reminder, text: 'Edited', done: true })), NOW)).toEqual({ status: 'unchanged' });
    expect(await scheduleReminderChange(deps, write(noteDoc({ reminder }), noteDoc({ reminder: null })), NOW)).toEqual({ status: 'none' });
    expect(await scheduleReminderChange(deps, write(noteDoc({ reminder }), noteDoc({ reminder, trashed: true })), NOW)).toEqual({ status: 'none' });
    expect(await scheduleReminderChange(deps, write(noteDoc({ reminder }), undefined), NOW)).toEqual({ status: 'none' });
    // A one-off long past (set by a device offline for days) is the device's to show as missed.
    expect(await scheduleReminderChange(deps, write(noteDoc(), noteDoc({ reminder: wire('2031-03-09T08:00') })), NOW)).toEqual({ status: 'none' });
    expect(deps.scheduler.tasks.size).toBe(0);
  });

  it('schedules a snooze, a moved time, a restored note, and a repeat answered on to its next occurrence', async () => {
    const deps = { scheduler: recordingScheduler() };
    const reminder = wire('2031-03-10T11:00');
    const snoozed = await scheduleReminderChange(deps, write(noteDoc({ reminder }), noteDoc({ reminder: { ...reminder, snoozedUntil: NOW + HOUR } })), NOW);
    expect(snoozed).toMatchObject({ status: 'scheduled', occurrence: NOW + HOUR });
    const moved = await scheduleReminderChange(deps, write(noteDoc({ reminder }), noteDoc({ reminder: wire('2031-03-12T09:30') })), NOW);
    expect(moved).toMatchObject({ status: 'scheduled', occurrence: Date.UTC(2031, 2, 12, 9, 30) });
    const restored = wire('2031-03-13T09:00');
    expect(await scheduleReminderChange(deps, write(noteDoc({ reminder: restored, trashed: true }), noteDoc({ reminder: restored })), NOW)).toMatchObject({
      status: 'scheduled',
      occurrence: Date.UTC(2031, 2, 13, 9),
    });
    // Done on a daily reminder: the device moves `at` on to tomorrow.
    const daily = { ...wire('2031-03-10T08:00'), repeat: 'day' };
    expect(await scheduleReminderChange(deps, write(noteDoc({ reminder: daily }), noteDoc({ reminder: { ...daily, at: '2031-03-11T08:00' } })), NOW)).toMatchObject({
      status: 'scheduled',
      occurrence: Date.UTC(2031, 2, 11, 8),
    });
  });

  it('schedules an occurrence beyond Cloud Tasks\u2019 30 days at 29 days, under a name of its own', async () => {
    const deps = { scheduler: recordingScheduler() };
    const occurrence = Date.UTC(2031, 4, 1, 8);
    const result = await scheduleReminderChange(deps, write(noteDoc(), noteDoc({ reminder: wire('2031-05-01T08:00') })), NOW);
    expect(result).toEqual({ status: 'scheduled', occurrence, at: NOW + REMINDERS.MAX_AHEAD_MS });
    const [[id, scheduled]] = [...deps.scheduler.tasks];
    expect(id).toBe(ringTaskId({ uid: 'u1', noteId: 'n1', occurrence }, NOW + REMINDERS.MAX_AHEAD_MS));
    expect(scheduled).toEqual({ task: { uid: 'u1', noteId: 'n1', occurrence }, atMs: NOW + REMINDERS.MAX_AHEAD_MS });
  });
});

describe('ringing an occurrence (recording sender and scheduler)', () => {
  const deps = (sender = recordingSender(), scheduler = recordingScheduler()) => ({ db, sender, scheduler, appOrigin: 'https://notes.example.com' });

  it("sends one push to every device of the person, the one that set it too, and none of anyone else's", async () => {
    const alice = await seedPerson('alice');
    const bob = await seedPerson('bob', ['phone']);
    const occurrence = Date.UTC(2031, 2, 10, 8);
    const noteId = await seedNote(alice, { text: 'Call the dentist\nabout Tuesday', reminder: wire('2031-03-10T08:00'), updatedBy: 'device-desktop' });
    await seedNote(bob, { reminder: wire('2031-03-10T08:00') });
    const used = deps();
    const result = await ringReminder(used, { uid: alice, noteId, occurrence }, occurrence);
    expect(result).toMatchObject({ status: 'sent', channels: 3, sent: 3, failed: 0, removed: 0 });
    expect(result).not.toHaveProperty('next');
    const messages = used.sender.calls.flat();
    expect(messages.map((message) => message.token).sort()).toEqual([`${alice}-desktop`, `${alice}-laptop`, `${alice}-phone`]);
    const data = buildReminderPush({ uid: alice, noteId, text: 'Call the dentist\nabout Tuesday', occurrence });
    expect(data.title).toBe('Call the dentist');
    expect(messages[0]).toEqual(buildFcmMessage(messages[0]!.token, data, { appOrigin: 'https://notes.example.com' }));
  });

  it('sends nothing for a reminder changed, snoozed, answered or cleared since the task was scheduled', async () => {
    const carol = await seedPerson('carol', ['phone']);
    const occurrence = Date.UTC(2031, 2, 10, 8);
    const cases = [
      { reminder: wire('2031-03-10T09:00') },
      { reminder: wire('2031-03-10T08:00', { snoozedUntil: occurrence + HOUR }) },
      { reminder: wire('2031-03-10T08:00', { settled: occurrence }) },
      { reminder: { ...wire('2031-03-11T08:00'), repeat: 'day' } },
      { reminder: null },
      { reminder: wire('2031-03-10T08:00'), trashed: true },
      { reminder: { at: '2031-03-10T08:00', zone: 'Not/AZone' } },
    ];
    const used = deps();
    for (const data of cases) {
      const noteId = await seedNote(carol, data);
      expect(await ringReminder(used, { uid: carol, noteId, occurrence }, occurrence), JSON.stringify(data)).toEqual({ status: 'stale' });
    }
    expect(await ringReminder(used, { uid: carol, noteId: 'no-such-note', occurrence }, occurrence)).toEqual({ status: 'stale' });
    expect(used.sender.calls).toHaveLength(0);
  });

  it('sends a replayed task once', async () => {
    const dan = await seedPerson('dan', ['phone']);
    const occurrence = Date.UTC(2031, 2, 10, 8);
    const noteId = await seedNote(dan, { reminder: wire('2031-03-10T08:00') });
    const used = deps();
    expect(await ringReminder(used, { uid: dan, noteId, occurrence }, occurrence)).toMatchObject({ status: 'sent', sent: 1 });
    expect(await ringReminder(used, { uid: dan, noteId, occurrence }, occurrence + 5_000)).toEqual({ status: 'duplicate' });
    expect(used.sender.calls.flat()).toHaveLength(1);
  });

  it('gives the claim back when sending fails, so the retry sends', async () => {
    const eve = await seedPerson('eve', ['phone']);
    const occurrence = Date.UTC(2031, 2, 10, 8);
    const noteId = await seedNote(eve, { reminder: wire('2031-03-10T08:00') });
    const failing = { ...deps(), sender: { sendEach: async () => Promise.reject(new Error('FCM unreachable')) } };
    await expect(ringReminder(failing, { uid: eve, noteId, occurrence }, occurrence)).rejects.toThrow('FCM unreachable');
    expect(await ringReminder(deps(), { uid: eve, noteId, occurrence }, occurrence)).toMatchObject({ status: 'sent', sent: 1 });
  });

  it('schedules the next occurrence of a repeat, which rings even when nobody answered this one', async () => {
    const fay = await seedPerson('fay', ['phone']);
    // Daily at 08:00 Berlin time, across the spring clock change (2031-03-30).
    const reminder = { at: '2031-03-29T08:00', zone: 'Europe/Berlin', repeat: 'day' };
    const first = zonedToUtc('2031-03-29T08:00', 'Europe/Berlin');
    const second = zonedToUtc('2031-03-30T08:00', 'Europe/Berlin');
    expect(first - second).toBe(-DAY + HOUR);
    const noteId = await seedNote(fay, { text: 'Stretch', reminder });
    const used = deps();
    expect(await ringReminder(used, { uid: fay, noteId, occurrence: first }, first)).toMatchObject({ status: 'sent', sent: 1, next: second });
    const nextTask = { uid: fay, noteId, occurrence: second };
    expect(used.scheduler.tasks.get(ringTaskId(nextTask))).toEqual({ task: nextTask, atMs: second });
    // Nobody answered the first: the note still says 2031-03-29. The second rings anyway.
    expect(await ringReminder(used, nextTask, second)).toMatchObject({ status: 'sent', sent: 1, next: zonedToUtc('2031-03-31T08:00', 'Europe/Berlin') });
    expect(used.sender.calls.flat().map((message) => message.data.occurrence)).toEqual([String(first), String(second)]);
    expect(used.sender.calls.flat()[0]!.data.repeat).toBe('day');
  });

  it('deletes the channels FCM reports dead, keeps the rest', async () => {
    const gus = uniqueUid('gus');
    await seedChannels(db, [
      { uid: gus, token: `${gus}-phone`, deviceId: 'device-phone' },
      { uid: gus, token: `unregistered-${gus}-old`, deviceId: 'device-old' },
    ]);
    const occurrence = Date.UTC(2031, 2, 10, 8);
    const noteId = await seedNote(gus, { reminder: wire('2031-03-10T08:00') });
    const sender = recordingSender((token) =>
      token.startsWith('unregistered-') ? { success: false, error: { code: 'messaging/registration-token-not-registered' } } : { success: true },
    );
    expect(await ringReminder(deps(sender), { uid: gus, noteId, occurrence }, occurrence)).toMatchObject({ status: 'sent', sent: 1, failed: 1, removed: 1 });
    expect(await channelExists(db, `unregistered-${gus}-old`)).toBe(false);
    expect(await channelExists(db, `${gus}-phone`)).toBe(true);
  });

  it('runs an early task (beyond 30 days) again later, and refuses a malformed one', async () => {
    const used = deps();
    const task = { uid: 'u-early', noteId: 'n1', occurrence: NOW + 40 * DAY };
    expect(await ringReminder(used, task, NOW)).toEqual({ status: 'early', at: NOW + REMINDERS.MAX_AHEAD_MS });
    expect(used.scheduler.tasks.get(ringTaskId(task, NOW + REMINDERS.MAX_AHEAD_MS))).toEqual({ task, atMs: NOW + REMINDERS.MAX_AHEAD_MS });
    for (const payload of [null, 'x', { uid: 'u', noteId: 'a/b', occurrence: 1 }, { uid: 'u', noteId: 'n', occurrence: '1' }, { uid: '', noteId: 'n', occurrence: 1 }]) {
      expect(await ringReminder(used, payload, NOW)).toEqual({ status: 'invalid', reason: 'not a ring task' });
    }
    expect(used.sender.calls).toHaveLength(0);
  });

  it("takes the task's scheduled time as its clock when that is later (the emulator's queue runs tasks at once)", () => {
    expect(taskClock(undefined, NOW)).toBe(NOW);
    expect(taskClock(new Date(NOW + HOUR).toISOString(), NOW)).toBe(NOW + HOUR);
    expect(taskClock(String((NOW - HOUR) / 1000), NOW)).toBe(NOW);
    expect(taskClock('1952188800.5', NOW)).toBe(Math.max(NOW, 1952188800500));
    expect(taskClock('garbage', NOW)).toBe(NOW);
  });
});

describe('the real trigger and task function in the functions emulator', () => {
  beforeAll(async () => {
    await assertFunctionsEmulator();
  });

  const ringsLogged = async (noteId: string, count: number) =>
    waitUntil(
      async () => {
        const snapshot = await db.collection(EMULATOR_PUSH_LOG).where('noteId', '==', noteId).where('kind', '==', 'reminder').get();
        return snapshot.size >= count && snapshot.docs;
      },
      20_000,
      `${count} reminder push(es) in the emulator log`,
    );

  it('rings a set reminder at its time on every device of the person; a changed one rings only at its new time', async () => {
    const hana = uniqueUid('hana');
    const ivan = uniqueUid('ivan');
    const tokens = { phone: `${hana}-phone`, laptop: `${hana}-laptop`, dead: `unregistered-${hana}-old`, ivan: `${ivan}-phone` };
    await seedChannels(db, [
      { uid: hana, token: tokens.phone, deviceId: 'device-phone' },
      { uid: hana, token: tokens.laptop, deviceId: 'device-laptop' },
      { uid: hana, token: tokens.dead, deviceId: 'device-old' },
      { uid: ivan, token: tokens.ivan, deviceId: 'device-ivan' },
    ]);
    const now = Date.now();
    // Whole minutes, as the app sets them, a day and two days ahead.
    const local = (ms: number) => new Date(ms).toISOString().slice(0, 16);
    const first = Math.ceil((now + DAY) / 60_000) * 60_000;
    const moved = first + DAY;
    const noteId = randomUUID();
    const note = db.collection('users').doc(hana).collection('notes').doc(noteId);
    // Written by the old device, so the created note's own push skips it and its channel is still there for the reminder.
    await note.set(noteDoc({ text: 'Renew the passport', reminder: wire(local(first)), updatedBy: 'device-old' }));
    await waitUntil(async () => (await scheduledRings(db, hana)).length === 1, 20_000, 'the trigger to schedule the reminder');
    await note.update({ reminder: wire(local(moved)), text: 'Renew the passport!' });
    await waitUntil(async () => (await scheduledRings(db, hana)).length === 2, 20_000, 'the trigger to schedule the moved reminder');
    expect((await scheduledRings(db, hana)).map((ring) => ring.task.occurrence)).toEqual([first, moved]);

    // The first time comes: its task runs and finds the reminder moved, so it sends nothing; then the new time.
    expect(await advanceRemindersTo(db, hana, first)).toHaveLength(1);
    expect(await advanceRemindersTo(db, hana, moved)).toHaveLength(1);
    const entries = await ringsLogged(noteId, 3);
    await waitUntil(async () => !(await channelExists(db, tokens.dead)), 10_000, 'the unregistered channel to be deleted');
    const all = (await db.collection(EMULATOR_PUSH_LOG).where('noteId', '==', noteId).where('kind', '==', 'reminder').get()).docs;
    expect(all.map((doc) => doc.get('token')).sort()).toEqual([tokens.dead, tokens.laptop, tokens.phone].sort());
    const data = buildReminderPush({ uid: hana, noteId, text: 'Renew the passport!', occurrence: moved });
    const laptop = entries.find((doc) => doc.get('token') === tokens.laptop)!;
    expect(laptop.get('message')).toEqual(buildFcmMessage(tokens.laptop, data, { appOrigin: `https://${PROJECT_ID}.web.app` }));
    expect(await channelExists(db, tokens.ivan)).toBe(true);
  }, 60_000);

  it('a daily reminder schedules its next occurrence when it rings', async () => {
    const jo = uniqueUid('jo');
    await seedChannels(db, [{ uid: jo, token: `${jo}-phone`, deviceId: 'device-phone' }]);
    const first = Math.ceil((Date.now() + HOUR) / 60_000) * 60_000;
    const noteId = randomUUID();
    await db
      .collection('users')
      .doc(jo)
      .collection('notes')
      .doc(noteId)
      .set(noteDoc({ text: 'Water the plants', reminder: { ...wire(new Date(first).toISOString().slice(0, 16)), repeat: 'day' } }));
    await waitUntil(async () => (await scheduledRings(db, jo)).length === 1, 20_000, 'the trigger to schedule the reminder');
    await advanceRemindersTo(db, jo, first);
    await ringsLogged(noteId, 1);
    const rings = await waitUntil(async () => {
      const all = await scheduledRings(db, jo);
      return all.length === 2 && all;
    }, 20_000, 'the next occurrence to be scheduled');
    expect(rings.map((ring) => ring.task.occurrence)).toEqual([first, first + DAY]);
    // A task of the same occurrence run again (Cloud Tasks delivers at least once) sends nothing more.
    await enqueueRing(rings[0]!.task, first, `${rings[0]!.id}-again`);
    await advanceRemindersTo(db, jo, first + DAY);
    await ringsLogged(noteId, 2);
    const logged = await db.collection(EMULATOR_PUSH_LOG).where('noteId', '==', noteId).where('kind', '==', 'reminder').get();
    const occurrences = logged.docs.map((doc) => Number(doc.get('message.data.occurrence')));
    expect(occurrences.sort()).toEqual([first, first + DAY]);
  }, 60_000);
});
