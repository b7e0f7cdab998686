/**
 * The server rings reminders, so they ring on every device of the person at their time with the
 * app closed. Independent of the Functions runtime (index.ts wires the trigger and the task queue;
 * tests call these with a recording sender and scheduler).
 *
 * Reminders cluster on the minute (08:00 is everyone's), so they are rung by the minute, not one
 * task each: Cloud Tasks dispatches at most 500 tasks a second per queue, and a function
 * invocation per reminder would put a second or more between the first and the thousandth.
 * - `scheduleReminderChange` runs on every note write: when the note's reminder changed (set,
 *   moved, snoozed, answered, cleared, trashed, restored), it files the occurrence that rings
 *   next under its minute (`reminderSchedule/{minute}-{shard}/due/{entry}`, the person's shard of
 *   that minute) and schedules that minute's task, named by it, so a minute is one task per shard.
 * - `ringMinute` runs a minute's task: it reads the notes filed there and keeps those whose
 *   reminder still rings that very occurrence (a reminder changed or cleared since sends nothing:
 *   the occurrence's instant is its version), claims each occurrence once (a replayed task sends
 *   nothing twice), sends one data push to every device of each person (the one that set it too),
 *   in batches of 500 across people, prunes dead tokens, and files each repeat's next occurrence,
 *   so a daily reminder rings daily even when nobody answers.
 */
import { createHash } from 'node:crypto';
import type { DocumentReference, Firestore } from 'firebase-admin/firestore';
import { channelsOf, claimReceipt, deliverToChannels, type Delivery, type DeliveryDeps } from './channel-delivery.js';
import { recipients, type ChannelRef } from './fanout.js';
import { isRecord } from './shared/errors.js';
import { checklistFrom } from './shared/note.js';
import { buildReminderPush, buildReminderSettledPush, type ReminderPushData, type SettledHow } from './shared/push.js';
import { nextRingAfter, occurrenceAt, reminderFromWire, reminderToWire, ringsAt, type Reminder } from './shared/reminder.js';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

export const REMINDERS = {
  /** The task queue: the function's name (index.ts ringReminderTask). */
  QUEUE: 'ringReminderTask',
  /** Occurrences filed by minute: `{minute}-{shard}/due/{entry}`. */
  SCHEDULE: 'reminderSchedule',
  DUE: 'due',
  RECEIPTS: 'reminderReceipts',
  /**
   * A minute's reminders are split by person into this many tasks. One for now: a task rings a
   * thousand reminders in one pass (bench: reminders), and more tasks only add invocations. Raise
   * it when one minute outgrows a task's time limit; the minutes filed before then keep their old
   * shards, so ring those too until they have passed.
   */
  SHARDS: 1,
  /** Cloud Tasks schedules at most 30 days ahead: a later minute is scheduled this far, then again. */
  MAX_AHEAD_MS: 29 * DAY_MS,
  /** A task this much early (clocks differ) rings; earlier, it is scheduled again for the rest. */
  EARLY_TOLERANCE_MS: MINUTE_MS,
  /** An occurrence due this long ago at most still rings when set (a device whose clock is behind). */
  LATE_TOLERANCE_MS: 5 * MINUTE_MS,
  /** Notes read per call while ringing a minute. */
  READ_CHUNK: 300,
  /** A receipt only has to outlive the task's retries and replays. */
  RECEIPT_TTL_MS: 7 * DAY_MS,
} as const;

/** What a task carries: one shard of one minute to ring. */
export interface MinuteTask {
  /** The minute (ms, a whole minute) whose filed occurrences ring. */
  minute: number;
  shard: number;
}

/** One occurrence filed under its minute. */
export interface DueEntry {
  uid: string;
  noteId: string;
  /** The occurrence's instant (ms): its name and its version. */
  occurrence: number;
}

/**
 * Where tasks are scheduled. Production: Cloud Tasks (onTaskDispatched's queue). The functions
 * emulator's tasks emulator runs every task at once whatever its schedule time, so there the
 * schedule is recorded instead and the tests' clock delivers each task at its time
 * (reminder-schedulers.ts).
 */
export interface ReminderScheduler {
  /** Schedules `task` to run at `atMs` under the name `id`: false when a task of that name exists. */
  schedule(task: MinuteTask, atMs: number, id: string): Promise<boolean>;
}

export interface ScheduleDeps {
  db: Firestore;
  scheduler: ReminderScheduler;
}

