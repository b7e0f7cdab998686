/**
 * The three-way merge of a note's labels two devices changed from the same set (merge.ts decides
 * when): a label added on either device is kept, a label removed on either device stays removed.
 * This device's labels come first in their order, then those only the other added; a merge holds
 * at most MAX_NOTE_LABELS (both devices adding many at once keeps the first).
 */
import { MAX_NOTE_LABELS } from '../shared/note.js';

export function mergeLabelSets(base: string[], ours: string[], theirs: string[]): string[] {
  const [was, mine, other] = [new Set(base), new Set(ours), new Set(theirs)];
  const kept = ours.filter((id) => other.has(id) || !was.has(id));
  const added = theirs.filter((id) => !mine.has(id) && !was.has(id));
  return [...kept, ...added].slice(0, MAX_NOTE_LABELS);
}
