/**
 * The push payload contract, the wire format only: the data map the Cloud Function sends when a
 * note is created (or a test push is asked for), and what the service worker accepts. One module
 * for both ends, so the sender and the receiver cannot drift apart. How that map travels (the FCM
 * message, functions/src/fcm-message.ts) is the server's business. No imports beyond the note
 * schema and the value checks: it runs in Node, the page and the worker.
 *
 * The message is data-only (no `notification` block): FCM then never shows anything itself, and
 * the worker decides what to show, always. FCM requires every data value to be a string.
 */
import { isRecord } from './errors.js';
import { MAX_NOTE_ID_LENGTH, isNoteColor, splitTitle, type ChecklistItem, type NoteColor } from './note.js';
import { repeatFromWire, repeatToWire } from './reminder.js';
import type { Repeat } from './reminder-time.js';

export const PUSH = {
  /** Bumped when the data map changes incompatibly; the worker shows the generic notification for others. */
  VERSION: '1',
  KIND_NOTE_CREATED: 'note-created',
  /** "Send a test notification" from My devices. */
  KIND_TEST: 'test',
  /** A reminder's occurrence is due: sent to every device of the person, the one that set it too. */
  KIND_REMINDER: 'reminder',
  /**
   * A reminder's occurrence the server rang was answered on one device: the others replace its
   * notification quietly with what happened.
   */
  KIND_REMINDER_SETTLED: 'reminder-settled',
  /** What a reminder's notification is titled when its note says nothing. */
  REMINDER_FALLBACK_TITLE: 'Reminder',
  /** Longest preview, in user-perceived characters (grapheme clusters), ellipsis included. */
  PREVIEW_MAX_CHARS: 120,
  /** Longest uid Firebase Auth makes is 128. */
  MAX_UID_LENGTH: 128,
  /** A field stamp: 15 + 1 + 5 + 1 digits and separators, and a device id of at most 64. */
  MAX_STAMP_LENGTH: 100,
} as const;

/** The FCM data map of a test push: every value a string. */
export interface TestPushData {
  version: string;
  kind: string;
  uid: string;
  deviceName: string;
  [key: string]: string;
}

/** The FCM data map, exactly as sent: every value a string. */
export interface NotePushData {
  version: string;
  kind: string;
  uid: string;
  noteId: string;
  preview: string;
  color: string;
  openCount: string;
  link: string;
  [key: string]: string;
}

/** A validated note push, as the worker uses it. */
export interface NotePush {
  kind: 'note-created';
  uid: string;
  noteId: string;
  /** Plain text, lines separated by "\n"; never HTML. */
  preview: string;
  color: NoteColor;
  /** Open notes of the account (not done, not trashed, not deleted), for the app badge. */
  openCount: number;
  /** Same-origin path that opens the note: `/?note=<noteId>`. */
  link: string;
}

export interface NotePushInput {
  uid: string;
  noteId: string;
  text: string;
  /** The note's checklist, if it has one: its first open items follow the text in the preview. */
  items?: readonly ChecklistItem[];
  color: NoteColor;
  openCount: number;
}

/** The in-app link that opens one note. */
export function noteLink(noteId: string): string {
  return `/?note=${encodeURIComponent(noteId)}`;
}

/**
 * The first `count` user-perceived characters of `text`. Intl.Segmenter keeps emoji sequences and
 * combining marks whole (without it, code points at least). Segments are read lazily, so a long
 * text costs only the part that is kept, not a pass over all of it.
 */
function leadingGraphemes(text: string, count: number): string[] {
  const segments: Iterable<{ segment: string }> =
    typeof Intl !== 'undefined' && 'Segmenter' in Intl
      ? new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)
      : Array.from(text, (segment) => ({ segment }));
  const out: string[] = [];
  for (const { segment } of segments) {
    if (out.length === count) break;
    out.push(segment);
  }
  return out;
}

