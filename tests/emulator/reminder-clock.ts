/**
 * The clock the tests drive for reminders in the emulator suite. The tasks emulator dispatches a
 * task as soon as it is enqueued, whatever its schedule time, so in the functions emulator the
 * function records its schedule (EMULATOR_REMINDER_TASKS) instead of enqueueing; this delivers the
 * recorded tasks due by a given time to the real task queue of ringReminderTask, with their
 * schedule time, which the function takes as its clock (taskClock). So a test says "it is now
 * 08:00" and the minutes due by 08:00 ring, in the functions emulator, as at their time.
 * Tests that share the emulators pick minutes of their own: delivering a minute rings whatever is
 * filed under it.
 */
import { Buffer } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { REMINDERS, type DueEntry, type MinuteTask } from '../../functions/src/reminder-ring';
import { EMULATOR_REMINDER_TASKS } from '../../functions/src/reminder-schedulers';
import { EMULATOR_PROJECT_ID, emulatorUrl } from '../../testing/emulator-suite.mjs';
import type { Firestore } from './push-helpers';

/** Where the function runs: the Functions emulator's default region. */
const LOCATION = 'us-central1';

export interface ScheduledMinute {
  id: string;
  task: MinuteTask;
  atMs: number;
  delivered: boolean;
}

/** The occurrences of `uid` filed to ring, soonest first. */
export async function filedOccurrences(db: Firestore, uid: string): Promise<DueEntry[]> {
  const snapshot = await db.collectionGroup(REMINDERS.DUE).where('uid', '==', uid).get();
  return snapshot.docs.map((doc) => doc.data() as DueEntry).sort((a, b) => a.occurrence - b.occurrence);
}

/** The minute tasks scheduled for `minute`. */
export async function scheduledMinutes(db: Firestore, minute: number): Promise<ScheduledMinute[]> {
  const snapshot = await db.collection(EMULATOR_REMINDER_TASKS).where('task.minute', '==', minute).get();
  return snapshot.docs.map((doc) => ({ id: doc.id, task: doc.get('task') as MinuteTask, atMs: doc.get('atMs') as number, delivered: doc.get('delivered') === true }));
}

/**
 * Waits until `uid`'s occurrence is filed and its minute's task scheduled (the trigger files it,
 * then schedules the task: a clock moved on in between would find no task to run). Gives up
 * loudly after `timeoutMs`.
 */
export async function waitUntilScheduled(db: Firestore, uid: string, occurrence: number, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const filed = (await filedOccurrences(db, uid)).some((entry) => entry.occurrence === occurrence);
    const minute = Math.ceil(occurrence / 60_000) * 60_000;
    if (filed && (await scheduledMinutes(db, minute)).some((task) => !task.delivered)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for the reminder at ${new Date(occurrence).toISOString()} to be filed and scheduled (filed: ${filed})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Puts one task on the real task queue (the tasks emulator), as Cloud Tasks would run it at `atMs`. */
export async function enqueueMinute(task: MinuteTask, atMs: number, name: string): Promise<void> {
  const queue = `projects/${EMULATOR_PROJECT_ID}/locations/${LOCATION}/queues/${REMINDERS.QUEUE}`;
  const response = await fetch(`${emulatorUrl('tasks')}/${queue}/tasks`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      task: {
        name: `${queue}/tasks/${name}`,
        scheduleTime: new Date(atMs).toISOString(),
        httpRequest: { url: '', headers: { 'Content-Type': 'application/json' }, body: Buffer.from(JSON.stringify({ data: task })).toString('base64') },
      },
    }),
  });
  if (!response.ok) throw new Error(`The tasks emulator refused the task (${response.status}): ${await response.text()}`);
}

/**
 * "It is now `nowMs`" for the minutes of `minutes`: delivers their tasks scheduled by then and not
 * yet delivered, each run as at `nowMs` (a task that starts before its minute waits for what is
 * left of it, so a test that says "it is the minute" waits for nothing).
 */
export async function advanceRemindersTo(db: Firestore, minutes: readonly number[], nowMs: number): Promise<ScheduledMinute[]> {
  const due = (await Promise.all(minutes.map((minute) => scheduledMinutes(db, minute)))).flat().filter((task) => !task.delivered && task.atMs <= nowMs);
  for (const task of due) {
    await db.collection(EMULATOR_REMINDER_TASKS).doc(task.id).update({ delivered: true });
    // The tasks emulator never forgets a name, and a minute's name comes back once its task has run.
    await enqueueMinute(task.task, Math.max(task.atMs, nowMs), `${task.id}-${randomUUID()}`);
  }
  return due;
}
