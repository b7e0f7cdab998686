/**
 * The reminder push contract (src/shared/push.ts): what the server sends when an occurrence is due
 * is exactly what the worker accepts, titled as the app titles it, and the worker shows the very
 * notification the app would show for that occurrence (sw/notifications.ts), so the two replace
 * each other instead of ringing twice. Malformed pushes are reasons, never throws.
 */
import { describe, expect, it } from 'vitest';
import { buildFcmMessage } from '../../functions/src/fcm-message';
import { PUSH, buildReminderPush, buildReminderSettledPush, parsePushEnvelope, reminderTitle, type ReminderPushData, type ReminderPushInput } from '../../src/shared/push';
import { occurrenceTag } from '../../src/shared/reminder';
import { zonedToUtc, type Repeat } from '../../src/shared/reminder-time';
import { wrapAsFcmDelivers } from '../support/fcm-envelope';
import { NOTIFICATION, planNotification, reminderNotification } from '../../sw/notifications';

const occurrence = zonedToUtc('2027-06-11T08:00', 'Europe/Berlin');
const stamp = '000001812345600000:00000:device-laptop';
const input: ReminderPushInput = { uid: 'alice', noteId: 'note-1', text: 'Call the dentist\nabout Tuesday', occurrence, repeat: { every: 'weekdays', days: [1, 3, 5] }, stamp };

/** What the worker receives: the data map in FCM's envelope, through JSON as it travels. */
function delivered(data: ReminderPushData): unknown {
  return JSON.parse(JSON.stringify(wrapAsFcmDelivers(buildFcmMessage('token-1', data), '999', 'msg-1')));
}

describe('buildReminderPush', () => {
  it('builds the data map with string values only: the occurrence in ms, the repeat in its wire form', () => {
    const data = buildReminderPush(input);
    expect(data).toEqual({
      version: PUSH.VERSION,
      kind: 'reminder',
      uid: 'alice',
      noteId: 'note-1',
      title: 'Call the dentist',
      occurrence: String(occurrence),
      repeat: 'weekdays:1,3,5',
      stamp,
      link: '/?note=note-1',
    });
    for (const value of Object.values(data)) expect(typeof value).toBe('string');
  });

  it('sends a one-off with an empty repeat, and escapes the note id in the link', () => {
    const data = buildReminderPush({ ...input, noteId: 'a&b=c', repeat: undefined });
    expect(data.repeat).toBe('');
    expect(data.link).toBe('/?note=a%26b%3Dc');
  });

  it('sends an empty stamp for a reminder without one (written before stamps)', () => {
    expect(buildReminderPush({ ...input, stamp: undefined }).stamp).toBe('');
  });
});

describe('reminderTitle', () => {
  const items = [
    { id: 'i1', text: 'milk', done: true },
    { id: 'i2', text: '  ', done: false },
    { id: 'i3', text: 'eggs\nfree range', done: false },
  ];

  it("is the note's title line", () => {
    expect(reminderTitle('Call the dentist\nabout Tuesday')).toBe('Call the dentist');
    expect(reminderTitle('  Call   the dentist  ', items)).toBe('Call the dentist');
  });

  it('is the first open, non-empty checklist item (its first line) when the title line is empty', () => {
    expect(reminderTitle('', items)).toBe('eggs');
    expect(reminderTitle(' \t\nbody only', items)).toBe('eggs');
  });

  it('is "Reminder" when the note says nothing', () => {
    expect(reminderTitle('')).toBe(PUSH.REMINDER_FALLBACK_TITLE);
    expect(reminderTitle('\u202E\u0007', [{ text: 'milk', done: true }])).toBe('Reminder');
  });

  it('drops control characters and direction overrides, and is cut to a glance', () => {
    expect(reminderTitle('Invoice \u202Egpj.exe\u202C \u2066ok\u2069\u0007')).toBe('Invoice gpj.exe ok');
    const long = reminderTitle('w'.repeat(5_000));
    expect(long).toBe(`${'w'.repeat(PUSH.PREVIEW_MAX_CHARS - 1)}…`);
  });

  it('is what the push carries, and reads the same again (the worker titles the push by it)', () => {
    for (const text of ['Call the dentist\nabout Tuesday', 'Invoice \u202Egpj.exe', 'x'.repeat(500), 'a\u2028b', '']) {
      const title = buildReminderPush({ ...input, text }).title;
      expect(title).toBe(reminderTitle(text));
      expect(reminderTitle(title)).toBe(title);
    }
  });
});

