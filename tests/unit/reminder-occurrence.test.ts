/**
 * Which occurrence of a reminder rings (src/shared/reminder.ts): the app, the worker and the
 * server name an occurrence by its instant (occurrenceAt, occurrenceTag), so a repeat left
 * unanswered rings its latest occurrence, a snooze stands until the repeat comes round again, and
 * the app's timer (nextRingAfter) wakes exactly when a new occurrence starts ringing.
 */
import { describe, expect, it } from 'vitest';
import {
  isRinging,
  nextRingAfter,
  occurrenceAt,
  occurrenceOfTag,
  occurrenceTag,
  reminderDismissed,
  reminderDone,
  reminderSnoozed,
  type Reminder,
} from '../../src/shared/reminder.js';
import { utcToZoned, zonedToUtc } from '../../src/shared/reminder-time.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';

function berlin(local: string): number {
  return zonedToUtc(local, BERLIN);
}

describe('a one-off reminder', () => {
  const oneOff: Reminder = { at: '2027-06-10T08:00', zone: BERLIN };
  const due = berlin('2027-06-10T08:00');

  it('is named by its time before, at and after it, and rings from that time on until answered', () => {
    for (const now of [due - DAY, due - 1, due, due + HOUR, due + 30 * DAY]) expect(occurrenceAt(oneOff, now)).toBe(due);
    expect(isRinging(oneOff, due - 1)).toBe(false);
    expect(isRinging(oneOff, due)).toBe(true);
    expect(isRinging(oneOff, due + 30 * DAY)).toBe(true);
  });

  it('rings next at its time, and after that never', () => {
    expect(nextRingAfter(oneOff, due - DAY)).toBe(due);
    expect(nextRingAfter(oneOff, due - 1)).toBe(due);
    expect(nextRingAfter(oneOff, due)).toBeUndefined();
    expect(nextRingAfter(oneOff, due + DAY)).toBeUndefined();
  });

  it('settled at its occurrence, rings no more; settled at an earlier one, still rings', () => {
    expect(isRinging({ ...oneOff, settled: due }, due + HOUR)).toBe(false);
    expect(isRinging(reminderDismissed(oneOff, due + HOUR), due + 2 * HOUR)).toBe(false);
    expect(isRinging({ ...oneOff, settled: due - DAY }, due + HOUR)).toBe(true);
  });

  it('snoozed, is named by the snooze, rings again then, and dismissed then, is settled', () => {
    const snoozed = reminderSnoozed(oneOff, due + HOUR);
    expect(occurrenceAt(snoozed, due + 30 * MINUTE)).toBe(due + HOUR);
    expect(isRinging(snoozed, due + 30 * MINUTE)).toBe(false);
    expect(nextRingAfter(snoozed, due + 30 * MINUTE)).toBe(due + HOUR);
    expect(isRinging(snoozed, due + HOUR)).toBe(true);
    expect(nextRingAfter(snoozed, due + HOUR)).toBeUndefined();
    expect(isRinging(reminderDismissed(snoozed, due + 2 * HOUR), due + 3 * HOUR)).toBe(false);
  });

  it('none at all is not ringing', () => {
    expect(isRinging(null, due)).toBe(false);
    expect(isRinging(undefined, due)).toBe(false);
  });
});

describe('a daily reminder never answered', () => {
  const daily: Reminder = { at: '2027-06-01T08:00', zone: BERLIN, repeat: { every: 'day' } };

  it('rings its latest occurrence for ten days, under a new tag each day', () => {
    const tags: string[] = [];
    for (let day = 2; day <= 11; day++) {
      const date = `2027-06-${String(day).padStart(2, '0')}`;
      const now = berlin(`${date}T09:00`);
      expect(occurrenceAt(daily, now), date).toBe(berlin(`${date}T08:00`));
      expect(isRinging(daily, now), date).toBe(true);
      tags.push(occurrenceTag('n1', occurrenceAt(daily, now)));
    }
    expect(new Set(tags).size).toBe(10);
    expect(tags.at(-1)).toBe(`reminder:n1:${berlin('2027-06-11T08:00')}`);
  });

  it("keeps a day's occurrence until the next one is due, to the millisecond", () => {
    expect(occurrenceAt(daily, berlin('2027-06-11T08:00') - 1)).toBe(berlin('2027-06-10T08:00'));
    expect(occurrenceAt(daily, berlin('2027-06-11T08:00'))).toBe(berlin('2027-06-11T08:00'));
  });

  it('before its first occurrence is named by it, and is not ringing yet', () => {
    const before = berlin('2027-05-31T12:00');
    expect(occurrenceAt(daily, before)).toBe(berlin('2027-06-01T08:00'));
    expect(isRinging(daily, before)).toBe(false);
    expect(nextRingAfter(daily, before)).toBe(berlin('2027-06-01T08:00'));
  });

  it('rings next at the next 08:00', () => {
    expect(nextRingAfter(daily, berlin('2027-06-11T09:00'))).toBe(berlin('2027-06-12T08:00'));
    expect(nextRingAfter(daily, berlin('2027-06-11T08:00'))).toBe(berlin('2027-06-12T08:00'));
  });

  it('answered Done, moves on and is no longer ringing', () => {
    const now = berlin('2027-06-11T09:00');
    const done = reminderDone(daily, now);
    expect(done?.at).toBe('2027-06-12T08:00');
    expect(isRinging(done, now)).toBe(false);
    expect(occurrenceAt(done as Reminder, now)).toBeGreaterThan(occurrenceAt(daily, now));
  });
});

