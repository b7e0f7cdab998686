/**
 * The streamed download of a person's notes: what a device asks the `downloadNotes` function for
 * (functions/src/note-download.ts) and the lines it answers with (read by
 * src/sync/firestore-remote.ts). It carries what a catch-up would read page by page through the
 * Firestore SDK, in one HTTP response read by the Admin SDK: every note changed after a checkpoint,
 * in (updatedAt, id) order, one JSON object per line (NDJSON).
 *
 * The response:
 *   {"total": N}                            how many notes follow (for the progress bar)
 *   {"note": {"id": "...", "data": {...}}}  one per note, its document's fields
 *   {"end": true}                           the last line: without it the download was cut short
 *   {"error": "..."}                        instead of the rest, when the server failed midway
 * Timestamps in `data` (updatedAt, createdAt) are written as {"seconds": s, "nanoseconds": n}.
 */
import { isRecord } from './errors.js';

export const NOTE_DOWNLOAD = {
  /** The HTTP function's name, and the region it is deployed to (the default one). */
  FUNCTION: 'downloadNotes',
  REGION: 'us-central1',
  CONTENT_TYPE: 'application/x-ndjson; charset=utf-8',
} as const;

/** Where the download starts: after this note of the (updatedAt, id) order. */
export interface DownloadCursor {
  seconds: number;
  nanoseconds: number;
  id: string;
}

export interface DownloadRequest {
  after?: DownloadCursor;
}

export interface WireTime {
  seconds: number;
  nanoseconds: number;
}

export type DownloadLine = { total: number } | { note: { id: string; data: Record<string, unknown> } } | { end: true } | { error: string };

const isWholeNumber = (value: unknown, max: number): value is number => Number.isInteger(value) && (value as number) >= 0 && (value as number) <= max;

/** The request's body, checked; a string says what is wrong with it. */
export function parseDownloadRequest(body: unknown): DownloadRequest | string {
  if (body === undefined || body === null || body === '') return {};
  if (!isRecord(body)) return 'The request body must be a JSON object.';
  if (body.after === undefined) return {};
  const after = body.after;
  if (!isRecord(after)) return '`after` must be an object with seconds, nanoseconds and id.';
  if (!isWholeNumber(after.seconds, 253_402_300_799)) return '`after.seconds` must be a whole number of seconds.';
  if (!isWholeNumber(after.nanoseconds, 999_999_999)) return '`after.nanoseconds` must be a whole number below 1e9.';
  if (typeof after.id !== 'string' || after.id === '' || after.id.length > 1_500 || after.id.includes('/')) return '`after.id` must be a note id.';
  return { after: { seconds: after.seconds, nanoseconds: after.nanoseconds, id: after.id } };
}

/** One line of the response, checked; undefined for a line that is none of the four. */
export function parseDownloadLine(line: string): DownloadLine | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!isRecord(value)) return undefined;
  if (isWholeNumber(value.total, Number.MAX_SAFE_INTEGER)) return { total: value.total };
  if (value.end === true) return { end: true };
  if (typeof value.error === 'string') return { error: value.error };
  const note = value.note;
  if (isRecord(note) && typeof note.id === 'string' && note.id !== '' && isRecord(note.data) && isWireTime(note.data.updatedAt)) {
    return { note: { id: note.id, data: note.data } };
  }
  return undefined;
}

export function isWireTime(value: unknown): value is WireTime {
  return isRecord(value) && isWholeNumber(value.seconds, Number.MAX_SAFE_INTEGER) && isWholeNumber(value.nanoseconds, 999_999_999);
}
