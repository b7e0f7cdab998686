/**
 * Catching up through the streamed download (src/shared/note-download.ts), served over real HTTP
 * by tests/support/download-server.ts from the in-memory server and read by the app's reader: a
 * download cut off mid-page and one that stops answering are resumed after the last page stored,
 * repeated failures hand the rest to page reads, a server without the download is read page by
 * page, a refusal stores nothing, a crash midway goes on where it stopped, and stop() ends a
 * stalled download at once. A first sync shows the newest notes first.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readCheckpoint, readSyncStatus } from '../../src/db/sync-state.js';
import { SYNC } from '../../src/sync/engine.js';
import { SYNC_TEXTS } from '../../src/sync/texts.js';
import { DownloadServer } from '../support/download-server.js';
import { recordSyncStatus } from '../support/device.js';
import { World } from '../support/world.js';

const PAGE = 10;
/** Short, so a stall is noticed quickly; the real deadline is SYNC.READ_DEADLINE_MS. */
const DEADLINE_MS = 300;

let world: World | undefined;
let server: DownloadServer | undefined;

afterEach(async () => {
  await server?.close();
  await world?.destroy();
  server = world = undefined;
});

/** An account of two and a half pages on the server, and a new device that catches up through the download. */
async function newDeviceOfLargeAccount(seed: number) {
  const w = (world = new World(seed));
  const writes = Array.from({ length: PAGE * 2 + PAGE / 2 }, (_, i) => ({
    id: crypto.randomUUID(),
    created: true,
    values: { text: `note ${i}`, color: 'yellow' as const, pinned: false, done: false, trashed: false, deleted: false },
    clocks: Object.fromEntries(['text', 'color', 'pinned', 'done', 'trashed', 'deleted'].map((field) => [field, `000000000000001:00000:seed-${i}`])),
    createdAt: w.time,
  }));
  w.server.seed('other', writes);
  const served = w.server;
  server = await DownloadServer.start((after) => served.after(after));
  const b = await w.device('device-b', { pageNotes: PAGE, readDeadlineMs: DEADLINE_MS, retryDelayMs: () => 0 });
  b.remote.download = server.download();
  const errors = recordSyncStatus(b.db, 'error');
  const texts = async () => (await b.db.notes.toArray()).map((note) => note.text).sort((x, y) => x.localeCompare(y, 'en', { numeric: true }));
  const expected = writes.map((write) => write.values.text);
  return { b, errors, texts, expected, ids: served.after(undefined).map((note) => note.id) };
}

const later = {
  id: '',
  created: true,
  values: { text: 'written later', color: 'yellow' as const, pinned: false, done: false, trashed: false, deleted: false },
  clocks: Object.fromEntries(['text', 'color', 'pinned', 'done', 'trashed', 'deleted'].map((field) => [field, '000000000000002:00000:seed-later'])),
  createdAt: 1,
};

