/**
 * A note as the server holds it, and where the pull stands (the checkpoint): the records the store
 * merges and persists for sync. The transport (src/sync) produces them; the store applies them.
 */
import type { FieldEdits, NoteContent } from '../shared/note.js';
import type { NoteClocks } from './database.js';

/** A server timestamp, exact to the nanosecond as Firestore keeps it. */
export interface ServerTime {
  seconds: number;
  nanoseconds: number;
}

/** Where the pull stands: the last change applied, by (server time, note id). */
export interface Checkpoint {
  time: ServerTime;
  id: string;
}

export interface RemoteNote extends NoteContent {
  id: string;
  /** Milliseconds since the epoch. */
  createdAt: number;
  updatedAt: ServerTime;
  updatedBy: string;
  clocks: NoteClocks;
  /** Each merged field's last edit and the value it was made from, when the app version that made it said (FieldEdit in note.ts). */
  edits?: FieldEdits;
}

export function compareCheckpoints(a: Checkpoint, b: Checkpoint): number {
  return a.time.seconds - b.time.seconds || a.time.nanoseconds - b.time.nanoseconds || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export function checkpointOf(note: RemoteNote): Checkpoint {
  return { time: note.updatedAt, id: note.id };
}

/** Server time as milliseconds, for board order ("most recently changed"). */
export function serverMillis(time: ServerTime): number {
  return time.seconds * 1000 + Math.floor(time.nanoseconds / 1e6);
}
