/**
 * The clock the tests drive for reminders in the emulator suite. The tasks emulator dispatches a
 * task as soon as it is enqueued, whatever its schedule time, so in the functions emulator the
 * function records its schedule (EMULATOR_REMINDER_TASKS) instead of enqueueing; this delivers the
 * recorded tasks due by a given time to the real task queue of ringReminderTask, with their
 * schedule time, which the function takes as its clock (taskClock). So a test says "it is now
 * 08:00" and the tasks due by 08:00 run, in the functions emulator, as at their time.
 */
import { Buffer } from 'node:buffer';
import { REMINDERS, type RingTask } from '../../functions/src/reminder-ring';
import { EMULATOR_REMINDER_TASKS } from '../../functions/src/reminder-schedulers';
import { EMULATOR_PROJECT_ID, emulatorUrl } from '../../testing/emulator-suite.mjs';
import type { Firestore } from './push-helpers';

/** Where the function runs: the Functions emulator's default region. */
const LOCATION = 'us-central1';

export interface ScheduledRing {
  id: string;
  task: RingTask;
  atMs: number;
  delivered: boolean;
}

/** The ring tasks the function has scheduled for `uid`, soonest first. */
export async function scheduledRings(db: Firestore, uid: string): Promise<ScheduledRing[]> {
  const snapshot = await db.collection(EMULATOR_REMINDER_TASKS).where('task.uid', '==', uid).get();
  return snapshot.docs
    .map((doc) => ({ id: doc.id, task: doc.get('task') as RingTask, atMs: doc.get('atMs') as number, delivered: doc.get('delivered') === true }))
    .sort((a, b) => a.atMs - b.atMs || a.id.localeCompare(b.id));
}

/** Puts one task on the real task queue (the tasks emulator), as Cloud Tasks would run it at `atMs`. */
export async function enqueueRing(task: RingTask, atMs: number, name: string): Promise<void> {
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

/** "It is now `nowMs`": delivers every task of `uid` scheduled by then and not yet delivered. Returns them. */
export async function advanceRemindersTo(db: Firestore, uid: string, nowMs: number): Promise<ScheduledRing[]> {
  const due = (await scheduledRings(db, uid)).filter((ring) => !ring.delivered && ring.atMs <= nowMs);
  for (const ring of due) {
    await db.collection(EMULATOR_REMINDER_TASKS).doc(ring.id).update({ delivered: true });
    await enqueueRing(ring.task, ring.atMs, ring.id);
  }
  return due;
}
