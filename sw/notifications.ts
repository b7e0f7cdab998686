/**
 * What the worker shows for a push: pure, so unit tests check it without a browser. A note push
 * becomes a notification titled with the note's first line (tag = note id, so a repeat replaces
 * it) with "Mark done" and "Open"; anything malformed becomes the generic notification. The text
 * is only ever passed as notification title/body, which browsers render as plain text.
 * A reminder's notification is built here too, and the app imports it: the window and the worker
 * show one occurrence identically, so nothing here may use the worker's own globals.
 */
import { PUSH, noteLink, notificationText, parsePushEnvelope, reminderTitle, type ParsedPush, type ReminderPush, type ReminderSettledPush } from '../src/shared/push';
import { occurrenceTag } from '../src/shared/reminder';
import { describeRepeat, type Repeat } from '../src/shared/reminder-time';

export const NOTIFICATION = {
  ICON: '/icons/icon-192.png',
  GENERIC_TITLE: 'Roaming Notes',
  GENERIC_BODY: 'You have a new note',
  GENERIC_TAG: 'roaming-notes',
  TEST_TAG: 'roaming-notes-test',
  ACTION_DONE: 'done',
  ACTION_OPEN: 'open',
  ACTION_REMINDER_DONE: 'reminder-done',
  ACTION_REMINDER_SNOOZE: 'reminder-snooze',
} as const;

/**
 * What a notification carries to the click handler. The same shape whether the app or a push
 * showed it. `kind` 'reminder' makes the click and close settle the note's reminder; without it,
 * the notification is about a note push. A reminder's `uid` is absent for the guest's notes.
 */
export interface NotificationData {
  kind?: 'reminder';
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

/**
 * How many action buttons a notification can carry here: `Notification.maxActions` where the
 * browser says (the one guarded place for notification actions). Where it does not say, the
 * actions are offered: a browser that cannot show them ignores the option (Safari shows none),
 * and a click on the notification itself still opens the note.
 */
export function notificationActionSlots(notification: unknown = (globalThis as { Notification?: unknown }).Notification): number {
  const max = (notification as { maxActions?: unknown } | undefined)?.maxActions;
  return typeof max === 'number' && max >= 0 ? max : Number.POSITIVE_INFINITY;
}

/**
 * The notification for a push whose data was parsed as JSON (or failed to: pass the error).
 * With fewer action slots than actions, the first ones are kept: "Mark done" before "Open",
 * since a click on the notification opens the note anyway; with none, it is a plain notification.
 */
export function planNotification(json: unknown, actionSlots: number = notificationActionSlots()): PlannedNotification {
  return planParsedNotification(parsePushEnvelope(json), actionSlots);
}

/** The notification for a push already checked by parsePushEnvelope. */
export function planParsedNotification(parsed: ParsedPush, actionSlots: number = notificationActionSlots()): PlannedNotification {
  if (!parsed.ok) return genericNotification(parsed.reason);
  const push = parsed.push;
  if (push.kind === PUSH.KIND_REMINDER) return reminderPushNotification(push, actionSlots);
  if (push.kind === PUSH.KIND_REMINDER_SETTLED) return settledReminderNotification(push);
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
      ...noteActions(actionSlots),
    },
    badge: push.openCount,
  };
}

function noteActions(slots: number): Pick<NoteNotificationOptions, 'actions'> {
  return limitedActions(
    [
      { action: NOTIFICATION.ACTION_DONE, title: 'Mark done' },
      { action: NOTIFICATION.ACTION_OPEN, title: 'Open' },
    ],
    slots,
  );
}

function limitedActions(actions: { action: string; title: string }[], slots: number): Pick<NoteNotificationOptions, 'actions'> {
  const kept = actions.slice(0, slots);
  return kept.length ? { actions: kept } : {};
}

/** What a reminder's notification needs of its note. */
export interface RemindedNote {
  id: string;
  text: string;
  items?: readonly { text: string; done: boolean }[];
}

/** The occurrence that rings: its instant (which names it) and the reminder's repeat. */
export interface RingingOccurrence {
  at: number;
  repeat?: Repeat | undefined;
}

/**
 * The notification of a reminder that rings, shown by the app and by a push alike. Its tag names
 * the occurrence, so the app's catch-up and a push show it once and replace it quietly rather
 * than ring twice (no renotify), and a snooze, a new occurrence, alerts anew. It stays up until
 * answered where the browser allows: a reminder is settled by the answer (Done, Snooze) or, swiped
 * away, dismissed. With fewer action slots than actions, "Done" is kept first; a click on the
 * notification itself opens the note.
 */
export function reminderNotification(
  note: RemindedNote,
  ringing: RingingOccurrence,
  uid: string | undefined,
  actionSlots: number = notificationActionSlots(),
): PlannedNotification {
  return {
    title: reminderTitle(note.text, note.items),
    options: {
      body: ringing.repeat ? `Reminder · ${describeRepeat(ringing.repeat)}` : 'Reminder',
      tag: occurrenceTag(note.id, ringing.at),
      icon: NOTIFICATION.ICON,
      requireInteraction: true,
      data: { kind: 'reminder', noteId: note.id, uid, link: noteLink(note.id) },
      ...limitedActions(
        [
          { action: NOTIFICATION.ACTION_REMINDER_DONE, title: 'Done' },
          { action: NOTIFICATION.ACTION_REMINDER_SNOOZE, title: 'Snooze 1 hour' },
        ],
        actionSlots,
      ),
    },
  };
}

/** A reminder push's notification: the same one the app shows for that occurrence (its title came with the push). */
export function reminderPushNotification(push: ReminderPush, actionSlots: number = notificationActionSlots()): PlannedNotification {
  return reminderNotification({ id: push.noteId, text: push.title }, { at: push.occurrence, repeat: push.repeat }, push.uid, actionSlots);
}

/** What a settled push says happened, and where. */
function settledText(push: ReminderSettledPush): string {
  const where = push.byDevice ? `on ${push.byDevice}` : 'on another device';
  if (push.how === 'snoozed') return `Snoozed ${where}`;
  if (push.how === 'dismissed') return `Dismissed ${where}`;
  return `Done ${where}`;
}

/**
 * A rung occurrence answered on another device: its notification, replaced quietly (same tag, no
 * sound, no actions, no longer held on screen), says so; the app closes it when it next runs. Its
 * data has no reminder kind, so closing it dismisses nothing.
 */
export function settledReminderNotification(push: ReminderSettledPush): PlannedNotification {
  return {
    title: push.title,
    options: {
      body: settledText(push),
      tag: occurrenceTag(push.noteId, push.occurrence),
      icon: NOTIFICATION.ICON,
      silent: true,
      requireInteraction: false,
      data: { noteId: push.noteId, uid: push.uid, link: push.link },
    },
  };
}

/** Reads a notification's data back, trusting nothing (a notification may outlive a version). */
export function readNotificationData(data: unknown): NotificationData {
  const record = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  const link = text(record.link);
  return {
    ...(record.kind === 'reminder' ? { kind: 'reminder' as const } : {}),
    noteId: text(record.noteId),
    uid: text(record.uid),
    // Same-origin paths only: a click never leaves the app.
    link: link && link.startsWith('/') && !link.startsWith('//') ? link : '/',
  };
}
