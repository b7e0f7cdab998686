/**
 * Reminder times: wall-clock dates and times in the person's IANA time zone, how a repeat moves
 * them on, and when they happen as instants. A daily 08:00 reminder rings at 08:00 local on both
 * sides of a daylight-saving change, so recurrence is calendar arithmetic on the wall clock, and
 * only `zonedToUtc` turns a wall time into an instant. Shared by the app, the service worker and the
 * Cloud Functions, so it uses the standard library only: Intl.DateTimeFormat knows the zones.
 */
import { isRecord } from './errors.js';

/** A wall-clock date and time, minutes precision: "YYYY-MM-DDTHH:mm". */
export type LocalDateTime = string;

/** How a reminder repeats; every kind keeps the time of day of the reminder's `at`. */
export type Repeat =
  | { every: 'day' }
  /** On the weekday of the reminder's first date. */
  | { every: 'week' }
  /**
   * On day `day` of every month (the first date's day of month, set by the caller, since each
   * occurrence only knows its own date); months too short for it get their last day instead.
   * Without `day`, the day of month of the current `at`.
   */
  | { every: 'month'; day?: number }
  /** On the chosen weekdays, 0 = Sunday .. 6 = Saturday: at least one, sorted, unique. */
  | { every: 'weekdays'; days: number[] };

/** What recurrence needs of a reminder. */
export interface ReminderTime {
  /** The first (or current) occurrence, wall clock in `zone`. */
  at: LocalDateTime;
  /** IANA time zone, e.g. "Europe/Berlin". */
  zone: string;
  repeat?: Repeat;
}

interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

