/**
 * Pages stored as the app's page-merging worker stores them (page-merger.ts): the part that needs
 * no stamp of this device on a connection without its clock, the notes whose merge stamps (an
 * unsent text edit meeting another device's) left for the clock's thread, and the checkpoint moved
 * past the page only once both parts are stored.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NotesDatabase, type NoteRecord } from '../../src/db/database.js';
import { HybridClock, formatStamp } from '../../src/db/hlc.js';
import { createNote, updateNote } from '../../src/db/notes.js';
import { WorkerPageStore, applyPageInTwoParts } from '../../src/db/page-merger.js';
import type { RemoteNote } from '../../src/db/remote-note.js';
import { acknowledgeChanges, applyRemotePageUnstamped, readCheckpoint } from '../../src/db/sync-state.js';

let time = 1_000_000;
const clock = () => ++time;
let db: NotesDatabase;
/** What the worker holds: the same database, no clock of this device. */
let workerDb: NotesDatabase;

beforeEach(async () => {
  const name = `pages-${crypto.randomUUID()}`;
  db = new NotesDatabase(name, new HybridClock('phone', clock));
  await db.open();
  workerDb = new NotesDatabase(name);
  await workerDb.open();
});

afterEach(async () => {
  workerDb.close();
  await db.delete();
});

/** The server's copy of `note` as another device changed it, stored at `seconds`. */
function editedElsewhere(note: NoteRecord, text: string, seconds: number): RemoteNote {
  return {
    ...note,
    text,
    clocks: { ...note.clocks, text: formatStamp(time + 500_000, 0, 'laptop') },
    updatedAt: { seconds, nanoseconds: 0 },
    updatedBy: 'laptop',
  };
}

/** A note the server holds and this device has acknowledged, then its text edited here and not sent. */
async function noteWithUnsentEdit(): Promise<NoteRecord> {
  const note = await createNote(db, { text: 'Shopping\nmilk' }, clock);
  await acknowledgeChanges(db, (await db.outbox.toArray()) as never);
  return (await updateNote(db, note.id, { text: 'Shopping\nmilk\neggs' }, clock))!;
}

describe('a page stored in two parts', () => {
  it('leaves the notes whose merge needs a stamp to the clock, and keeps the checkpoint until they are stored', async () => {
    const plain = await createNote(db, { text: 'Plain' }, clock);
    const pending = await noteWithUnsentEdit();
    const page = [editedElsewhere(pending, 'Shopping\nmilk\nbread', 10), editedElsewhere(plain, 'Plain, edited', 11)];

    const leftOut = await applyRemotePageUnstamped(workerDb, page, { advanceCheckpoint: true, now: clock });

    expect(leftOut.map((note) => note.id)).toEqual([pending.id]);
    expect((await db.notes.get(plain.id))!.text).toBe('Plain, edited');
    expect((await db.notes.get(pending.id))!.text).toBe('Shopping\nmilk\neggs');
    expect(await readCheckpoint(db)).toBeUndefined();
  });

  it('merges both edits of the left-out note on the clock and moves the checkpoint past the whole page', async () => {
    const pending = await noteWithUnsentEdit();
    const plain = await createNote(db, { text: 'Plain' }, clock);
    const page = [editedElsewhere(pending, 'Shopping\nmilk\nbread', 10), editedElsewhere(plain, 'Plain, edited', 12)];

    await applyPageInTwoParts(db, page, { advanceCheckpoint: true, now: clock }, (notes) => applyRemotePageUnstamped(workerDb, notes, { advanceCheckpoint: true, now: clock }));

    const merged = (await db.notes.get(pending.id))!;
    expect(merged.text).toContain('eggs');
    expect(merged.text).toContain('bread');
    // Stamped by this device's clock, after the other device's edit it merged.
    expect(merged.clocks.text).toMatch(/:phone$/);
    expect(merged.clocks.text! > page[0]!.clocks.text!).toBe(true);
    expect(await readCheckpoint(db)).toEqual({ time: { seconds: 12, nanoseconds: 0 }, id: plain.id });
    // The worker's connection issued no stamp at all.
    const stamps = (await db.notes.toArray()).flatMap((note) => Object.values(note.clocks));
    expect(stamps.some((stamp) => stamp.endsWith(':this-device'))).toBe(false);
  });
});

describe('the worker store getting ready', () => {
  /** A worker that records what it is sent and answers nothing. */
  function recordingWorker() {
    const sent: unknown[] = [];
    const worker = { postMessage: (message: unknown) => sent.push(message), terminate() {} } as unknown as Worker;
    return { worker, sent };
  }

  it('starts its worker and has it open the database before any page, once', () => {
    const { worker, sent } = recordingWorker();
    let started = 0;
    const store = new WorkerPageStore(db, () => {
      started += 1;
      return worker;
    });
    store.prepare();
    expect(started).toBe(1);
    expect(sent).toEqual([{ prepare: db.name }]);
    store.prepare();
    expect(started).toBe(1);
    store.close();
  });

  it('without a worker to be had, gets ready for nothing and still stores pages here', async () => {
    const store = new WorkerPageStore(db, () => {
      throw new Error('no module workers here');
    });
    store.prepare();
    const note = await createNote(db, { text: 'Kept' }, clock);
    await store.apply([editedElsewhere(note, 'Kept, edited elsewhere', 12)], { advanceCheckpoint: true, now: clock });
    expect((await db.notes.get(note.id))?.text).toBe('Kept, edited elsewhere');
  });
});
