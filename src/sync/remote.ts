/**
 * What the sync engine needs from the server, in the engine's own terms. FirestoreRemote
 * (firestore-remote.ts) is the real one; tests run the same engine against an in-memory server
 * with the same semantics (server timestamps, merge writes, rejections). The records it returns
 * (RemoteNote, Checkpoint) belong to the store, which merges and persists them (src/db/remote-note.ts).
 */
import type { NoteClocks } from '../db/database.js';
import type { Checkpoint, RemoteNote } from '../db/remote-note.js';
import { errorCode } from '../shared/errors.js';
import type { DownloadOptions, DownloadPart } from './download-stream.js';
import type { FieldEdits, NoteContent } from '../shared/note.js';

/** One note's change: the named fields with their stamps, merged into the server's document. */
export interface RemoteWrite {
  id: string;
  /** The first write of a note carries every field and its creation time. */
  created: boolean;
  values: Partial<NoteContent>;
  clocks: NoteClocks;
  createdAt: number;
  /** With an edit of a merged field of a note the server has: the value it was made from, which the server must still hold. */
  edits?: FieldEdits;
}

export interface RemoteNotes {
  /** Writes all changes atomically; resolves once the server has acknowledged them. */
  write(changes: RemoteWrite[]): Promise<void>;
  /** Changes after the checkpoint in (updatedAt, id) order, at most `limit`. */
  fetchPage(after: Checkpoint | undefined, limit: number): Promise<RemoteNote[]>;
  /**
   * The same changes as fetchPage's pages, all in one streamed download (src/shared/note-download.ts):
   * how many come, then the notes in pages of `pageNotes`. Ends only when the download is complete;
   * throws when it stalls, is cut short or refused. Absent where the server offers none.
   */
  download?(after: Checkpoint | undefined, options: DownloadOptions): AsyncIterable<DownloadPart<RemoteNote>>;
  /** The `limit` most recently changed notes (a first sync shows them first). Absent where not offered. */
  fetchNewest?(limit: number): Promise<RemoteNote[]>;
  /** How many notes changed after the checkpoint (for the first-sync progress bar). */
  countAfter(after: Checkpoint | undefined): Promise<number>;
  /** One note as the server has it now. */
  get(id: string): Promise<RemoteNote | undefined>;
  /**
   * Drops the connection to the server and makes a new one, for a transport whose reads stopped
   * answering. Requests still in flight on the old connection fail as 'unavailable' (sent again).
   */
  reconnect(): Promise<void>;
  /** Every change after the checkpoint as it happens. */
  listen(after: Checkpoint | undefined, onChanges: (notes: RemoteNote[]) => void, onError: (error: unknown) => void): () => void;
}

/** Errors that mean "the server will never accept this change", as opposed to "not now". */
export function isRejection(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'permission-denied' || code === 'invalid-argument' || code === 'failed-precondition';
}
