/**
 * What the worker shows for a push: pure, so unit tests check it without a browser. A note push
 * becomes a notification titled with the note's first line (tag = note id, so a repeat replaces
 * it) with "Mark done" and "Open"; anything malformed becomes the generic notification. The text
 * is only ever passed as notification title/body, which browsers render as plain text.
 */
import { notificationText, parsePushEnvelope } from '../src/shared/push';

export const NOTIFICATION = {
  ICON: '/icons/icon-192.png',
  GENERIC_TITLE: 'Roaming Notes',
  GENERIC_BODY: 'You have a new note',
  GENERIC_TAG: 'roaming-notes',
  TEST_TAG: 'roaming-notes-test',
  ACTION_DONE: 'done',
  ACTION_OPEN: 'open',
} as const;

/** What a notification carries to the click handler. */
export interface NotificationData {
  noteId?: string;
  uid?: string;
  link: string;
}

/** NotificationOptions with `actions`, which TypeScript's WebWorker lib does not list yet. */
export interface NoteNotificationOptions extends NotificationOptions {
  actions?: { action: string; title: string }[];
  data: NotificationData;
}

export interface PlannedNotification {
  title: string;
  options: NoteNotificationOptions;
  /** Open notes for the app badge, when the push says. */
  badge?: number;
  /** Why the payload was not understood (logged), when it was not. */
  problem?: string;
}

export function genericNotification(problem?: string): PlannedNotification {
  return {
    title: NOTIFICATION.GENERIC_TITLE,
    options: { body: NOTIFICATION.GENERIC_BODY, tag: NOTIFICATION.GENERIC_TAG, icon: NOTIFICATION.ICON, data: { link: '/' } },
    problem,
  };
}

/** The notification for a push whose data was parsed as JSON (or failed to: pass the error). */
export function planNotification(json: unknown): PlannedNotification {
  const parsed = parsePushEnvelope(json);
  if (!parsed.ok) return genericNotification(parsed.reason);
  const push = parsed.push;
  if (push.kind === 'test') {
    return {
      title: 'Test notification',
      options: {
        body: `Notifications work on ${push.deviceName}.`,
        tag: NOTIFICATION.TEST_TAG,
        icon: NOTIFICATION.ICON,
        data: { uid: push.uid, link: '/' },
      },
    };
  }
  const { title, body } = notificationText(push.preview);
  return {
    title,
    options: {
      body,
      tag: push.noteId,
      icon: NOTIFICATION.ICON,
      data: { noteId: push.noteId, uid: push.uid, link: push.link },
      actions: [
        { action: NOTIFICATION.ACTION_DONE, title: 'Mark done' },
        { action: NOTIFICATION.ACTION_OPEN, title: 'Open' },
      ],
    },
    badge: push.openCount,
  };
}

/** Reads a notification's data back, trusting nothing (a notification may outlive a version). */
export function readNotificationData(data: unknown): NotificationData {
  const record = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  const link = text(record.link);
  return {
    noteId: text(record.noteId),
    uid: text(record.uid),
    // Same-origin paths only: a click never leaves the app.
    link: link && link.startsWith('/') && !link.startsWith('//') ? link : '/',
  };
}
