/**
 * Reminder times (src/shared/reminder-time.ts): wall clock to instant and back across
 * daylight-saving gaps and overlaps, recurrence on the wall clock (month ends, leap days, chosen
 * weekdays), catching up after missed occurrences (the next one, and the latest one ringing), and
 * the dialog's presets and labels.
 */
import { describe, expect, it } from 'vitest';
import {
  describeRepeat,
  describeWhen,
  dueAt,
  firstOccurrenceAfter,
  isLocalDateTime,
  isRepeat,
  isTimeZone,
  lastOccurrenceBy,
  nextOccurrence,
  presets,
  utcToZoned,
  zonedToUtc,
  type LocalDateTime,
  type Repeat,
  type ReminderTime,
} from '../../src/shared/reminder-time.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';
const KOLKATA = 'Asia/Kolkata';
const ADELAIDE = 'Australia/Adelaide';

function utc(iso: string): number {
  return Date.parse(`${iso}Z`);
}

/** `count` occurrences of a reminder, its `at` first. */
function series(reminder: ReminderTime, count: number): LocalDateTime[] {
  const occurrences = [reminder.at];
  while (occurrences.length < count) occurrences.push(nextOccurrence({ ...reminder, at: occurrences.at(-1) as string }) as string);
  return occurrences;
}

function gapsInHours(occurrences: LocalDateTime[], zone: string): number[] {
  const instants = occurrences.map((at) => zonedToUtc(at, zone));
  return instants.slice(1).map((instant, index) => (instant - instants[index]) / HOUR);
}

/** Repeats whose every occurrence a step-by-step walk reaches alike (a month with its anchor day). */
const STEPPED_REPEATS: readonly Repeat[] = [
  { every: 'day' },
  { every: 'week' },
  { every: 'month', day: 31 },
  { every: 'month', day: 29 },
  { every: 'weekdays', days: [0, 6] },
  { every: 'weekdays', days: [2] },
];

describe('validation', () => {
  it('accepts real calendar dates and times in the strict format', () => {
    for (const value of ['2027-01-01T00:00', '2027-12-31T23:59', '2028-02-29T08:00', '2000-02-29T12:30']) {
      expect(isLocalDateTime(value), value).toBe(true);
    }
  });

  it('rejects impossible dates, out-of-range times, other formats and non-strings', () => {
    const rejected: unknown[] = [
      '2027-02-30T08:00',
      '2027-02-29T08:00',
      '1900-02-29T08:00',
      '2027-04-31T08:00',
      '2027-13-01T08:00',
      '2027-00-10T08:00',
      '2027-01-00T08:00',
      '2027-01-01T24:00',
      '2027-01-01T23:60',
      '2027-01-01 08:00',
      '2027-1-01T08:00',
      '2027-01-01T8:00',
      '2027-01-01T08:00:00',
      '2027-01-01T08:00Z',
      ' 2027-01-01T08:00',
      '',
      20270101,
      Date.UTC(2027, 0, 1),
      null,
      undefined,
      new Date(),
    ];
    for (const value of rejected) expect(isLocalDateTime(value), String(value)).toBe(false);
  });

  it('accepts the zones Intl knows and nothing else', () => {
    for (const zone of [BERLIN, NEW_YORK, KOLKATA, ADELAIDE, 'UTC']) expect(isTimeZone(zone), zone).toBe(true);
    for (const zone of ['Mars/Olympus', 'Europe/Atlantis', '', 1, null, undefined, {}]) expect(isTimeZone(zone), String(zone)).toBe(false);
  });

  it('accepts every kind of repeat', () => {
    const accepted: Repeat[] = [
      { every: 'day' },
      { every: 'week' },
      { every: 'month' },
      { every: 'month', day: 31 },
      { every: 'month', day: 1 },
      { every: 'weekdays', days: [3] },
      { every: 'weekdays', days: [1, 3, 5] },
      { every: 'weekdays', days: [0, 1, 2, 3, 4, 5, 6] },
    ];
    for (const repeat of accepted) expect(isRepeat(repeat), JSON.stringify(repeat)).toBe(true);
  });

  it('rejects weekday lists that are empty, out of range, repeated or unsorted, and other shapes', () => {
    const rejected: unknown[] = [
      { every: 'weekdays', days: [] },
      { every: 'weekdays', days: [7] },
      { every: 'weekdays', days: [-1] },
      { every: 'weekdays', days: [1, 1] },
      { every: 'weekdays', days: [3, 1] },
      { every: 'weekdays', days: [1.5] },
      { every: 'weekdays', days: ['1'] },
      { every: 'weekdays', days: [0, 1, 2, 3, 4, 5, 6, 6] },
      { every: 'weekdays' },
      { every: 'month', day: 0 },
      { every: 'month', day: 32 },
      { every: 'month', day: 15.5 },
      { every: 'month', day: '31' },
      { every: 'day', days: [1] },
      { every: 'year' },
      { every: 'toString' },
      {},
      'day',
      null,
      undefined,
      [{ every: 'day' }],
    ];
    for (const value of rejected) expect(isRepeat(value), JSON.stringify(value)).toBe(false);
  });

  it('throws a RangeError for a malformed time or zone instead of computing with it', () => {
    expect(() => zonedToUtc('2027-02-30T08:00', BERLIN)).toThrow(RangeError);
    expect(() => zonedToUtc('2027-03-01T08:00', 'Mars/Olympus')).toThrow(RangeError);
    expect(() => utcToZoned(Number.NaN, BERLIN)).toThrow(RangeError);
    expect(() => nextOccurrence({ at: '2027-03-01T08:00', zone: BERLIN, repeat: { every: 'weekdays', days: [] } })).toThrow(RangeError);
  });
});

