/**
 * Reminder notifications (sw/notifications.ts): what the app and the worker show for a reminder
 * that rings, and the data a click or close reads back. Then the worker's answers (sw/push.ts) in
 * node: Done, Snooze, a plain click, and a swipe, against the guest's database in fake-indexeddb.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NotesDatabase } from '../../src/db/database';
import { notesDatabaseName } from '../../src/db/database-name';
import { createNote, updateNote } from '../../src/db/notes';
import { SNOOZE_MS } from '../../src/db/reminders';
import { occurrenceTag, ringsAt, type Reminder } from '../../src/shared/reminder';
import { dueAt } from '../../src/shared/reminder-time';
import { NOTIFICATION, readNotificationData, reminderNotification, type RingingOccurrence } from '../../sw/notifications';

const oneOff: Reminder = { at: '2020-01-01T08:00', zone: 'UTC' };
const weekdays: Reminder = { at: '2020-01-01T08:00', zone: 'Europe/Berlin', repeat: { every: 'weekdays', days: [1, 3, 5] } };
/** A one-off rings at its `at`; a repeat's occurrence carries its repeat, which the body names. */
const oneOffRinging: RingingOccurrence = { at: dueAt(oneOff) };
const weekdaysRinging: RingingOccurrence = { at: dueAt(weekdays), repeat: weekdays.repeat };

describe('reminderNotification', () => {
  it('shows the note title line, "Reminder", the occurrence tag, reminder data and both answers', () => {
    expect(reminderNotification({ id: 'n1', text: 'Call the dentist\nabout Tuesday' }, oneOffRinging, 'u1', 2)).toEqual({
      title: 'Call the dentist',
      options: {
        body: 'Reminder',
        tag: occurrenceTag('n1', Date.UTC(2020, 0, 1, 8)),
        icon: NOTIFICATION.ICON,
        requireInteraction: true,
        data: { kind: 'reminder', noteId: 'n1', uid: 'u1', link: '/?note=n1' },
        actions: [
          { action: 'reminder-done', title: 'Done' },
          { action: 'reminder-snooze', title: 'Snooze 1 hour' },
        ],
      },
    });
  });

  it('falls back to the first open item, then to "Reminder", for the title', () => {
    const items = [
      { text: 'milk', done: true },
      { text: '  ', done: false },
      { text: 'eggs', done: false },
    ];
    expect(reminderNotification({ id: 'n1', text: '', items }, oneOffRinging, 'u1').title).toBe('eggs');
    expect(reminderNotification({ id: 'n1', text: '  \nbody only', items }, oneOffRinging, 'u1').title).toBe('eggs');
    expect(reminderNotification({ id: 'n1', text: '', items: [{ text: 'milk', done: true }] }, oneOffRinging, 'u1').title).toBe('Reminder');
    expect(reminderNotification({ id: 'n1', text: '' }, oneOffRinging, 'u1').title).toBe('Reminder');
  });

  it('cleans the title like a push preview: no direction overrides, cut to a glance', () => {
    const title = reminderNotification({ id: 'n1', text: `Invoice \u202Egpj.exe ${'w'.repeat(500)}` }, oneOffRinging, 'u1').title;
    expect(title).not.toContain('\u202E');
    expect(title.length).toBeLessThan(200);
  });

  it('says how a repeating reminder repeats, and tags a snoozed occurrence apart', () => {
    expect(reminderNotification({ id: 'n1', text: 'Stretch' }, weekdaysRinging, 'u1').options.body).toBe('Reminder · Mon, Wed, Fri');
    expect(reminderNotification({ id: 'n1', text: 'Stretch' }, { ...oneOffRinging, repeat: { every: 'day' } }, 'u1').options.body).toBe('Reminder · Daily');
    // A snoozed occurrence rings at its snoozedUntil, and is tagged by it.
    const snoozed = { ...oneOff, snoozedUntil: Date.UTC(2020, 0, 1, 9) };
    expect(reminderNotification({ id: 'n1', text: 'x' }, { at: snoozed.snoozedUntil }, 'u1').options.tag).toBe(`reminder:n1:${Date.UTC(2020, 0, 1, 9)}`);
    expect(reminderNotification({ id: 'n1', text: 'x' }, oneOffRinging, 'u1').options.tag).toBe(`reminder:n1:${Date.UTC(2020, 0, 1, 8)}`);
  });

  it('keeps Done first with one action slot, none with no slots; a guest has no uid; the link is escaped', () => {
    expect(reminderNotification({ id: 'n1', text: 'x' }, oneOffRinging, 'u1', 1).options.actions).toEqual([{ action: 'reminder-done', title: 'Done' }]);
    expect(reminderNotification({ id: 'n1', text: 'x' }, oneOffRinging, 'u1', 0).options).not.toHaveProperty('actions');
    const guest = reminderNotification({ id: 'a&b', text: 'x' }, oneOffRinging, undefined).options.data;
    expect(guest).toEqual({ kind: 'reminder', noteId: 'a&b', uid: undefined, link: '/?note=a%26b' });
    expect(readNotificationData(guest)).toEqual(guest);
  });
});