describe('the occurrence ringing for each kind of repeat', () => {
  // 2027-06-13 is a Sunday.
  const sunday = berlin('2027-06-13T12:00');

  it('weekly: the last one on its weekday', () => {
    // 2027-06-01 is a Tuesday.
    expect(occurrenceAt({ at: '2027-06-01T08:00', zone: BERLIN, repeat: { every: 'week' } }, sunday)).toBe(berlin('2027-06-08T08:00'));
  });

  it("Monday, Wednesday and Friday, on a Sunday: Friday's", () => {
    const monWedFri: Reminder = { at: '2027-05-03T08:00', zone: BERLIN, repeat: { every: 'weekdays', days: [1, 3, 5] } };
    expect(occurrenceAt(monWedFri, sunday)).toBe(berlin('2027-06-11T08:00'));
    expect(isRinging(monWedFri, sunday)).toBe(true);
    expect(nextRingAfter(monWedFri, sunday)).toBe(berlin('2027-06-14T08:00'));
  });

  it('monthly on the 31st: the last day of February, then the 31st of March', () => {
    const monthly: Reminder = { at: '2027-01-31T08:00', zone: BERLIN, repeat: { every: 'month', day: 31 } };
    expect(occurrenceAt(monthly, berlin('2027-03-15T12:00'))).toBe(berlin('2027-02-28T08:00'));
    expect(nextRingAfter(monthly, berlin('2027-03-15T12:00'))).toBe(berlin('2027-03-31T08:00'));
    expect(occurrenceAt(monthly, berlin('2027-03-31T09:00'))).toBe(berlin('2027-03-31T08:00'));
  });

  it('daily 08:00 in Berlin stays 08:00 local over both clock changes: one day of 23 hours, one of 25', () => {
    const daily: Reminder = { at: '2027-03-20T08:00', zone: BERLIN, repeat: { every: 'day' } };
    const spring = ['2027-03-26', '2027-03-27', '2027-03-28', '2027-03-29'].map((date) => occurrenceAt(daily, berlin(`${date}T12:00`)));
    expect(spring.map((instant) => utcToZoned(instant, BERLIN))).toEqual(['2027-03-26T08:00', '2027-03-27T08:00', '2027-03-28T08:00', '2027-03-29T08:00']);
    expect(spring.slice(1).map((instant, index) => (instant - (spring[index] as number)) / HOUR)).toEqual([24, 23, 24]);
    const autumn = ['2027-10-30', '2027-10-31', '2027-11-01'].map((date) => occurrenceAt(daily, berlin(`${date}T12:00`)));
    expect(autumn.map((instant) => utcToZoned(instant, BERLIN))).toEqual(['2027-10-30T08:00', '2027-10-31T08:00', '2027-11-01T08:00']);
    expect(autumn.slice(1).map((instant, index) => (instant - (autumn[index] as number)) / HOUR)).toEqual([25, 24]);
  });
});

