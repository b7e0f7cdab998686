/**
 * The server rings reminders, so they ring on every device of the person at their time with the
 * app closed. Independent of the Functions runtime (index.ts wires the trigger and the task queue;
 * tests call these with a recording sender and scheduler):
 * - `scheduleReminderChange` runs on every note write: when the note's reminder changed (set,
 *   moved, snoozed, answered, cleared, trashed, restored), it schedules the occurrence that rings
 *   next, one task per occurrence (named by it, so scheduling it twice makes one task).
 * - `ringReminder` runs that task at its time: it reads the note again and sends only when the
 *   reminder still rings that very occurrence (a reminder changed or cleared since sends nothing:
 *   the occurrence's instant is its version), claims it once (a replayed task sends nothing twice),
 *   sends one data push to every device of the person (the one that set it too), prunes dead
 *   tokens, and for a repeat schedules the next occurrence, so a daily reminder rings daily even
 *   when nobody answers.
 */
import { createHash } from 'node:crypto';
import type { Firestore } from 'firebase-admin/firestore';
import { channelsOf, claimReceipt, deliverToChannels, type Delivery, type DeliveryDeps } from './channel-delivery.js';
import { isRecord } from './shared/errors.js';
import { MAX_NOTE_ID_LENGTH, checklistFrom } from './shared/note.js';
import { PUSH, buildReminderPush } from './shared/push.js';
import { nextRingAfter, occurrenceAt, reminderFromWire, reminderToWire, type Reminder } from './shared/reminder.js';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

export const REMINDERS = {
  /** The task queue: the function's name (index.ts ringReminderTask). */
  QUEUE: 'ringReminderTask',
  RECEIPTS: 'reminderReceipts',
  /** Cloud Tasks schedules at most 30 days ahead: a later occurrence is scheduled this far, then again. */
  MAX_AHEAD_MS: 29 * DAY_MS,
  /** A task this much early (clocks differ) rings; earlier, it is scheduled again for the rest. */
  EARLY_TOLERANCE_MS: MINUTE_MS,
  /** An occurrence due this long ago at most still rings when set (a device whose clock is behind). */
  LATE_TOLERANCE_MS: 5 * MINUTE_MS,
  /** A receipt only has to outlive the task's retries and replays. */
  RECEIPT_TTL_MS: 7 * DAY_MS,
} as const;

/** What a task carries: the occurrence of a note's reminder to ring. */
export interface RingTask {
  uid: string;
  noteId: string;
  /** The occurrence's instant (ms): its name and its version. */
  occurrence: number;
}

/**
 * Where tasks are scheduled. Production: Cloud Tasks (onTaskDispatched's queue). The functions
 * emulator's tasks emulator runs every task at once whatever its schedule time, so there the
 * schedule is recorded instead and the tests' clock delivers each task at its time (senders.ts).
 */
export interface ReminderScheduler {
  /** Schedules `task` to run at `atMs` under the name `id`: false when a task of that name exists. */
  schedule(task: RingTask, atMs: number, id: string): Promise<boolean>;
}

export interface ScheduleDeps {
  scheduler: ReminderScheduler;
}

export type ScheduleResult =
  | { status: 'unchanged' | 'none' }
  | { status: 'scheduled' | 'exists'; occurrence: number; at: number };

export interface NoteWrite {
  uid: string;
  noteId: string;
  /** The document before and after the write (undefined: none). */
  before: unknown;
  after: unknown;
}

