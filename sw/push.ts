/**
 * Push and notification clicks, in the app's one worker. A push always ends in a notification
 * (browsers penalise a push that shows nothing, and a malformed one still means "something
 * happened"), plus the app badge. "Mark done" changes the note through the store operations of
 * src/db, in the account's own database, with no window open: the outbox entry it queues syncs
 * the next time the app runs. A reminder's notification is settled the same way: Done, Snooze,
 * or dismissed when swiped away. Any other click opens the note in the app.
 */
import Dexie from 'dexie';
import type { NotesDatabase } from '../src/db/database';
import { notesDatabaseName } from '../src/db/database-name';
import { openNotesDatabase } from '../src/db/open';
import { updateNote } from '../src/db/notes';
import { countOpenNotes } from '../src/db/queries';
import { answeredSincePush, countRingingReminders, settleReminder, type Settling } from '../src/db/reminders';
import { isRinging, occurrenceAt, occurrenceOfTag } from '../src/shared/reminder';
import { parsePushEnvelope, type ReminderPush, type ReminderSettledPush } from '../src/shared/push';
import { markOccurrencesShown, shownOccurrences } from '../src/push/shown-reminders';
import { deviceId } from '../src/platform/settings';
import { showAppBadge } from '../src/push/badge';
import { NOTIFICATION, genericNotification, planParsedNotification, readNotificationData, reminderPushNotification, settledReminderNotification, type PlannedNotification } from './notifications';

declare let self: ServiceWorkerGlobalScope;

async function show(planned: PlannedNotification): Promise<void> {
  if (planned.problem) console.warn(`push: showing the generic notification (${planned.problem})`);
  await Promise.all([
    self.registration.showNotification(planned.title, planned.options),
    planned.badge === undefined ? undefined : showAppBadge(planned.badge),
  ]);
}