describe('parsePushEnvelope of a reminder push', () => {
  it('accepts what FCM delivers for the push the server builds', () => {
    expect(parsePushEnvelope(delivered(buildReminderPush(input)))).toEqual({
      ok: true,
      push: { kind: 'reminder', uid: 'alice', noteId: 'note-1', title: 'Call the dentist', occurrence, repeat: { every: 'weekdays', days: [1, 3, 5] }, stamp, link: '/?note=note-1' },
    });
  });

  it('round-trips every kind of repeat, and a one-off without one', () => {
    const repeats: Repeat[] = [{ every: 'day' }, { every: 'week' }, { every: 'month' }, { every: 'month', day: 31 }, { every: 'weekdays', days: [0] }];
    for (const repeat of repeats) {
      const parsed = parsePushEnvelope(delivered(buildReminderPush({ ...input, repeat })));
      expect(parsed.ok && parsed.push.kind === 'reminder' ? parsed.push.repeat : parsed, JSON.stringify(repeat)).toEqual(repeat);
    }
    const oneOff = parsePushEnvelope({ data: buildReminderPush({ ...input, repeat: undefined }) });
    expect(oneOff.ok).toBe(true);
    if (oneOff.ok) expect(oneOff.push).not.toHaveProperty('repeat');
  });

  const data = buildReminderPush(input);
  const refused: [string, Record<string, unknown>, string][] = [
    ['no title', { ...data, title: '' }, 'bad title'],
    ['a missing title', { ...data, title: undefined }, 'bad title'],
    ['a title that is not a string', { ...data, title: ['Call'] }, 'bad title'],
    ['an empty occurrence', { ...data, occurrence: '' }, 'bad occurrence'],
    ['a negative occurrence', { ...data, occurrence: '-1' }, 'bad occurrence'],
    ['a fractional occurrence', { ...data, occurrence: '1812345600000.5' }, 'bad occurrence'],
    ['an occurrence in exponent notation', { ...data, occurrence: '1.8e12' }, 'bad occurrence'],
    ['an occurrence as a date', { ...data, occurrence: '2027-06-11T08:00' }, 'bad occurrence'],
    ['an occurrence as a number', { ...data, occurrence: occurrence }, 'bad occurrence'],
    ['an occurrence beyond safe integers', { ...data, occurrence: '9007199254740993' }, 'bad occurrence'],
    ['an unknown repeat', { ...data, repeat: 'fortnight' }, 'bad repeat'],
    ['weekdays out of range', { ...data, repeat: 'weekdays:1,9' }, 'bad repeat'],
    ['weekdays without days', { ...data, repeat: 'weekdays:' }, 'bad repeat'],
    ['a month day of 32', { ...data, repeat: 'month:32' }, 'bad repeat'],
    ['a daily repeat with a detail', { ...data, repeat: 'day:5' }, 'bad repeat'],
    ['a missing repeat', { ...data, repeat: undefined }, 'bad repeat'],
    ['a repeat as an object', { ...data, repeat: { every: 'day' } }, 'bad repeat'],
    ['a missing stamp', { ...data, stamp: undefined }, 'bad stamp'],
    ['a stamp that is not a string', { ...data, stamp: 7 }, 'bad stamp'],
    ['an overlong stamp', { ...data, stamp: 'x'.repeat(PUSH.MAX_STAMP_LENGTH + 1) }, 'bad stamp'],
    ['a link to another site', { ...data, link: 'https://evil.example/?note=note-1' }, 'bad link'],
    ['a protocol-relative link', { ...data, link: '//evil.example/?note=note-1' }, 'bad link'],
    ['a link to another note', { ...data, link: '/?note=other' }, 'bad link'],
    ['another version', { ...data, version: '2' }, 'unknown version "2"'],
    ['no uid', { ...data, uid: '' }, 'bad uid'],
    ['no note id', { ...data, noteId: '' }, 'bad noteId'],
  ];
  it.each(refused)('refuses %s, saying why, without throwing', (_name, value, reason) => {
    expect(parsePushEnvelope({ data: value })).toEqual({ ok: false, reason });
  });
});