describe('zonedToUtc and utcToZoned', () => {
  it('convert an ordinary time by the zone offset in force', () => {
    expect(zonedToUtc('2027-01-15T08:00', BERLIN)).toBe(utc('2027-01-15T07:00'));
    expect(zonedToUtc('2027-07-15T08:00', BERLIN)).toBe(utc('2027-07-15T06:00'));
    expect(zonedToUtc('2027-01-15T08:00', NEW_YORK)).toBe(utc('2027-01-15T13:00'));
    expect(zonedToUtc('2027-07-15T08:00', NEW_YORK)).toBe(utc('2027-07-15T12:00'));
    expect(utcToZoned(utc('2027-07-15T06:00'), BERLIN)).toBe('2027-07-15T08:00');
    expect(utcToZoned(utc('2027-01-01T03:00'), NEW_YORK)).toBe('2026-12-31T22:00');
  });

  it('drop the seconds of an instant', () => {
    expect(utcToZoned(utc('2027-07-15T06:00:59.999'), BERLIN)).toBe('2027-07-15T08:00');
  });

  it('move a time in the spring-forward gap on by the gap (02:30 becomes 03:30)', () => {
    const berlin = zonedToUtc('2027-03-28T02:30', BERLIN);
    expect(berlin).toBe(utc('2027-03-28T01:30'));
    expect(utcToZoned(berlin, BERLIN)).toBe('2027-03-28T03:30');
    const newYork = zonedToUtc('2027-03-14T02:30', NEW_YORK);
    expect(newYork).toBe(utc('2027-03-14T07:30'));
    expect(utcToZoned(newYork, NEW_YORK)).toBe('2027-03-14T03:30');
  });

  it('take the earlier of the two instants of a time repeated when the clocks fall back', () => {
    const first = zonedToUtc('2027-10-31T02:30', BERLIN);
    expect(first).toBe(utc('2027-10-31T00:30'));
    expect(utcToZoned(first + HOUR, BERLIN)).toBe('2027-10-31T02:30');
    expect(zonedToUtc('2027-11-07T01:30', NEW_YORK)).toBe(utc('2027-11-07T05:30'));
    expect(utcToZoned(utc('2027-11-07T06:30'), NEW_YORK)).toBe('2027-11-07T01:30');
  });

  it('handle half-hour offsets: Kolkata all year, Adelaide with its own gap and overlap', () => {
    expect(zonedToUtc('2027-06-15T08:00', KOLKATA)).toBe(utc('2027-06-15T02:30'));
    expect(utcToZoned(utc('2027-06-15T02:30'), KOLKATA)).toBe('2027-06-15T08:00');
    expect(zonedToUtc('2027-01-15T08:00', ADELAIDE)).toBe(utc('2027-01-14T21:30'));
    expect(zonedToUtc('2027-07-15T08:00', ADELAIDE)).toBe(utc('2027-07-14T22:30'));
    expect(utcToZoned(zonedToUtc('2027-10-03T02:30', ADELAIDE), ADELAIDE)).toBe('2027-10-03T03:30');
    expect(zonedToUtc('2027-04-04T02:30', ADELAIDE)).toBe(utc('2027-04-03T16:00'));
  });

  it('round-trip every instant of a year back to itself, except the second pass of an overlap', () => {
    for (const zone of [KOLKATA, ADELAIDE, BERLIN]) {
      const secondPasses: string[] = [];
      for (let instant = utc('2027-01-01T00:30'); instant < utc('2028-01-01T00:00'); instant += HOUR) {
        const local = utcToZoned(instant, zone);
        const back = zonedToUtc(local, zone);
        if (back !== instant) {
          expect(back, `${zone} ${local}`).toBe(instant - HOUR);
          secondPasses.push(local);
        }
      }
      expect(secondPasses.length, zone).toBe(zone === KOLKATA ? 0 : 1);
    }
  });

  it('round-trip the wall clock of a year (every half hour in Adelaide), except the times the gap skips', () => {
    for (const { zone, step } of [
      { zone: KOLKATA, step: 7.5 * HOUR },
      { zone: ADELAIDE, step: HOUR / 2 },
    ]) {
      const skipped: string[] = [];
      for (let instant = utc('2027-01-01T00:00'); instant < utc('2028-01-01T00:00'); instant += step) {
        const local = new Date(instant).toISOString().slice(0, 16);
        if (utcToZoned(zonedToUtc(local, zone), zone) !== local) skipped.push(local);
      }
      expect(skipped, zone).toEqual(zone === ADELAIDE ? ['2027-10-03T02:00', '2027-10-03T02:30'] : []);
    }
  });

  it('give the instant of a reminder as dueAt', () => {
    expect(dueAt({ at: '2027-07-15T08:00', zone: BERLIN })).toBe(utc('2027-07-15T06:00'));
  });
});