export type ScheduleResult = { status: 'unchanged' | 'none' } | { status: 'scheduled' | 'exists'; occurrence: number; minute: number; at: number };

export interface NoteWrite {
  uid: string;
  noteId: string;
  /** The document before and after the write (undefined: none). */
  before: unknown;
  after: unknown;
}

/** The minute an occurrence rings in: its own, or the next whole one (a snooze is to the second; never early). */
export function minuteOf(occurrence: number): number {
  return Math.ceil(occurrence / MINUTE_MS) * MINUTE_MS;
}

/** The person's shard: all of one person's reminders of a minute go out in one task. */
export function shardOf(uid: string): number {
  return createHash('sha256').update(uid).digest().readUInt32BE(0) % REMINDERS.SHARDS;
}

/** A minute's task name: letters, digits and hyphens. */
export function minuteTaskId(task: MinuteTask, suffix?: string): string {
  return `ring-${task.minute}-${task.shard}${suffix ? `-${suffix}` : ''}`;
}

function entryId(entry: DueEntry): string {
  return createHash('sha256').update(`${entry.uid}/${entry.noteId}/${entry.occurrence}`).digest('hex').slice(0, 40);
}

function dueEntries(db: Firestore, task: MinuteTask) {
  return db.collection(REMINDERS.SCHEDULE).doc(`${task.minute}-${task.shard}`).collection(REMINDERS.DUE);
}

/** Where an occurrence is filed: `reminderSchedule/{minute}-{shard}/due/{entry}`. */
export function dueEntryPath(entry: DueEntry): string {
  return `${REMINDERS.SCHEDULE}/${minuteOf(entry.occurrence)}-${shardOf(entry.uid)}/${REMINDERS.DUE}/${entryId(entry)}`;
}

function entryRef(db: Firestore, entry: DueEntry): DocumentReference {
  return db.doc(dueEntryPath(entry));
}

/** The reminder a stored note rings: none on a trashed or deleted note, none when malformed. */
export function activeReminder(data: unknown): Reminder | null {
  if (!isRecord(data) || data.deleted === true || data.trashed === true) return null;
  return reminderFromWire(data.reminder);
}

/** The occurrence the server rings next: the one ringing now (unless answered), else the next. */
export function nextServerRing(reminder: Reminder, nowMs: number): number | undefined {
  const current = occurrenceAt(reminder, nowMs);
  if (current >= nowMs - REMINDERS.LATE_TOLERANCE_MS && reminder.settled !== current) return current;
  return nextRingAfter(reminder, nowMs);
}

/**
 * Files an occurrence under its minute and schedules that minute's task. A minute whose task may
 * have run already (it is now, or past) gets a task of this occurrence's own as well, since a
 * task of the minute's name would be refused as existing.
 */
async function file(deps: ScheduleDeps, entry: DueEntry, nowMs: number): Promise<ScheduleResult> {
  await entryRef(deps.db, entry).set(entry);
  const task = { minute: minuteOf(entry.occurrence), shard: shardOf(entry.uid) };
  const at = Math.min(Math.max(task.minute, nowMs), nowMs + REMINDERS.MAX_AHEAD_MS);
  let created = await deps.scheduler.schedule(task, at, minuteTaskId(task, at < task.minute ? `hop-${at}` : undefined));
  if (!created && task.minute - nowMs <= REMINDERS.EARLY_TOLERANCE_MS) created = await deps.scheduler.schedule(task, at, minuteTaskId(task, `late-${entryId(entry)}`));
  return { status: created ? 'scheduled' : 'exists', occurrence: entry.occurrence, minute: task.minute, at };
}

/** On a note write: files the reminder's next ring when the reminder changed, and unfiles the old one. */
export async function scheduleReminderChange(deps: ScheduleDeps, write: NoteWrite, nowMs: number): Promise<ScheduleResult> {
  const before = activeReminder(write.before);
  const after = activeReminder(write.after);
  // Most writes are text and ticks: the reminder as the server sees it did not change.
  if (JSON.stringify(reminderToWire(before)) === JSON.stringify(reminderToWire(after))) return { status: 'unchanged' };
  const filedBefore = before ? nextServerRing(before, nowMs) : undefined;
  const occurrence = after ? nextServerRing(after, nowMs) : undefined;
  if (filedBefore !== undefined && filedBefore !== occurrence) {
    // Not needed for correctness (a ring checks the note again), but a minute then reads no dead entries.
    await entryRef(deps.db, { uid: write.uid, noteId: write.noteId, occurrence: filedBefore }).delete();
  }
  if (occurrence === undefined) return { status: 'none' };
  return file(deps, { uid: write.uid, noteId: write.noteId, occurrence }, nowMs);
}