describe('catching up through the streamed download', () => {
  it('reads everything in one download, with no page reads', async () => {
    const { b, texts, expected } = await newDeviceOfLargeAccount(31);
    await b.engine.catchUp();
    expect(await texts()).toEqual(expected);
    expect(server!.requests).toEqual([undefined]);
    expect(b.remote.pageReads).toBe(0);
    expect((await readCheckpoint(b.db))?.id).toBe(world!.server.head()?.id);
  });

  it('a download cut off mid-page, then one that stops answering, are each resumed after the last page stored; the sync finishes', async () => {
    const { b, errors, texts, expected, ids } = await newDeviceOfLargeAccount(32);
    server!.faults.push({ kind: 'cut', afterNotes: PAGE + 5 }, { kind: 'stop-answering', afterNotes: PAGE + 2 });
    const started = Date.now();
    await b.engine.catchUp();
    expect(await texts()).toEqual(expected);
    // From the start; after the first page (the cut came in the second); after the page the stalled one gave.
    expect(server!.requests.map((after) => after?.id)).toEqual([undefined, ids[PAGE - 1], ids[2 * PAGE - 1]]);
    expect(b.remote.pageReads).toBe(0);
    // The stall was waited out (the deadline), not more.
    expect(Date.now() - started).toBeGreaterThanOrEqual(DEADLINE_MS);
    expect(errors).toContain(SYNC_TEXTS.failure.stalled);
    expect((await readSyncStatus(b.db))?.error).toBeUndefined();
  });

  it(`after ${SYNC.DOWNLOAD_ATTEMPTS} failed downloads in a row, the rest is read page by page from where they got to`, async () => {
    const { b, texts, expected } = await newDeviceOfLargeAccount(33);
    server!.faults.push({ kind: 'cut', afterNotes: PAGE + 3 }, ...Array.from({ length: SYNC.DOWNLOAD_ATTEMPTS - 1 }, () => ({ kind: 'stop-answering' as const, afterNotes: 0 })));
    await b.engine.catchUp();
    expect(await texts()).toEqual(expected);
    expect(server!.requests).toHaveLength(SYNC.DOWNLOAD_ATTEMPTS);
    // The first page came by download; the second, the half page and the empty end by reads.
    expect(b.remote.pageReads).toBe(2);
  });

  it('a server without the download (404) is read page by page, and not asked for it again', async () => {
    const { b, texts, expected } = await newDeviceOfLargeAccount(34);
    server!.faults.push({ kind: 'status', status: 404 });
    await b.engine.catchUp();
    expect(await texts()).toEqual(expected);
    expect(b.remote.pageReads).toBe(3);
    await b.engine.catchUp();
    expect(server!.requests).toHaveLength(1);
  });

  it('a refusal (403: the device was erased) is thrown as a page read\'s would be, and nothing is stored', async () => {
    const { b } = await newDeviceOfLargeAccount(35);
    server!.faults.push({ kind: 'status', status: 403 });
    await expect(b.engine.catchUp()).rejects.toMatchObject({ code: 'permission-denied' });
    expect(await b.db.notes.count()).toBe(0);
    expect(b.remote.pageReads).toBe(0);
  });

  it('a first sync stores the newest notes at once, before the download sends any; a later catch-up reads a page and starts no download', async () => {
    const { b, texts, expected } = await newDeviceOfLargeAccount(37);
    const served = world!.server;
    b.remote.fetchNewest = async (limit) => served.after(undefined).reverse().slice(0, limit);
    server!.faults.push({ kind: 'stop-answering', afterNotes: 0 });
    const syncing = b.engine.catchUp();
    // While the download has sent nothing but its total: every note (fewer than SYNC.NEWEST_FIRST_NOTES) is there.
    await expect.poll(() => b.db.notes.count()).toBe(expected.length);
    expect(server!.requests).toHaveLength(1);
    // They come again in order: the checkpoint has not moved.
    expect(await readCheckpoint(b.db)).toBeUndefined();
    await syncing;
    expect(await texts()).toEqual(expected);
    expect(server!.requests).toHaveLength(2);

    world!.server.seed('other', [{ ...later, id: crypto.randomUUID() }]);
    await b.engine.catchUp();
    expect(await b.db.notes.count()).toBe(expected.length + 1);
    expect(server!.requests).toHaveLength(2);
    expect(b.remote.pageReads).toBe(1);
  });

  it('a first sync that crashes midway goes on after its last page stored, through the download again, never from zero', async () => {
    const { b, texts, expected, ids } = await newDeviceOfLargeAccount(39);
    server!.faults.push({ kind: 'stop-answering', afterNotes: PAGE + 2 });
    const interrupted = b.engine.catchUp().catch(() => undefined);
    await expect.poll(() => b.db.notes.count()).toBe(PAGE);
    // The tab closes: engine and database go; the app starts again on the same database.
    await b.crash();
    await interrupted;
    await b.engine.catchUp();
    expect(await texts()).toEqual(expected);
    expect(server!.requests.map((after) => after?.id)).toEqual([undefined, ids[PAGE - 1]]);
    expect(b.remote.pageReads).toBe(0);
  });

  it('stop() during a stalled download ends the run at once, with nothing stored after it', async () => {
    const { b } = await newDeviceOfLargeAccount(36);
    server!.faults.push({ kind: 'stop-answering', afterNotes: 3 });
    const running = b.engine.run().then(() => 'returned');
    await expect.poll(() => server!.requests.length).toBe(1);
    b.engine.stop();
    expect(await running).toBe('returned');
    expect(await b.db.notes.count()).toBe(0);
    expect(await readCheckpoint(b.db)).toBeUndefined();
  });
});