describe('nextOccurrence across daylight-saving changes', () => {
  const transitions = [
    { zone: BERLIN, spring: '2027-03-27T08:00', autumn: '2027-10-30T08:00' },
    { zone: NEW_YORK, spring: '2027-03-13T08:00', autumn: '2027-11-06T08:00' },
  ];

  for (const { zone, spring, autumn } of transitions) {
    it(`keeps a daily 08:00 at 08:00 in ${zone} over the spring change (a 23-hour day)`, () => {
      const occurrences = series({ at: spring, zone, repeat: { every: 'day' } }, 3);
      expect(occurrences.map((at) => utcToZoned(zonedToUtc(at, zone), zone))).toEqual(occurrences);
      expect(occurrences.every((at) => at.endsWith('T08:00'))).toBe(true);
      expect(gapsInHours(occurrences, zone)).toEqual([23, 24]);
    });

    it(`keeps a daily 08:00 at 08:00 in ${zone} over the autumn change (a 25-hour day)`, () => {
      const occurrences = series({ at: autumn, zone, repeat: { every: 'day' } }, 3);
      expect(occurrences.map((at) => utcToZoned(zonedToUtc(at, zone), zone))).toEqual(occurrences);
      expect(gapsInHours(occurrences, zone)).toEqual([25, 24]);
    });
  }

  it('keeps a daily 08:00 in half-hour zones: 24 h apart in Kolkata, 25 h and 23 h over Adelaide changes', () => {
    expect(gapsInHours(series({ at: '2027-03-27T08:00', zone: KOLKATA, repeat: { every: 'day' } }, 3), KOLKATA)).toEqual([24, 24]);
    const autumn = series({ at: '2027-04-03T08:00', zone: ADELAIDE, repeat: { every: 'day' } }, 3);
    expect(autumn).toEqual(['2027-04-03T08:00', '2027-04-04T08:00', '2027-04-05T08:00']);
    expect(gapsInHours(autumn, ADELAIDE)).toEqual([25, 24]);
    const spring = series({ at: '2027-10-02T08:00', zone: ADELAIDE, repeat: { every: 'day' } }, 3);
    expect(gapsInHours(spring, ADELAIDE)).toEqual([23, 24]);
    expect(spring.map((at) => utcToZoned(zonedToUtc(at, ADELAIDE), ADELAIDE))).toEqual(spring);
  });

  it('keeps a weekly reminder on its wall time when a week spans the change', () => {
    const occurrences = series({ at: '2027-03-25T08:00', zone: BERLIN, repeat: { every: 'week' } }, 2);
    expect(occurrences).toEqual(['2027-03-25T08:00', '2027-04-01T08:00']);
    expect(gapsInHours(occurrences, BERLIN)).toEqual([7 * 24 - 1]);
  });

  it('keeps a reminder set inside the gap at its wall time on the days after', () => {
    expect(nextOccurrence({ at: '2027-03-28T02:30', zone: BERLIN, repeat: { every: 'day' } })).toBe('2027-03-29T02:30');
  });
});