describe('planNotification of a reminder push', () => {
  const note = { id: 'note-1', text: 'Call the dentist\nabout Tuesday', items: [{ id: 'i1', text: 'milk', done: false }] };

  it('is the notification the app shows for that occurrence, tagged reminder:<noteId>:<occurrence>', () => {
    for (const actionSlots of [Number.POSITIVE_INFINITY, 1, 0]) {
      const planned = planNotification(delivered(buildReminderPush({ ...input, text: note.text, items: note.items })), actionSlots);
      expect(planned).toEqual(reminderNotification(note, { at: occurrence, repeat: input.repeat }, 'alice', actionSlots));
      expect(planned.options.tag).toBe(`reminder:note-1:${occurrence}`);
      expect(planned.options.tag).toBe(occurrenceTag('note-1', occurrence));
    }
  });

  it('is titled and bodied as the app would: a checklist by its first open item, a one-off "Reminder"', () => {
    const list = { id: 'note-1', text: '', items: [{ id: 'i1', text: 'Buy stamps', done: false }] };
    const planned = planNotification(delivered(buildReminderPush({ ...input, ...list, noteId: list.id, repeat: undefined })));
    expect(planned).toEqual(reminderNotification(list, { at: occurrence }, 'alice'));
    expect(planned.title).toBe('Buy stamps');
    expect(planned.options.body).toBe('Reminder');
    expect(planned.options.requireInteraction).toBe(true);
    expect(planned.options.data).toEqual({ kind: 'reminder', noteId: 'note-1', uid: 'alice', link: '/?note=note-1' });
  });

  it('is the generic notification, with the reason, for a malformed reminder push', () => {
    const planned = planNotification({ data: { ...buildReminderPush(input), occurrence: 'soon' } });
    expect(planned.title).toBe(NOTIFICATION.GENERIC_TITLE);
    expect(planned.options.tag).toBe(NOTIFICATION.GENERIC_TAG);
    expect(planned.problem).toBe('bad occurrence');
  });
});

describe('the settled push (an occurrence answered on another device)', () => {
  const settled = buildReminderSettledPush({ uid: 'alice', noteId: 'note-1', text: 'Call the dentist\nabout Tuesday', occurrence, how: 'snoozed', byDevice: 'Kitchen phone' });

  it('round-trips through FCM: title, occurrence, how and the device that answered', () => {
    expect(parsePushEnvelope(delivered(settled as unknown as ReminderPushData))).toEqual({
      ok: true,
      push: { kind: 'reminder-settled', uid: 'alice', noteId: 'note-1', title: 'Call the dentist', occurrence, how: 'snoozed', byDevice: 'Kitchen phone', link: '/?note=note-1' },
    });
    for (const value of Object.values(settled)) expect(typeof value).toBe('string');
  });

  it('is shown as the same occurrence, quietly, saying what happened', () => {
    const planned = planNotification(delivered(settled as unknown as ReminderPushData));
    expect(planned.options).toMatchObject({ tag: occurrenceTag('note-1', occurrence), silent: true, requireInteraction: false, body: 'Snoozed on Kitchen phone' });
    expect(planned.options).not.toHaveProperty('actions');
  });

  it.each([
    ['an unknown answer', { ...settled, how: 'ignored' }, 'bad how'],
    ['no answer', { ...settled, how: undefined }, 'bad how'],
    ['a device name that is not a string', { ...settled, byDevice: 3 }, 'bad byDevice'],
    ['an overlong device name', { ...settled, byDevice: 'x'.repeat(101) }, 'bad byDevice'],
    ['a bad occurrence', { ...settled, occurrence: 'soon' }, 'bad occurrence'],
    ['no title', { ...settled, title: '' }, 'bad title'],
    ['a link to another note', { ...settled, link: '/?note=other' }, 'bad link'],
  ])('refuses %s', (_what, data, reason) => {
    expect(parsePushEnvelope({ data })).toEqual({ ok: false, reason });
  });
});
