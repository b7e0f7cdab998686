/**
 * The three-way text merge (src/db/text-merge.ts): every word typed on either device survives,
 * the same words changed differently show both versions, and the result is a function of the
 * three texts alone.
 */
import { describe, expect, it } from 'vitest';
import { bothVersions, mergeTexts } from '../../src/db/text-merge.js';

describe('mergeTexts', () => {
  it('keeps one side when the other did not change', () => {
    expect(mergeTexts('milk', 'milk', 'oat milk')).toBe('oat milk');
    expect(mergeTexts('milk', 'oat milk', 'milk')).toBe('oat milk');
    expect(mergeTexts('milk', 'oat milk', 'oat milk')).toBe('oat milk');
  });

  it('applies edits of different words from both devices', () => {
    const base = 'Buy bread and milk\nCall the bank on Monday';
    const ours = 'Buy rye bread and milk\nCall the bank on Monday';
    const theirs = 'Buy bread and milk\nCall the bank on Tuesday morning';
    expect(mergeTexts(base, ours, theirs)).toBe('Buy rye bread and milk\nCall the bank on Tuesday morning');
  });

  it('keeps words added at the same place on both devices, ours first', () => {
    expect(mergeTexts('Trip plan', 'Trip plan phone version', 'Trip plan changed on desktop')).toBe(
      'Trip plan phone version changed on desktop',
    );
    expect(mergeTexts('', 'phone version', 'changed on desktop')).toBe('phone version changed on desktop');
  });

  it('shows both versions of words changed differently on each device', () => {
    const merged = mergeTexts('Meet at noon by the station', 'Meet at one by the station', 'Meet at two by the station');
    expect(merged).toBe(`Meet at ${bothVersions('one', 'two')} by the station`);
    expect(merged).toContain('one');
    expect(merged).toContain('two');
  });

  it('keeps words changed on one device and deleted on the other', () => {
    expect(mergeTexts('eggs, flour, sugar', 'eggs, sugar', 'eggs, flour (spelt), sugar')).toBe('eggs, flour (spelt), sugar');
    expect(mergeTexts('eggs, flour, sugar', 'eggs, flour (spelt), sugar', 'eggs, sugar')).toBe('eggs, flour (spelt), sugar');
    // Words added beside deleted ones are not a change of them: both edits apply.
    expect(mergeTexts('eggs, flour, sugar', 'eggs, sugar', 'eggs, spelt flour, sugar')).toBe('eggs, spelt sugar');
  });

  it('takes the same change made on both devices once', () => {
    expect(mergeTexts('a b c', 'a B c d', 'a B c')).toBe('a B c d');
  });

  it('gives the same result for the same three texts, whichever order they come in over time', () => {
    const base = 'one two three four five';
    const ours = 'one 2 three four five six';
    const theirs = 'zero one two three 4 five';
    const first = mergeTexts(base, ours, theirs);
    expect(first).toBe('zero one 2 three 4 five six');
    for (let i = 0; i < 5; i++) expect(mergeTexts(base, ours, theirs)).toBe(first);
  });

  it('merges long notes edited at both ends without comparing every word', () => {
    const words = Array.from({ length: 3_000 }, (_, i) => `word${i % 7}`).join(' ');
    const base = `${words}\n${words}`;
    const ours = `start ${base}`;
    const theirs = `${base} end`;
    const merged = mergeTexts(base, ours, theirs);
    expect(merged).toBe(`start ${base} end`);
  });

  it('merges edits spread through a long note of repeated words', () => {
    const base = Array.from({ length: 2_000 }, () => 'the').join(' ');
    const ours = base.replace(/^the/, 'A');
    const theirs = `${base.slice(0, 4000)} middle ${base.slice(4000)}`;
    const merged = mergeTexts(base, ours, theirs);
    expect(merged.startsWith('A the')).toBe(true);
    expect(merged).toContain(' middle ');
    expect(merged.length).toBe(base.length - 'the'.length + 'A'.length + ' middle '.length);
  });
});