describe('nextOccurrence on the calendar', () => {
  it('is undefined for a one-off', () => {
    expect(nextOccurrence({ at: '2027-06-01T08:00', zone: BERLIN })).toBeUndefined();
  });

  it('crosses month and year ends day by day', () => {
    expect(nextOccurrence({ at: '2027-12-31T23:45', zone: BERLIN, repeat: { every: 'day' } })).toBe('2028-01-01T23:45');
    expect(nextOccurrence({ at: '2028-02-28T08:00', zone: BERLIN, repeat: { every: 'day' } })).toBe('2028-02-29T08:00');
    expect(nextOccurrence({ at: '2027-02-28T08:00', zone: BERLIN, repeat: { every: 'day' } })).toBe('2027-03-01T08:00');
  });

  it('gives a monthly 31st the last day of shorter months and goes back to the 31st after', () => {
    const monthly = { every: 'month', day: 31 } as const;
    expect(series({ at: '2027-01-31T09:00', zone: BERLIN, repeat: monthly }, 5)).toEqual([
      '2027-01-31T09:00',
      '2027-02-28T09:00',
      '2027-03-31T09:00',
      '2027-04-30T09:00',
      '2027-05-31T09:00',
    ]);
    expect(series({ at: '2028-01-31T09:00', zone: BERLIN, repeat: monthly }, 3)).toEqual(['2028-01-31T09:00', '2028-02-29T09:00', '2028-03-31T09:00']);
    expect(nextOccurrence({ at: '2027-12-31T09:00', zone: BERLIN, repeat: monthly })).toBe('2028-01-31T09:00');
  });

  it('without an anchor day, repeats on the day of month of the current date', () => {
    expect(series({ at: '2027-01-31T09:00', zone: BERLIN, repeat: { every: 'month' } }, 3)).toEqual(['2027-01-31T09:00', '2027-02-28T09:00', '2027-03-28T09:00']);
  });

  it('reaches the anchor day later in the same month when the current date is before it', () => {
    expect(nextOccurrence({ at: '2027-01-10T09:00', zone: BERLIN, repeat: { every: 'month', day: 31 } })).toBe('2027-01-31T09:00');
  });

  it('moves a leap day on to the 29th next month, and a week on to 7 March', () => {
    expect(nextOccurrence({ at: '2028-02-29T08:00', zone: BERLIN, repeat: { every: 'month' } })).toBe('2028-03-29T08:00');
    expect(nextOccurrence({ at: '2028-02-29T08:00', zone: BERLIN, repeat: { every: 'month', day: 29 } })).toBe('2028-03-29T08:00');
    expect(nextOccurrence({ at: '2028-02-29T08:00', zone: BERLIN, repeat: { every: 'week' } })).toBe('2028-03-07T08:00');
    expect(nextOccurrence({ at: '2028-02-29T08:00', zone: BERLIN, repeat: { every: 'day' } })).toBe('2028-03-01T08:00');
  });

  it('goes to the next chosen weekday, wrapping the week, at the same time', () => {
    const monWedFri: Repeat = { every: 'weekdays', days: [1, 3, 5] };
    expect(series({ at: '2027-06-02T07:15', zone: BERLIN, repeat: monWedFri }, 4)).toEqual([
      '2027-06-02T07:15',
      '2027-06-04T07:15',
      '2027-06-07T07:15',
      '2027-06-09T07:15',
    ]);
    expect(nextOccurrence({ at: '2027-06-01T07:15', zone: BERLIN, repeat: monWedFri })).toBe('2027-06-02T07:15');
    expect(nextOccurrence({ at: '2027-06-06T07:15', zone: BERLIN, repeat: { every: 'weekdays', days: [0] } })).toBe('2027-06-13T07:15');
    expect(nextOccurrence({ at: '2027-12-31T07:15', zone: BERLIN, repeat: { every: 'weekdays', days: [1] } })).toBe('2028-01-03T07:15');
  });
});

