/**
 * The notes database: one Dexie subclass, typed tables, opened per account (the guest account is
 * the device's own). Only code in src/db touches IndexedDB for notes.
 */
import Dexie, { type Table } from 'dexie';
import type { Label } from '../shared/label.js';
import type { EditableField, MergedField, NoteContent } from '../shared/note.js';
import { HybridClock } from './hlc.js';
import { Lane } from './lanes.js';
import { defaultOrderKey } from './order-key.js';
import type { Checkpoint } from './remote-note.js';

export { Lane } from './lanes.js';

export interface NoteRecord extends NoteContent {
  id: string;
  /** Always set locally: the synced key, or the default derived from createdAt (src/db/order-key.ts). */
  order: string;
  /** Milliseconds since the epoch, on this device's clock. */
  createdAt: number;
  updatedAt: number;
  lane: Lane;
  /** 1 for an open note (on the board, not done, not archived), else 0: indexed, so the badge count reads no records. */
  open: 0 | 1;
  /** Per-field hybrid-logical-clock stamps: which edit of each field is the latest (merge.ts). */
  clocks: NoteClocks;
  /**
   * Each merged field (MERGED_FIELDS: the text, the checklist) as the server last held it, with
   * its stamp, kept while an edit of that field made here is unsent: what a concurrent edit from
   * another device is merged against (merge.ts). Absent when nothing is pending, and on a note
   * the server has never had.
   */
  bases?: FieldBases;
}

export type FieldBases = { [F in MergedField]?: { value: NonNullable<NoteContent[F]>; stamp: string } };

export type NoteClocks = Partial<Record<EditableField, string>>;

/** One local change not yet acknowledged by the server: which fields of which note changed. */
export interface OutboxEntry {
  seq?: number;
  noteId: string;
  fields: EditableField[];
  /** True for the change that created the note. */
  created: boolean;
  queuedAt: number;
  /** Set when the server refused this change for good; it is kept and shown, not resent. */
  rejected?: { code: string; message: string };
}

/** A label on this device: as last merged with the server's, and whether an edit made here is unsent. */
export interface LabelRecord extends Label {
  /** 1 while an edit made here has not been acknowledged by the server (src/sync/label-sync.ts). */
  unsent: 0 | 1;
}

/** What the person sees of sync; shared between tabs through the database. */
export interface SyncStatus {
  lastSyncedAt?: number;
  /** The first sync of a large account: notes received so far of the total. */
  progress?: { done: number; total: number };
  /** A failure that sync is retrying, in words. */
  error?: string;
}

/** The keys of the meta table, each with one type of value (MetaRecord). */
export const MetaKey = { checkpoint: 'pull-checkpoint', syncStatus: 'sync-status' } as const;
export type MetaKey = (typeof MetaKey)[keyof typeof MetaKey];

/** Small records of sync: the pull checkpoint and the shared sync status, typed by key. */
export type MetaRecord = { key: typeof MetaKey.checkpoint; value: Checkpoint } | { key: typeof MetaKey.syncStatus; value: SyncStatus };

export class NotesDatabase extends Dexie {
  notes!: Table<NoteRecord, string>;
  outbox!: Table<OutboxEntry, number>;
  meta!: Table<MetaRecord, MetaKey>;
  labels!: Table<LabelRecord, string>;

  /**
   * @param clock stamps this device's edits; its device id names the writer of each change.
   */
  constructor(
    name: string,
    readonly clock: HybridClock = new HybridClock('this-device'),
  ) {
    // No query cache: the board's live queries read a window with reverse().offset().limit(),
    // and with Dexie's cache a window now and then stayed stale after a bulk write from sync.
    super(name, { cache: 'disabled' });
    this.version(1).stores({
      notes: 'id, [lane+updatedAt]',
      outbox: '++seq, noteId',
      meta: 'key',
    });
    this.version(2)
      .stores({ notes: 'id, [lane+updatedAt], open' })
      .upgrade((tx) =>
        tx
          .table('notes')
          .toCollection()
          .modify((note: NoteRecord) => {
            note.open = isOpen(note);
          }),
      );
    // Board order: every existing note gets the default key (newest first, as the board showed
    // them by creation on a fresh device). Derived, not edited: no clock, nothing queued to sync.
    this.version(3)
      .stores({ notes: 'id, [lane+updatedAt], [lane+order], open' })
      .upgrade((tx) =>
        tx
          .table('notes')
          .toCollection()
          .modify((note: NoteRecord) => {
            if (typeof note.order !== 'string') note.order = defaultOrderKey(note.createdAt);
          }),
      );
    // Labels: their own table, and the notes indexed by each label they carry (a label's view
    // reads its notes, not all of them). No note has labels yet: nothing to rewrite.
    this.version(4).stores({ notes: 'id, [lane+updatedAt], [lane+order], open, *labels', labels: 'id' });
    // Reminders: the notes that have one, read by the Reminders view and the ringing of due ones
    // (IndexedDB leaves a note without one, or with null, out of the index). Nothing to rewrite.
    this.version(5).stores({ notes: 'id, [lane+updatedAt], [lane+order], open, *labels, reminder.at' });
  }
}

function isOpen(note: Pick<NoteContent, 'done' | 'trashed' | 'deleted' | 'archived'>): 0 | 1 {
  return !note.done && !note.trashed && !note.deleted && note.archived !== true ? 1 : 0;
}

/** Sets the fields stored only to be indexed (lane, open) from the note's content. */
export function withIndexFields<T extends NoteContent & { lane?: Lane; open?: 0 | 1 }>(note: T): T & { lane: Lane; open: 0 | 1 } {
  note.lane = laneOf(note);
  note.open = isOpen(note);
  return note as T & { lane: Lane; open: 0 | 1 };
}

/** The trash wins over the archive: a trashed archived note is in the trash, and restored to the archive. */
function laneOf(note: Pick<NoteContent, 'pinned' | 'trashed' | 'deleted' | 'archived'>): Lane {
  if (note.deleted) return Lane.deleted;
  if (note.trashed) return Lane.trash;
  if (note.archived === true) return Lane.archive;
  return note.pinned ? Lane.pinned : Lane.board;
}
