/**
 * A reminder push in the worker (sw/push.ts, handleReminderPush), in node against fake-indexeddb:
 * each occurrence alerts once per device, whether the app rang it first or the push came twice;
 * one this device has answered shows nothing; one it knows nothing of is shown. Then closing a
 * reminder's notification: a left-over one of an older occurrence settles nothing.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import Dexie from 'dexie';
import { NotesDatabase } from '../../src/db/database';
import { notesDatabaseName } from '../../src/db/database-name';
import { createNote, updateNote } from '../../src/db/notes';
import * as keyval from '../../src/platform/keyval';
import { markOccurrencesShown, shownOccurrences } from '../../src/push/shown-reminders';
import { buildReminderPush, buildReminderSettledPush, parsePushEnvelope, type ReminderPush, type ReminderPushInput } from '../../src/shared/push';
import { occurrenceAt, occurrenceTag, type Reminder } from '../../src/shared/reminder';
import { zonedToUtc } from '../../src/shared/reminder-time';
import { NOTIFICATION, genericNotification, readNotificationData, reminderNotification, type NoteNotificationOptions } from '../../sw/notifications';

const BERLIN = 'Europe/Berlin';
const HOUR = 3_600_000;
const UID = 'alice';
const TEXT = 'Call the dentist\nabout Tuesday';
const daily: Reminder = { at: '2027-06-01T08:00', zone: BERLIN, repeat: { every: 'day' } };
/** The occurrence the server rings in these tests: the daily's on 11 June, never answered before. */
const occurrence = zonedToUtc('2027-06-11T08:00', BERLIN);

/** The handlers under test, as sw/push.ts exports them. */
interface WorkerPushHandlers {
  handlePush(data: { json(): unknown } | null): Promise<void>;
  handleReminderPush(push: ReminderPush): Promise<void>;
  handleNotificationClose(notification: Notification): Promise<void>;
}

/**
 * sw/push.ts is typed against the worker's lib, which the app's type check (DOM) cannot load, so
 * it is imported by a path that check does not follow; it runs in node as it is.
 */
const workerPushModule = '../../sw/push';

interface Displayed {
  title: string;
  options: NoteNotificationOptions;
}