describe('firstOccurrenceAfter', () => {
  const now = zonedToUtc('2027-06-10T12:00', BERLIN);

  it('catches a daily reminder from three days ago up to the next 08:00 after now', () => {
    expect(firstOccurrenceAfter({ at: '2027-06-07T08:00', zone: BERLIN, repeat: { every: 'day' } }, now)).toBe('2027-06-11T08:00');
    const beforeEight = zonedToUtc('2027-06-10T07:59', BERLIN);
    expect(firstOccurrenceAfter({ at: '2027-06-07T08:00', zone: BERLIN, repeat: { every: 'day' } }, beforeEight)).toBe('2027-06-10T08:00');
  });

  it('is strictly later: an occurrence due exactly at afterMs does not count', () => {
    const eight = zonedToUtc('2027-06-10T08:00', BERLIN);
    expect(firstOccurrenceAfter({ at: '2027-06-10T08:00', zone: BERLIN, repeat: { every: 'day' } }, eight)).toBe('2027-06-11T08:00');
    expect(firstOccurrenceAfter({ at: '2027-06-07T08:00', zone: BERLIN, repeat: { every: 'day' } }, eight)).toBe('2027-06-11T08:00');
    expect(firstOccurrenceAfter({ at: '2027-06-10T08:00', zone: BERLIN }, eight)).toBeUndefined();
    expect(firstOccurrenceAfter({ at: '2027-06-10T08:00', zone: BERLIN }, eight - 1)).toBe('2027-06-10T08:00');
  });

  it('gives undefined for a one-off in the past and the one-off itself in the future', () => {
    expect(firstOccurrenceAfter({ at: '2027-06-09T08:00', zone: BERLIN }, now)).toBeUndefined();
    expect(firstOccurrenceAfter({ at: '2027-06-11T08:00', zone: BERLIN }, now)).toBe('2027-06-11T08:00');
    expect(firstOccurrenceAfter({ at: '2027-06-20T08:00', zone: BERLIN, repeat: { every: 'day' } }, now)).toBe('2027-06-20T08:00');
  });

  it('catches up every kind of repeat from years back, keeping weekday, anchor day and time', () => {
    expect(firstOccurrenceAfter({ at: '2020-01-06T08:00', zone: BERLIN, repeat: { every: 'week' } }, now)).toBe('2027-06-14T08:00');
    expect(firstOccurrenceAfter({ at: '2020-01-31T08:00', zone: BERLIN, repeat: { every: 'month', day: 31 } }, now)).toBe('2027-06-30T08:00');
    expect(firstOccurrenceAfter({ at: '2020-01-31T08:00', zone: BERLIN, repeat: { every: 'month' } }, zonedToUtc('2027-02-15T00:00', BERLIN))).toBe(
      '2027-02-28T08:00',
    );
    expect(firstOccurrenceAfter({ at: '2020-01-31T08:00', zone: BERLIN, repeat: { every: 'month' } }, zonedToUtc('2027-02-28T09:00', BERLIN))).toBe(
      '2027-03-31T08:00',
    );
    expect(firstOccurrenceAfter({ at: '2020-01-07T08:00', zone: BERLIN, repeat: { every: 'weekdays', days: [1, 3] } }, now)).toBe('2027-06-14T08:00');
  });

  it('agrees with stepping one occurrence at a time, for every repeat and many instants', () => {
    const repeats = STEPPED_REPEATS;
    for (const zone of [BERLIN, NEW_YORK, ADELAIDE]) {
      for (const repeat of repeats) {
        const start: ReminderTime = { at: '2026-10-31T02:30', zone, repeat };
        const occurrences = series(start, 700);
        const instants = occurrences.map((at) => zonedToUtc(at, zone));
        for (let afterMs = utc('2026-10-01T00:00'); afterMs < utc('2028-06-01T00:00'); afterMs += 4 * DAY + 7 * HOUR + 13 * 60_000) {
          const expected = occurrences[instants.findIndex((instant) => instant > afterMs)];
          expect(firstOccurrenceAfter(start, afterMs), `${zone} ${JSON.stringify(repeat)} after ${new Date(afterMs).toISOString()}`).toBe(expected);
        }
      }
    }
  });

  it('jumps instead of stepping day by day: a daily reminder from five years ago takes well under a millisecond', () => {
    const old: ReminderTime = { at: '2022-06-10T08:00', zone: BERLIN, repeat: { every: 'day' } };
    for (let warmUp = 0; warmUp < 50; warmUp++) firstOccurrenceAfter(old, now);
    const runs = 200;
    const started = performance.now();
    for (let run = 0; run < runs; run++) firstOccurrenceAfter(old, now + run * 60_000);
    expect((performance.now() - started) / runs).toBeLessThan(2);
    expect(firstOccurrenceAfter(old, now)).toBe('2027-06-11T08:00');
  });

  it('stays fast a thousand years back, where stepping would take hundreds of thousands of steps', () => {
    const started = performance.now();
    expect(firstOccurrenceAfter({ at: '1027-06-10T08:00', zone: BERLIN, repeat: { every: 'day' } }, now)).toBe('2027-06-11T08:00');
    expect(firstOccurrenceAfter({ at: '1027-06-10T08:00', zone: BERLIN, repeat: { every: 'weekdays', days: [5] } }, now)).toBe('2027-06-11T08:00');
    expect(performance.now() - started).toBeLessThan(50);
  });
});