describe('a snoozed daily reminder', () => {
  const daily: Reminder = { at: '2027-06-10T08:00', zone: BERLIN, repeat: { every: 'day' } };
  const until = berlin('2027-06-10T09:05');
  const snoozed = reminderSnoozed(daily, until);

  it('is named by the snooze as soon as it is snoozed, and rings at it', () => {
    const meanwhile = berlin('2027-06-10T08:30');
    expect(occurrenceAt(snoozed, meanwhile)).toBe(until);
    expect(isRinging(snoozed, meanwhile)).toBe(false);
    expect(nextRingAfter(snoozed, meanwhile)).toBe(until);
    expect(isRinging(snoozed, until)).toBe(true);
    expect(occurrenceAt(snoozed, until)).toBe(until);
  });

  it('rings the snooze, unanswered, until the next occurrence comes round, then that one under its own tag', () => {
    expect(occurrenceAt(snoozed, berlin('2027-06-11T08:00') - 1)).toBe(until);
    expect(nextRingAfter(snoozed, berlin('2027-06-10T10:00'))).toBe(berlin('2027-06-11T08:00'));
    const nextDay = berlin('2027-06-11T08:00');
    expect(occurrenceAt(snoozed, nextDay)).toBe(nextDay);
    expect(isRinging(snoozed, nextDay)).toBe(true);
    expect(occurrenceTag('n1', occurrenceAt(snoozed, nextDay))).not.toBe(occurrenceTag('n1', until));
  });

  it('snoozed past the next occurrence, rings nothing before the snooze', () => {
    const longSnooze = reminderSnoozed(daily, berlin('2027-06-11T09:00'));
    expect(occurrenceAt(longSnooze, berlin('2027-06-11T08:30'))).toBe(berlin('2027-06-11T09:00'));
    expect(isRinging(longSnooze, berlin('2027-06-11T08:30'))).toBe(false);
    expect(nextRingAfter(longSnooze, berlin('2027-06-10T09:00'))).toBe(berlin('2027-06-11T09:00'));
  });
});

describe('nextRingAfter and occurrenceAt agree', () => {
  const reminders: [string, Reminder][] = [
    ['a one-off', { at: '2027-03-20T08:00', zone: BERLIN }],
    ['a snoozed one-off', { at: '2027-03-20T08:00', zone: BERLIN, snoozedUntil: berlin('2027-03-20T09:00') }],
    ['a daily repeat', { at: '2027-03-20T08:00', zone: BERLIN, repeat: { every: 'day' } }],
    ['a snoozed daily repeat', { at: '2027-03-20T08:00', zone: BERLIN, repeat: { every: 'day' }, snoozedUntil: berlin('2027-03-20T09:00') }],
    ['a weekly repeat in New York', { at: '2027-03-01T02:30', zone: NEW_YORK, repeat: { every: 'week' } }],
    ['Mon, Wed, Fri', { at: '2027-03-22T08:00', zone: BERLIN, repeat: { every: 'weekdays', days: [1, 3, 5] } }],
    ['monthly on the 31st', { at: '2027-01-31T08:00', zone: BERLIN, repeat: { every: 'month', day: 31 } }],
  ];

  it.each(reminders)(
    '%s: the next ring starts a ringing occurrence named by its instant, and the occurrence holds until then',
    (_name, reminder) => {
      for (let now = berlin('2027-03-15T00:00'); now < berlin('2027-05-15T00:00'); now += 7 * HOUR + 17 * MINUTE) {
        const next = nextRingAfter(reminder, now);
        const current = occurrenceAt(reminder, now);
        const until = next ?? now + 40 * DAY;
        for (let step = 0; step < 12; step++) {
          const between = now + Math.floor(((until - now) * step) / 12);
          expect(occurrenceAt(reminder, between), `between ${new Date(now).toISOString()} and the next ring`).toBe(current);
        }
        if (next === undefined) continue;
        expect(next).toBeGreaterThan(now);
        expect(occurrenceAt(reminder, next - 1)).toBe(current);
        expect(occurrenceAt(reminder, next)).toBe(next);
        expect(isRinging(reminder, next)).toBe(true);
      }
    },
  );
});

describe('occurrenceTag and occurrenceOfTag', () => {
  it('round-trip, note ids with colons included', () => {
    for (const noteId of ['n1', 'a:b', 'reminder:x:1', '::']) {
      expect(occurrenceOfTag(occurrenceTag(noteId, 1_812_345_600_000))).toEqual({ noteId, occurrence: 1_812_345_600_000 });
    }
  });

  it('read no occurrence from the tags of note pushes and test pushes, or from a tag without an instant', () => {
    for (const tag of ['roaming-notes', 'roaming-notes-test', 'n1', 'reminder:n1', 'reminder::123', 'reminder:n1:', 'reminder:n1:12a', 'Reminder:n1:123']) {
      expect(occurrenceOfTag(tag), tag).toBeUndefined();
    }
  });
});
