/**
 * The streamed download of a person's notes (src/shared/note-download.ts says what goes over the
 * wire). A new device's first sync reads every note the person has; through the Firestore web SDK
 * that is page after page over its WebChannel stream (about 4-5 s for 10,000 notes here, and a
 * page read has been seen to stall for good). The Admin SDK streams the same query in about 0.5 s,
 * so the function reads it and writes each note as one line while later ones are still coming.
 *
 * Who may download: the same sessions the rules let read the notes (firestore.rules,
 * activeSession): a valid ID token, of a device that is not revoked, of an account not deleted.
 * Kept apart from the HTTP wrapper (index.ts) so tests run it directly.
 */
import { FieldPath, Timestamp, type DocumentData, type Firestore } from 'firebase-admin/firestore';
import type { DownloadCursor, DownloadLine } from './shared/note-download.js';
import { deviceState, type Caller } from './devices.js';

/** Lines written to the response at once: fewer, larger writes cost less than one per note. */
const LINES_PER_WRITE = 200;

export interface LineSink {
  /** Resolves once the line(s) may be followed by more (the response is not over its buffer). */
  write(text: string): Promise<void>;
}

export type DownloadAccess = { ok: true } | { ok: false; status: 403; message: string };

/** Whether the caller's session may read the notes now (as the rules' activeSession decides). */
export async function downloadAccess(db: Firestore, caller: Caller): Promise<DownloadAccess> {
  const state = await deviceState(db, caller);
  if (state === 'active' || state === 'unbound') return { ok: true };
  return { ok: false, status: 403, message: state === 'revoked' ? 'This device was signed out and erased.' : 'This account was deleted.' };
}

/** Firestore timestamps as the wire writes them; everything else as JSON does. */
function wireValue(_key: string, value: unknown): unknown {
  return value instanceof Timestamp ? { seconds: value.seconds, nanoseconds: value.nanoseconds } : value;
}

const line = (value: DownloadLine): string => `${JSON.stringify(value, wireValue)}\n`;

/**
 * Writes the total, then every note of `uid` changed after the cursor in (updatedAt, id) order,
 * then the end line. Returns how many notes were written. A failure midway is thrown, after
 * whatever was written: the caller writes the error line (the device resumes after the last note
 * it stored).
 */
export async function streamNotes(db: Firestore, uid: string, after: DownloadCursor | undefined, sink: LineSink): Promise<number> {
  const notes = db.collection('users').doc(uid).collection('notes');
  let query = notes.orderBy('updatedAt').orderBy(FieldPath.documentId());
  if (after) query = query.startAfter(new Timestamp(after.seconds, after.nanoseconds), after.id);
  const counted = after ? notes.where('updatedAt', '>=', new Timestamp(after.seconds, after.nanoseconds)) : notes;
  // An upper bound with a cursor (notes of the checkpoint's own time are counted): the bar's end.
  const total = (await counted.count().get()).data().count;
  await sink.write(line({ total }));
  let pending: string[] = [];
  let written = 0;
  for await (const snapshot of query.stream() as AsyncIterable<{ id: string; data(): DocumentData }>) {
    pending.push(line({ note: { id: snapshot.id, data: snapshot.data() } }));
    written += 1;
    if (pending.length === LINES_PER_WRITE) {
      await sink.write(pending.join(''));
      pending = [];
    }
  }
  await sink.write(pending.join('') + line({ end: true }));
  return written;
}

export { line as downloadLine };