describe('lastOccurrenceBy', () => {
  it('gives a one-off nothing before its time, and itself at and after it', () => {
    const oneOff: ReminderTime = { at: '2027-06-10T08:00', zone: BERLIN };
    const due = zonedToUtc('2027-06-10T08:00', BERLIN);
    expect(lastOccurrenceBy(oneOff, due - 1)).toBeUndefined();
    expect(lastOccurrenceBy(oneOff, due)).toBe('2027-06-10T08:00');
    expect(lastOccurrenceBy(oneOff, due + 365 * DAY)).toBe('2027-06-10T08:00');
  });

  it('gives a repeat nothing before its first occurrence: it is not due yet', () => {
    const daily: ReminderTime = { at: '2027-06-10T08:00', zone: BERLIN, repeat: { every: 'day' } };
    expect(lastOccurrenceBy(daily, zonedToUtc('2027-06-10T07:59', BERLIN))).toBeUndefined();
    expect(lastOccurrenceBy(daily, zonedToUtc('2027-06-10T08:00', BERLIN))).toBe('2027-06-10T08:00');
  });

  it('brings a daily reminder never answered for ten days to the latest 08:00, counting one due exactly then', () => {
    const daily: ReminderTime = { at: '2027-06-01T08:00', zone: BERLIN, repeat: { every: 'day' } };
    expect(lastOccurrenceBy(daily, zonedToUtc('2027-06-11T09:00', BERLIN))).toBe('2027-06-11T08:00');
    expect(lastOccurrenceBy(daily, zonedToUtc('2027-06-11T08:00', BERLIN))).toBe('2027-06-11T08:00');
    expect(lastOccurrenceBy(daily, zonedToUtc('2027-06-11T08:00', BERLIN) - 1)).toBe('2027-06-10T08:00');
  });

  it('keeps a weekly reminder on its weekday', () => {
    // 2027-06-01 is a Tuesday; 2027-06-13 a Sunday.
    const weekly: ReminderTime = { at: '2027-06-01T08:00', zone: BERLIN, repeat: { every: 'week' } };
    expect(lastOccurrenceBy(weekly, zonedToUtc('2027-06-13T12:00', BERLIN))).toBe('2027-06-08T08:00');
    expect(lastOccurrenceBy(weekly, zonedToUtc('2027-06-15T08:00', BERLIN))).toBe('2027-06-15T08:00');
  });

  it("gives Monday, Wednesday and Friday on a Sunday the Friday's", () => {
    const monWedFri: ReminderTime = { at: '2027-05-03T08:00', zone: BERLIN, repeat: { every: 'weekdays', days: [1, 3, 5] } };
    expect(lastOccurrenceBy(monWedFri, zonedToUtc('2027-06-13T12:00', BERLIN))).toBe('2027-06-11T08:00');
    expect(lastOccurrenceBy(monWedFri, zonedToUtc('2027-06-14T07:00', BERLIN))).toBe('2027-06-11T08:00');
    expect(lastOccurrenceBy(monWedFri, zonedToUtc('2027-06-14T08:00', BERLIN))).toBe('2027-06-14T08:00');
  });

  it("gives a monthly 31st February's last day, then the 31st again, with or without the anchor day set", () => {
    for (const repeat of [{ every: 'month', day: 31 }, { every: 'month' }] as Repeat[]) {
      const monthly: ReminderTime = { at: '2027-01-31T08:00', zone: BERLIN, repeat };
      expect(lastOccurrenceBy(monthly, zonedToUtc('2027-02-27T12:00', BERLIN)), JSON.stringify(repeat)).toBe('2027-01-31T08:00');
      expect(lastOccurrenceBy(monthly, zonedToUtc('2027-03-15T12:00', BERLIN)), JSON.stringify(repeat)).toBe('2027-02-28T08:00');
      // Not the 28th of March: the anchor is the 31st of `at`, not the day February left.
      expect(lastOccurrenceBy(monthly, zonedToUtc('2027-03-31T09:00', BERLIN)), JSON.stringify(repeat)).toBe('2027-03-31T08:00');
      expect(lastOccurrenceBy(monthly, zonedToUtc('2028-03-01T00:00', BERLIN)), JSON.stringify(repeat)).toBe('2028-02-29T08:00');
    }
  });

  it('keeps a daily 08:00 at 08:00 Berlin time over both clock changes', () => {
    const daily: ReminderTime = { at: '2027-03-20T08:00', zone: BERLIN, repeat: { every: 'day' } };
    // 28 March 2027: clocks go from 02:00 to 03:00; 08:00 is 07:00 UTC before, 06:00 UTC after.
    expect(lastOccurrenceBy(daily, utc('2027-03-27T07:30'))).toBe('2027-03-27T08:00');
    expect(lastOccurrenceBy(daily, utc('2027-03-28T06:30'))).toBe('2027-03-28T08:00');
    expect(lastOccurrenceBy(daily, utc('2027-03-29T05:59'))).toBe('2027-03-28T08:00');
    // 31 October 2027: back from 03:00 to 02:00.
    expect(lastOccurrenceBy(daily, utc('2027-10-31T06:59'))).toBe('2027-10-30T08:00');
    expect(lastOccurrenceBy(daily, utc('2027-10-31T07:00'))).toBe('2027-10-31T08:00');
  });

  it('agrees with stepping one occurrence at a time, for every repeat and many instants', () => {
    // A month without its anchor day is left out: stepping drifts to 30 after November, while
    // lastOccurrenceBy keeps the day of `at` (tested above).
    const repeats: Repeat[] = [...STEPPED_REPEATS, { every: 'weekdays', days: [1, 3, 5] }];
    for (const zone of [BERLIN, NEW_YORK, ADELAIDE]) {
      for (const repeat of repeats) {
        // 02:30 falls in a spring-forward gap on some days, and twice on some autumn days.
        const start: ReminderTime = { at: '2026-10-31T02:30', zone, repeat };
        const occurrences = series(start, 700);
        const instants = occurrences.map((at) => zonedToUtc(at, zone));
        for (let atMs = utc('2026-10-01T00:00'); atMs < utc('2028-06-01T00:00'); atMs += 4 * DAY + 7 * HOUR + 13 * 60_000) {
          const due = instants.filter((instant) => instant <= atMs).length;
          const expected = due === 0 ? undefined : occurrences[due - 1];
          expect(lastOccurrenceBy(start, atMs), `${zone} ${JSON.stringify(repeat)} by ${new Date(atMs).toISOString()}`).toBe(expected);
        }
        // Exactly at each occurrence, that occurrence; a millisecond before, the one before it.
        for (const [index, instant] of instants.slice(0, 60).entries()) {
          expect(lastOccurrenceBy(start, instant)).toBe(occurrences[index]);
          expect(lastOccurrenceBy(start, instant - 1)).toBe(index === 0 ? undefined : occurrences[index - 1]);
        }
      }
    }
  });

  it('stays fast a thousand years after the first occurrence', () => {
    const started = performance.now();
    expect(lastOccurrenceBy({ at: '1027-06-10T08:00', zone: BERLIN, repeat: { every: 'day' } }, zonedToUtc('2027-06-10T12:00', BERLIN))).toBe('2027-06-10T08:00');
    expect(lastOccurrenceBy({ at: '1027-06-10T08:00', zone: BERLIN, repeat: { every: 'weekdays', days: [5] } }, zonedToUtc('2027-06-10T12:00', BERLIN))).toBe(
      '2027-06-04T08:00',
    );
    expect(performance.now() - started).toBeLessThan(50);
  });
});