/** Never rejects: whatever arrived, a notification is shown (the generic one at worst). */
export async function handlePush(data: PushMessageData | null): Promise<void> {
  let planned: PlannedNotification;
  try {
    const json: unknown = data ? data.json() : undefined;
    const parsed = parsePushEnvelope(json);
    if (parsed.ok && parsed.push.kind === 'reminder') {
      await handleReminderPush(parsed.push);
      return;
    }
    if (parsed.ok && parsed.push.kind === 'reminder-settled') {
      await handleSettledPush(parsed.push);
      return;
    }
    planned = data ? planParsedNotification(parsed) : genericNotification('no data');
  } catch (error) {
    planned = genericNotification(`not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    await show(planned);
  } catch (error) {
    console.warn('push: could not show the notification', error);
    if (!planned.problem) await self.registration.showNotification(NOTIFICATION.GENERIC_TITLE, genericNotification().options).catch(() => undefined);
  }
}

/**
 * A reminder's occurrence is due (the server sends it to every device of the person). It alerts
 * once per device: an occurrence this device has shown already (the app rang it, or this push
 * came twice) is only replaced quietly while it is still up, and one answered since (this
 * device's copy of the reminder is as new as the push's, or newer, and rings it no more) shows nothing. Either way nothing rings twice.
 * Chromium asks every push to show a notification, except while a window of the app is visible;
 * the two quiet cases happen mostly then (the app rang it itself), and otherwise spend the small
 * allowance of pushes without one that Chromium grants (README, "Reminders").
 */
export async function handleReminderPush(push: ReminderPush): Promise<void> {
  const planned = reminderPushNotification(push);
  const tag = planned.options.tag as string;
  if ((await shownOccurrences().catch(lookUpFailed<string[]>('reading the reminders shown here', []))).includes(tag)) {
    const [showing] = await self.registration.getNotifications({ tag });
    if (showing) await self.registration.showNotification(planned.title, { ...planned.options, silent: true });
    return;
  }
  const answeredHere = await inNotesDatabase(push.uid, async (db) => answeredSincePush(await db.notes.get(push.noteId), push.occurrence, push.stamp)).catch(
    lookUpFailed("reading the note's reminder here", false),
  );
  if (answeredHere) return;
  await self.registration.showNotification(planned.title, planned.options);
  // Shown already: a failure here must not end in handlePush's generic notification as well.
  await markOccurrencesShown([tag]).catch(lookUpFailed('recording the reminder as shown', undefined));
}

/**
 * A rung occurrence was answered on another device: its notification here, if still up, is
 * replaced quietly by what happened ("Done on Kitchen phone"), and the badge counts it no more.
 * Nothing is shown when it is not up: nothing here rings, so nothing needs silencing. Chromium's
 * rule for a push without a notification applies as for a reminder push (README, "Reminders").
 */
export async function handleSettledPush(push: ReminderSettledPush): Promise<void> {
  const planned = settledReminderNotification(push);
  const [showing] = await self.registration.getNotifications({ tag: planned.options.tag as string });
  if (!showing) return;
  await self.registration.showNotification(planned.title, planned.options);
  await inNotesDatabase(
    push.uid,
    async (db) => {
      const note = await db.notes.get(push.noteId);
      return note !== undefined && note.open !== 1 && isRinging(note.reminder, Date.now());
    },
    // Still ringing in this device's copy (the answer has not synced here): count it as answered.
    (stillCountedHere) => (stillCountedHere ? 1 : 0),
  ).catch((error: unknown) => console.warn('push: the badge could not follow the answered reminder', error));
}

/**
 * What a reminder push does when this device cannot read or write its own state (storage blocked,
 * a record of a newer version): it rings as if nothing were known here. Once too often beats
 * never, and the generic notification would not even say which note.
 */
function lookUpFailed<T>(what: string, fallback: T): (error: unknown) => T {
  return (error) => {
    console.warn(`push: ${what} failed; the reminder is shown as if unknown here`, error);
    return fallback;
  };
}

/**
 * Runs `change` on the local database of `uid` (the guest's when undefined), then sets the badge
 * from what waits there (less what `notYetHeardOf` says this device's copy still counts but the
 * server says is settled). Undefined, with nothing done, when that database is not on this device
 * (signed out: it was deleted), rather than creating an empty one.
 */
async function inNotesDatabase<T>(uid: string | undefined, change: (db: NotesDatabase) => Promise<T>, notYetHeardOf?: (result: T) => number): Promise<T | undefined> {
  const name = notesDatabaseName(uid);
  if (!(await Dexie.exists(name))) return undefined;
  const db = await openNotesDatabase(name, await deviceId());
  try {
    const result = await change(db);
    await showAppBadge(Math.max(0, (await waitingCount(db)) - (notYetHeardOf?.(result) ?? 0)));
    return result;
  } finally {
    // The page may want to upgrade the schema later; an idle worker must not hold it open.
    db.close();
  }
}

/** The badge: open notes plus reminders that rang and wait to be settled. */
async function waitingCount(db: NotesDatabase): Promise<number> {
  const [openNotes, ringing] = await Promise.all([countOpenNotes(db), countRingingReminders(db, Date.now())]);
  return openNotes + ringing;
}

/** Marks the note done in the account's local database (queuing it for sync), then sets the badge. */
export async function markDone(uid: string, noteId: string): Promise<boolean> {
  const saved = await inNotesDatabase(uid, (db) => updateNote(db, noteId, { done: true }));
  return saved?.done === true;
}

/**
 * Settles the ringing reminder of a note in the local database of `uid` (the guest's when
 * undefined), queuing the change for sync, then sets the badge. Only while the reminder rings no
 * later occurrence than the one the notification's tag names (a notification left over from an
 * occurrence since snoozed or moved on must not settle the one ringing now), and as of that
 * occurrence at the earliest: the server may ring it while this device's clock is a little behind.
 */
async function settleFromNotification(uid: string | undefined, noteId: string, how: Settling, shownTag: string): Promise<void> {
  await inNotesDatabase(uid, (db) =>
    db.transaction('rw', db.notes, db.outbox, async () => {
      const shown = occurrenceOfTag(shownTag);
      const reminder = (await db.notes.get(noteId))?.reminder;
      if (!reminder || !shown || occurrenceAt(reminder, Date.now()) > shown.occurrence) return;
      await settleReminder(db, noteId, how, Date.now, shown.occurrence);
    }),
  );
}

/** Focuses a window of the app and navigates it to `link`, or opens a new one there. */
export async function openInApp(link: string): Promise<void> {
  const url = new URL(link, self.location.origin).href;
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const existing = windows.find((client) => new URL(client.url).origin === self.location.origin);
  if (existing) {
    try {
      // navigate() works for windows this worker controls; it returns the navigated client.
      const navigated = (await existing.navigate(url)) ?? existing;
      await navigated.focus().catch(() => undefined);
      return;
    } catch {
      // Not controlled by this worker (a hard reload, say): open a fresh window instead.
    }
  }
  await self.clients.openWindow(url);
}

/** A reminder's answer by its action: Done or Snooze; a click on the notification itself answers nothing. */
function settlingOf(action: string): Settling | undefined {
  if (action === NOTIFICATION.ACTION_REMINDER_DONE) return 'done';
  if (action === NOTIFICATION.ACTION_REMINDER_SNOOZE) return 'snooze';
  return undefined;
}

export async function handleNotificationClick(notification: Notification, action: string): Promise<void> {
  const data = readNotificationData(notification.data);
  notification.close();
  const settling = data.kind === 'reminder' ? settlingOf(action) : undefined;
  if (settling && data.noteId) {
    try {
      await settleFromNotification(data.uid, data.noteId, settling, notification.tag);
      return;
    } catch (error) {
      console.warn(`notificationclick: settling the reminder (${settling}) failed`, error);
    }
  }
  if (action === NOTIFICATION.ACTION_DONE && data.uid && data.noteId) {
    try {
      await markDone(data.uid, data.noteId);
      return;
    } catch (error) {
      // The store could not be reached (storage full, a blocked upgrade): open the note instead.
      console.warn('notificationclick: marking done failed', error);
    }
  }
  await openInApp(data.link);
}

/**
 * A reminder's notification closed without an answer (swiped away, cleared) dismisses the
 * occurrence it showed, everywhere. Other notifications closing changes nothing.
 */
export async function handleNotificationClose(notification: Notification): Promise<void> {
  const data = readNotificationData(notification.data);
  if (data.kind !== 'reminder' || !data.noteId) return;
  try {
    await settleFromNotification(data.uid, data.noteId, 'dismiss', notification.tag);
  } catch (error) {
    console.warn('notificationclose: dismissing the reminder failed', error);
  }
}

export function registerPushHandlers(): void {
  self.addEventListener('push', (event) => {
    event.waitUntil(handlePush(event.data));
  });
  self.addEventListener('notificationclick', (event) => {
    event.waitUntil(handleNotificationClick(event.notification, event.action));
  });
  self.addEventListener('notificationclose', (event) => {
    event.waitUntil(handleNotificationClose(event.notification));
  });
}
