/**
 * A note's reminder: when it rings (a wall-clock time in the person's time zone, so a daily 08:00
 * stays at 08:00 across a daylight-saving change), how it repeats, and how the person settled the
 * occurrence that rang. One field of the note (`reminder`), stamped and merged like any other, so
 * setting, changing, snoozing or settling it on one device reaches every other. Shared by the app,
 * the service worker and the Cloud Functions, so all agree on when a reminder is due.
 */
import { dueAt, firstOccurrenceAfter, isLocalDateTime, lastOccurrenceBy, zonedToUtc, isRepeat, isTimeZone, type LocalDateTime, type Repeat } from './reminder-time.js';

export interface Reminder {
  /** The occurrence due next, wall clock in `zone`; a repeat moves it on when one is done. */
  at: LocalDateTime;
  /** The IANA time zone `at` is in: where the person set it. */
  zone: string;
  repeat?: Repeat;
  /** Snoozed: the occurrence rings again at this instant (ms) instead. */
  snoozedUntil?: number;
  /** The instant (ms) of the occurrence last dismissed: it rings no more, anywhere. */
  settled?: number;
}

/** A reminder's keys that may be absent: a write replacing a reminder deletes those it lacks. */
export const REMINDER_OPTIONAL_KEYS = ['repeat', 'snoozedUntil', 'settled'] as const;

/** When the reminder rings next as set: its occurrence `at`, or the snooze. */
export function ringsAt(reminder: Reminder): number {
  return reminder.snoozedUntil ?? dueAt(reminder);
}

/**
 * The occurrence of the reminder at `nowMs`: the latest occurrence due by now (a repeat rung and
 * never answered rings on at each occurrence, as the server rings it), or the snooze when later;
 * else the next one. Every device and the server name an occurrence by this instant.
 */
export function occurrenceAt(reminder: Reminder, nowMs: number): number {
  const last = reminder.repeat ? lastOccurrenceBy(reminder, nowMs) : undefined;
  const lastMs = last === undefined ? undefined : zonedToUtc(last, reminder.zone);
  // A snooze stands until a later occurrence of its repeat comes round.
  if (reminder.snoozedUntil !== undefined && (lastMs === undefined || reminder.snoozedUntil >= lastMs)) return reminder.snoozedUntil;
  return lastMs ?? dueAt(reminder);
}

/** The first instant after `afterMs` at which the reminder rings (its snooze, or an occurrence), if any. */
export function nextRingAfter(reminder: Reminder, afterMs: number): number | undefined {
  if (reminder.snoozedUntil !== undefined && reminder.snoozedUntil > afterMs) return reminder.snoozedUntil;
  const next = firstOccurrenceAfter(reminder, afterMs);
  return next === undefined ? undefined : zonedToUtc(next, reminder.zone);
}

/** Rung (or due) and not yet settled by anyone: what a notification shows, and the badge counts. */
export function isRinging(reminder: Reminder | null | undefined, nowMs: number): reminder is Reminder {
  if (!reminder) return false;
  const at = occurrenceAt(reminder, nowMs);
  return at <= nowMs && reminder.settled !== at;
}

/**
 * One id per occurrence (and per snooze of it): the notification's tag on every device, so a late
 * push and the app's own catch-up show the same occurrence once, and a settled one is closed.
 */
export function occurrenceTag(noteId: string, occurrence: number): string {
  return `reminder:${noteId}:${occurrence}`;
}

/** The occurrence a tag names (undefined for other tags). */
export function occurrenceOfTag(tag: string): { noteId: string; occurrence: number } | undefined {
  const match = /^reminder:(.+):(-?\d+)$/.exec(tag);
  return match ? { noteId: match[1] as string, occurrence: Number(match[2]) } : undefined;
}

/**
 * Done: a repeating reminder moves on to its first occurrence after now (missed ones are not
 * replayed); a one-off is cleared.
 */
export function reminderDone(reminder: Reminder, nowMs: number): Reminder | null {
  if (!reminder.repeat) return null;
  const at = firstOccurrenceAfter({ ...reminder }, nowMs);
  return at === undefined ? null : { at, zone: reminder.zone, repeat: reminder.repeat };
}

/** Snoozed until `untilMs`: the same occurrence rings again then. */
export function reminderSnoozed(reminder: Reminder, untilMs: number): Reminder {
  const snoozed = { ...reminder, snoozedUntil: untilMs };
  delete snoozed.settled;
  return snoozed;
}

/**
 * Dismissed (the notification closed without an answer): a repeating reminder moves on as when
 * done; a one-off stays on the note, settled, so it rings nowhere again and the chip shows it past.
 */
export function reminderDismissed(reminder: Reminder, nowMs: number): Reminder | null {
  if (reminder.repeat) return reminderDone(reminder, nowMs);
  return { ...reminder, settled: ringsAt(reminder) };
}

/** A reminder as stored: a well-formed copy, or null for none (and for anything malformed). */
export function reminderFrom(value: unknown): Reminder | null {
  if (typeof value !== 'object' || value === null) return null;
  const { at, zone, repeat, snoozedUntil, settled } = value as Record<string, unknown>;
  if (!isLocalDateTime(at) || !isTimeZone(zone)) return null;
  if (repeat !== undefined && !isRepeat(repeat)) return null;
  if (![snoozedUntil, settled].every((instant) => instant === undefined || Number.isSafeInteger(instant))) return null;
  return {
    at,
    zone,
    ...(repeat ? { repeat: repeat as Repeat } : {}),
    ...(snoozedUntil !== undefined ? { snoozedUntil: snoozedUntil as number } : {}),
    ...(settled !== undefined ? { settled: settled as number } : {}),
  };
}

/**
 * The repeat as the server stores it, one short string ("day", "week", "month:31",
 * "weekdays:1,3,5"): the rules check a whole reminder with one pattern, within their budget of
 * expressions per write (firestore.contract.md).
 */
export function repeatToWire(repeat: Repeat | undefined): string {
  if (!repeat) return '';
  if (repeat.every === 'weekdays') return `weekdays:${repeat.days.join(',')}`;
  if (repeat.every === 'month' && repeat.day !== undefined) return `month:${repeat.day}`;
  return repeat.every;
}

export function repeatFromWire(wire: unknown): Repeat | undefined {
  if (typeof wire !== 'string' || wire === '') return undefined;
  const [every, detail] = wire.split(':');
  const repeat =
    every === 'weekdays'
      ? { every, days: (detail ?? '').split(',').map(Number) }
      : every === 'month' && detail !== undefined
        ? { every, day: Number(detail) }
        : { every };
  return isRepeat(repeat) ? repeat : undefined;
}

/** The reminder as a Firestore document holds it (null: none). */
export type WireReminder = { at: string; zone: string; repeat?: string; snoozedUntil?: number; settled?: number } | null;

export function reminderToWire(reminder: Reminder | null | undefined): WireReminder {
  if (!reminder) return null;
  const { repeat, ...rest } = reminder;
  return repeat ? { ...rest, repeat: repeatToWire(repeat) } : rest;
}

/** A stored document's reminder: null when none, or when it is malformed (nothing rings wrongly). */
export function reminderFromWire(value: unknown): Reminder | null {
  if (typeof value !== 'object' || value === null) return null;
  const wire = value as Record<string, unknown>;
  const repeat = repeatFromWire(wire.repeat);
  if (wire.repeat !== undefined && repeat === undefined) return null;
  return reminderFrom({ ...wire, repeat });
}