describe('presets', () => {
  it('offers later today, tomorrow morning and next Monday on a Wednesday morning', () => {
    expect(presets(zonedToUtc('2027-06-02T10:00', BERLIN), BERLIN)).toEqual({
      laterToday: '2027-06-02T18:00',
      tomorrowMorning: '2027-06-03T08:00',
      nextWeek: '2027-06-07T08:00',
    });
  });

  it('offers later today only before 17:00', () => {
    expect(presets(zonedToUtc('2027-06-02T16:59', BERLIN), BERLIN).laterToday).toBe('2027-06-02T18:00');
    expect(presets(zonedToUtc('2027-06-02T17:00', BERLIN), BERLIN)).not.toHaveProperty('laterToday');
  });

  it('on a Monday means the Monday in 7 days, on a Sunday the next day', () => {
    expect(presets(zonedToUtc('2027-06-07T09:00', BERLIN), BERLIN).nextWeek).toBe('2027-06-14T08:00');
    expect(presets(zonedToUtc('2027-06-06T09:00', BERLIN), BERLIN).nextWeek).toBe('2027-06-07T08:00');
  });

  it("counts days in the person's zone, not in UTC", () => {
    const lateEvening = utc('2027-06-02T23:30');
    expect(presets(lateEvening, BERLIN)).toEqual({ tomorrowMorning: '2027-06-04T08:00', laterToday: '2027-06-03T18:00', nextWeek: '2027-06-07T08:00' });
    expect(presets(lateEvening, NEW_YORK)).toEqual({ tomorrowMorning: '2027-06-03T08:00', nextWeek: '2027-06-07T08:00' });
    expect(presets(utc('2027-12-31T20:00'), KOLKATA).tomorrowMorning).toBe('2028-01-02T08:00');
  });
});