describe('a reminder push in the worker', () => {
  const accountDatabase = notesDatabaseName(UID);
  let handlers: WorkerPushHandlers;
  /** What the browser displays now: one notification per tag, as showNotification replaces by tag. */
  let tray: Displayed[];
  let showNotification: ReturnType<typeof vi.fn>;
  let noteId: string;

  beforeEach(async () => {
    handlers = (await import(/* @vite-ignore */ workerPushModule)) as WorkerPushHandlers;
    tray = [];
    showNotification = vi.fn(async (title: string, options: NoteNotificationOptions) => {
      tray = [...tray.filter((shown) => shown.options.tag !== options.tag), { title, options }];
    });
    const getNotifications = vi.fn(async (filter: { tag?: string } = {}) =>
      tray.filter((shown) => filter.tag === undefined || shown.options.tag === filter.tag),
    );
    vi.stubGlobal('self', {
      location: { origin: 'https://notes.example' },
      clients: { matchAll: vi.fn(async () => []), openWindow: vi.fn(async () => null) },
      registration: { showNotification, getNotifications },
    });
    noteId = await createNoteWithReminder(daily);
  });

  afterEach(async () => {
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
    vi.useRealTimers();
    await keyval.del('reminders-shown');
    await Dexie.delete(accountDatabase);
    await Dexie.delete(notesDatabaseName('bob'));
  });

  async function createNoteWithReminder(reminder: Reminder | null): Promise<string> {
    const db = new NotesDatabase(accountDatabase);
    try {
      await db.open();
      const id = (await createNote(db, { text: TEXT })).id;
      await updateNote(db, id, { reminder });
      return id;
    } finally {
      db.close();
    }
  }

  async function setReminder(reminder: Reminder | null): Promise<void> {
    const db = new NotesDatabase(accountDatabase);
    try {
      await updateNote(db, noteId, { reminder });
    } finally {
      db.close();
    }
  }

  async function storedReminder(): Promise<Reminder | null | undefined> {
    const db = new NotesDatabase(accountDatabase);
    try {
      return (await db.notes.get(noteId))?.reminder;
    } finally {
      db.close();
    }
  }

  /** The server's push for an occurrence of this note, as FCM delivers it to the push event. */
  function pushData(overrides: Partial<ReminderPushInput> = {}, data: Record<string, unknown> = {}): { json(): unknown } {
    const built = buildReminderPush({ uid: UID, noteId, text: TEXT, occurrence, repeat: daily.repeat, ...overrides });
    const envelope = JSON.parse(JSON.stringify({ data: { ...built, ...data }, from: '999', fcmMessageId: 'm1', priority: 'high' })) as unknown;
    return { json: () => envelope };
  }

  /** What the app shows for the same occurrence of this note. */
  function appNotification(at: number = occurrence): Displayed {
    return reminderNotification({ id: noteId, text: TEXT }, { at, repeat: daily.repeat }, UID);
  }

  function tag(at: number = occurrence): string {
    return occurrenceTag(noteId, at);
  }

  it('shows the first push of an occurrence as the app would, alerting, and marks it shown', async () => {
    await handlers.handlePush(pushData());
    expect(showNotification).toHaveBeenCalledTimes(1);
    const [title, options] = showNotification.mock.calls[0] as [string, NoteNotificationOptions];
    expect({ title, options }).toEqual(appNotification());
    expect(options.tag).toBe(`reminder:${noteId}:${occurrence}`);
    expect(options).not.toHaveProperty('silent');
    expect(await shownOccurrences()).toEqual([tag()]);
  });

  it('replaces the same occurrence quietly when pushed again while it is displayed', async () => {
    await handlers.handlePush(pushData());
    await handlers.handlePush(pushData());
    expect(showNotification).toHaveBeenCalledTimes(2);
    const [title, options] = showNotification.mock.calls[1] as [string, NoteNotificationOptions];
    expect({ title, options }).toEqual({ title: appNotification().title, options: { ...appNotification().options, silent: true } });
    expect(tray).toHaveLength(1);
    expect(await shownOccurrences()).toEqual([tag()]);
  });

  it('shows nothing when pushed again after it was closed', async () => {
    await handlers.handlePush(pushData());
    tray = [];
    await handlers.handlePush(pushData());
    expect(showNotification).toHaveBeenCalledTimes(1);
    expect(tray).toEqual([]);
  });

  it('does not alert for an occurrence the app rang already: replaced quietly while displayed, else nothing', async () => {
    const rungByTheApp = appNotification();
    tray = [rungByTheApp];
    await markOccurrencesShown([tag()]);
    await handlers.handlePush(pushData());
    expect(showNotification).toHaveBeenCalledTimes(1);
    expect(showNotification.mock.calls[0]?.[1]).toMatchObject({ tag: tag(), silent: true });

    tray = [];
    await handlers.handlePush(pushData());
    expect(showNotification).toHaveBeenCalledTimes(1);
  });

  it('alerts anew for the next occurrence of a repeat the app rang yesterday', async () => {
    await markOccurrencesShown([tag(occurrence - 24 * HOUR)]);
    await handlers.handlePush(pushData());
    expect(showNotification).toHaveBeenCalledTimes(1);
    expect(showNotification.mock.calls[0]?.[1]).not.toHaveProperty('silent');
    expect(await shownOccurrences()).toEqual([tag(occurrence - 24 * HOUR), tag()]);
  });

  it('shows nothing for an occurrence answered here: a repeat moved on past it, or snoozed past it', async () => {
    await setReminder({ ...daily, at: '2027-06-12T08:00' });
    await handlers.handlePush(pushData());
    await setReminder({ ...daily, at: '2027-06-11T08:00', snoozedUntil: occurrence + HOUR });
    await handlers.handlePush(pushData());
    expect(showNotification).not.toHaveBeenCalled();
    expect(await shownOccurrences()).toEqual([]);
  });

  it('shows the snooze of an occurrence when it comes round, under its own tag', async () => {
    await setReminder({ ...daily, at: '2027-06-11T08:00', snoozedUntil: occurrence + HOUR });
    await handlers.handlePush(pushData({ occurrence: occurrence + HOUR }));
    expect(showNotification).toHaveBeenCalledTimes(1);
    expect(showNotification.mock.calls[0]?.[1]).toMatchObject({ tag: tag(occurrence + HOUR) });
  });

  it('shows nothing for a one-off settled here at that occurrence, but shows it settled at an earlier one', async () => {
    const oneOff: Reminder = { at: '2027-06-11T08:00', zone: BERLIN };
    await setReminder({ ...oneOff, settled: occurrence });
    await handlers.handlePush(pushData({ repeat: undefined }));
    expect(showNotification).not.toHaveBeenCalled();

    await setReminder({ ...oneOff, settled: occurrence - 24 * HOUR });
    await handlers.handlePush(pushData({ repeat: undefined }));
    expect(showNotification).toHaveBeenCalledTimes(1);
    expect(showNotification.mock.calls[0]?.[1]).toMatchObject({ tag: tag(), body: 'Reminder' });
  });

  it('shows an occurrence this device has not caught up with: the local note still at an older one', async () => {
    // Never answered here since 1 June: locally, the 11 June occurrence is the one ringing then.
    expect(occurrenceAt(daily, occurrence)).toBe(occurrence);
    await handlers.handlePush(pushData());
    expect(showNotification).toHaveBeenCalledTimes(1);
  });

  /** This device's stamp of the note's reminder field. */
  async function localStamp(): Promise<string> {
    const db = new NotesDatabase(accountDatabase);
    try {
      return (await db.notes.get(noteId))!.clocks.reminder!;
    } finally {
      db.close();
    }
  }

  it('trusts the push over a local copy older than it: a reminder cleared here before, set again elsewhere', async () => {
    await setReminder(null);
    const cleared = await localStamp();
    // The server's copy was stamped later (set again on another device, not synced here yet).
    const later = `${String(Number(cleared.slice(0, 15)) + 60_000).padStart(15, '0')}${cleared.slice(15)}`;
    await handlers.handlePush(pushData({ stamp: later }));
    expect(showNotification).toHaveBeenCalledTimes(1);
  });

  it('shows nothing when the local copy is as new as the push or newer and rings it no more: done here, or cleared', async () => {
    const pushedStamp = await localStamp();
    // Done here after the server sent it: a one-off done is cleared, with a later stamp.
    await setReminder(null);
    expect((await localStamp()) > pushedStamp).toBe(true);
    await handlers.handlePush(pushData({ stamp: pushedStamp }));
    // The local copy is the very one the server sent, still ringing this occurrence: shown.
    await setReminder(daily);
    await handlers.handlePush(pushData({ stamp: await localStamp() }));
    expect(showNotification).toHaveBeenCalledTimes(1);
    expect(showNotification.mock.calls[0]?.[1]).toMatchObject({ tag: tag() });
  });

  it('shows a reminder for a note this device does not have, or for an account with no database here', async () => {
    await handlers.handlePush(pushData({ noteId: 'set-on-another-device' }));
    expect(showNotification).toHaveBeenCalledTimes(1);
    expect(showNotification.mock.calls[0]?.[1]).toMatchObject({ tag: occurrenceTag('set-on-another-device', occurrence) });

    await handlers.handlePush(pushData({ uid: 'bob' }));
    expect(showNotification).toHaveBeenCalledTimes(2);
    expect(showNotification.mock.calls[1]?.[1]).toMatchObject({ tag: tag(), data: { uid: 'bob' } });
    // Looking did not create an empty database for an account signed out here.
    expect(await Dexie.exists(notesDatabaseName('bob'))).toBe(false);
  });

  it('still shows the reminder when the local note cannot be read (a repeat of a newer version), rather than the generic one', async () => {
    const db = new NotesDatabase(accountDatabase);
    try {
      await db.notes.update(noteId, { reminder: { ...daily, repeat: { every: 'year' } as unknown as Reminder['repeat'] } });
    } finally {
      db.close();
    }
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    await handlers.handlePush(pushData());
    expect(showNotification).toHaveBeenCalledTimes(1);
    const [title, options] = showNotification.mock.calls[0] as [string, NoteNotificationOptions];
    expect({ title, options }).toEqual(appNotification());
    expect(await shownOccurrences()).toEqual([tag()]);
  });

  it('shows the reminder once when it cannot be recorded as shown, without a generic one after it', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    vi.spyOn(keyval, 'set').mockRejectedValueOnce(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
    await handlers.handlePush(pushData());
    expect(showNotification).toHaveBeenCalledTimes(1);
    expect(showNotification.mock.calls[0]?.[1]).toMatchObject({ tag: tag() });
  });

  it('shows the generic notification for a malformed reminder push, and marks nothing shown', async () => {
    await handlers.handlePush(pushData({}, { occurrence: 'soon' }));
    expect(showNotification).toHaveBeenCalledTimes(1);
    expect(showNotification).toHaveBeenCalledWith(NOTIFICATION.GENERIC_TITLE, genericNotification().options);
    expect(await shownOccurrences()).toEqual([]);
  });

  it('handleReminderPush takes the parsed push the same way', async () => {
    const parsed = parsePushEnvelope(pushData().json());
    if (!parsed.ok || parsed.push.kind !== 'reminder') throw new Error(`not a reminder push: ${JSON.stringify(parsed)}`);
    await handlers.handleReminderPush(parsed.push);
    await handlers.handleReminderPush(parsed.push);
    expect(showNotification.mock.calls.map(([, options]) => (options as NoteNotificationOptions).silent)).toEqual([undefined, true]);
  });

  describe('a settled push (answered on another device)', () => {
    function settledData(how: 'done' | 'snoozed' | 'dismissed', byDevice = 'Kitchen phone'): { json(): unknown } {
      const data = buildReminderSettledPush({ uid: UID, noteId, text: TEXT, occurrence, how, byDevice });
      const envelope = JSON.parse(JSON.stringify({ data, from: '999', fcmMessageId: 'm2', priority: 'high' })) as unknown;
      return { json: () => envelope };
    }

    it('replaces the ringing notification quietly with what happened and where, with nothing left to answer', async () => {
      await handlers.handlePush(pushData());
      await handlers.handlePush(settledData('done'));
      expect(showNotification).toHaveBeenCalledTimes(2);
      expect(tray).toEqual([
        {
          title: 'Call the dentist',
          options: { body: 'Done on Kitchen phone', tag: tag(), icon: NOTIFICATION.ICON, silent: true, requireInteraction: false, data: { noteId, uid: UID, link: `/?note=${noteId}` } },
        },
      ]);
      // Its data names no reminder: closing it now dismisses nothing.
      expect(readNotificationData(tray[0]!.options.data).kind).toBeUndefined();
    });

    it('says snoozed or dismissed, and "another device" when the device has no name', async () => {
      await handlers.handlePush(pushData());
      await handlers.handlePush(settledData('snoozed'));
      expect(tray[0]?.options.body).toBe('Snoozed on Kitchen phone');
      await handlers.handlePush(settledData('dismissed', ''));
      expect(tray[0]?.options.body).toBe('Dismissed on another device');
    });

    it('shows nothing when that occurrence is not up here', async () => {
      await handlers.handlePush(settledData('done'));
      expect(showNotification).not.toHaveBeenCalled();
    });

    it('takes the answered reminder off the badge before this device has synced the answer', async () => {
      vi.useFakeTimers({ toFake: ['Date'], now: occurrence + HOUR });
      const setAppBadge = vi.fn(async () => undefined);
      const clearAppBadge = vi.fn(async () => undefined);
      vi.stubGlobal('navigator', { setAppBadge, clearAppBadge });
      // Done (not open), its reminder ringing here: the badge counts it, once.
      const db = new NotesDatabase(accountDatabase);
      try {
        await updateNote(db, noteId, { done: true });
      } finally {
        db.close();
      }
      await handlers.handlePush(pushData());
      expect(setAppBadge).toHaveBeenLastCalledWith(1);
      await handlers.handlePush(settledData('done'));
      expect(clearAppBadge).toHaveBeenCalledTimes(1);
    });
  });

  describe('closing a reminder notification', () => {
    /** A notification as the browser hands it to notificationclose. */
    function closed(at: number): Notification {
      const { options } = appNotification(at);
      return { data: structuredClone(options.data), tag: options.tag, close: vi.fn() } as unknown as Notification;
    }

    beforeEach(() => {
      // 09:00 on 11 June: the daily's 08:00 occurrence of that day rings.
      vi.useFakeTimers({ toFake: ['Date'], now: zonedToUtc('2027-06-11T09:00', BERLIN) });
    });

    it("of an older occurrence does not dismiss the one ringing now", async () => {
      await handlers.handleNotificationClose(closed(occurrence - 24 * HOUR));
      expect(await storedReminder()).toEqual(daily);
    });

    it('of the occurrence ringing now dismisses it: the repeat moves on', async () => {
      await handlers.handleNotificationClose(closed(occurrence));
      expect(await storedReminder()).toEqual({ ...daily, at: '2027-06-12T08:00' });
    });

    it('of a later occurrence (a snooze not synced here yet) dismisses the one ringing now', async () => {
      await handlers.handleNotificationClose(closed(occurrence + HOUR));
      expect(await storedReminder()).toEqual({ ...daily, at: '2027-06-12T08:00' });
    });

    it('of a snoozed occurrence, once the next occurrence rings, does not dismiss that one', async () => {
      await setReminder({ ...daily, snoozedUntil: occurrence - 23 * HOUR });
      await handlers.handleNotificationClose(closed(occurrence - 23 * HOUR));
      expect(await storedReminder()).toEqual({ ...daily, snoozedUntil: occurrence - 23 * HOUR });
    });
  });
});
