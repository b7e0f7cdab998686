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
 * - `ringMinute` runs a minute's task, which starts a little before the minute (LEAD_MS): it
 *   reads the notes filed there and keeps those whose reminder still rings that very occurrence
 *   (a reminder changed or cleared since sends nothing: the occurrence's instant is its version),
 *   claims each occurrence once (a replayed task sends nothing twice) and reads the people's
 *   devices, all ahead of time; then it waits for the minute, watching what is filed there (an
 *   occurrence unfiled meanwhile gives its claim back, one filed meanwhile is read then), and at
 *   the minute only the sends are left: one data push to every device of each person (the one
 *   that set it too), in batches of 500 across people. It prunes dead tokens and files each
 *   repeat's next occurrence, so a daily reminder rings daily even when nobody answers.
 */
import { createHash } from 'node:crypto';
import type { DocumentReference, Firestore, QueryDocumentSnapshot, WriteBatch } from 'firebase-admin/firestore';
import { channelsOf, claimReceipt, deliverToChannels, type Delivery, type DeliveryDeps } from './channel-delivery.js';
import { batches, recipients, type ChannelRef } from './fanout.js';
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
  /**
   * A minute's task is scheduled this long before the minute: Cloud Tasks' dispatch, the function's
   * start and the reads and claims of a thousand reminders happen before it, so the pushes leave at
   * the minute itself. The task then waits (an idle function for the rest of this time).
   */
  LEAD_MS: 20_000,
  /** Cloud Tasks schedules at most 30 days ahead: a later minute is scheduled this far, then again. */
  MAX_AHEAD_MS: 29 * DAY_MS,
  /** A task this much before its start (LEAD_MS before the minute; clocks differ) waits; earlier, it is scheduled again. */
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

/** When a minute's task starts: its lead before the minute. */
export function taskStartOf(minute: number): number {
  return minute - REMINDERS.LEAD_MS;
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
 * have started already gets a task of this occurrence's own as well, since a
 * task of the minute's name would be refused as existing.
 */
async function file(deps: ScheduleDeps, entry: DueEntry, nowMs: number): Promise<ScheduleResult> {
  await entryRef(deps.db, entry).set(entry);
  const task = { minute: minuteOf(entry.occurrence), shard: shardOf(entry.uid) };
  const start = taskStartOf(task.minute);
  const at = Math.min(Math.max(start, nowMs), nowMs + REMINDERS.MAX_AHEAD_MS);
  let created = await deps.scheduler.schedule(task, at, minuteTaskId(task, at < start ? `hop-${at}` : undefined));
  if (!created && start - nowMs <= REMINDERS.EARLY_TOLERANCE_MS) created = await deps.scheduler.schedule(task, at, minuteTaskId(task, `late-${entryId(entry)}`));
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
  // A receipt is claimed ahead of its minute (LEAD_MS) and marked sent once the pushes are out; a
  // little before that mark lands, the minute having come says it too.
  const receipt = await deps.db.collection(REMINDERS.RECEIPTS).doc(entryId(entry)).get();
  if (!receipt.exists || (receipt.get('sent') === false && nowMs < answered.occurrence)) return { status: 'not-rung' };
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
  | ({ status: 'rung'; due: number; stale: number; duplicate: number; withdrawn: number; rung: number; next: number } & Delivery);

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
  /** The filed entry's document id. */
  id: string;
  entry: DueEntry;
  reminder: Reminder;
  push: ReminderPushData;
  receipt: DocumentReference;
}

type Filed = Map<string, DueEntry>;

/** A minute's filed entries by document id (only this function writes them; a malformed one is passed over). */
function filedFrom(docs: readonly QueryDocumentSnapshot[]): Filed {
  const filed: Filed = new Map();
  for (const doc of docs) {
    const entry = dueEntryFrom(doc.data());
    if (entry) filed.set(doc.id, entry);
  }
  return filed;
}

/** What is filed under a minute: the first answer, then the set as it stands whenever asked. */
interface FiledWatch {
  first: Filed;
  /** The latest set; undefined when the watch broke (read it again instead). */
  current(): Filed | undefined;
  stop(): void;
}

function watchFiled(db: Firestore, task: MinuteTask): Promise<FiledWatch> {
  return new Promise((resolve, reject) => {
    let latest: Filed | undefined;
    let broken = false;
    const stop = dueEntries(db, task).onSnapshot(
      (snapshot) => {
        const answered = latest !== undefined;
        latest = filedFrom(snapshot.docs);
        if (!answered) resolve({ first: latest, current: () => (broken ? undefined : latest), stop });
      },
      (error) => {
        broken = true;
        if (latest === undefined) reject(error);
      },
    );
  });
}

/** The entries whose note still rings that occurrence, with the push each sends. */
async function stillRinging(db: Firestore, filed: Filed): Promise<Omit<Ringing, 'receipt'>[]> {
  const entries = [...filed];
  const ringing: Omit<Ringing, 'receipt'>[] = [];
  for (let i = 0; i < entries.length; i += REMINDERS.READ_CHUNK) {
    const chunk = entries.slice(i, i + REMINDERS.READ_CHUNK);
    const notes = await db.getAll(...chunk.map(([, entry]) => db.collection('users').doc(entry.uid).collection('notes').doc(entry.noteId)));
    chunk.forEach(([id, entry], n) => {
      const data = notes[n]?.data();
      const reminder = activeReminder(data);
      if (!reminder || occurrenceAt(reminder, entry.occurrence) !== entry.occurrence || reminder.settled === entry.occurrence) return;
      const clocks: unknown = data?.clocks;
      const stamp = isRecord(clocks) && typeof clocks.reminder === 'string' ? clocks.reminder : undefined;
      const text = typeof data?.text === 'string' ? data.text : '';
      ringing.push({ id, entry, reminder, push: buildReminderPush({ ...entry, text, items: checklistFrom(data?.items), repeat: reminder.repeat, stamp }) });
    });
  }
  return ringing;
}

interface Prepared {
  considered: number;
  stale: number;
  duplicate: number;
  ringing: Ringing[];
}

/**
 * Everything but the sends: the filed notes that still ring, each claimed once (a replayed task,
 * or a late one for the same minute, skips it), and their people's devices (into `channels`).
 */
async function prepare(db: Firestore, filed: Filed, channels: Map<string, ChannelRef[]>): Promise<Prepared> {
  const candidates = await stillRinging(db, filed);
  const claims = await Promise.all(
    candidates.map(async (candidate) => {
      // Claimed ahead of the minute: `sent` says whether it has rung yet (announceAnswered asks).
      const fields = { uid: candidate.entry.uid, noteId: candidate.entry.noteId, sent: false };
      const receipt = await claimReceipt(db.collection(REMINDERS.RECEIPTS).doc(entryId(candidate.entry)), fields, REMINDERS.RECEIPT_TTL_MS);
      return receipt && { ...candidate, receipt };
    }),
  );
  const ringing = claims.filter((claim): claim is Ringing => claim !== undefined);
  const people = [...new Set(ringing.map((ring) => ring.entry.uid))].filter((uid) => !channels.has(uid));
  for (const [uid, theirs] of await Promise.all(people.map(async (uid) => [uid, await channelsOf(db, uid)] as const))) channels.set(uid, theirs);
  return { considered: filed.size, stale: filed.size - candidates.length, duplicate: candidates.length - ringing.length, ringing };
}

/** Firestore's limit of writes in one batch. */
const WRITES_PER_BATCH = 500;

/** Writes one change per item, WRITES_PER_BATCH to a batch, the batches side by side. */
async function inBatches<T>(db: Firestore, items: readonly T[], write: (batch: WriteBatch, item: T) => void): Promise<void> {
  await Promise.all(
    batches(items, WRITES_PER_BATCH).map((part) => {
      const batch = db.batch();
      for (const item of part) write(batch, item);
      return batch.commit();
    }),
  );
}

function giveBack(rings: readonly Ringing[]): Promise<unknown> {
  return Promise.all(rings.map((ring) => ring.receipt.delete().catch(() => undefined)));
}

/**
 * Runs one minute's task; `nowMs` is the task's clock when it starts (taskClock). Started ahead
 * of its minute (LEAD_MS), it prepares, then waits for the minute by this machine's timer.
 */
export async function ringMinute(deps: RingDeps, payload: unknown, nowMs: number): Promise<RingResult> {
  const task = parseMinuteTask(payload);
  if (!task) return { status: 'invalid', reason: 'not a minute task' };
  const { db } = deps;
  const start = taskStartOf(task.minute);
  if (start - nowMs > REMINDERS.EARLY_TOLERANCE_MS) {
    const at = Math.min(start, nowMs + REMINDERS.MAX_AHEAD_MS);
    await deps.scheduler.schedule(task, at, minuteTaskId(task, `hop-${at}`));
    return { status: 'early', at };
  }
  const clockAhead = nowMs - Date.now();
  const watch = await watchFiled(db, task);
  const channels = new Map<string, ChannelRef[]>();
  let rings: Ringing[] = [];
  try {
    const early = await prepare(db, watch.first, channels);
    rings = early.ringing;
    const untilMinute = task.minute - (Date.now() + clockAhead);
    if (untilMinute > 0) await new Promise((resolve) => setTimeout(resolve, untilMinute));
    // What changed while waiting: an occurrence unfiled since (its reminder changed) gives its claim back; one filed since is read now.
    const filed = watch.current() ?? filedFrom((await dueEntries(db, task).get()).docs);
    const withdrawn = rings.filter((ring) => !filed.has(ring.id));
    rings = rings.filter((ring) => filed.has(ring.id));
    await giveBack(withdrawn);
    const late = await prepare(db, new Map([...filed].filter(([id]) => !watch.first.has(id))), channels);
    rings = [...rings, ...late.ringing];
    // Every device of each person, the one that set it too: a reminder rings where the person is.
    const delivery = await deliverToChannels(
      deps,
      rings.flatMap((ring) => (channels.get(ring.entry.uid) ?? []).map((channel) => ({ channel, data: ring.push }))),
    );
    const following = rings.flatMap((ring) => {
      const occurrence = ring.reminder.repeat ? nextRingAfter(ring.reminder, ring.entry.occurrence) : undefined;
      return occurrence === undefined ? [] : [{ ...ring.entry, occurrence }];
    });
    const rung = rings.length;
    const receipts = rings.map((ring) => ring.receipt);
    // Sent: from here on a failure must not give the claims back (a retry would send them again).
    rings = [];
    await inBatches(db, receipts, (batch, receipt) => batch.update(receipt, { sent: true }));
    await Promise.all(following.map((entry) => file(deps, entry, nowMs)));
    const unfiled = [...new Set([...watch.first.keys(), ...filed.keys()])];
    await inBatches(db, unfiled, (batch, id) => batch.delete(dueEntries(db, task).doc(id)));
    return {
      status: 'rung',
      due: early.considered + late.considered,
      stale: early.stale + late.stale,
      duplicate: early.duplicate + late.duplicate,
      withdrawn: withdrawn.length,
      rung,
      next: following.length,
      ...delivery,
    };
  } catch (error) {
    // Not (all) sent: give the claims back, so the task's retry sends them.
    await giveBack(rings);
    throw error;
  } finally {
    watch.stop();
  }
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