describe('describeWhen', () => {
  const now = zonedToUtc('2027-12-01T10:00', BERLIN);

  it('says today and tomorrow, then weekday and date, then the year when it is another', () => {
    expect(describeWhen('2027-12-01T18:00', now, BERLIN)).toBe('Today, 18:00');
    expect(describeWhen('2027-12-01T08:05', now, BERLIN)).toBe('Today, 08:05');
    expect(describeWhen('2027-12-02T08:00', now, BERLIN)).toBe('Tomorrow, 08:00');
    expect(describeWhen('2027-12-03T08:00', now, BERLIN)).toBe('Fri 3 Dec, 08:00');
    expect(describeWhen('2027-01-18T21:30', now, BERLIN)).toBe('Mon 18 Jan, 21:30');
    expect(describeWhen('2028-01-03T08:00', now, BERLIN)).toBe('3 Jan 2028, 08:00');
    expect(describeWhen('2026-12-03T00:00', now, BERLIN)).toBe('3 Dec 2026, 00:00');
  });

  it("is relative to today in the person's zone", () => {
    const lateEvening = utc('2027-12-01T23:30');
    expect(describeWhen('2027-12-02T08:00', lateEvening, BERLIN)).toBe('Today, 08:00');
    expect(describeWhen('2027-12-02T08:00', lateEvening, NEW_YORK)).toBe('Tomorrow, 08:00');
    expect(describeWhen('2028-01-01T08:00', utc('2027-12-31T20:00'), KOLKATA)).toBe('Today, 08:00');
  });
});

describe('describeRepeat', () => {
  it('names the simple repeats', () => {
    expect(describeRepeat({ every: 'day' })).toBe('Daily');
    expect(describeRepeat({ every: 'week' })).toBe('Weekly');
    expect(describeRepeat({ every: 'month' })).toBe('Monthly');
    expect(describeRepeat({ every: 'month', day: 31 })).toBe('Monthly');
  });

  it('lists chosen weekdays Monday first, and names all seven and Monday to Friday', () => {
    expect(describeRepeat({ every: 'weekdays', days: [1, 3, 5] })).toBe('Mon, Wed, Fri');
    expect(describeRepeat({ every: 'weekdays', days: [0, 1, 6] })).toBe('Mon, Sat, Sun');
    expect(describeRepeat({ every: 'weekdays', days: [2] })).toBe('Tue');
    expect(describeRepeat({ every: 'weekdays', days: [1, 2, 3, 4, 5] })).toBe('Weekdays');
    expect(describeRepeat({ every: 'weekdays', days: [0, 1, 2, 3, 4, 5, 6] })).toBe('Daily');
    expect(describeRepeat({ every: 'weekdays', days: [1, 2, 3, 4, 5, 6] })).toBe('Mon, Tue, Wed, Thu, Fri, Sat');
  });
});
