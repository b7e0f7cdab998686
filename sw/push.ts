/**
 * Push and notification clicks, in the app's one worker. A push always ends in a notification
 * (browsers penalise a push that shows nothing, and a malformed one still means "something
 * happened"), plus the app badge. "Mark done" changes the note through the store operations of
 * src/db, in the account's own database, with no window open: the outbox entry it queues syncs
 * the next time the app runs. Any other click opens the note in the app.
 */
import Dexie from 'dexie';
import { notesDatabaseName } from '../src/db/database-name';
import { openNotesDatabase } from '../src/db/open';
import { updateNote } from '../src/db/notes';
import { countOpenNotes } from '../src/db/queries';
import { deviceId } from '../src/platform/settings';
import { showAppBadge } from '../src/push/badge';
import { NOTIFICATION, genericNotification, planNotification, readNotificationData, type PlannedNotification } from './notifications';

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
    planned = data ? planNotification(data.json()) : genericNotification('no data');
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
 * Marks the note done in the account's local database (queuing it for sync), then sets the badge
 * from what is still open there. Nothing happens when that account is not on this device any
 * more (signed out: its database was deleted), rather than creating an empty database.
 */
export async function markDone(uid: string, noteId: string): Promise<boolean> {
  const name = notesDatabaseName(uid);
  if (!(await Dexie.exists(name))) return false;
  const db = await openNotesDatabase(name, await deviceId());
  try {
    const saved = await updateNote(db, noteId, { done: true });
    await showAppBadge(await countOpenNotes(db));
    return saved?.done === true;
  } finally {
    // The page may want to upgrade the schema later; an idle worker must not hold it open.
    db.close();
  }
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

export async function handleNotificationClick(notification: Notification, action: string): Promise<void> {
  const data = readNotificationData(notification.data);
  notification.close();
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

export function registerPushHandlers(): void {
  self.addEventListener('push', (event) => {
    event.waitUntil(handlePush(event.data));
  });
  self.addEventListener('notificationclick', (event) => {
    event.waitUntil(handleNotificationClick(event.notification, event.action));
  });
}
