/**
 * The two schedulers behind ReminderScheduler. Production: Cloud Tasks, the queue of the
 * ringReminder task function, with the occurrence's time as the schedule time and its name as the
 * task id (Cloud Tasks refuses a second task of one name). In the functions emulator: the tasks
 * emulator dispatches every task at once, ignoring its schedule time (firebase-tools'
 * taskQueue.js), so the schedule is recorded in the Firestore emulator (`emulatorReminderTasks`,
 * denied to clients by the rules' final deny) and a clock the tests drive delivers each task to
 * the real task queue at its time (tests/emulator/reminder-clock.ts). Chosen only when
 * FUNCTIONS_EMULATOR === 'true'.
 */
import type { App } from 'firebase-admin/app';
import { FieldValue, type Firestore } from 'firebase-admin/firestore';
import { getFunctions } from 'firebase-admin/functions';
import { ALREADY_EXISTS } from './channel-delivery.js';
import { REMINDERS, type ReminderScheduler } from './reminder-ring.js';

export const EMULATOR_REMINDER_TASKS = 'emulatorReminderTasks';

export function cloudTasksScheduler(app: App): ReminderScheduler {
  const queue = getFunctions(app).taskQueue(REMINDERS.QUEUE);
  return {
    async schedule(task, atMs, id) {
      try {
        await queue.enqueue(task, { scheduleTime: new Date(atMs), id });
        return true;
      } catch (error) {
        if ((error as { code?: unknown }).code === 'functions/task-already-exists') return false;
        throw error;
      }
    },
  };
}

export function emulatorScheduler(db: Firestore): ReminderScheduler {
  return {
    async schedule(task, atMs, id) {
      try {
        await db.collection(EMULATOR_REMINDER_TASKS).doc(id).create({ task, atMs, delivered: false, scheduledAt: FieldValue.serverTimestamp() });
        return true;
      } catch (error) {
        if ((error as { code?: unknown }).code === ALREADY_EXISTS) return false;
        throw error;
      }
    },
  };
}
