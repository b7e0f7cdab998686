/**
 * The three-way merge of a checklist two devices edited from the same list (merge.ts decides
 * when), item by item, so that every device's edits survive: one device ticks "milk" while
 * another adds "eggs" and renames "bread", and the list has all three.
 * - An item's text merges like a note's text (text-merge.ts), its tick like a field: the side
 *   that changed it from the base decides (both sides changing it means both ticked or both
 *   unticked).
 * - The order merges like the words of a text, items being the words: an item moved on one
 *   device goes where it was moved, items added on both devices at one place are both kept (ours
 *   first), and where both moved the same items this device's order is kept.
 * - An item added on one device is kept; an item deleted on one device stays deleted, whatever
 *   the other did to it.
 */
import type { ChecklistItem } from '../shared/note.js';
import { mergeSequences, mergeTexts } from './text-merge.js';

const ids = (items: readonly ChecklistItem[]) => items.map((item) => item.id);

export function mergeChecklists(base: ChecklistItem[], ours: ChecklistItem[], theirs: ChecklistItem[]): ChecklistItem[] {
  const [was, mine, other] = [new Map(base.map((item) => [item.id, item])), new Map(ours.map((item) => [item.id, item])), new Map(theirs.map((item) => [item.id, item]))];
  // Where both changed the order of the same items: ours, then whatever only theirs holds there.
  const order = mergeSequences(ids(base), ids(ours), ids(theirs), (_base, ourIds, theirIds) => [...ourIds, ...theirIds]);
  // An item moved on one side while the other changed its neighbours can show up twice: once.
  const merged: ChecklistItem[] = [];
  const placed = new Set<string>();
  for (const id of [...order, ...ids(ours), ...ids(theirs)]) {
    if (placed.has(id)) continue;
    placed.add(id);
    const [before, ourItem, theirItem] = [was.get(id), mine.get(id), other.get(id)];
    if (before && (!ourItem || !theirItem)) continue;
    if (!ourItem || !theirItem) {
      merged.push({ ...(ourItem ?? theirItem)! });
      continue;
    }
    merged.push({
      id,
      text: mergeTexts(before?.text ?? '', ourItem.text, theirItem.text),
      done: before && ourItem.done === before.done ? theirItem.done : ourItem.done,
    });
  }
  return merged;
}
