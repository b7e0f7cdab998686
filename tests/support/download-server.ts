/**
 * The streamed download (src/shared/note-download.ts) served over real HTTP from the in-memory
 * server's notes, with faults a real connection has: a response cut off in the middle of a line,
 * one that stops sending and never ends, a refusal. The sync engine reads it through the app's
 * own reader (src/sync/download-stream.ts), so every byte crosses a socket.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseDownloadRequest, type DownloadLine } from '../../src/shared/note-download.js';
import type { Checkpoint, RemoteNote } from '../../src/db/remote-note.js';
import { downloadNotes } from '../../src/sync/download-stream.js';
import type { RemoteNotes } from '../../src/sync/remote.js';

/** What one request gets: the whole download, or a fault after `afterNotes` notes. */
export type DownloadFault =
  | { kind: 'cut'; afterNotes: number }
  | { kind: 'stop-answering'; afterNotes: number }
  | { kind: 'status'; status: number };

export class DownloadServer {
  /** Faults for the next requests, one each, in order; a request with none left gets everything. */
  readonly faults: DownloadFault[] = [];
  /** Each request's cursor (undefined: from the start). */
  readonly requests: (Checkpoint | undefined)[] = [];
  private readonly server: Server;
  private readonly hanging = new Set<() => void>();

  private constructor(notesAfter: (after: Checkpoint | undefined) => RemoteNote[]) {
    this.server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        const parsed = parseDownloadRequest(body ? JSON.parse(body) : undefined);
        if (typeof parsed === 'string') {
          response.writeHead(400).end(parsed);
          return;
        }
        const after = parsed.after && { time: { seconds: parsed.after.seconds, nanoseconds: parsed.after.nanoseconds }, id: parsed.after.id };
        this.requests.push(after);
        const fault = this.faults.shift();
        if (fault?.kind === 'status') {
          response.writeHead(fault.status).end('refused by the test');
          return;
        }
        const notes = notesAfter(after);
        const line = (value: DownloadLine) => `${JSON.stringify(value)}\n`;
        const lines = [line({ total: notes.length }), ...notes.map(({ id, ...data }) => line({ note: { id, data } }))];
        response.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
        if (!fault) {
          response.end(lines.join('') + line({ end: true }));
          return;
        }
        const sent = lines.slice(0, 1 + fault.afterNotes).join('');
        if (fault.kind === 'cut') {
          // Half of the next line, then the connection is gone.
          const next = lines[1 + fault.afterNotes] ?? line({ end: true });
          response.write(sent + next.slice(0, Math.floor(next.length / 2)), () => response.destroy());
        } else {
          response.write(sent);
          // Never ends; closed when the reader gives up (or at close()).
          this.hanging.add(() => response.destroy());
        }
      });
    });
  }

  static async start(notesAfter: (after: Checkpoint | undefined) => RemoteNote[]): Promise<DownloadServer> {
    const server = new DownloadServer(notesAfter);
    await new Promise<void>((resolve) => server.server.listen(0, '127.0.0.1', resolve));
    return server;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/downloadNotes`;
  }

  /** RemoteNotes.download through the app's reader, against this server. */
  download(): NonNullable<RemoteNotes['download']> {
    const endpoint = { url: this.url, idToken: async () => 'test-token' };
    return (after, options) =>
      downloadNotes(endpoint, after && { seconds: after.time.seconds, nanoseconds: after.time.nanoseconds, id: after.id }, options, (id, data) => ({ ...data, id }) as RemoteNote);
  }

  async close(): Promise<void> {
    for (const end of this.hanging) end();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
