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

/**
 * Records a task unless one of its name is waiting to run. One that has run gives its name up
 * (Cloud Tasks keeps it about an hour): each test drives a clock of its own, so a minute one test
 * has rung can be another's future.
 */
export function emulatorScheduler(db: Firestore): ReminderScheduler {
  return {
    async schedule(task, atMs, id) {
      const ref = db.collection(EMULATOR_REMINDER_TASKS).doc(id);
      return db.runTransaction(async (transaction) => {
        const existing = await transaction.get(ref);
        if (existing.exists && existing.get('delivered') !== true) return false;
        transaction.set(ref, { task, atMs, delivered: false, scheduledAt: FieldValue.serverTimestamp() });
        return true;
      });
    },
  };
}
