/**
 * The notes the benchmarks store, as if typed over the years: plain text notes, or a board where a
 * third of the notes are checklists of 20 items and half carry labels (what a Keep user brings).
 * Pure, so both the benchmarks (Node) and the bench pages (the browser) build the same notes.
 */
import { withIndexFields, type LabelRecord, type NoteRecord } from '../../src/db/database.js';
import { defaultOrderKey } from '../../src/db/order-key.js';
import type { RemoteNote } from '../../src/db/remote-note.js';
import { newNoteClocks, NOTE_COLORS, type ChecklistItem, type NoteContent } from '../../src/shared/note.js';

export type BoardContent = 'text' | 'lists';

export const ITEMS_PER_LIST = 20;
const LABEL_NAMES = ['Home', 'Work', 'Groceries', 'Trips', 'Ideas', 'Kids', 'Health', 'Money', 'Garden', 'Books'];

/** The person's labels on a board of lists. */
export function seedLabels(stamp: string, at: number): LabelRecord[] {
  return LABEL_NAMES.map((name, i) => ({
    id: `seed-label-${i}`,
    name,
    color: i % 2 ? NOTE_COLORS[i % NOTE_COLORS.length]! : 'none',
    deleted: false,
    clocks: { name: stamp, color: stamp, deleted: stamp },
    createdAt: at,
    unsent: 0,
  }));
}

/** Note number `i`'s content: on a board of lists, every third note is a checklist, every other one labelled. */
export function seedContent(i: number, content: BoardContent, createdAt: number): NoteContent {
  const base: NoteContent = {
    text: `Note ${i}: call the plumber about the kitchen tap, then buy bread`,
    color: NOTE_COLORS[i % NOTE_COLORS.length]!,
    pinned: false,
    done: i % 7 === 0,
    trashed: false,
    deleted: false,
    order: defaultOrderKey(createdAt),
  };
  if (content === 'text') return base;
  const labels = i % 2 === 0 ? [`seed-label-${i % LABEL_NAMES.length}`, ...(i % 4 === 0 ? [`seed-label-${(i + 3) % LABEL_NAMES.length}`] : [])] : [];
  if (i % 3 !== 0) return { ...base, labels };
  const items: ChecklistItem[] = Array.from({ length: ITEMS_PER_LIST }, (_, k) => ({
    id: `seed-${i}-item-${k}`,
    text: `Item ${k} of list ${i}: oat milk, rye bread, eggs`,
    done: k % 4 === 0,
  }));
  return { ...base, text: `Shopping list ${i}`, items, labels };
}

const seedStamp = (at: number) => `${String(at).padStart(15, '0')}:00000:seed-device`;

/** Note `i` as the store keeps it (src/db/notes.ts createNote's shape), made at `createdAt`. */
export function seedRecord(i: number, content: BoardContent, createdAt: number): NoteRecord {
  const note = seedContent(i, content, createdAt);
  return withIndexFields({ ...note, id: `seed-${String(i).padStart(6, '0')}`, order: note.order!, createdAt, updatedAt: createdAt, clocks: newNoteClocks(note, seedStamp(createdAt)) });
}

/** Note `i` as a page of the server's changes brings it, written by another device at `at`. */
export function seedRemoteNote(i: number, content: BoardContent, at: number): RemoteNote {
  const note = seedContent(i, content, at);
  return {
    ...note,
    id: `seed-${String(i).padStart(6, '0')}`,
    createdAt: at,
    updatedAt: { seconds: Math.floor(at / 1000), nanoseconds: (at % 1000) * 1e6 },
    updatedBy: 'seed-device',
    clocks: newNoteClocks(note, seedStamp(at)),
  };
}

/** The same note edited again on the other device at `at`: its text (or a tick of its list) and its color. */
export function seedRemoteEdit(note: RemoteNote, at: number): RemoteNote {
  const stamp = seedStamp(at);
  const items = note.items?.map((item, k) => (k === 1 ? { ...item, done: !item.done } : item));
  return {
    ...note,
    text: items ? note.text : `${note.text}, and the milk`,
    items,
    color: note.color === 'yellow' ? 'green' : 'yellow',
    updatedAt: { seconds: Math.floor(at / 1000), nanoseconds: (at % 1000) * 1e6 },
    clocks: { ...note.clocks, [items ? 'items' : 'text']: stamp, color: stamp },
  };
}