/**
 * The note text as a short preview: control characters and bidirectional overrides removed,
 * spaces and tabs collapsed to one space, lines trimmed, blank
 * lines dropped (line breaks are kept: the first line becomes the notification title), then cut
 * to PREVIEW_MAX_CHARS whole characters ending in an ellipsis when it was longer.
 */
export function previewOf(text: string, max: number = PUSH.PREVIEW_MAX_CHARS): string {
  const collapsed = text
    // Control characters (other than line breaks) and bidirectional overrides have no place in a
    // one-glance notification: they could reorder or hide what it seems to say.
    .replace(/(?![\t\n\r])[\p{Cc}\u202A-\u202E\u2066-\u2069]/gu, '')
    .split(/\r\n|\r|\n|\u2028|\u2029/)
    .map((line) => line.replace(/[^\S\r\n]+/g, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');
  // Cheap exit: a string of at most `max` UTF-16 units has at most `max` graphemes.
  if (collapsed.length <= max) return collapsed;
  const chars = leadingGraphemes(collapsed, max + 1);
  if (chars.length <= max) return collapsed;
  return `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}

/** Most open checklist items a preview lists (the preview's length cap applies after). */
const PREVIEW_ITEMS = 5;

/**
 * What a note says, as text to preview: its title line and body, then its checklist's first open
 * items, one per line ("☐ milk"), so a list's notification shows what is still to do.
 */
export function previewTextOf(text: string, items: readonly ChecklistItem[] = []): string {
  const open = items.filter((item) => !item.done && item.text.trim() !== '').slice(0, PREVIEW_ITEMS);
  return [text, ...open.map((item) => `☐ ${item.text}`)].join('\n');
}

/** The data map for "a note was created". */
export function buildNotePush(input: NotePushInput): NotePushData {
  const openCount = Number.isSafeInteger(input.openCount) && input.openCount > 0 ? input.openCount : 0;
  return {
    version: PUSH.VERSION,
    kind: PUSH.KIND_NOTE_CREATED,
    uid: input.uid,
    noteId: input.noteId,
    preview: previewOf(previewTextOf(input.text, input.items)),
    color: input.color,
    openCount: String(openCount),
    link: noteLink(input.noteId),
  };
}

/** The data map for "Send a test notification" to one device. */
export function buildTestPush(input: { uid: string; deviceName: string }): TestPushData {
  return { version: PUSH.VERSION, kind: PUSH.KIND_TEST, uid: input.uid, deviceName: input.deviceName.slice(0, 100) };
}

/** A validated test push. */
export interface TestPush {
  kind: 'test';
  uid: string;
  deviceName: string;
}

/** The FCM data map of a due reminder: every value a string. */
export interface ReminderPushData {
  version: string;
  kind: string;
  uid: string;
  noteId: string;
  /** The notification's title: the note's title line (reminderTitle). */
  title: string;
  /** The occurrence's instant (ms), which names it on every device (occurrenceTag). */
  occurrence: string;
  /** The repeat in its wire form ("day", "weekdays:1,3,5"), or "" for a one-off. */
  repeat: string;
  /** The reminder's stamp when the server sent it ("" if it had none): a device whose own is as new knows better. */
  stamp: string;
  link: string;
  [key: string]: string;
}

/** A validated reminder push, as the worker uses it. */
export interface ReminderPush {
  kind: 'reminder';
  uid: string;
  noteId: string;
  title: string;
  occurrence: number;
  repeat?: Repeat;
  stamp: string;
  link: string;
}

export interface ReminderPushInput {
  uid: string;
  noteId: string;
  text: string;
  items?: readonly ChecklistItem[];
  occurrence: number;
  repeat?: Repeat | undefined;
  /** The note's stamp of its reminder field, if any. */
  stamp?: string | undefined;
}

/**
 * A reminder's title: the note's title line, else its first open checklist item, else "Reminder",
 * cleaned and cut like a push preview (no control characters or direction overrides, a glance
 * long). The app, the worker and the server title one occurrence alike.
 */
export function reminderTitle(text: string, items: readonly { text: string; done: boolean }[] = []): string {
  const firstLine = (line: string) => previewOf(line).split('\n', 1)[0] ?? '';
  const openItems = items.filter((item) => !item.done).map((item) => firstLine(item.text));
  return firstLine(splitTitle(text).title) || openItems.find((line) => line !== '') || PUSH.REMINDER_FALLBACK_TITLE;
}

/** The data map for "this reminder's occurrence is due". */
export function buildReminderPush(input: ReminderPushInput): ReminderPushData {
  return {
    version: PUSH.VERSION,
    kind: PUSH.KIND_REMINDER,
    uid: input.uid,
    noteId: input.noteId,
    title: reminderTitle(input.text, input.items),
    occurrence: String(input.occurrence),
    repeat: repeatToWire(input.repeat),
    stamp: input.stamp ?? '',
    link: noteLink(input.noteId),
  };
}

/** How a rung occurrence was answered, as a settled push says it. */
export type SettledHow = 'done' | 'snoozed' | 'dismissed';
const SETTLED_HOWS: readonly SettledHow[] = ['done', 'snoozed', 'dismissed'];

/** The FCM data map of an answered occurrence: every value a string. */
export interface ReminderSettledPushData {
  version: string;
  kind: string;
  uid: string;
  noteId: string;
  title: string;
  occurrence: string;
  how: string;
  /** The device that answered, as the person named it ("" when unknown). */
  byDevice: string;
  link: string;
  [key: string]: string;
}

export interface ReminderSettledPush {
  kind: 'reminder-settled';
  uid: string;
  noteId: string;
  title: string;
  occurrence: number;
  how: SettledHow;
  byDevice: string;
  link: string;
}

export function buildReminderSettledPush(input: {
  uid: string;
  noteId: string;
  text: string;
  items?: readonly ChecklistItem[];
  occurrence: number;
  how: SettledHow;
  byDevice?: string | undefined;
}): ReminderSettledPushData {
  return {
    version: PUSH.VERSION,
    kind: PUSH.KIND_REMINDER_SETTLED,
    uid: input.uid,
    noteId: input.noteId,
    title: reminderTitle(input.text, input.items),
    occurrence: String(input.occurrence),
    how: input.how,
    byDevice: (input.byDevice ?? '').slice(0, 100),
    link: noteLink(input.noteId),
  };
}

export type ParsedPush = { ok: true; push: NotePush | TestPush | ReminderPush | ReminderSettledPush } | { ok: false; reason: string };

function stringField(data: Record<string, unknown>, key: string, max: number): string | undefined {
  const value = data[key];
  return typeof value === 'string' && value.length > 0 && value.length <= max ? value : undefined;
}

/**
 * Checks what arrived in a push event (already JSON-parsed) and returns the note push, or why it
 * is not one. Never throws: anything unexpected is a reason.
 */
export function parsePushEnvelope(json: unknown): ParsedPush {
  try {
    if (!isRecord(json)) return { ok: false, reason: 'not an object' };
    const data = json.data;
    if (!isRecord(data)) return { ok: false, reason: 'no data map' };
    if (data.version !== PUSH.VERSION) return { ok: false, reason: `unknown version ${JSON.stringify(data.version)}` };
    if (data.kind !== PUSH.KIND_NOTE_CREATED && data.kind !== PUSH.KIND_TEST && data.kind !== PUSH.KIND_REMINDER && data.kind !== PUSH.KIND_REMINDER_SETTLED) {
      return { ok: false, reason: `unknown kind ${JSON.stringify(data.kind)}` };
    }
    const uid = stringField(data, 'uid', PUSH.MAX_UID_LENGTH);
    if (!uid) return { ok: false, reason: 'bad uid' };
    if (data.kind === PUSH.KIND_TEST) {
      const deviceName = stringField(data, 'deviceName', 100);
      return deviceName ? { ok: true, push: { kind: PUSH.KIND_TEST, uid, deviceName } } : { ok: false, reason: 'bad deviceName' };
    }
    const noteId = stringField(data, 'noteId', MAX_NOTE_ID_LENGTH);
    if (!noteId) return { ok: false, reason: 'bad noteId' };
    if (data.kind === PUSH.KIND_REMINDER) return parseReminderPush(data, uid, noteId);
    if (data.kind === PUSH.KIND_REMINDER_SETTLED) return parseSettledPush(data, uid, noteId);
    const preview = data.preview;
    // An ellipsis after PREVIEW_MAX_CHARS graphemes can be longer in UTF-16; 8 units per grapheme is generous.
    if (typeof preview !== 'string' || preview.length > PUSH.PREVIEW_MAX_CHARS * 8) return { ok: false, reason: 'bad preview' };
    if (!isNoteColor(data.color)) return { ok: false, reason: 'bad color' };
    if (typeof data.openCount !== 'string' || !/^\d{1,9}$/.test(data.openCount)) return { ok: false, reason: 'bad openCount' };
    // Only the link this note would have: a payload can never send a click somewhere else.
    if (data.link !== noteLink(noteId)) return { ok: false, reason: 'bad link' };
    return {
      ok: true,
      push: {
        kind: PUSH.KIND_NOTE_CREATED,
        uid,
        noteId,
        preview,
        color: data.color,
        openCount: Number(data.openCount),
        link: data.link,
      },
    };
  } catch (error) {
    return { ok: false, reason: `unreadable: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** The title and occurrence every reminder push carries, or why not. */
function occurrenceFields(data: Record<string, unknown>): { title: string; occurrence: number } | { reason: string } {
  const title = stringField(data, 'title', PUSH.PREVIEW_MAX_CHARS * 8);
  if (!title) return { reason: 'bad title' };
  const occurrence = typeof data.occurrence === 'string' && /^\d{1,16}$/.test(data.occurrence) ? Number(data.occurrence) : NaN;
  if (!Number.isSafeInteger(occurrence)) return { reason: 'bad occurrence' };
  return { title, occurrence };
}

function parseSettledPush(data: Record<string, unknown>, uid: string, noteId: string): ParsedPush {
  const fields = occurrenceFields(data);
  if ('reason' in fields) return { ok: false, reason: fields.reason };
  const how = SETTLED_HOWS.find((known) => known === data.how);
  if (!how) return { ok: false, reason: 'bad how' };
  if (typeof data.byDevice !== 'string' || data.byDevice.length > 100) return { ok: false, reason: 'bad byDevice' };
  if (data.link !== noteLink(noteId)) return { ok: false, reason: 'bad link' };
  return { ok: true, push: { kind: PUSH.KIND_REMINDER_SETTLED, uid, noteId, ...fields, how, byDevice: data.byDevice, link: data.link } };
}

function parseReminderPush(data: Record<string, unknown>, uid: string, noteId: string): ParsedPush {
  const fields = occurrenceFields(data);
  if ('reason' in fields) return { ok: false, reason: fields.reason };
  const { title, occurrence } = fields;
  const repeat = repeatFromWire(data.repeat);
  // Only the form repeatToWire writes: repeatFromWire alone reads "weekdays:" as Sundays, and ignores "day:5"'s detail.
  if (typeof data.repeat !== 'string' || repeatToWire(repeat) !== data.repeat) return { ok: false, reason: 'bad repeat' };
  // A stamp as the sync engine writes them, or none; it is only ever compared with this device's own.
  if (typeof data.stamp !== 'string' || data.stamp.length > PUSH.MAX_STAMP_LENGTH) return { ok: false, reason: 'bad stamp' };
  if (data.link !== noteLink(noteId)) return { ok: false, reason: 'bad link' };
  return { ok: true, push: { kind: PUSH.KIND_REMINDER, uid, noteId, title, occurrence, ...(repeat ? { repeat } : {}), stamp: data.stamp, link: data.link } };
}

/** Notification title and body from a preview: its first line, and the rest. */
export function notificationText(preview: string): { title: string; body: string } {
  const [first = '', ...rest] = preview.split('\n');
  return { title: first.trim() || 'New note', body: rest.join('\n') };
}
