/**
 * The item-by-item merge of a checklist edited on two devices (src/db/checklist-merge.ts): every
 * device's edit of every item survives, a deleted item stays deleted.
 */
import { describe, expect, it } from 'vitest';
import { mergeChecklists } from '../../src/db/checklist-merge.js';
import { bothVersions } from '../../src/db/text-merge.js';
import type { ChecklistItem } from '../../src/shared/note.js';

const item = (id: string, text: string, done = false): ChecklistItem => ({ id, text, done });
const base = [item('milk', 'milk'), item('bread', 'bread'), item('apples', 'apples')];

describe('mergeChecklists', () => {
  it('keeps a tick on one device and an added item and a renamed one on the other', () => {
    const ours = [item('milk', 'milk', true), item('bread', 'bread'), item('apples', 'apples')];
    const theirs = [item('milk', 'milk'), item('bread', 'rye bread'), item('apples', 'apples'), item('eggs', 'eggs')];
    expect(mergeChecklists(base, ours, theirs)).toEqual([item('milk', 'milk', true), item('bread', 'rye bread'), item('apples', 'apples'), item('eggs', 'eggs')]);
    expect(mergeChecklists(base, theirs, ours)).toEqual([item('milk', 'milk', true), item('bread', 'rye bread'), item('apples', 'apples'), item('eggs', 'eggs')]);
  });

  it('keeps a deleted item deleted, whatever the other device did to it', () => {
    const ours = [item('milk', 'milk'), item('apples', 'apples')];
    const theirs = [item('milk', 'milk'), item('bread', 'rye bread', true), item('apples', 'apples')];
    expect(mergeChecklists(base, ours, theirs)).toEqual([item('milk', 'milk'), item('apples', 'apples')]);
    expect(mergeChecklists(base, theirs, ours)).toEqual([item('milk', 'milk'), item('apples', 'apples')]);
  });

  it('puts an item moved on one device where it was moved, with the other device\'s edits', () => {
    const ours = [item('apples', 'apples'), item('milk', 'milk'), item('bread', 'bread')];
    const theirs = [item('milk', 'oat milk'), item('bread', 'bread'), item('apples', 'apples', true)];
    expect(mergeChecklists(base, ours, theirs)).toEqual([item('apples', 'apples', true), item('milk', 'oat milk'), item('bread', 'bread')]);
  });

  it('keeps items added at one place on both devices, ours first', () => {
    const ours = [...base, item('eggs', 'eggs')];
    const theirs = [...base, item('tea', 'tea')];
    expect(mergeChecklists(base, ours, theirs).map((entry) => entry.id)).toEqual(['milk', 'bread', 'apples', 'eggs', 'tea']);
  });

  it('merges an item\'s text edited on both devices word by word', () => {
    const ours = [item('milk', 'milk 2 litres'), item('bread', 'bread'), item('apples', 'apples')];
    const theirs = [item('milk', 'oat milk'), item('bread', 'bread'), item('apples', 'apples')];
    expect(mergeChecklists(base, ours, theirs)[0]).toEqual(item('milk', 'oat milk 2 litres'));
    const clash = mergeChecklists(base, [item('milk', 'cream'), ...base.slice(1)], [item('milk', 'butter'), ...base.slice(1)]);
    expect(clash[0]!.text).toBe(bothVersions('cream', 'butter'));
  });

  it('keeps this device\'s order where both moved the same items, each item once', () => {
    const ours = [item('bread', 'bread'), item('milk', 'milk'), item('apples', 'apples')];
    const theirs = [item('apples', 'apples'), item('bread', 'bread'), item('milk', 'milk')];
    const merged = mergeChecklists(base, ours, theirs).map((entry) => entry.id);
    expect(new Set(merged).size).toBe(3);
    expect(merged.sort()).toEqual(['apples', 'bread', 'milk']);
  });
});