interface WallTime extends CalendarDate {
  hour: number;
  minute: number;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
const MONDAY = 1;
const LAST_ANCHOR_DAY = 31;
const WEEKDAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
const WEEK_FROM_MONDAY = [1, 2, 3, 4, 5, 6, 0] as const;
const WORKING_DAYS = [1, 2, 3, 4, 5] as const;
const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;
const REPEAT_KEYS: Record<Repeat['every'], readonly string[]> = {
  day: ['every'],
  week: ['every'],
  month: ['every', 'day'],
  weekdays: ['every', 'days'],
};

/** Strict "YYYY-MM-DDTHH:mm" naming a real calendar date (no Feb 30), hours 00-23, minutes 00-59. */
export function isLocalDateTime(value: unknown): value is LocalDateTime {
  return typeof value === 'string' && parseLocal(value) !== undefined;
}

/** A time zone Intl accepts, so every other function here can compute with it. */
export function isTimeZone(value: unknown): value is string {
  if (typeof value !== 'string' || value === '') return false;
  try {
    zoneFormatter(value);
    return true;
  } catch {
    return false;
  }
}

/** A well-formed Repeat: a known kind, no other fields, a month day 1-31, weekdays 1-7 entries of 0-6, sorted, unique. */
export function isRepeat(value: unknown): value is Repeat {
  if (!isRecord(value) || typeof value.every !== 'string' || !Object.hasOwn(REPEAT_KEYS, value.every)) return false;
  const allowedKeys = REPEAT_KEYS[value.every as Repeat['every']];
  if (!Object.keys(value).every((key) => allowedKeys.includes(key))) return false;
  if (value.every === 'month') return value.day === undefined || isDayOfMonth(value.day);
  if (value.every === 'weekdays') return isWeekdayList(value.days);
  return true;
}

/**
 * The instant (ms since epoch) at which `local` happens in `zone`. A time skipped by a
 * spring-forward gap is moved on by the gap's length (02:30 becomes 03:30), as calendars do; a
 * time that happens twice when the clocks fall back is the earlier of the two.
 */
export function zonedToUtc(local: LocalDateTime, zone: string): number {
  const wall = wallClockMs(requireLocal(local));
  const offsetBefore = offsetAt(wall - DAY_MS, zone);
  const offsetAfter = offsetAt(wall + DAY_MS, zone);
  const matching = [...new Set([wall - offsetBefore, wall - offsetAfter])].filter((instant) => offsetAt(instant, zone) === wall - instant);
  return matching.length === 0 ? wall - offsetBefore : Math.min(...matching);
}

/** The wall-clock time in `zone` at instant `ms` (minutes precision, seconds dropped). */
export function utcToZoned(ms: number, zone: string): LocalDateTime {
  if (!Number.isFinite(ms)) throw new RangeError(`Not an instant: ${ms}`);
  const { year, month, day, hour, minute } = zonedFields(ms, zone);
  return formatLocal({ year, month, day, hour, minute });
}

/**
 * The occurrence after `at` (a wall-clock time of this reminder), or undefined when it does not
 * repeat. Pure calendar arithmetic: the time of day stays, whatever the clocks do in between.
 */
export function nextOccurrence(reminder: ReminderTime): LocalDateTime | undefined {
  const { repeat } = reminder;
  if (repeat === undefined) return undefined;
  if (!isRepeat(repeat)) throw new RangeError(`Not a repeat: ${JSON.stringify(repeat)}`);
  const current = requireLocal(reminder.at);
  return formatLocal({ ...dateAfter(current, repeat), hour: current.hour, minute: current.minute });
}

/**
 * The first occurrence whose instant is strictly later than `afterMs` (catching up after missed
 * ones), or undefined when there is none (a one-off in the past); `at` itself counts when later.
 * Jumps close to `afterMs` by arithmetic, then steps, so an old daily reminder costs no more than
 * a new one. A monthly repeat without `day` keeps the day of month of `at` throughout.
 */
export function firstOccurrenceAfter(reminder: ReminderTime, afterMs: number): LocalDateTime | undefined {
  if (dueAt(reminder) > afterMs) return reminder.at;
  const { repeat, zone } = reminder;
  if (repeat === undefined) return undefined;
  if (!isRepeat(repeat)) throw new RangeError(`Not a repeat: ${JSON.stringify(repeat)}`);
  const start = requireLocal(reminder.at);
  const anchoredRepeat: Repeat = repeat.every === 'month' ? { every: 'month', day: repeat.day ?? start.day } : repeat;
  const after = requireLocal(utcToZoned(afterMs, zone));
  let date = occurrenceShortlyBefore(start, anchoredRepeat, after);
  let at: LocalDateTime;
  do {
    date = dateAfter(date, anchoredRepeat);
    at = formatLocal({ ...date, hour: start.hour, minute: start.minute });
  } while (zonedToUtc(at, zone) <= afterMs);
  return at;
}

/** Longest gap between two occurrences of each repeat (a month of 31 days, a clock change), with room to spare. */
const LONGEST_GAP_MS: Record<Repeat['every'], number> = { day: 2 * DAY_MS, week: 8 * DAY_MS, weekdays: 8 * DAY_MS, month: 33 * DAY_MS };

/**
 * The latest occurrence whose instant is at or before `atMs` (`at` itself counts), or undefined
 * when the reminder is not due by then. A repeat that rang and was never answered has rung on at
 * each occurrence since: this is the one ringing at `atMs`.
 */
export function lastOccurrenceBy(reminder: ReminderTime, atMs: number): LocalDateTime | undefined {
  if (dueAt(reminder) > atMs) return undefined;
  const { repeat, zone } = reminder;
  if (repeat === undefined) return reminder.at;
  if (!isRepeat(repeat)) throw new RangeError(`Not a repeat: ${JSON.stringify(repeat)}`);
  const anchoredRepeat: Repeat = repeat.every === 'month' ? { every: 'month', day: repeat.day ?? requireLocal(reminder.at).day } : repeat;
  // An occurrence lies within one gap before atMs; step from the first after that window.
  let last = firstOccurrenceAfter({ ...reminder, repeat: anchoredRepeat }, atMs - LONGEST_GAP_MS[repeat.every]) ?? reminder.at;
  for (;;) {
    const next = nextOccurrence({ at: last, zone, repeat: anchoredRepeat });
    if (next === undefined || zonedToUtc(next, zone) > atMs) return last;
    last = next;
  }
}

/** The instant of the reminder's `at`: when it is due. */
export function dueAt(reminder: ReminderTime): number {
  return zonedToUtc(reminder.at, reminder.zone);
}

/**
 * Presets the reminder dialog offers, from `nowMs` in `zone`: later today at 18:00 (only before
 * 17:00, so it is not moments away), tomorrow at 08:00, and next Monday at 08:00 (in 7 days on a Monday).
 */
export function presets(nowMs: number, zone: string): { laterToday?: LocalDateTime; tomorrowMorning: LocalDateTime; nextWeek: LocalDateTime } {
  const now = requireLocal(utcToZoned(nowMs, zone));
  const daysToMonday = (MONDAY - weekdayOf(now) + 7) % 7 || 7;
  const onTheHour = (date: CalendarDate, hour: number) => formatLocal({ ...date, hour, minute: 0 });
  return {
    ...(now.hour < 17 ? { laterToday: onTheHour(now, 18) } : {}),
    tomorrowMorning: onTheHour(addDays(now, 1), 8),
    nextWeek: onTheHour(addDays(now, daysToMonday), 8),
  };
}

/**
 * A short label for a reminder chip, relative to `nowMs` in `zone`: "Today, 18:00",
 * "Tomorrow, 08:00", "Mon 3 Dec, 08:00", or "3 Dec 2027, 08:00" in another year. English,
 * 24-hour, the same on every device whatever its locale.
 */
export function describeWhen(local: LocalDateTime, nowMs: number, zone: string): string {
  const when = requireLocal(local);
  const today = requireLocal(utcToZoned(nowMs, zone));
  const time = `${pad(when.hour, 2)}:${pad(when.minute, 2)}`;
  const daysAway = dayNumber(when) - dayNumber(today);
  if (daysAway === 0) return `Today, ${time}`;
  if (daysAway === 1) return `Tomorrow, ${time}`;
  const dayAndMonth = `${when.day} ${MONTH_NAMES[when.month - 1]}`;
  if (when.year === today.year) return `${WEEKDAY_NAMES[weekdayOf(when)]} ${dayAndMonth}, ${time}`;
  return `${dayAndMonth} ${when.year}, ${time}`;
}

/** A short label for a repeat: "Daily", "Weekly", "Monthly", "Weekdays" (Mon-Fri), or the days in Mon..Sun order ("Mon, Wed, Fri"). */
export function describeRepeat(repeat: Repeat): string {
  switch (repeat.every) {
    case 'day':
      return 'Daily';
    case 'week':
      return 'Weekly';
    case 'month':
      return 'Monthly';
    case 'weekdays': {
      const chosen = new Set(repeat.days);
      if (chosen.size === 7) return 'Daily';
      if (chosen.size === WORKING_DAYS.length && WORKING_DAYS.every((day) => chosen.has(day))) return 'Weekdays';
      return WEEK_FROM_MONDAY.filter((day) => chosen.has(day))
        .map((day) => WEEKDAY_NAMES[day])
        .join(', ');
    }
  }
}

function isDayOfMonth(value: unknown): boolean {
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= LAST_ANCHOR_DAY;
}

function isWeekdayList(value: unknown): boolean {
  if (!Array.isArray(value) || value.length < 1 || value.length > 7) return false;
  return value.every((day, index) => Number.isInteger(day) && day >= 0 && day <= 6 && (index === 0 || day > value[index - 1]));
}

function parseLocal(value: string): WallTime | undefined {
  const match = LOCAL_DATE_TIME.exec(value);
  if (!match) return undefined;
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59) return undefined;
  return { year, month, day, hour, minute };
}