/**
 * How a write answered the reminder's occurrence, if it did: before the write the reminder rang
 * it (or was about to: whether the server rang it is its receipt's to say, since the device that
 * answered may be a little ahead of this clock), and after the write it no longer rings it.
 */
export function answeredOccurrence(before: Reminder | null, after: Reminder | null, nowMs: number): { occurrence: number; how: SettledHow } | undefined {
  if (!before) return undefined;
  const when = Math.max(nowMs, ringsAt(before));
  const occurrence = occurrenceAt(before, when);
  if (before.settled === occurrence) return undefined;
  if (after && after.settled === occurrence) return { occurrence, how: 'dismissed' };
  if (after && after.snoozedUntil !== undefined && after.snoozedUntil > when) return { occurrence, how: 'snoozed' };
  if (after && occurrenceAt(after, when) === occurrence) return undefined;
  return { occurrence, how: 'done' };
}

export type AnnounceResult = { status: 'none' | 'not-rung' } | ({ status: 'announced'; how: SettledHow } & Delivery);

/**
 * When a write answered an occurrence the server rang (its receipt is there), tells the person's
 * other devices, so each replaces that notification quietly with what happened (the device that
 * answered knows). Sent at most as often as the write's trigger runs; a repeat replaces quietly too.
 */
export async function announceAnswered(deps: DeliveryDeps, write: NoteWrite, nowMs: number): Promise<AnnounceResult> {
  const answered = answeredOccurrence(activeReminder(write.before), activeReminder(write.after), nowMs);
  if (!answered) return { status: 'none' };
  const entry = { uid: write.uid, noteId: write.noteId, occurrence: answered.occurrence };
  if (!(await deps.db.collection(REMINDERS.RECEIPTS).doc(entryId(entry)).get()).exists) return { status: 'not-rung' };
  const after = isRecord(write.after) ? write.after : isRecord(write.before) ? write.before : {};
  const by = typeof after.updatedBy === 'string' ? after.updatedBy : '';
  const channels = await channelsOf(deps.db, write.uid);
  const byDevice = channels.find((channel) => channel.deviceId === by)?.deviceName;
  const text = typeof after.text === 'string' ? after.text : '';
  const data = buildReminderSettledPush({ ...entry, text, items: checklistFrom(after.items), how: answered.how, byDevice });
  const delivery = await deliverToChannels(deps, recipients(channels, by).map((channel) => ({ channel, data })));
  return { status: 'announced', how: answered.how, ...delivery };
}

export type RingResult =
  | { status: 'invalid'; reason: string }
  | { status: 'early'; at: number }
  | ({ status: 'rung'; due: number; stale: number; duplicate: number; rung: number; next: number } & Delivery);

export interface RingDeps extends DeliveryDeps, ScheduleDeps {
  db: Firestore;
}

/** A task's payload, checked: it comes back from the queue, and a queue can be written to by hand. */
export function parseMinuteTask(payload: unknown): MinuteTask | undefined {
  if (!isRecord(payload)) return undefined;
  const { minute, shard } = payload;
  if (typeof minute !== 'number' || !Number.isSafeInteger(minute) || minute % MINUTE_MS !== 0) return undefined;
  if (typeof shard !== 'number' || !Number.isInteger(shard) || shard < 0 || shard >= REMINDERS.SHARDS) return undefined;
  return { minute, shard };
}

function dueEntryFrom(data: unknown): DueEntry | undefined {
  if (!isRecord(data)) return undefined;
  const { uid, noteId, occurrence } = data;
  return typeof uid === 'string' && typeof noteId === 'string' && typeof occurrence === 'number' ? { uid, noteId, occurrence } : undefined;
}

interface Ringing {
  entry: DueEntry;
  reminder: Reminder;
  push: ReminderPushData;
  receipt: DocumentReference;
}

