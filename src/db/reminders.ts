/**
 * Reminders in the store: the notes that have one, in the order they ring (the Reminders view and
 * the app's ringing read them), and settling a reminder that rang (done, snoozed, dismissed) as an
 * edit of the note like any other, so it roams and closes the notification on every device. The
 * service worker settles through here too, with no window open.
 */
import { isRinging, occurrenceAt, reminderDismissed, reminderDone, reminderSnoozed, ringsAt, type Reminder } from '../shared/reminder.js';
import { laterStamp } from './hlc.js';
import { Lane, type NoteRecord, type NotesDatabase } from './database.js';
import { updateNote, type Clock } from './notes.js';

/** A snooze from a notification or the app's reminder message: an hour. */
export const SNOOZE_MS = 60 * 60 * 1000;

export type Settling = 'done' | 'snooze' | 'dismiss';

/** A note with its reminder, as the Reminders view and the ringing read them. */
export type NoteWithReminder = NoteRecord & { reminder: Reminder };

/**
 * Every note with a reminder that can ring (on the board or in the archive; not in the trash),
 * soonest first: read through the index of the notes that have one, never the whole board.
 */
export async function notesWithReminders(db: NotesDatabase): Promise<NoteWithReminder[]> {
  const notes = await db.notes.where('reminder.at').above('').toArray();
  return notes
    .filter((note): note is NoteWithReminder => note.reminder != null && (note.lane <= Lane.board || note.lane === Lane.archive))
    .sort((a, b) => ringsAt(a.reminder) - ringsAt(b.reminder) || (a.id < b.id ? -1 : 1));
}

/**
 * The app badge counts the notes that want attention: the open ones (countOpenNotes), and beside
 * them those whose reminder has rung and waits to be settled (done, archived: not open). This
 * counts the second kind, each note once.
 */
export async function countRingingReminders(db: NotesDatabase, nowMs: number): Promise<number> {
  return (await notesWithReminders(db)).filter((note) => note.open !== 1 && isRinging(note.reminder, nowMs)).length;
}

/**
 * Settles the reminder of `noteId` that rang: done (a repeat moves on, a one-off is cleared),
 * snoozed for SNOOZE_MS, or dismissed. Nothing changes when the note has no reminder ringing any
 * more (settled elsewhere meanwhile: the first answer stands). `rungAt`: the occurrence a
 * notification showed. Returns the note as saved.
 */
export async function settleReminder(db: NotesDatabase, noteId: string, how: Settling, now: Clock = Date.now, rungAt?: number): Promise<NoteRecord | undefined> {
  return db.transaction('rw', db.notes, db.outbox, async () => {
    const note = await db.notes.get(noteId);
    // A notification of an occurrence (rung by the server) says it is due, whatever this device's clock says.
    const at = Math.max(now(), rungAt ?? Number.NEGATIVE_INFINITY);
    if (!note || !isRinging(note.reminder, at)) return note;
    const reminder = how === 'done' ? reminderDone(note.reminder, at) : how === 'snooze' ? reminderSnoozed(note.reminder, at + SNOOZE_MS) : reminderDismissed(note.reminder, at);
    return updateNote(db, noteId, { reminder }, now);
  });
}

/**
 * Whether this device's copy of a note knows better than a push that rang `occurrence` with the
 * reminder as of `pushedStamp`: its own reminder is as new or newer (answered, moved or cleared
 * here, or heard so by sync) and no longer rings that occurrence. A copy older than the push (a
 * reminder set elsewhere, not synced here yet) knows nothing better, nor does a missing note.
 */
export function answeredSincePush(note: NoteRecord | undefined, occurrence: number, pushedStamp: string): boolean {
  if (!note) return false;
  const local = note.clocks.reminder;
  if (pushedStamp !== '' && (local === undefined || laterStamp(local, pushedStamp) !== local)) return false;
  const reminder = note.reminder;
  if (!reminder) return pushedStamp !== '';
  return reminder.settled === occurrence || occurrenceAt(reminder, occurrence) > occurrence;
}