/** A task's name: letters, digits and hyphens, the same for the same occurrence. */
export function ringTaskId(task: RingTask, hopAt?: number): string {
  const digest = createHash('sha256').update(`${task.uid}/${task.noteId}/${task.occurrence}`).digest('hex').slice(0, 40);
  return hopAt === undefined ? `ring-${digest}` : `ring-${digest}-hop-${hopAt}`;
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

async function schedule(scheduler: ReminderScheduler, task: RingTask, nowMs: number): Promise<ScheduleResult> {
  const at = Math.min(Math.max(task.occurrence, nowMs), nowMs + REMINDERS.MAX_AHEAD_MS);
  const created = await scheduler.schedule(task, at, ringTaskId(task, at < task.occurrence ? at : undefined));
  return { status: created ? 'scheduled' : 'exists', occurrence: task.occurrence, at };
}

/** On a note write: schedules the reminder's next ring when the reminder changed. */
export async function scheduleReminderChange(deps: ScheduleDeps, write: NoteWrite, nowMs: number): Promise<ScheduleResult> {
  const before = activeReminder(write.before);
  const after = activeReminder(write.after);
  // Most writes are text and ticks: the reminder as the server sees it did not change.
  if (JSON.stringify(reminderToWire(before)) === JSON.stringify(reminderToWire(after))) return { status: 'unchanged' };
  const occurrence = after ? nextServerRing(after, nowMs) : undefined;
  if (occurrence === undefined) return { status: 'none' };
  return schedule(deps.scheduler, { uid: write.uid, noteId: write.noteId, occurrence }, nowMs);
}

export type RingResult =
  | { status: 'invalid'; reason: string }
  | { status: 'early'; at: number }
  | { status: 'stale' | 'duplicate' }
  | ({ status: 'sent'; next?: number } & Delivery);

export interface RingDeps extends DeliveryDeps, ScheduleDeps {
  db: Firestore;
}

/** A task's payload, checked: it comes back from the queue, and a queue can be written to by hand. */
export function parseRingTask(payload: unknown): RingTask | undefined {
  if (!isRecord(payload)) return undefined;
  const { uid, noteId, occurrence } = payload;
  if (typeof uid !== 'string' || uid === '' || uid.length > PUSH.MAX_UID_LENGTH) return undefined;
  if (typeof noteId !== 'string' || noteId === '' || noteId.length > MAX_NOTE_ID_LENGTH || noteId.includes('/')) return undefined;
  if (typeof occurrence !== 'number' || !Number.isSafeInteger(occurrence)) return undefined;
  return { uid, noteId, occurrence };
}

/** Runs a ring task at `nowMs`. */
export async function ringReminder(deps: RingDeps, payload: unknown, nowMs: number): Promise<RingResult> {
  const task = parseRingTask(payload);
  if (!task) return { status: 'invalid', reason: 'not a ring task' };
  if (task.occurrence - nowMs > REMINDERS.EARLY_TOLERANCE_MS) {
    const hop = await schedule(deps.scheduler, task, nowMs);
    return { status: 'early', at: 'at' in hop ? hop.at : nowMs };
  }
  const { db } = deps;
  const snapshot = await db.collection('users').doc(task.uid).collection('notes').doc(task.noteId).get();
  const data = snapshot.data();
  const reminder = activeReminder(data);
  if (!reminder || occurrenceAt(reminder, task.occurrence) !== task.occurrence || reminder.settled === task.occurrence) {
    return { status: 'stale' };
  }
  const receipt = await claimReceipt(db.collection(REMINDERS.RECEIPTS).doc(ringTaskId(task)), { uid: task.uid, noteId: task.noteId }, REMINDERS.RECEIPT_TTL_MS);
  if (!receipt) return { status: 'duplicate' };
  let delivery: Delivery;
  try {
    const text = typeof data?.text === 'string' ? data.text : '';
    const clocks: unknown = data?.clocks;
    const stamp = isRecord(clocks) && typeof clocks.reminder === 'string' ? clocks.reminder : undefined;
    const push = buildReminderPush({ ...task, text, items: checklistFrom(data?.items), repeat: reminder.repeat, stamp });
    // Every device, the one that set it too: a reminder rings where the person is.
    delivery = await deliverToChannels(deps, await channelsOf(db, task.uid), push);
  } catch (error) {
    await receipt.delete().catch(() => undefined);
    throw error;
  }
  const next = reminder.repeat ? nextRingAfter(reminder, task.occurrence) : undefined;
  if (next !== undefined) await schedule(deps.scheduler, { ...task, occurrence: next }, nowMs);
  return { status: 'sent', ...delivery, ...(next !== undefined ? { next } : {}) };
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
