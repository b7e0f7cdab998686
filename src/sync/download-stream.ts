/**
 * Reads the streamed download of a person's notes (src/shared/note-download.ts) over fetch: the
 * lines are parsed as they arrive and handed out in pages, so the first notes are stored while
 * later ones are still on the way. A response that stops sending for `deadlineMs` is abandoned
 * (DownloadStalledError); one that ends without its end line was cut short (DownloadCutError).
 * Either way the caller asks again after the last page it stored.
 */
import { parseDownloadLine, type DownloadCursor, type DownloadRequest } from '../shared/note-download.js';

export interface DownloadEndpoint {
  url: string;
  /** The signed-in person's current ID token. */
  idToken(): Promise<string>;
}

export interface DownloadOptions {
  /** Notes per page handed out. */
  pageNotes: number;
  /** A response (or its next bytes) that takes longer than this has stalled. */
  deadlineMs: number;
  /** Ends the download at once (the engine stopped). */
  signal: AbortSignal;
}

/** What a download yields: first how many notes follow, then the notes in pages. */
export type DownloadPart<Note> = { total: number } | { notes: Note[] };

/**
 * The warm-up in flight, which a download waits for (within its deadline) before it asks: sent
 * beside a function instance that is still starting, a request may start a second one, and wait
 * as long again.
 */
let warmingUp: Promise<void> | undefined;

/**
 * Starts the download function while the person signs in: a function that has not run for a while
 * takes seconds to start, and a new device's first sync is its first caller. It answers a GET
 * with nothing (204).
 */
export function warmUpDownload(url: string): void {
  const warmUp: Promise<void> = fetch(url, { mode: 'no-cors', cache: 'no-store' })
    .then(
      () => undefined,
      () => undefined,
    )
    .then(() => {
      if (warmingUp === warmUp) warmingUp = undefined;
    });
  warmingUp = warmUp;
}

export class DownloadStalledError extends Error {
  readonly code = 'deadline-exceeded';
  constructor() {
    super('The download stopped sending before it was complete.');
    this.name = 'DownloadStalledError';
  }
}

export class DownloadCutError extends Error {
  readonly code = 'unavailable';
  constructor(detail: string) {
    super(`The download ended before it was complete (${detail}).`);
    this.name = 'DownloadCutError';
  }
}

/** The server refused or failed the request; `code` in Firestore's terms, so the engine treats it alike. */
export class DownloadRefusedError extends Error {
  constructor(
    readonly code: 'unauthenticated' | 'permission-denied' | 'invalid-argument' | 'not-found' | 'unavailable',
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'DownloadRefusedError';
  }
}

function refusal(status: number, body: string): DownloadRefusedError {
  const message = `The download was refused (${status}): ${body.slice(0, 200)}`;
  if (status === 401) return new DownloadRefusedError('unauthenticated', status, message);
  if (status === 403) return new DownloadRefusedError('permission-denied', status, message);
  if (status === 400) return new DownloadRefusedError('invalid-argument', status, message);
  if (status === 404) return new DownloadRefusedError('not-found', status, message);
  return new DownloadRefusedError('unavailable', status, message);
}

/** Pages read ahead of the caller: the network keeps going while a page is stored, within this much memory. */
const PAGES_READ_AHEAD = 4;

/**
 * Every note after the cursor, parsed by `toNote` from each line's id and data. Ends only once the
 * server's end line has come; throws on a stall, a cut, a refusal or the server's error line.
 * The response is read ahead of the caller (up to PAGES_READ_AHEAD pages), so storing one page
 * and receiving the next overlap.
 */
export async function* downloadNotes<Note>(
  endpoint: DownloadEndpoint,
  after: DownloadCursor | undefined,
  options: DownloadOptions,
  toNote: (id: string, data: Record<string, unknown>) => Note,
): AsyncGenerator<DownloadPart<Note>> {
  const abort = new AbortController();
  const stop = () => abort.abort();
  options.signal.addEventListener('abort', stop);
  const ready: DownloadPart<Note>[] = [];
  let finished = false;
  let failure: { error: unknown } | undefined;
  /** Wakes the caller (a part is ready, or the reading ended) or the reader (room in the queue). */
  let wakeCaller: (() => void) | undefined;
  let wakeReader: (() => void) | undefined;
  const reading = readParts(endpoint, after, { ...options, signal: abort.signal }, toNote, async (part) => {
    ready.push(part);
    wakeCaller?.();
    while (ready.length >= PAGES_READ_AHEAD && !abort.signal.aborted) await new Promise<void>((resolve) => (wakeReader = resolve));
  }).then(
    () => (finished = true),
    (error: unknown) => (failure = { error }),
  );
  void reading.finally(() => wakeCaller?.());
  try {
    for (;;) {
      const part = ready.shift();
      if (part) {
        wakeReader?.();
        yield part;
        continue;
      }
      if (failure) throw failure.error;
      if (finished) return;
      await new Promise<void>((resolve) => (wakeCaller = resolve));
      wakeCaller = undefined;
    }
  } finally {
    options.signal.removeEventListener('abort', stop);
    // Whatever ends the reading (done, a failure, the caller stopping) ends the request.
    abort.abort();
    wakeReader?.();
  }
}

/** Reads the response, handing each part to `hand` (which waits while the caller is behind). */
async function readParts<Note>(
  endpoint: DownloadEndpoint,
  after: DownloadCursor | undefined,
  { pageNotes, deadlineMs, signal }: DownloadOptions,
  toNote: (id: string, data: Record<string, unknown>) => Note,
  hand: (part: DownloadPart<Note>) => Promise<void>,
): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  // The request ends when the caller stops or the response stalls (one controller: AbortSignal.any is too new for some Safaris).
  const requestAbort = new AbortController();
  if (signal.aborted) requestAbort.abort();
  signal.addEventListener('abort', () => requestAbort.abort(), { once: true });
  /** The request, or its next bytes, raced against the deadline; a stall aborts the request. */
  const inTime = <T>(step: Promise<T>): Promise<T> =>
    Promise.race([
      step,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          reject(new DownloadStalledError());
          requestAbort.abort();
        }, deadlineMs);
      }),
    ]).finally(() => clearTimeout(timer));
  if (warmingUp) await Promise.race([warmingUp, new Promise((resolve) => setTimeout(resolve, deadlineMs))]);
  const request: DownloadRequest = after ? { after } : {};
  const response = await inTime(
    endpoint.idToken().then((token) =>
      fetch(endpoint.url, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(request),
        signal: requestAbort.signal,
        cache: 'no-store',
      }),
    ),
  );
  if (!response.ok || !response.body) throw refusal(response.status, await inTime(response.text()).catch(() => ''));
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  let notes: Note[] = [];
  for (;;) {
    const { value, done } = await inTime(reader.read());
    if (done) throw new DownloadCutError(buffered ? 'in the middle of a line' : 'no end line');
    buffered += value;
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const text of lines) {
      if (!text) continue;
      const line = parseDownloadLine(text);
      if (!line) throw new DownloadCutError('a line that is not part of the download');
      if ('error' in line) throw new DownloadCutError(line.error);
      if ('total' in line) await hand({ total: line.total });
      else if ('note' in line) {
        notes.push(toNote(line.note.id, line.note.data));
        if (notes.length === pageNotes) {
          await hand({ notes });
          notes = [];
        }
      } else {
        if (notes.length) await hand({ notes });
        return;
      }
    }
  }
}
