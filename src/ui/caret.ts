/**
 * Where a caret at `at` in `before` belongs once the field holds `after` (text changed from
 * elsewhere): where it was when the change lies after it, as far from the end as it was when the
 * change lies before it.
 */
export function caretAfterChange(before: string, after: string, at: number): number {
  let shared = 0;
  while (shared < before.length && shared < after.length && before[shared] === after[shared]) shared++;
  if (at <= shared) return at;
  return Math.max(shared, after.length - (before.length - at));
}
