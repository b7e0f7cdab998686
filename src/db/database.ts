/**
 * The notes database: one Dexie subclass, typed tables, opened per account (the guest account is
 * the device's own). Only code in src/db touches IndexedDB for notes.
 */
import Dexie, { type Table } from 'dexie';
import type { EditableField, NoteContent } from '../shared/note.js';

/**
 * Where a note shows up, stored so one compound index [lane+updatedAt] serves the board (lanes 0-1)
 * and the trash (lane 2) in order; IndexedDB cannot index booleans.
 */
export const Lane = { pinned: 0, board: 1, trash: 2, deleted: 3 } as const;
export type Lane = (typeof Lane)[keyof typeof Lane];

export interface NoteRecord extends NoteContent {
  id: string;
  /** Milliseconds since the epoch, on this device's clock. */
  createdAt: number;
  updatedAt: number;
  lane: Lane;
}

/** One local change not yet acknowledged by the server: which fields of which note changed. */
export interface OutboxEntry {
  seq?: number;
  noteId: string;
  fields: EditableField[];
  /** True for the change that created the note. */
  created: boolean;
  queuedAt: number;
}

export class NotesDatabase extends Dexie {
  notes!: Table<NoteRecord, string>;
  outbox!: Table<OutboxEntry, number>;

  constructor(name: string) {
    super(name);
    this.version(1).stores({
      notes: 'id, [lane+updatedAt]',
      outbox: '++seq, noteId',
    });
  }
}

export function laneOf(note: Pick<NoteContent, 'pinned' | 'trashed' | 'deleted'>): Lane {
  if (note.deleted) return Lane.deleted;
  if (note.trashed) return Lane.trash;
  return note.pinned ? Lane.pinned : Lane.board;
}