/** The entries whose note still rings that occurrence, with the push each sends. */
async function stillRinging(db: Firestore, entries: DueEntry[]): Promise<Omit<Ringing, 'receipt'>[]> {
  const ringing: Omit<Ringing, 'receipt'>[] = [];
  for (let i = 0; i < entries.length; i += REMINDERS.READ_CHUNK) {
    const chunk = entries.slice(i, i + REMINDERS.READ_CHUNK);
    const notes = await db.getAll(...chunk.map((entry) => db.collection('users').doc(entry.uid).collection('notes').doc(entry.noteId)));
    chunk.forEach((entry, n) => {
      const data = notes[n]?.data();
      const reminder = activeReminder(data);
      if (!reminder || occurrenceAt(reminder, entry.occurrence) !== entry.occurrence || reminder.settled === entry.occurrence) return;
      const clocks: unknown = data?.clocks;
      const stamp = isRecord(clocks) && typeof clocks.reminder === 'string' ? clocks.reminder : undefined;
      const text = typeof data?.text === 'string' ? data.text : '';
      ringing.push({ entry, reminder, push: buildReminderPush({ ...entry, text, items: checklistFrom(data?.items), repeat: reminder.repeat, stamp }) });
    });
  }
  return ringing;
}

/** Runs one minute's task at `nowMs`. */
export async function ringMinute(deps: RingDeps, payload: unknown, nowMs: number): Promise<RingResult> {
  const task = parseMinuteTask(payload);
  if (!task) return { status: 'invalid', reason: 'not a minute task' };
  const { db } = deps;
  if (task.minute - nowMs > REMINDERS.EARLY_TOLERANCE_MS) {
    const at = Math.min(task.minute, nowMs + REMINDERS.MAX_AHEAD_MS);
    await deps.scheduler.schedule(task, at, minuteTaskId(task, `hop-${at}`));
    return { status: 'early', at };
  }
  const filed = await dueEntries(db, task).get();
  const entries = filed.docs.flatMap((doc) => dueEntryFrom(doc.data()) ?? []);
  const candidates = await stillRinging(db, entries);
  // Claimed once per occurrence: a replayed task, or a late one for the same minute, skips it.
  const claims = await Promise.all(
    candidates.map(async (candidate) => {
      const receipt = await claimReceipt(db.collection(REMINDERS.RECEIPTS).doc(entryId(candidate.entry)), { uid: candidate.entry.uid, noteId: candidate.entry.noteId }, REMINDERS.RECEIPT_TTL_MS);
      return receipt && { ...candidate, receipt };
    }),
  );
  const ringing = claims.filter((claim): claim is Ringing => claim !== undefined);
  const people = [...new Set(ringing.map((ring) => ring.entry.uid))];
  let delivery: Delivery;
  try {
    const channels = new Map<string, ChannelRef[]>(await Promise.all(people.map(async (uid) => [uid, await channelsOf(db, uid)] as const)));
    // Every device of each person, the one that set it too: a reminder rings where the person is.
    delivery = await deliverToChannels(
      deps,
      ringing.flatMap((ring) => (channels.get(ring.entry.uid) ?? []).map((channel) => ({ channel, data: ring.push }))),
    );
  } catch (error) {
    // Not (all) sent: give the claims back, so the task's retry sends them.
    await Promise.all(ringing.map((ring) => ring.receipt.delete().catch(() => undefined)));
    throw error;
  }
  const following = ringing.flatMap((ring) => {
    const occurrence = ring.reminder.repeat ? nextRingAfter(ring.reminder, ring.entry.occurrence) : undefined;
    return occurrence === undefined ? [] : [{ ...ring.entry, occurrence }];
  });
  await Promise.all(following.map((entry) => file(deps, entry, nowMs)));
  for (let i = 0; i < filed.docs.length; i += 500) {
    const batch = db.batch();
    for (const doc of filed.docs.slice(i, i + 500)) batch.delete(doc.ref);
    await batch.commit();
  }
  return { status: 'rung', due: entries.length, stale: entries.length - candidates.length, duplicate: candidates.length - ringing.length, rung: ringing.length, next: following.length, ...delivery };
}

/**
 * The handler's clock: the later of this machine's and the task's scheduled time (Cloud Tasks'
 * X-CloudTasks-TaskETA: seconds since the epoch in production, an ISO time from the emulator). A
 * real queue runs a task at or after that time, so this is simply now; the emulator's queue runs
 * it at once, and the task then rings as at its time.
 */
export function taskClock(scheduledTime: string | undefined, machineNowMs: number): number {
  if (!scheduledTime) return machineNowMs;
  const eta = /^\d+(\.\d+)?$/.test(scheduledTime) ? Number(scheduledTime) * 1000 : Date.parse(scheduledTime);
  return Number.isFinite(eta) ? Math.max(machineNowMs, Math.round(eta)) : machineNowMs;
}
