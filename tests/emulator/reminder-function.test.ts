/**
 * The server ringing reminders (functions/src/reminder-ring.ts) against the real Firestore
 * emulator: first the handlers called directly with a recording sender and scheduler (what is
 * filed and scheduled when, who gets what, changed and cleared reminders, replays, repeats, dead
 * tokens), each test with minutes of its own (a minute's task rings whatever is filed under it),
 * then the real trigger and task function in the functions emulator, driven by the tests' clock
 * (reminder-clock.ts: the tasks emulator ignores schedule times) and observed through the
 * emulator sender's log, since FCM has no emulator.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  REMINDERS,
  announceAnswered,
  answeredOccurrence,
  minuteOf,
  minuteTaskId,
  ringMinute,
  scheduleReminderChange,
  shardOf,
  taskClock,
  type MinuteTask,
  type ReminderScheduler,
} from '../../functions/src/reminder-ring';
import { EMULATOR_PUSH_LOG } from '../../functions/src/senders';
import { buildFcmMessage } from '../../functions/src/fcm-message';
import { buildReminderPush, buildReminderSettledPush } from '../../src/shared/push';
import { zonedToUtc } from '../../src/shared/reminder-time';
import { advanceRemindersTo, enqueueMinute, filedOccurrences, waitUntilScheduled } from './reminder-clock';
import {
  PROJECT_ID,
  assertFunctionsEmulator,
  channelExists,
  noteDoc,
  pushTestFirestore,
  recordingSender,
  seedChannels,
  uniqueUid,
  useTriggersOff,
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
  tasks: Map<string, { task: MinuteTask; atMs: number }>;
}

function recordingScheduler(): RecordingScheduler {
  const tasks = new Map<string, { task: MinuteTask; atMs: number }>();
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

async function seedNote(uid: string, data: Record<string, unknown>, noteId: string = randomUUID()): Promise<string> {
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

describe('filing on a note write (recording scheduler)', () => {
  useTriggersOff();
  const write = (uid: string, before: unknown, after: unknown, noteId = 'n1') => ({ uid, noteId, before, after });
  const deps = () => ({ db, scheduler: recordingScheduler() });

  it("files the occurrence under its minute and the person's shard, and schedules that minute once", async () => {
    const used = deps();
    const uid = uniqueUid('filer');
    const at = Date.UTC(2031, 2, 11, 8, 1);
    const task = { minute: at, shard: shardOf(uid) };
    const result = await scheduleReminderChange(used, write(uid, noteDoc(), noteDoc({ reminder: wire('2031-03-11T08:01') })), NOW);
    // The minute's task starts ahead of it, to have everything read and claimed at the minute.
    const start = at - REMINDERS.LEAD_MS;
    expect(result).toEqual({ status: 'scheduled', occurrence: at, minute: at, at: start });
    expect([...used.scheduler.tasks]).toEqual([[minuteTaskId(task), { task, atMs: start }]]);
    expect(await filedOccurrences(db, uid)).toEqual([{ uid, noteId: 'n1', occurrence: at }]);
    // Another note of the minute: filed too, and the minute's task is already there.
    expect(await scheduleReminderChange(used, write(uid, noteDoc(), noteDoc({ reminder: wire('2031-03-11T08:01') }), 'n2'), NOW)).toMatchObject({ status: 'exists' });
    expect(used.scheduler.tasks.size).toBe(1);
    expect(await filedOccurrences(db, uid)).toHaveLength(2);
  });

  it('files nothing for writes that leave the reminder as it was (text, ticks), and unfiles a cleared one', async () => {
    const used = deps();
    const uid = uniqueUid('filer');
    const reminder = wire('2031-03-11T08:02');
    await scheduleReminderChange(used, write(uid, noteDoc(), noteDoc({ reminder })), NOW);
    expect(await scheduleReminderChange(used, write(uid, noteDoc({ reminder }), noteDoc({ reminder, text: 'Edited', done: true })), NOW)).toEqual({ status: 'unchanged' });
    expect(await scheduleReminderChange(used, write(uid, noteDoc({ reminder }), noteDoc({ reminder: null })), NOW)).toEqual({ status: 'none' });
    expect(await filedOccurrences(db, uid)).toEqual([]);
    expect(await scheduleReminderChange(used, write(uid, noteDoc({ reminder }), noteDoc({ reminder, trashed: true })), NOW)).toEqual({ status: 'none' });
    expect(await scheduleReminderChange(used, write(uid, noteDoc({ reminder }), undefined), NOW)).toEqual({ status: 'none' });
    // A one-off long past (set by a device offline for days) is the device's to show as missed.
    expect(await scheduleReminderChange(used, write(uid, noteDoc(), noteDoc({ reminder: wire('2031-03-09T08:00') })), NOW)).toEqual({ status: 'none' });
    expect(await filedOccurrences(db, uid)).toEqual([]);
  });

  it('files a snooze (to its next whole minute), a moved time (unfiling the old), a restored note, and a repeat answered on', async () => {
    const used = deps();
    const uid = uniqueUid('filer');
    const reminder = wire('2031-03-10T11:00');
    const snoozedUntil = NOW + HOUR + 30_000;
    expect(await scheduleReminderChange(used, write(uid, noteDoc({ reminder }), noteDoc({ reminder: { ...reminder, snoozedUntil } })), NOW)).toMatchObject({
      status: 'scheduled',
      occurrence: snoozedUntil,
      minute: NOW + HOUR + 60_000,
    });
    const moved = wire('2031-03-12T09:30');
    await scheduleReminderChange(used, write(uid, noteDoc({ reminder: { ...reminder, snoozedUntil } }), noteDoc({ reminder: moved })), NOW);
    expect((await filedOccurrences(db, uid)).map((entry) => entry.occurrence)).toEqual([Date.UTC(2031, 2, 12, 9, 30)]);
    const restored = wire('2031-03-13T09:00');
    expect(await scheduleReminderChange(used, write(uid, noteDoc({ reminder: restored, trashed: true }), noteDoc({ reminder: restored }), 'n2'), NOW)).toMatchObject({
      status: 'scheduled',
      occurrence: Date.UTC(2031, 2, 13, 9),
    });
    // Done on a daily reminder: the device moves `at` on to tomorrow.
    const daily = { ...wire('2031-03-10T08:00'), repeat: 'day' };
    expect(await scheduleReminderChange(used, write(uid, noteDoc({ reminder: daily }), noteDoc({ reminder: { ...daily, at: '2031-03-11T08:00' } }), 'n3'), NOW)).toMatchObject({
      status: 'scheduled',
      occurrence: Date.UTC(2031, 2, 11, 8),
    });
  });

  it('schedules a minute beyond Cloud Tasks\u2019 30 days at 29 days, under a name of its own', async () => {
    const used = deps();
    const uid = uniqueUid('filer');
    const occurrence = Date.UTC(2031, 4, 1, 8, 3);
    const result = await scheduleReminderChange(used, write(uid, noteDoc(), noteDoc({ reminder: wire('2031-05-01T08:03') })), NOW);
    expect(result).toEqual({ status: 'scheduled', occurrence, minute: occurrence, at: NOW + REMINDERS.MAX_AHEAD_MS });
    const task = { minute: occurrence, shard: shardOf(uid) };
    expect([...used.scheduler.tasks]).toEqual([[minuteTaskId(task, `hop-${NOW + REMINDERS.MAX_AHEAD_MS}`), { task, atMs: NOW + REMINDERS.MAX_AHEAD_MS }]]);
  });

  it('gives an occurrence due now a task of its own when the minute\u2019s task may have run already', async () => {
    const used = deps();
    const uid = uniqueUid('filer');
    const minute = minuteOf(NOW + 30_000);
    const task = { minute, shard: shardOf(uid) };
    await used.scheduler.schedule(task, minute, minuteTaskId(task));
    const snoozedUntil = NOW + 30_000;
    expect(await scheduleReminderChange(used, write(uid, noteDoc({ reminder: wire('2031-03-10T11:00') }), noteDoc({ reminder: { ...wire('2031-03-10T11:00'), snoozedUntil } })), NOW)).toMatchObject({
      status: 'scheduled',
    });
    expect(used.scheduler.tasks.size).toBe(2);
  });
});

describe('ringing a minute (recording sender and scheduler)', () => {
  useTriggersOff();
  const deps = (sender = recordingSender(), scheduler = recordingScheduler()) => ({ db, sender, scheduler, appOrigin: 'https://notes.example.com' });

  /** Writes the note, files its reminder as the trigger does, and returns the minute task that rings it. */
  async function filedNote(used: ReturnType<typeof deps>, uid: string, data: Record<string, unknown>, noteId: string = randomUUID()): Promise<{ noteId: string; task: MinuteTask }> {
    await seedNote(uid, data, noteId);
    const result = await scheduleReminderChange(used, { uid, noteId, before: undefined, after: noteDoc(data) }, NOW);
    if (result.status !== 'scheduled' && result.status !== 'exists') throw new Error(`nothing filed: ${JSON.stringify(result)}`);
    return { noteId, task: { minute: result.minute, shard: shardOf(uid) } };
  }

  it("sends one push to every device of the person, the one that set it too, and none of anyone else's", async () => {
    const alice = await seedPerson('alice');
    const bob = await seedPerson('bob', ['phone']);
    const occurrence = Date.UTC(2031, 3, 1, 8, 10);
    const used = deps();
    const { noteId, task } = await filedNote(used, alice, { text: 'Call the dentist\nabout Tuesday', reminder: wire('2031-04-01T08:10'), updatedBy: 'device-desktop' });
    await seedNote(bob, { reminder: wire('2031-04-01T08:10') });
    const result = await ringMinute(used, task, occurrence);
    expect(result).toMatchObject({ status: 'rung', rung: 1, stale: 0, duplicate: 0, next: 0, channels: 3, sent: 3, failed: 0, removed: 0 });
    const messages = used.sender.calls.flat();
    expect(messages.map((message) => message.token).sort()).toEqual([`${alice}-desktop`, `${alice}-laptop`, `${alice}-phone`]);
    const data = buildReminderPush({ uid: alice, noteId, text: 'Call the dentist\nabout Tuesday', occurrence });
    expect(data.title).toBe('Call the dentist');
    expect(messages[0]).toEqual(buildFcmMessage(messages[0]!.token, data, { appOrigin: 'https://notes.example.com' }));
    // Rung and unfiled: the minute's task run again finds nothing to send.
    expect(await filedOccurrences(db, alice)).toEqual([]);
  });

  it('rings many people of one minute in batches of 500 messages across them', async () => {
    const used = deps();
    const occurrence = Date.UTC(2031, 3, 1, 8, 11);
    const people = await Promise.all(Array.from({ length: 30 }, (_, i) => seedPerson(`crowd${i}`, ['a', 'b', 'c', 'd', 'e'])));
    const tasks = new Map<string, MinuteTask>();
    for (const uid of people) {
      for (let n = 0; n < 4; n++) {
        const { task } = await filedNote(used, uid, { text: `Crowd ${n}`, reminder: wire('2031-04-01T08:11') });
        tasks.set(minuteTaskId(task), task);
      }
    }
    let rung = 0;
    for (const task of tasks.values()) rung += ((await ringMinute(used, task, occurrence)) as { rung: number }).rung;
    expect(rung).toBe(120);
    const messages = used.sender.calls.flat();
    expect(messages).toHaveLength(600);
    expect(new Set(messages.map((message) => `${message.token}|${message.data.noteId}`)).size).toBe(600);
    expect(used.sender.calls.every((call) => call.length <= 500)).toBe(true);
  }, 60_000);

  it('sends nothing for a reminder changed, snoozed, answered or cleared since it was filed', async () => {
    const carol = await seedPerson('carol', ['phone']);
    const occurrence = Date.UTC(2031, 3, 1, 8, 12);
    const used = deps();
    const changes = [
      { reminder: wire('2031-04-01T09:00') },
      { reminder: wire('2031-04-01T08:12', { snoozedUntil: occurrence + HOUR }) },
      { reminder: wire('2031-04-01T08:12', { settled: occurrence }) },
      { reminder: { ...wire('2031-04-02T08:12'), repeat: 'day' } },
      { reminder: null },
      { reminder: wire('2031-04-01T08:12'), trashed: true },
      { reminder: { at: '2031-04-01T08:12', zone: 'Not/AZone' } },
    ];
    let task: MinuteTask | undefined;
    for (const change of changes) {
      const filed = await filedNote(used, carol, { reminder: wire('2031-04-01T08:12') });
      task = filed.task;
      // Changed afterwards on the server, as if the trigger for the change had not run yet.
      await seedNote(carol, change, filed.noteId);
    }
    expect(await ringMinute(used, task!, occurrence)).toMatchObject({ status: 'rung', due: changes.length, stale: changes.length, rung: 0 });
    expect(used.sender.calls).toHaveLength(0);
  });

  it('sends a replayed minute once', async () => {
    const dan = await seedPerson('dan', ['phone']);
    const occurrence = Date.UTC(2031, 3, 1, 8, 13);
    const used = deps();
    const { noteId, task } = await filedNote(used, dan, { reminder: wire('2031-04-01T08:13') });
    expect(await ringMinute(used, task, occurrence)).toMatchObject({ status: 'rung', rung: 1, sent: 1 });
    // Filed again (a trigger replayed): the receipt still stops a second send.
    await scheduleReminderChange(used, { uid: dan, noteId, before: undefined, after: noteDoc({ reminder: wire('2031-04-01T08:13') }) }, NOW);
    expect(await ringMinute(used, task, occurrence + 5_000)).toMatchObject({ status: 'rung', due: 1, duplicate: 1, rung: 0 });
    expect(used.sender.calls.flat()).toHaveLength(1);
  });

  it('started ahead of its minute, sends at the minute: an occurrence unfiled meanwhile sends nothing, one filed meanwhile rings', async () => {
    const lena = await seedPerson('lena', ['phone', 'laptop']);
    const occurrence = Date.UTC(2031, 3, 1, 8, 17);
    const recording = recordingSender();
    const sentAt: number[] = [];
    const used = deps({ ...recording, sendEach: (messages) => (sentAt.push(Date.now()), recording.sendEach(messages)) });
    const kept = await filedNote(used, lena, { text: 'Kept', reminder: wire('2031-04-01T08:17') });
    const cleared = await filedNote(used, lena, { text: 'Cleared', reminder: wire('2031-04-01T08:17') });
    const receiptsOf = async (noteId: string) => (await db.collection(REMINDERS.RECEIPTS).where('noteId', '==', noteId).get()).size;
    // Started 8 s before its minute, on the task's clock.
    const leadMs = 8_000;
    const minuteAt = Date.now() + leadMs;
    const ringing = ringMinute(used, kept.task, occurrence - leadMs);
    // Prepared (both claimed) well before the minute, nothing sent yet.
    await waitUntil(async () => (await receiptsOf(kept.noteId)) === 1 && (await receiptsOf(cleared.noteId)) === 1, 5_000, 'both occurrences claimed');
    expect(sentAt).toEqual([]);
    // While it waits: one reminder cleared (its write unfiles it, as the trigger does), another set for the minute.
    const clearing = { uid: lena, noteId: cleared.noteId, before: noteDoc({ reminder: wire('2031-04-01T08:17') }), after: noteDoc({ reminder: null }) };
    await seedNote(lena, { text: 'Cleared', reminder: null }, cleared.noteId);
    await scheduleReminderChange(used, clearing, NOW);
    const added = await filedNote(used, lena, { text: 'Added', reminder: wire('2031-04-01T08:17') });
    // Claimed but not rung: answering it tells the other devices nothing.
    expect(await announceAnswered(used, clearing, occurrence - 5_000)).toEqual({ status: 'not-rung' });
    // Changed in good time before the minute, for its watch of the minute to see.
    expect(Date.now()).toBeLessThan(minuteAt - 3_000);

    expect(await ringing).toMatchObject({ status: 'rung', due: 3, withdrawn: 1, rung: 2, sent: 4 });
    expect(sentAt[0]).toBeGreaterThanOrEqual(minuteAt - 50);
    const texts = used.sender.calls.flat().map((message) => message.data.title);
    expect(texts.sort()).toEqual(['Added', 'Added', 'Kept', 'Kept']);
    // The withdrawn claim is given back; the rung ones stay, so a replay sends nothing.
    expect(await receiptsOf(cleared.noteId)).toBe(0);
    expect(await receiptsOf(added.noteId)).toBe(1);
  });

  it('gives the claims back when sending fails, so the retry sends', async () => {
    const eve = await seedPerson('eve', ['phone']);
    const occurrence = Date.UTC(2031, 3, 1, 8, 14);
    const used = deps();
    const { task } = await filedNote(used, eve, { reminder: wire('2031-04-01T08:14') });
    const failing = { ...used, sender: { sendEach: async () => Promise.reject(new Error('FCM unreachable')) } };
    await expect(ringMinute(failing, task, occurrence)).rejects.toThrow('FCM unreachable');
    expect(await ringMinute(used, task, occurrence)).toMatchObject({ status: 'rung', rung: 1, sent: 1 });
  });

  it('files the next occurrence of a repeat, which rings even when nobody answered this one', async () => {
    const fay = await seedPerson('fay', ['phone']);
    // Daily at 08:15 Berlin time, across the spring clock change (2031-03-30).
    const reminder = { at: '2031-03-29T08:15', zone: 'Europe/Berlin', repeat: 'day' };
    const first = zonedToUtc('2031-03-29T08:15', 'Europe/Berlin');
    const second = zonedToUtc('2031-03-30T08:15', 'Europe/Berlin');
    expect(second - first).toBe(DAY - HOUR);
    const used = deps();
    const { noteId, task } = await filedNote(used, fay, { text: 'Stretch', reminder });
    expect(await ringMinute(used, task, first)).toMatchObject({ status: 'rung', rung: 1, next: 1 });
    const nextTask = { minute: second, shard: shardOf(fay) };
    expect(used.scheduler.tasks.get(minuteTaskId(nextTask))).toEqual({ task: nextTask, atMs: second - REMINDERS.LEAD_MS });
    expect(await filedOccurrences(db, fay)).toEqual([{ uid: fay, noteId, occurrence: second }]);
    // Nobody answered the first: the note still says 2031-03-29. The second rings anyway.
    expect(await ringMinute(used, nextTask, second)).toMatchObject({ status: 'rung', rung: 1, next: 1 });
    expect(used.sender.calls.flat().map((message) => message.data.occurrence)).toEqual([String(first), String(second)]);
    expect(used.sender.calls.flat()[0]!.data.repeat).toBe('day');
  });

  it('deletes the channels FCM reports dead, keeps the rest', async () => {
    const gus = uniqueUid('gus');
    await seedChannels(db, [
      { uid: gus, token: `${gus}-phone`, deviceId: 'device-phone' },
      { uid: gus, token: `unregistered-${gus}-old`, deviceId: 'device-old' },
    ]);
    const occurrence = Date.UTC(2031, 3, 1, 8, 16);
    const sender = recordingSender((token) =>
      token.startsWith('unregistered-') ? { success: false, error: { code: 'messaging/registration-token-not-registered' } } : { success: true },
    );
    const used = deps(sender);
    const { task } = await filedNote(used, gus, { reminder: wire('2031-04-01T08:16') });
    await filedNote(used, gus, { reminder: wire('2031-04-01T08:16') });
    expect(await ringMinute(used, task, occurrence)).toMatchObject({ status: 'rung', rung: 2, sent: 2, failed: 2, removed: 1 });
    expect(await channelExists(db, `unregistered-${gus}-old`)).toBe(false);
    expect(await channelExists(db, `${gus}-phone`)).toBe(true);
  });

  it('runs an early minute (beyond 30 days) again later, and refuses a malformed task', async () => {
    const used = deps();
    const task = { minute: minuteOf(NOW + 40 * DAY), shard: REMINDERS.SHARDS - 1 };
    expect(await ringMinute(used, task, NOW)).toEqual({ status: 'early', at: NOW + REMINDERS.MAX_AHEAD_MS });
    expect(used.scheduler.tasks.get(minuteTaskId(task, `hop-${NOW + REMINDERS.MAX_AHEAD_MS}`))).toEqual({ task, atMs: NOW + REMINDERS.MAX_AHEAD_MS });
    for (const payload of [null, 'x', { minute: NOW + 1, shard: 0 }, { minute: NOW, shard: REMINDERS.SHARDS }, { minute: String(NOW), shard: 0 }, { minute: NOW, shard: -1 }]) {
      expect(await ringMinute(used, payload, NOW)).toEqual({ status: 'invalid', reason: 'not a minute task' });
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

describe('telling the other devices an occurrence was answered', () => {
  useTriggersOff();
  const deps = (sender = recordingSender(), scheduler = recordingScheduler()) => ({ db, sender, scheduler, appOrigin: 'https://notes.example.com' });
  const at = '2031-04-01T08:20';
  const occurrence = Date.UTC(2031, 3, 1, 8, 20);
  const after = occurrence + 5 * 60_000;

  it('knows how a write answered the ringing occurrence, and when it did not', () => {
    const reminder = { at, zone: 'UTC' };
    const daily = { ...reminder, repeat: { every: 'day' as const } };
    expect(answeredOccurrence(reminder, null, after)).toEqual({ occurrence, how: 'done' });
    expect(answeredOccurrence(daily, { ...daily, at: '2031-04-02T08:20' }, after)).toEqual({ occurrence, how: 'done' });
    expect(answeredOccurrence(reminder, { ...reminder, snoozedUntil: after + HOUR }, after)).toEqual({ occurrence, how: 'snoozed' });
    expect(answeredOccurrence(reminder, { ...reminder, settled: occurrence }, after)).toEqual({ occurrence, how: 'dismissed' });
    // Cleared a minute before it is due here: the occurrence about to ring (the server rang it or not: its receipt says).
    expect(answeredOccurrence(reminder, null, occurrence - 60_000)).toEqual({ occurrence, how: 'done' });
    // Already settled, or still ringing after the write: nothing answered.
    expect(answeredOccurrence({ ...reminder, settled: occurrence }, null, after)).toBeUndefined();
    expect(answeredOccurrence(reminder, { ...reminder }, after)).toBeUndefined();
    expect(answeredOccurrence(null, reminder, after)).toBeUndefined();
  });

  it("sends the answer to the person's other devices, naming the one that answered, once the server rang it", async () => {
    const kai = await seedPerson('kai');
    const used = deps();
    const noteId = randomUUID();
    const ringing = noteDoc({ text: 'Pay the rent', reminder: wire(at) });
    await seedNote(kai, ringing, noteId);
    const write = { uid: kai, noteId, before: ringing, after: noteDoc({ text: 'Pay the rent', reminder: null, updatedBy: 'device-phone' }) };
    // Not rung by the server (the app rang it, and it was answered at once): nothing to tell.
    expect(await announceAnswered(used, write, after)).toEqual({ status: 'not-rung' });

    await scheduleReminderChange(used, { uid: kai, noteId, before: undefined, after: ringing }, NOW);
    await ringMinute(used, { minute: occurrence, shard: shardOf(kai) }, occurrence);
    used.sender.calls.length = 0;
    expect(await announceAnswered(used, write, after)).toMatchObject({ status: 'announced', how: 'done', sent: 2 });
    const messages = used.sender.calls.flat();
    expect(messages.map((message) => message.token).sort()).toEqual([`${kai}-desktop`, `${kai}-laptop`]);
    expect(messages[0]!.data).toEqual(buildReminderSettledPush({ uid: kai, noteId, text: 'Pay the rent', occurrence, how: 'done', byDevice: 'Device device-phone' }));
    // A write that answers nothing (a text edit) tells nobody anything.
    expect(await announceAnswered(used, { ...write, before: write.after, after: { ...write.after, text: 'Rent paid' } }, after)).toEqual({ status: 'none' });
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
    // Whole minutes, as the app sets them, a day and two days ahead.
    const local = (ms: number) => new Date(ms).toISOString().slice(0, 16);
    const first = minuteOf(Date.now() + DAY);
    const moved = first + DAY;
    const noteId = randomUUID();
    const note = db.collection('users').doc(hana).collection('notes').doc(noteId);
    // Written by the old device, so the created note's own push skips it and its channel is still there for the reminder.
    await note.set(noteDoc({ text: 'Renew the passport', reminder: wire(local(first)), updatedBy: 'device-old' }));
    await waitUntilScheduled(db, hana, first);
    await note.update({ reminder: wire(local(moved)), text: 'Renew the passport!' });
    await waitUntilScheduled(db, hana, moved);
    await waitUntil(async () => (await filedOccurrences(db, hana)).map((entry) => entry.occurrence).join() === String(moved), 20_000, 'the first time to be unfiled');

    // The first time comes: its task runs and finds nothing of Hana's filed (moved), so it sends nothing; then the new time.
    expect(await advanceRemindersTo(db, [first], first)).not.toEqual([]);
    expect(await advanceRemindersTo(db, [moved], moved)).not.toEqual([]);
    const entries = await ringsLogged(noteId, 3);
    await waitUntil(async () => !(await channelExists(db, tokens.dead)), 10_000, 'the unregistered channel to be deleted');
    const all = (await db.collection(EMULATOR_PUSH_LOG).where('noteId', '==', noteId).where('kind', '==', 'reminder').get()).docs;
    expect(all.map((doc) => doc.get('token')).sort()).toEqual([tokens.dead, tokens.laptop, tokens.phone].sort());
    const data = buildReminderPush({ uid: hana, noteId, text: 'Renew the passport!', occurrence: moved });
    const laptop = entries.find((doc) => doc.get('token') === tokens.laptop)!;
    expect(laptop.get('message')).toEqual(buildFcmMessage(tokens.laptop, data, { appOrigin: `https://${PROJECT_ID}.web.app` }));
    expect(await channelExists(db, tokens.ivan)).toBe(true);
  }, 60_000);

  it('a daily reminder files its next occurrence when it rings; a minute run twice sends nothing twice', async () => {
    const jo = uniqueUid('jo');
    await seedChannels(db, [{ uid: jo, token: `${jo}-phone`, deviceId: 'device-phone' }]);
    const first = minuteOf(Date.now() + HOUR + 7 * 60_000);
    const noteId = randomUUID();
    await db
      .collection('users')
      .doc(jo)
      .collection('notes')
      .doc(noteId)
      .set(noteDoc({ text: 'Water the plants', reminder: { ...wire(new Date(first).toISOString().slice(0, 16)), repeat: 'day' } }));
    await waitUntilScheduled(db, jo, first);
    const [delivered] = await advanceRemindersTo(db, [first], first);
    await ringsLogged(noteId, 1);
    const next = await waitUntil(async () => {
      const filed = await filedOccurrences(db, jo);
      return filed.length === 1 && filed[0]!.occurrence !== first && filed;
    }, 20_000, 'the next occurrence to be filed');
    expect(next).toEqual([{ uid: jo, noteId, occurrence: first + DAY }]);
    await waitUntilScheduled(db, jo, first + DAY);
    // The same minute run again (Cloud Tasks delivers at least once) sends nothing more.
    await enqueueMinute(delivered!.task, first, `${delivered!.id}-again`);
    await advanceRemindersTo(db, [first + DAY], first + DAY);
    await ringsLogged(noteId, 2);
    const logged = await db.collection(EMULATOR_PUSH_LOG).where('noteId', '==', noteId).where('kind', '==', 'reminder').get();
    const occurrences = logged.docs.map((doc) => Number(doc.get('message.data.occurrence')));
    expect(occurrences.sort()).toEqual([first, first + DAY]);
  }, 60_000);
});
