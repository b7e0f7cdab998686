/**
 * Moving a note within its board section: one read-write transaction that gives the note a new
 * order key (fractional-indexing) between its new neighbours and queues the change for sync, like
 * any edit. Offline it works the same; two devices that move notes into one gap may make equal
 * keys, which board order breaks by note id, the same on every device, so nothing diverges.
 */
import Dexie from 'dexie';
import { generateKeyBetween, generateNKeysBetween } from 'fractional-indexing';
import { MAX_ORDER_KEY_LENGTH } from '../shared/note.js';
import { Lane, type NoteRecord, type NotesDatabase } from './database.js';
import { BOARD_ORDER_INDEX } from './lanes.js';
import { compareBoardOrder } from './order-key.js';
import type { Clock } from './notes.js';

/**
 * Where a note goes: between two notes of its section (their ids; null for the top or the bottom
 * of the section), or one place up (-1) or down (+1).
 */
export type MoveTarget = { kind: 'between'; above: string | null; below: string | null } | { kind: 'step'; by: -1 | 1 };

/** A move whose key would pass the rules' length cap (after hundreds of moves into one gap). */
export class OrderKeyTooLongError extends Error {
  constructor() {
    super('This note cannot be moved there; move a neighbouring note first.');
    this.name = 'OrderKeyTooLongError';
  }
}

/**
 * Moves a note within its section. Resolves the note as saved, or undefined when nothing moved:
 * the note is not on the board, it is already at that edge, or the neighbours are not next to
 * each other in its section (a drop across sections is refused, not turned into a pin).
 */
export async function moveNote(db: NotesDatabase, id: string, target: MoveTarget, now: Clock = Date.now): Promise<NoteRecord | undefined> {
  return db.transaction('rw', db.notes, db.outbox, async () => {
    const note = await db.notes.get(id);
    if (!note || note.lane > Lane.board) return undefined;
    const neighbours = await resolveNeighbours(db, note, target);
    if (!neighbours) return undefined;
    const { above, below } = neighbours;
    const rekeyed = new Map<NoteRecord, string>();
    if (above && below && above.order === below.order) {
      const tie = above.order;
      if (above.id < note.id && note.id < below.id) {
        rekeyed.set(note, tie);
      } else {
        // One key cannot sit between two equal keys, so the tied notes from `below` on move
        // up with it: fresh keys between the tie and the next larger key, in their order.
        const tiedFromBelow = await db.notes
          .where(BOARD_ORDER_INDEX)
          .equals([note.lane, tie])
          .filter((other) => other.id >= below.id && other.id !== note.id)
          .toArray();
        const nextLarger = await db.notes.where(BOARD_ORDER_INDEX).between([note.lane, tie], [note.lane, Dexie.maxKey], false, true).first();
        const keys = generateNKeysBetween(tie, nextLarger?.order ?? null, tiedFromBelow.length + 1);
        rekeyed.set(note, keys[0]!);
        tiedFromBelow.forEach((other, index) => rekeyed.set(other, keys[index + 1]!));
      }
    } else {
      rekeyed.set(note, generateKeyBetween(above?.order ?? null, below?.order ?? null));
    }
    if ([...rekeyed.values()].some((key) => key.length > MAX_ORDER_KEY_LENGTH)) throw new OrderKeyTooLongError();
    let saved: NoteRecord | undefined;
    const queuedAt = now();
    for (const [current, order] of rekeyed) {
      for (const stamp of Object.values(current.clocks)) db.clock.observe(stamp);
      const next: NoteRecord = {
        ...current,
        order,
        updatedAt: Math.max(queuedAt, current.updatedAt + 1),
        clocks: { ...current.clocks, order: db.clock.next() },
      };
      await db.notes.put(next);
      await db.outbox.add({ noteId: current.id, fields: ['order'], created: false, queuedAt });
      if (current.id === id) saved = next;
    }
    return saved;
  });
}

async function resolveNeighbours(
  db: NotesDatabase,
  note: NoteRecord,
  target: MoveTarget,
): Promise<{ above: NoteRecord | undefined; below: NoteRecord | undefined } | undefined> {
  if (target.kind === 'step') {
    const passed = await sectionNeighbours(db, note, target.by < 0 ? 'before' : 'after', 2);
    if (!passed[0]) return undefined;
    return target.by < 0 ? { above: passed[1], below: passed[0] } : { above: passed[0], below: passed[1] };
  }
  const [above, below] = await Promise.all([
    target.above === null ? undefined : db.notes.get(target.above),
    target.below === null ? undefined : db.notes.get(target.below),
  ]);
  const inSection = (other: NoteRecord | undefined, wanted: string | null) =>
    wanted === null ? other === undefined : other !== undefined && other.lane === note.lane && other.id !== note.id;
  if (!inSection(above, target.above) || !inSection(below, target.below)) return undefined;
  if (above && below && compareBoardOrder(above, below) >= 0) return undefined;
  return { above, below };
}

/** Up to `count` notes of the note's section next to it, nearest first, in board order. */
export async function sectionNeighbours(db: NotesDatabase, note: NoteRecord, side: 'before' | 'after', count: number): Promise<NoteRecord[]> {
  const tied = db.notes.where(BOARD_ORDER_INDEX).equals([note.lane, note.order]);
  if (side === 'before') {
    const [sameKey, smaller] = await Promise.all([
      tied.filter((other) => other.id < note.id).toArray(),
      db.notes.where(BOARD_ORDER_INDEX).between([note.lane, Dexie.minKey], [note.lane, note.order], true, false).reverse().limit(count).toArray(),
    ]);
    return [...sameKey.reverse(), ...smaller].slice(0, count);
  }
  const [sameKey, larger] = await Promise.all([
    tied.filter((other) => other.id > note.id).limit(count).toArray(),
    db.notes.where(BOARD_ORDER_INDEX).between([note.lane, note.order], [note.lane, Dexie.maxKey], false, true).limit(count).toArray(),
  ]);
  return [...sameKey, ...larger].slice(0, count);
}