function requireLocal(value: LocalDateTime): WallTime {
  const parsed = typeof value === 'string' ? parseLocal(value) : undefined;
  if (!parsed) throw new RangeError(`Not a local date and time ("YYYY-MM-DDTHH:mm"): ${String(value)}`);
  return parsed;
}

function formatLocal({ year, month, day, hour, minute }: WallTime): LocalDateTime {
  if (year < 0 || year > 9999) throw new RangeError(`Year ${year} is outside 0000-9999`);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(hour, 2)}:${pad(minute, 2)}`;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Days since 1970-01-01 in the proleptic Gregorian calendar, without Date's two-digit-year quirks. */
function dayNumber({ year, month, day }: CalendarDate): number {
  const marchYear = month <= 2 ? year - 1 : year;
  const era = Math.floor(marchYear / 400);
  const yearOfEra = marchYear - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function dateOfDayNumber(days: number): CalendarDate {
  const shifted = days + 719_468;
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const marchMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * marchMonth + 2) / 5) + 1;
  const month = marchMonth < 10 ? marchMonth + 3 : marchMonth - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

function addDays(date: CalendarDate, days: number): CalendarDate {
  return dateOfDayNumber(dayNumber(date) + days);
}

/** 0 = Sunday .. 6 = Saturday; 1970-01-01 was a Thursday. */
function weekdayOf(date: CalendarDate): number {
  return (((dayNumber(date) + 4) % 7) + 7) % 7;
}

function monthlyDate(year: number, month: number, anchorDay: number): CalendarDate {
  const monthIndex = year * 12 + (month - 1);
  const normalizedYear = Math.floor(monthIndex / 12);
  const normalizedMonth = monthIndex - normalizedYear * 12 + 1;
  return { year: normalizedYear, month: normalizedMonth, day: Math.min(anchorDay, daysInMonth(normalizedYear, normalizedMonth)) };
}

function dateAfter(current: CalendarDate, repeat: Repeat): CalendarDate {
  switch (repeat.every) {
    case 'day':
      return addDays(current, 1);
    case 'week':
      return addDays(current, 7);
    case 'month': {
      const anchorDay = repeat.day ?? current.day;
      const laterThisMonth = monthlyDate(current.year, current.month, anchorDay);
      return laterThisMonth.day > current.day ? laterThisMonth : monthlyDate(current.year, current.month + 1, anchorDay);
    }
    case 'weekdays': {
      const chosen = new Set(repeat.days);
      let date = addDays(current, 1);
      while (!chosen.has(weekdayOf(date))) date = addDays(date, 1);
      return date;
    }
  }
}

/**
 * `start` or a date of its series at least two days before `after` (whose instant is then no
 * later than `after`'s whatever the offsets), found by arithmetic. Every occurrence after it
 * follows by stepping; for weekdays it is a week after week from `start`, itself maybe not chosen.
 */
function occurrenceShortlyBefore(start: CalendarDate, repeat: Repeat, after: CalendarDate): CalendarDate {
  const daysToSpare = dayNumber(after) - dayNumber(start) - 2;
  if (daysToSpare <= 0) return start;
  switch (repeat.every) {
    case 'day':
      return addDays(start, daysToSpare);
    case 'week':
    case 'weekdays':
      return addDays(start, Math.floor(daysToSpare / 7) * 7);
    case 'month': {
      const monthsToSpare = after.year * 12 + after.month - (start.year * 12 + start.month) - 2;
      return monthsToSpare > 0 ? monthlyDate(start.year, start.month + monthsToSpare, repeat.day ?? start.day) : start;
    }
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function zoneFormatter(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

function zonedFields(ms: number, zone: string): WallTime & { second: number } {
  const fields: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const part of zoneFormatter(zone).formatToParts(ms)) fields[part.type] = part.value;
  const yearOfEra = Number(fields.year);
  return {
    year: fields.era === 'BC' ? 1 - yearOfEra : yearOfEra,
    month: Number(fields.month),
    day: Number(fields.day),
    // Some engines print midnight as 24 even with hourCycle h23.
    hour: Number(fields.hour) % 24,
    minute: Number(fields.minute),
    second: Number(fields.second),
  };
}

/** The wall clock's reading as if it were UTC, in ms: what offsets are added to. */
function wallClockMs({ hour, minute, ...date }: WallTime): number {
  return dayNumber(date) * DAY_MS + hour * HOUR_MS + minute * MINUTE_MS;
}

/** How far `zone`'s wall clock is ahead of UTC at instant `ms`, in ms. */
function offsetAt(ms: number, zone: string): number {
  const fields = zonedFields(ms, zone);
  const wholeSecond = Math.floor(ms / 1000) * 1000;
  return wallClockMs(fields) + fields.second * 1000 - wholeSecond;
}