describe('readNotificationData', () => {
  it('keeps kind "reminder" and drops any other kind', () => {
    expect(readNotificationData({ kind: 'reminder', noteId: 'n1', link: '/?note=n1' })).toEqual({ kind: 'reminder', noteId: 'n1', uid: undefined, link: '/?note=n1' });
    for (const kind of ['Reminder', 'note-created', 1, null, { kind: 'reminder' }, ['reminder']]) {
      expect(readNotificationData({ kind, noteId: 'n1', link: '/?note=n1' })).not.toHaveProperty('kind');
    }
    expect(readNotificationData('reminder')).toEqual({ link: '/', noteId: undefined, uid: undefined });
  });
});

/** The two handlers under test, as sw/push.ts exports them. */
interface WorkerNotificationHandlers {
  handleNotificationClick(notification: Notification, action: string): Promise<void>;
  handleNotificationClose(notification: Notification): Promise<void>;
}

/**
 * sw/push.ts is typed against the worker's lib, which the app's type check (DOM) cannot load, so
 * it is imported by a path that check does not follow; it runs in node as it is.
 */
const workerPushModule = '../../sw/push';

describe('answering a reminder notification in the worker', () => {
  const guestDatabase = notesDatabaseName(undefined);
  let handlers: WorkerNotificationHandlers;
  let openWindow: ReturnType<typeof vi.fn>;
  let matchAll: ReturnType<typeof vi.fn>;
  let noteId: string;

  beforeEach(async () => {
    handlers = (await import(/* @vite-ignore */ workerPushModule)) as WorkerNotificationHandlers;
    openWindow = vi.fn(async () => null);
    matchAll = vi.fn(async () => []);
    vi.stubGlobal('self', { location: { origin: 'https://notes.example' }, clients: { matchAll, openWindow } });
    const db = new NotesDatabase(guestDatabase);
    await db.open();
    noteId = (await createNote(db, { text: 'Call the dentist' })).id;
    await updateNote(db, noteId, { reminder: oneOff });
    db.close();
  });

  afterEach(async () => {
    vi.unstubAllGlobals();
    await new NotesDatabase(guestDatabase).delete();
  });

  async function storedReminder(): Promise<Reminder | null | undefined> {
    const db = new NotesDatabase(guestDatabase);
    try {
      return (await db.notes.get(noteId))?.reminder;
    } finally {
      db.close();
    }
  }

  /** The notification the app showed for the occurrence at `occurrence` (the one-off's own, by default). */
  function shown(occurrence: number = dueAt(oneOff)): Notification & { close: ReturnType<typeof vi.fn> } {
    const { options } = reminderNotification({ id: noteId, text: 'Call the dentist' }, { at: occurrence }, undefined);
    return { data: structuredClone(options.data), tag: options.tag, close: vi.fn() } as unknown as Notification & { close: ReturnType<typeof vi.fn> };
  }

  it('Done on a guest one-off clears the reminder and opens nothing', async () => {
    const notification = shown();
    await handlers.handleNotificationClick(notification, NOTIFICATION.ACTION_REMINDER_DONE);
    expect(await storedReminder()).toBeNull();
    expect(notification.close).toHaveBeenCalled();
    expect(openWindow).not.toHaveBeenCalled();
    expect(matchAll).not.toHaveBeenCalled();
  });

  it('Snooze rings the occurrence again in an hour', async () => {
    const before = Date.now();
    await handlers.handleNotificationClick(shown(), NOTIFICATION.ACTION_REMINDER_SNOOZE);
    const snoozedUntil = (await storedReminder())?.snoozedUntil ?? 0;
    expect(snoozedUntil - SNOOZE_MS).toBeGreaterThanOrEqual(before);
    expect(snoozedUntil - SNOOZE_MS).toBeLessThanOrEqual(Date.now());
    expect(openWindow).not.toHaveBeenCalled();
  });

  it('a click on the notification itself settles nothing and opens the note', async () => {
    await handlers.handleNotificationClick(shown(), '');
    expect(await storedReminder()).toEqual(oneOff);
    expect(openWindow).toHaveBeenCalledWith(`https://notes.example/?note=${noteId}`);
  });

  it('swiped away, it dismisses the occurrence it showed, and only that one', async () => {
    await handlers.handleNotificationClose(shown(dueAt({ ...oneOff, at: '2019-12-31T08:00' })));
    expect(await storedReminder()).toEqual(oneOff);
    await handlers.handleNotificationClose(shown());
    expect(await storedReminder()).toEqual({ ...oneOff, settled: ringsAt(oneOff) });
    expect(openWindow).not.toHaveBeenCalled();
  });
});
